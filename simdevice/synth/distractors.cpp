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

}  // namespace

// Hollows `node`, a block over `box`, into a ring `stroke` px wide: a hole of `fill` whose
// corners are `hole_corner_dp`.
void hollow(ScreenBuilder& screen, SceneNode& node, const Rect& box, int stroke, Color fill,
            double hole_corner_dp) {
  const Rect inner{box.left + stroke, box.top + stroke, box.right - stroke, box.bottom - stroke};
  if (inner.width() <= 0 || inner.height() <= 0) return;
  SceneNode hole = screen.block(inner, fill, hole_corner_dp);
  hole.in_tree = false;
  node.children.push_back(std::move(hole));
}

// A ring's outline of `stroke` px in `ink`, its inside `fill`.
SceneNode outline_ring(ScreenBuilder& screen, const Rect& box, int stroke, Color ink, Color fill) {
  const double side_dp = box.width() * 160.0 / screen.geometry().density;
  SceneNode ring = screen.block(box, ink, side_dp / 2);
  ring.in_tree = false;
  hollow(screen, ring, box, stroke, fill, side_dp / 2);
  return ring;
}

// Line art on a disc, as list rows and dark themes draw leading icons (a globe, an eye, waves, a
// person): rings and strokes of one ink placed off the disc's centre, never one ring around a
// dot, which is a radio button.
SceneNode line_art_disc(ScreenBuilder& screen, const Rect& box) {
  RandomSource& random = screen.random();
  const Theme& theme = screen.theme();
  const Color fill = random.chance(0.6) ? theme.surface_variant : theme.muted;
  const double side_dp = box.width() * 160.0 / screen.geometry().density;
  SceneNode disc = screen.block(box, fill, random.chance(0.8) ? side_dp / 2 : side_dp * 0.25,
                                "android.widget.ImageView");
  disc.in_tree = random.chance(0.5);
  const Color ink = random.chance(0.6) ? theme.on_surface : ink_on(fill);
  const int stroke = std::max(1, screen.px(random.uniform(1, 2)));
  const int w = box.width();
  const int strokes = random.between(2, 4);
  for (int i = 0; i < strokes; ++i) {
    const int size = std::max(3, static_cast<int>(w * random.uniform(0.15, 0.5)));
    const int x = box.left + static_cast<int>(w * random.uniform(0.2, 0.8)) - size / 2;
    const int y = box.top + static_cast<int>(w * random.uniform(0.2, 0.8)) - size / 2;
    if (random.chance(0.5)) {
      disc.children.push_back(
          outline_ring(screen, Rect{x, y, x + size, y + size}, stroke, ink, fill));
    } else {
      const bool across = random.chance(0.6);
      const Rect line = across ? Rect{x, y + size / 2, x + size * 2, y + size / 2 + stroke}
                               : Rect{x + size / 2, y, x + size / 2 + stroke, y + size};
      SceneNode l = screen.block(line.intersect(box), ink);
      l.in_tree = false;
      disc.children.push_back(std::move(l));
    }
  }
  return disc;
}

SceneNode icon(ScreenBuilder& screen, const Rect& box) {
  RandomSource& random = screen.random();
  const Theme& theme = screen.theme();
  const double side_dp = box.width() * 160.0 / screen.geometry().density;
  const std::string mark(random.chance(0.5) ? random.pick(kLetters) : random.pick(kSymbols));
  const double style = random.uniform(0, 1);
  if (style < 0.2) return line_art_disc(screen, box);
  if (style < 0.4) {
    // A bare glyph in the text or accent colour.
    const Color ink = random.chance(0.5) ? theme.accent : theme.muted;
    SceneNode glyph = screen.text(box, mark, side_dp * 0.6, ink, Gravity::kCenter);
    glyph.in_tree = false;
    return glyph;
  }
  // A filled disc or rounded square: the accent, any colour, or a faint tint of the page; or a
  // ring (a disc with a smaller one of the page's colour inside), as line-art icons are drawn.
  const bool ring = style > 0.8;
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
    hollow(screen, node, box, width, theme.background,
           corner * (box.width() - 2 * width) / std::max(1, box.width()));
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
