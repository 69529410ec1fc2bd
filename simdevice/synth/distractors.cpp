#include "simdevice/synth/distractors.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

// None of ○ ● □ ■ ◎ ✓ ✕: drawn alone, those are the widgets and close marks themselves.
constexpr std::array<std::string_view, 24> kSymbols = {"★", "☆", "♥", "♪", "※", "〒", "◆", "▲",
                                                       "▼", "→", "←", "↑", "↓", "∞",  "¥", "$",
                                                       "€", "@", "#", "%", "&", "+",  "?", "!"};
constexpr std::array<std::string_view, 20> kLetters = {"A",  "B",  "C",  "D",  "K",  "M",  "P",
                                                       "S",  "W",  "Z",  "设", "消", "我", "的",
                                                       "通", "安", "隐", "账", "云", "位"};

Color random_colour(RandomSource& random) {
  return Color{static_cast<uint8_t>(random.between(0, 255)),
               static_cast<uint8_t>(random.between(0, 255)),
               static_cast<uint8_t>(random.between(0, 255)), 255};
}

// Black or white, whichever stands out on `fill`.
Color ink_on(const Color& fill) {
  const int luma = (fill.r * 299 + fill.g * 587 + fill.b * 114) / 1000;
  return luma > 150 ? Color{0x20, 0x20, 0x20, 255} : Color{0xFF, 0xFF, 0xFF, 255};
}

}  // namespace

SceneNode icon(ScreenBuilder& screen, const Rect& box) {
  RandomSource& random = screen.random();
  const Theme& theme = screen.theme();
  const double side_dp = box.width() * 160.0 / screen.geometry().density;
  const std::string mark(random.chance(0.5) ? random.pick(kLetters) : random.pick(kSymbols));
  const double style = random.uniform(0, 1);
  if (style < 0.25) {
    // A bare glyph in the text or accent colour.
    const Color ink = random.chance(0.5) ? theme.accent : theme.muted;
    SceneNode glyph = screen.text(box, mark, side_dp * 0.6, ink, Gravity::kCenter);
    glyph.in_tree = false;
    return glyph;
  }
  // A filled disc or rounded square: the accent, any colour, or a faint tint of the page; or a
  // ring (a disc with a smaller one of the page's colour inside), as line-art icons are drawn.
  const bool ring = style > 0.75;
  const Color fill = ring || random.chance(0.4) ? theme.accent
                     : random.chance(0.5)       ? theme.surface_variant
                                                : random_colour(random);
  const double corner = random.chance(0.6) ? side_dp / 2 : side_dp * random.uniform(0.1, 0.3);
  SceneNode node = screen.block(box, ring && random.chance(0.5) ? theme.muted : fill, corner,
                                "android.widget.ImageView");
  node.in_tree = random.chance(0.6);
  Color ink = ink_on(fill);
  if (ring) {
    const int width = std::max(1, screen.px(random.uniform(1, 2.5)));
    const Rect inner{box.left + width, box.top + width, box.right - width, box.bottom - width};
    SceneNode hole =
        screen.block(inner, theme.background, corner * inner.width() / std::max(1, box.width()));
    hole.in_tree = false;
    node.children.push_back(std::move(hole));
    ink = random.chance(0.5) ? theme.on_surface : theme.accent;
  }
  SceneNode glyph = screen.text(box, mark, side_dp * random.uniform(0.35, 0.55), ink,
                                Gravity::kCenter, random.chance(0.5));
  glyph.in_tree = false;
  node.children.push_back(std::move(glyph));
  return node;
}

SceneNode photo(ScreenBuilder& screen, const Rect& bounds, double corner_dp) {
  RandomSource& random = screen.random();
  SceneNode node =
      screen.block(bounds, random_colour(random), corner_dp, "android.widget.ImageView");
  node.in_tree = random.chance(0.7);
  if (random.chance(0.2)) {
    // A tiled wall, a window, a chart: a grid of thin lines over the photo.
    const Color line = random_colour(random);
    const int step = std::max(4, screen.px(random.uniform(18, 48)));
    const int width = std::max(1, screen.px(random.uniform(0.5, 2)));
    for (int x = bounds.left + step; x + width < bounds.right; x += step) {
      SceneNode l = screen.block(Rect{x, bounds.top, x + width, bounds.bottom}, line);
      l.in_tree = false;
      node.children.push_back(std::move(l));
    }
    for (int y = bounds.top + step; y + width < bounds.bottom; y += step) {
      SceneNode l = screen.block(Rect{bounds.left, y, bounds.right, y + width}, line);
      l.in_tree = false;
      node.children.push_back(std::move(l));
    }
    return node;
  }
  const int shapes = random.between(1, 5);
  for (int i = 0; i < shapes; ++i) {
    const int w = std::max(2, static_cast<int>(bounds.width() * random.uniform(0.15, 0.7)));
    const int h = random.chance(0.4)
                      ? w
                      : std::max(2, static_cast<int>(bounds.height() * random.uniform(0.15, 0.7)));
    const int x = bounds.left + random.between(0, std::max(0, bounds.width() - w));
    const int y =
        bounds.top + random.between(0, std::max(0, bounds.height() - std::min(h, bounds.height())));
    const Rect r{x, y, x + w, std::min(bounds.bottom, y + h)};
    const double side_dp = std::min(r.width(), r.height()) * 160.0 / screen.geometry().density;
    SceneNode shape = screen.block(r, random_colour(random), random.chance(0.4) ? side_dp / 2 : 0);
    shape.in_tree = false;
    node.children.push_back(std::move(shape));
  }
  return node;
}

}  // namespace uiw::sim::synth
