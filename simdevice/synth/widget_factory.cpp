#include "simdevice/synth/widget_factory.h"

#include <algorithm>
#include <cmath>

#include "simdevice/synth/category.h"
#include "simdevice/widget_glyph.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

struct ToggleKind {
  Glyph glyph;
  const char* class_name;
  const char* id;
  std::string_view on;
  std::string_view off;
};

constexpr ToggleKind kToggleKinds[] = {
    {Glyph::kSwitch, "android.widget.Switch", "switch_widget", category::kSwitchOn,
     category::kSwitchOff},
    {Glyph::kCheckbox, "android.widget.CheckBox", "checkbox", category::kCheckboxChecked,
     category::kCheckboxUnchecked},
    {Glyph::kRadio, "android.widget.RadioButton", "radio", category::kRadioChecked,
     category::kRadioUnchecked},
};

const ToggleKind& kind_of(Glyph glyph) {
  for (const ToggleKind& kind : kToggleKinds) {
    if (kind.glyph == glyph) return kind;
  }
  return kToggleKinds[1];
}

bool is_trailing_check(const SceneNode& node) {
  return node.style.glyph == Glyph::kCheckbox &&
         node.style.widget_style == WidgetStyle::kTrailingCheck;
}

// Share of a close node's side its mark covers, as the renderer draws each look (× spans half
// the side plus its stroke; ⊗'s ring 0.8 plus stroke; a disc fills the node).
double visible_share(CloseMarkLook look) {
  switch (look) {
    case CloseMarkLook::kBareCross:
      return 0.58;
    case CloseMarkLook::kCircledCross:
      return 0.86;
    case CloseMarkLook::kCrossOnDisc:
      return 1.0;
  }
  return 1.0;
}

Rect centred(int cx, int cy, int side) {
  return Rect{cx - side / 2, cy - side / 2, cx - side / 2 + side, cy - side / 2 + side};
}

}  // namespace

