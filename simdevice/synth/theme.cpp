#include "simdevice/synth/theme.h"

#include <array>
#include <cstdlib>

namespace uiw::sim::synth {
namespace {

struct Palette {
  Color light;  // the accent on a light theme
  Color dark;   // its lighter form on a dark theme
};

constexpr Color rgb(uint32_t hex) {
  return Color{static_cast<uint8_t>(hex >> 16), static_cast<uint8_t>(hex >> 8),
               static_cast<uint8_t>(hex), 255};
}

// Brand colours apps are drawn in: Material blue, purple, teal; iOS blue and green; the reds,
// oranges and greens of Chinese apps; MIUI/EMUI blue; Holo blue.
constexpr std::array kPalettes = {
    Palette{rgb(0x1976D2), rgb(0x90CAF9)}, Palette{rgb(0x6750A4), rgb(0xD0BCFF)},
    Palette{rgb(0x00897B), rgb(0x4DB6AC)}, Palette{rgb(0x007AFF), rgb(0x0A84FF)},
    Palette{rgb(0x34C759), rgb(0x30D158)}, Palette{rgb(0xF5222D), rgb(0xFF4D4F)},
    Palette{rgb(0xFF6A00), rgb(0xFF8A3D)}, Palette{rgb(0xE02E24), rgb(0xFF5A4F)},
    Palette{rgb(0x07C160), rgb(0x06AD56)}, Palette{rgb(0x0D84FF), rgb(0x3A9BFF)},
    Palette{rgb(0x33B5E5), rgb(0x33B5E5)}, Palette{rgb(0xFE2C55), rgb(0xFE2C55)},
    Palette{rgb(0x3F51B5), rgb(0x9FA8DA)}, Palette{rgb(0xFF9500), rgb(0xFF9F0A)},
};

struct Surfaces {
  Color background, surface, surface_variant, on_surface, muted, divider;
};

constexpr std::array kLightSurfaces = {
    Surfaces{rgb(0xFFFFFF), rgb(0xFFFFFF), rgb(0xF0F0F0), rgb(0x212121), rgb(0x757575),
             rgb(0xE0E0E0)},
    Surfaces{rgb(0xF2F2F7), rgb(0xFFFFFF), rgb(0xE5E5EA), rgb(0x000000), rgb(0x8A8A8E),
             rgb(0xD1D1D6)},
    Surfaces{rgb(0xFEF7FF), rgb(0xF3EDF7), rgb(0xE7E0EC), rgb(0x1D1B20), rgb(0x49454F),
             rgb(0xCAC4D0)},
    Surfaces{rgb(0xF5F5F5), rgb(0xFFFFFF), rgb(0xEEEEEE), rgb(0x333333), rgb(0x999999),
             rgb(0xEBEBEB)},
};

constexpr std::array kDarkSurfaces = {
    Surfaces{rgb(0x121212), rgb(0x1E1E1E), rgb(0x2C2C2C), rgb(0xE6E6E6), rgb(0x9E9E9E),
             rgb(0x333333)},
    Surfaces{rgb(0x000000), rgb(0x1C1C1E), rgb(0x2C2C2E), rgb(0xFFFFFF), rgb(0x8D8D93),
             rgb(0x38383A)},
    Surfaces{rgb(0x141218), rgb(0x211F26), rgb(0x36343B), rgb(0xE6E0E9), rgb(0xCAC4D0),
             rgb(0x49454F)},
    Surfaces{rgb(0x1A1A1A), rgb(0x262626), rgb(0x333333), rgb(0xDDDDDD), rgb(0x8C8C8C),
             rgb(0x303030)},
};

int colour_distance(Color a, Color b) {
  return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}

// A library control mixed into an app's own look: a tick circle or trailing check in a Material
// app, a Material switch in a vendor one. Real apps are rarely pure.
WidgetStyle maybe_mixed(RandomSource& random, WidgetStyle own,
                        std::span<const WidgetStyle> others) {
  return random.chance(0.2) ? random.pick(others) : own;
}

}  // namespace

Theme Theme::draw(RandomSource& random) {
  Theme theme;
  theme.system = &DesignSystem::draw(random);
  theme.dark = random.chance(0.3);
  const Surfaces& s =
      theme.dark ? random.pick(std::span(kDarkSurfaces)) : random.pick(std::span(kLightSurfaces));
  theme.background = s.background;
  theme.surface = s.surface;
  theme.surface_variant = s.surface_variant;
  theme.on_surface = s.on_surface;
  theme.muted = s.muted;
  theme.divider = s.divider;

  const Palette& palette = random.pick(std::span(kPalettes));
  theme.accent = theme.dark ? palette.dark : palette.light;
  theme.on_accent = luminance(theme.accent) > 0.62 ? rgb(0x1C1B1F) : rgb(0xFFFFFF);
  // Another colour for the second of two filled buttons, clearly apart from the first: two reds
  // side by side read as one emphasis.
  const Palette* second = &random.pick(kPalettes);
  for (int attempt = 0; attempt < 12 && colour_distance(second->light, palette.light) < 160;
       ++attempt) {
    second = &random.pick(kPalettes);
  }
  theme.second_accent = theme.dark ? second->dark : second->light;
  theme.switch_accent = theme.accent;
  if (theme.system->switch_style == WidgetStyle::kIos && random.chance(0.8)) {
    theme.switch_accent = theme.dark ? rgb(0x30D158) : rgb(0x34C759);
  }

  static constexpr WidgetStyle kSwitches[] = {WidgetStyle::kMaterial2, WidgetStyle::kMaterial3,
                                              WidgetStyle::kIos, WidgetStyle::kVendorPill};
  static constexpr WidgetStyle kCheckboxes[] = {WidgetStyle::kMaterial2, WidgetStyle::kTickCircle,
                                                WidgetStyle::kTrailingCheck, WidgetStyle::kHolo};
  static constexpr WidgetStyle kRadios[] = {WidgetStyle::kMaterial2, WidgetStyle::kVendorPill,
                                            WidgetStyle::kTickCircle};
  theme.switch_style = maybe_mixed(random, theme.system->switch_style, kSwitches);
  theme.checkbox_style = maybe_mixed(random, theme.system->checkbox_style, kCheckboxes);
  // iOS lists mark the chosen rows with a bare trailing ✓ as often as with tick circles.
  if (theme.system->checkbox_style == WidgetStyle::kIos && random.chance(0.5)) {
    theme.checkbox_style = WidgetStyle::kTrailingCheck;
  }
  theme.radio_style = maybe_mixed(random, theme.system->radio_style, kRadios);
  return theme;
}

}  // namespace uiw::sim::synth
