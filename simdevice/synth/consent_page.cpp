// Onboarding / sign-up pages asking for a decision: a checked consent option is a DEFAULT CHOICE.
#include <algorithm>
#include <string>

#include "simdevice/synth/category.h"
#include "simdevice/synth/page_chrome.h"
#include "simdevice/synth/screen_kinds.h"
#include "simdevice/synth/widget_factory.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

Color tint(Color c, uint8_t alpha) {
  c.a = alpha;
  return c;
}

// The page's heading: maybe an illustration, a title and a line of explanation; returns the y
// under it.
int add_heading(ScreenBuilder& screen, int y) {
  const Theme& theme = screen.theme();
  const int margin = screen.px(24);
  if (screen.random().chance(0.5)) {
    const int h = screen.px(screen.random().uniform(100, 170));
    SceneNode art = screen.block(Rect{margin, y, screen.width() - margin, y + h},
                                 tint(theme.accent, 40), 16, "android.widget.ImageView");
    art.in_tree = screen.random().chance(0.5);
    screen.layer().nodes.push_back(std::move(art));
    y += h + screen.px(16);
  }
  const std::string title = screen.pick_text(screen.phrases().consent_page_titles);
  const int title_h =
      text_block_height(screen, title, 24, screen.width() - 2 * margin) + screen.px(8);
  screen.layer().nodes.push_back(screen.text(Rect{margin, y, screen.width() - margin, y + title_h},
                                             title, 24, theme.on_surface, Gravity::kLeft, true));
  y += title_h;
  const std::string body = screen.pick_text(screen.phrases().consent_page_bodies);
  const int body_h = text_block_height(screen, body, 15, screen.width() - 2 * margin);
  screen.layer().nodes.push_back(
      screen.text(Rect{margin, y, screen.width() - margin, y + body_h}, body, 15, theme.muted));
  return y + body_h + screen.px(16);
}

// One option the page asks about; returns the y under it.
int add_option(ScreenBuilder& screen, WidgetFactory& widgets, int y, bool as_switch) {
  const Theme& theme = screen.theme();
  const OptionPhrase& option = as_switch ? screen.pick_fresh(screen.phrases().settings_options)
                                         : screen.pick_fresh(screen.phrases().consent_checks);
  const bool checked = screen.random().chance(option.consent_topic ? 0.55 : 0.5);
  const int margin = screen.px(16);
  const int side = screen.px(as_switch ? 64 : 48);
  const int text_w = screen.width() - 2 * margin - side;
  const int h =
      std::max(screen.px(48), text_block_height(screen, option.text, 15, text_w) + screen.px(12));
  const Glyph glyph = as_switch ? Glyph::kSwitch : Glyph::kCheckbox;
  Rect control_box;
  Rect label_box;
  if (!as_switch && theme.checkbox_style != WidgetStyle::kTrailingCheck &&
      screen.random().chance(0.4)) {
    // A CheckBox carrying its own text.
    const Rect bounds{margin, y, screen.width() - margin, y + h};
    SceneNode box = widgets.labelled_toggle(glyph, checked, bounds, std::string(option.text), 15);
    control_box = widgets.drawn_box(box);
    label_box = bounds;
    screen.layer().nodes.push_back(std::move(box));
  } else {
    // A control and a separate label: the switch at the end, a box or tick circle at the start.
    const int cy = y + h / 2;
    const int control_h = screen.px(48);
    const Rect control =
        as_switch ? Rect{screen.width() - margin - side, cy - control_h / 2,
                         screen.width() - margin, cy - control_h / 2 + control_h}
                  : Rect{margin, cy - control_h / 2, margin + side, cy - control_h / 2 + control_h};
    label_box = as_switch ? Rect{margin, y, control.left, y + h}
                          : Rect{control.right, y, screen.width() - margin, y + h};
    SceneNode toggle = widgets.toggle(glyph, checked, control);
    control_box = widgets.drawn_box(toggle);
    SceneNode label = screen.text(label_box, std::string(option.text), 15, theme.on_surface);
    label.ui.clickable = !as_switch;
    screen.layer().nodes.push_back(std::move(toggle));
    screen.layer().nodes.push_back(std::move(label));
  }
  if (checked && option.consent_topic) {
    screen.label(category::kDefaultChoice, unite(control_box, label_box));
  }
  return y + h + screen.px(4);
}

}  // namespace

void build_consent_page(ScreenBuilder& screen) {
  if (screen.random().chance(0.3)) {
    add_toolbar(screen, screen.pick_text(screen.phrases().consent_page_titles));
  } else {
    screen.set_top(screen.top() + screen.px(24));
  }
  WidgetFactory widgets(screen);
  int y = add_heading(screen, screen.top() + screen.px(8));
  const bool as_switches = screen.random().chance(0.3);
  const int options = screen.random().between(2, 4);
  const int button_h = screen.px(screen.theme().system->button_height_dp + 8);
  for (int i = 0; i < options && y + screen.px(120) + button_h < screen.bottom(); ++i) {
    y = add_option(screen, widgets, y, as_switches);
  }
  const int margin = screen.px(24);
  const int button_top =
      screen.random().chance(0.5) ? y + screen.px(24) : screen.bottom() - screen.px(32) - button_h;
  SceneNode go =
      widgets.button(ButtonEmphasis::kFilled,
                     Rect{margin, button_top, screen.width() - margin, button_top + button_h},
                     screen.pick_text(screen.phrases().continue_labels));
  go.ui.resource_id = screen.id("btn_continue");
  screen.layer().nodes.push_back(std::move(go));
}

}  // namespace uiw::sim::synth