std::string button_caption(const ScreenBuilder& screen, std::string_view text) {
  std::string out(text);
  if (!screen.theme().system->caps_buttons) return out;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

WidgetStyle WidgetFactory::style_for(Glyph glyph) const {
  const Theme& theme = screen_.theme();
  if (glyph == Glyph::kSwitch) return theme.switch_style;
  if (glyph == Glyph::kRadio) return theme.radio_style;
  return theme.checkbox_style;
}

SceneNode WidgetFactory::toggle(Glyph glyph, bool checked, const Rect& bounds) {
  SceneNode node = make_toggle(glyph, checked, bounds);
  label_toggle(node);
  return node;
}

SceneNode WidgetFactory::make_toggle(Glyph glyph, bool checked, const Rect& bounds) const {
  const ToggleKind& kind = kind_of(glyph);
  SceneNode node = screen_.view(kind.class_name, bounds);
  node.ui.resource_id = glyph == Glyph::kSwitch ? "android:id/switch_widget" : screen_.id(kind.id);
  node.ui.checkable = true;
  node.ui.checked = checked;
  node.ui.clickable = true;
  node.ui.focusable = true;
  node.style.glyph = glyph;
  node.style.widget_style = style_for(glyph);
  // A trailing check alone is a bare mark with nothing when off: as a separate widget it would be
  // invisible, so lone checkboxes in that style are drawn as tick circles.
  if (node.style.widget_style == WidgetStyle::kTrailingCheck) {
    node.style.widget_style = WidgetStyle::kTickCircle;
  }
  node.style.dark_theme = screen_.theme().dark;
  node.style.glyph_color =
      glyph == Glyph::kSwitch ? screen_.theme().switch_accent : screen_.theme().accent;
  return node;
}

SceneNode WidgetFactory::labelled_toggle(Glyph glyph, bool checked, const Rect& bounds,
                                         std::string text, double sp) {
  SceneNode node = make_toggle(glyph, checked, bounds);
  node.ui.text = std::move(text);
  node.style.font_size_sp = sp;
  node.style.text_color = screen_.theme().on_surface;
  node.style.gravity = Gravity::kLeft;
  if (glyph == Glyph::kCheckbox && screen_.theme().checkbox_style == WidgetStyle::kTrailingCheck) {
    node.style.widget_style = WidgetStyle::kTrailingCheck;
    node.ui.class_name = "android.widget.CheckedTextView";
    node.ui.resource_id = "android:id/text1";
  }
  label_toggle(node);
  return node;
}

Rect WidgetFactory::drawn_box(const SceneNode& node) const {
  if (is_trailing_check(node) && !node.ui.checked) return Rect{};
  const Rect area = glyph_area(node.style, node.ui.bounds, !node.ui.text.empty());
  return styled_widget_box(node.style.glyph, node.style.widget_style, area,
                           screen_.geometry().density);
}

void WidgetFactory::label_toggle(const SceneNode& node) {
  const Rect box = drawn_box(node);
  if (box.empty()) return;  // an unchecked trailing check draws nothing to box
  const ToggleKind& kind = kind_of(node.style.glyph);
  screen_.label(node.ui.checked ? kind.on : kind.off, box);
}

SceneNode WidgetFactory::button(ButtonEmphasis emphasis, const Rect& bounds, std::string text,
                                std::optional<Color> fill) {
  const Theme& theme = screen_.theme();
  const DesignSystem& system = *theme.system;
  SceneNode node = screen_.text(bounds, button_caption(screen_, text), 15, theme.accent,
                                Gravity::kCenter, emphasis == ButtonEmphasis::kFilled);
  node.ui.class_name = "android.widget.Button";
  node.ui.clickable = true;
  node.ui.focusable = true;
  node.style.corner_radius_dp =
      std::min(system.button_corner_dp, bounds.height() * 80.0 / screen_.geometry().density);
  std::string_view category = category::kButtonText;
  switch (emphasis) {
    case ButtonEmphasis::kFilled:
      node.style.background = fill.value_or(theme.accent);
      node.style.text_color = fill ? ink_on(*fill) : theme.on_accent;
      category = category::kButtonFilled;
      break;
    case ButtonEmphasis::kTonal:
      node.style.background = fill.value_or(theme.surface_variant);
      node.style.text_color = theme.on_surface;
      category = category::kButtonFilled;
      break;
    case ButtonEmphasis::kOutlined:
      node.style.border = theme.dark ? theme.muted : theme.divider;
      if (screen_.random().chance(0.5)) node.style.border = theme.accent;
      node.style.border_width_dp = 1;
      category = category::kButtonOutlined;
      break;
    case ButtonEmphasis::kText:
      break;
  }
  screen_.label(category, bounds);
  return node;
}

SceneNode WidgetFactory::close_mark(int centre_x, int centre_y, const CloseMarkSpec& spec) {
  const int visible = std::max(4, screen_.px(spec.size_dp));
  const int side = static_cast<int>(std::lround(visible / visible_share(spec.look)));
  SceneNode node = screen_.view("android.widget.ImageView", centred(centre_x, centre_y, side));
  node.ui.clickable = true;
  if (screen_.random().chance(0.6)) {
    node.ui.content_desc = screen_.random().chance(0.5) ? "close" : "关闭";
  }
  if (node.ui.content_desc.empty() || screen_.random().chance(0.5)) {
    node.ui.resource_id = screen_.id(screen_.random().chance(0.5) ? "iv_close" : "btn_close");
  }
  node.style.glyph =
      spec.look == CloseMarkLook::kCircledCross ? Glyph::kCircledCross : Glyph::kCross;
  node.style.glyph_color = spec.color;
  node.style.opacity = spec.opacity;
  if (spec.look == CloseMarkLook::kCrossOnDisc) {
    node.style.background = Color{0, 0, 0, 0x66};
    node.style.corner_radius_dp = spec.size_dp;  // clamped to a circle
  }
  screen_.label(category::kCloseMark, centred(centre_x, centre_y, visible));
  return node;
}

}  // namespace uiw::sim::synth
