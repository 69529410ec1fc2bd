#pragma once
// What the simulated screen shows at one instant, resolved from the fixture apps and the device
// state: layers from bottom (activity) to top (pop-ups), each a tree of styled nodes. The
// renderer turns a Scene into pixels and the dumper into the uiautomator hierarchy, so the
// screenshot and the dump can never disagree.
#include <cstdint>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detectors/ui_tree.h"

namespace uiw::sim {

struct Color {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Color&) const = default;
};

// Relative luminance, 0 … 1 (Rec. 601 weights): how light a colour looks.
inline double luminance(Color c) {
  return (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255.0;
}

// The ink that reads on `fill`: white on saturated or dark fills, near-black on pale ones.
inline Color ink_on(Color fill) {
  return luminance(fill) > 0.62 ? Color{0x1C, 0x1B, 0x1F, 255} : Color{0xFF, 0xFF, 0xFF, 255};
}

enum class Gravity { kCenter, kLeft, kRight };

// Shapes drawn in pixels without any text, as ad SDKs draw them.
enum class Glyph {
  kNone,
  kCross,         // ×
  kCircledCross,  // ⊗
  kCheckbox,      // box, ticked when the node is checked
  kSwitch,        // track + thumb, on when the node is checked
  kRadio,         // ring, filled when the node is checked
  kArrowLeft,     // ←, a toolbar "up"
};

// The design system a checkbox, switch or radio glyph is drawn in, on and off. kDefault is the
// simulator's own look, which the fixtures and their tests rely on; the others follow the
// platforms' specs so detectors meet the variety of real screens (simdevice/widget_glyph.h).
enum class WidgetStyle {
  kDefault,
  kMaterial2,      // switch: 20 dp thumb over a thinner 14 dp track; filled square; ring + dot
  kMaterial3,      // switch: 52×32 dp track with the thumb inside, outlined when off
  kIos,            // switch: 51×31 pt green pill, white thumb; checkbox: tick circle
  kHolo,           // rectangular switch; outlined square with a tick; thin ring + dot
  kVendorPill,     // MIUI/EMUI: brand-blue pill, white thumb; tick circle; filled radio
  kTickCircle,     // checkbox: filled circle with a tick, a grey ring when off
  kTrailingCheck,  // checkbox: a bare ✓ at the row's end when checked, nothing when not
};

struct NodeStyle {
  std::optional<Color> background;
  Color text_color{0x21, 0x21, 0x21};
  double font_size_sp = 16;
  bool bold = false;
  double corner_radius_dp = 0;
  double opacity = 1.0;  // of the whole node: faint controls
  Gravity gravity = Gravity::kCenter;
  std::optional<Color> border;
  double border_width_dp = 0;
  Glyph glyph = Glyph::kNone;
  std::optional<Color> glyph_color;  // defaults to text_color; the accent of styled widgets
  WidgetStyle widget_style = WidgetStyle::kDefault;
  bool dark_theme = false;  // styled widgets draw their off state in the dark theme's greys
  std::string image_path;   // absolute; drawn scaled into the bounds
};

struct SceneNode {
  detectors::UiNode ui;  // attributes as dumped (ui.children unused: see children)
  NodeStyle style;
  bool in_tree = true;  // false: drawn, but absent from the dump (canvas, WebView, ad image)
  std::vector<SceneNode> children;
};

struct SceneLayer {
  std::string package;
  double dim = 0;                   // opacity of the black backdrop drawn under this layer
  std::optional<Color> background;  // fills the whole screen when set
  bool dialog_window = false;       // a separate window: `uiautomator dump` shows only this one
  cv::Mat recorded_image;           // a recorded real frame, drawn first, scaled to the screen
  std::optional<detectors::UiTree> recorded_tree;  // dumped as is for recorded frames
  std::vector<SceneNode> nodes;
};

struct Scene {
  int width = 1080;
  int height = 2400;
  int density = 420;
  bool status_bar = true;  // drawn (time, battery), never in the dump, as on a phone
  std::string clock_text = "12:00";
  std::vector<SceneLayer> layers;  // bottom first
};

}  // namespace uiw::sim
