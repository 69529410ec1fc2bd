#pragma once
// The labelled controls of a synthetic screen: checkboxes, switches and radios in the screen's
// design system, buttons in their emphasis, close marks. Each is made as the node a real app's
// view would dump (class, resource id, checkable/checked, text, content-desc) and labelled with
// the box of what is drawn.
#include <optional>
#include <string>

#include "detectors/rect.h"
#include "simdevice/scene.h"
#include "simdevice/synth/screen_builder.h"

namespace uiw::sim::synth {

enum class ButtonEmphasis {
  kFilled,    // the accent (or a given colour) fill
  kTonal,     // a grey fill: filled, but de-emphasised
  kOutlined,  // an outline, accent text
  kText,      // accent text only
};

enum class CloseMarkLook {
  kBareCross,     // × alone
  kCircledCross,  // ⊗
  kCrossOnDisc,   // × on a translucent dark disc, as ad SDKs draw it
};

struct CloseMarkSpec {
  double size_dp = 24;  // the visible mark
  CloseMarkLook look = CloseMarkLook::kBareCross;
  Color color{0xFF, 0xFF, 0xFF, 255};
  double opacity = 1.0;  // faint marks: 0.25–0.5
};

class WidgetFactory {
 public:
  explicit WidgetFactory(ScreenBuilder& screen) : screen_(screen) {}

  // A checkbox, switch or radio without text in its touch target `bounds`, its label a sibling.
  // `style` defaults to the theme's for the glyph.
  SceneNode toggle(Glyph glyph, bool checked, const detectors::Rect& bounds);
  // A CheckBox / RadioButton carrying its own label (glyph at the start), or, in the trailing
  // check style, a CheckedTextView with the ✓ at the end.
  SceneNode labelled_toggle(Glyph glyph, bool checked, const detectors::Rect& bounds,
                            std::string text, double sp);
  // The drawn box of a toggle made by the two calls above (empty for an unchecked trailing check,
  // which draws nothing).
  detectors::Rect drawn_box(const SceneNode& toggle) const;

  SceneNode button(ButtonEmphasis emphasis, const detectors::Rect& bounds, std::string text,
                   std::optional<Color> fill = std::nullopt);
  // A close control centred on (x, y): an ImageView with content-desc "close" or an iv_close id.
  SceneNode close_mark(int centre_x, int centre_y, const CloseMarkSpec& spec);

 private:
  WidgetStyle style_for(Glyph glyph) const;
  SceneNode make_toggle(Glyph glyph, bool checked, const detectors::Rect& bounds) const;
  void label_toggle(const SceneNode& node);

  ScreenBuilder& screen_;
};

// Material 2 writes Latin button labels in capitals.
std::string button_caption(const ScreenBuilder& screen, std::string_view text);

}  // namespace uiw::sim::synth
