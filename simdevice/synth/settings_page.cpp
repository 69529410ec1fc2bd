// A settings list: the user's current choices. Only an option that should start off wherever it
// is (a default-on topic, CON-02) is labelled a DEFAULT CHOICE when it is on.
#include <array>
#include <string>

#include "simdevice/synth/category.h"
#include "simdevice/synth/distractors.h"
#include "simdevice/synth/page_chrome.h"
#include "simdevice/synth/screen_kinds.h"
#include "simdevice/synth/widget_factory.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

// How the rows sit: full width on the page, or inset on rounded cards (iOS, MIUI grouped lists).
struct ListLayout {
  int left = 0;
  int right = 0;
  bool grouped = false;
  bool dividers = true;
  double icon_dp = 0;  // a leading icon on every titled row, this big (0: none)
};

class SettingsList {
 public:
  SettingsList(ScreenBuilder& screen, ListLayout layout)
      : screen_(screen), widgets_(screen), layout_(layout), y_(screen.top() + screen.px(8)) {}

  bool has_room(double row_dp) const { return y_ + screen_.px(row_dp) <= screen_.bottom(); }

  void section_header() {
    const int h = screen_.px(40);
    const Color ink = screen_.random().chance(0.5) ? screen_.theme().accent : screen_.theme().muted;
    screen_.layer().nodes.push_back(screen_.text(
        Rect{layout_.left + screen_.px(16), y_, layout_.right, y_ + h},
        screen_.pick_fresh_text(screen_.phrases().section_headers), 13, ink, Gravity::kLeft, true));
    y_ += h;
  }

  // A label (and maybe a summary) with a switch or checkbox at the row's end.
  void toggle_row(Glyph glyph) {
    const OptionPhrase& option = screen_.pick_fresh(screen_.phrases().settings_options);
    const bool two_lines = screen_.random().chance(0.35);
    const Rect row = next_row(two_lines ? 72 : 56);
    const bool checked = screen_.random().chance(0.5);
    SceneNode container = row_container(row);
    if (glyph == Glyph::kCheckbox &&
        screen_.theme().checkbox_style == WidgetStyle::kTrailingCheck) {
      container.children.push_back(
          widgets_.labelled_toggle(glyph, checked, inset(row), std::string(option.text), 16));
    } else {
      const int w = screen_.px(glyph == Glyph::kSwitch ? 64 : 48);
      const int h = screen_.px(48);
      const int right = row.right - screen_.px(8);
      const Rect widget{right - w, row.center_y() - h / 2, right, row.center_y() - h / 2 + h};
      add_titles(container, Rect{row.left, row.top, widget.left, row.bottom},
                 std::string(option.text), two_lines);
      container.children.push_back(widgets_.toggle(glyph, checked, widget));
    }
    if (checked && option.default_on_topic) screen_.label(category::kDefaultChoice, row);
    finish_row(std::move(container));
  }

  // A single choice among 2–4 options: exactly one checked.
  void choice_group() {
    const int count = screen_.random().between(2, 4);
    const int chosen = screen_.random().between(0, count - 1);
    const auto choices = screen_.phrases().choice_labels;
    const int first = screen_.random().between(0, static_cast<int>(choices.size()) - count);
    const bool radio_first = screen_.theme().system->name.starts_with("material") ||
                             screen_.theme().system->name == "holo";
    // iOS-like lists mark the chosen row with a trailing ✓ (a CheckedTextView).
    const bool trailing_checks =
        screen_.theme().checkbox_style == WidgetStyle::kTrailingCheck && !radio_first;
    for (int i = 0; i < count && has_room(52); ++i) {
      const Rect row = next_row(52);
      SceneNode container = row_container(row);
      const std::string text(choices[first + i]);
      if (trailing_checks) {
        container.children.push_back(
            widgets_.labelled_toggle(Glyph::kCheckbox, i == chosen, inset(row), text, 16));
      } else if (radio_first) {
        container.children.push_back(
            widgets_.labelled_toggle(Glyph::kRadio, i == chosen, inset(row), text, 16));
      } else {
        const int s = screen_.px(48);
        const int right = row.right - screen_.px(8);
        const Rect widget{right - s, row.center_y() - s / 2, right, row.center_y() - s / 2 + s};
        add_titles(container, Rect{row.left, row.top, widget.left, row.bottom}, text, false);
        container.children.push_back(widgets_.toggle(Glyph::kRadio, i == chosen, widget));
      }
      finish_row(std::move(container));
    }
  }

  // A row that opens another page: a label, maybe a value, and a chevron.
  void navigation_row() {
    const Rect row = next_row(56);
    SceneNode container = row_container(row);
    const int chevron = screen_.px(32);
    add_titles(container, Rect{row.left, row.top, row.right - chevron * 3, row.bottom},
               screen_.pick_fresh_text(screen_.phrases().section_headers), false);
    container.children.push_back(screen_.text(
        Rect{row.right - chevron * 3, row.top, row.right - screen_.px(12), row.bottom},
        screen_.random().chance(0.5) ? ">" : screen_.pick_text(screen_.phrases().choice_labels), 14,
        screen_.theme().muted, Gravity::kRight));
    finish_row(std::move(container));
  }

  void gap() { y_ += screen_.px(layout_.grouped ? 20 : 8); }

 private:
  Rect next_row(double height_dp) {
    const Rect row{layout_.left, y_, layout_.right, y_ + screen_.px(height_dp)};
    y_ = row.bottom;
    return row;
  }

  Rect inset(const Rect& row) const {
    return Rect{row.left + screen_.px(8), row.top, row.right - screen_.px(8), row.bottom};
  }

  SceneNode row_container(const Rect& row) const {
    SceneNode container = layout_.grouped ? screen_.block(row, screen_.theme().surface, 0,
                                                          "android.widget.LinearLayout")
                                          : screen_.view("android.widget.LinearLayout", row);
    container.ui.clickable = true;
    return container;
  }

  void add_titles(SceneNode& container, const Rect& area, std::string title, bool two_lines) const {
    int text_left = area.left + screen_.px(16);
    if (layout_.icon_dp > 0) {
      const int side = screen_.px(layout_.icon_dp);
      const int top = area.center_y() - side / 2;
      container.children.push_back(
          icon(screen_, Rect{text_left, top, text_left + side, top + side}));
      text_left += side + screen_.px(16);
    }
    const Rect text_area{text_left, area.top, area.right - screen_.px(8), area.bottom};
    if (!two_lines) {
      SceneNode t = screen_.text(text_area, std::move(title), 16, screen_.theme().on_surface);
      t.ui.resource_id = "android:id/title";
      container.children.push_back(std::move(t));
      return;
    }
    const int mid = area.top + area.height() * 11 / 20;
    SceneNode t = screen_.text(Rect{text_area.left, area.top + screen_.px(8), text_area.right, mid},
                               std::move(title), 16, screen_.theme().on_surface);
    t.ui.resource_id = "android:id/title";
    SceneNode s = screen_.text(
        Rect{text_area.left, mid, text_area.right, area.bottom - screen_.px(8)},
        screen_.pick_text(screen_.phrases().option_summaries), 13, screen_.theme().muted);
    s.ui.resource_id = "android:id/summary";
    container.children.push_back(std::move(t));
    container.children.push_back(std::move(s));
  }

  void finish_row(SceneNode container) {
    if (layout_.dividers) {
      const Rect& r = container.ui.bounds;
      SceneNode line = screen_.block(Rect{r.left + screen_.px(16), r.bottom - 1, r.right, r.bottom},
                                     screen_.theme().divider);
      line.in_tree = false;
      container.children.push_back(std::move(line));
    }
    screen_.layer().nodes.push_back(std::move(container));
  }

  ScreenBuilder& screen_;
  WidgetFactory widgets_;
  ListLayout layout_;
  int y_;
};

enum class RowKind { kSwitch, kCheckbox, kChoices, kNavigation };

}  // namespace

void build_settings_page(ScreenBuilder& screen) {
  add_toolbar(screen, screen.pick_text(screen.phrases().page_titles));
  ListLayout layout;
  layout.grouped = screen.theme().system->name == "ios" || screen.random().chance(0.2);
  layout.left = layout.grouped ? screen.px(16) : 0;
  layout.right = screen.width() - layout.left;
  layout.dividers = screen.random().chance(0.6);
  if (screen.random().chance(0.45)) layout.icon_dp = screen.random().uniform(20, 40);
  SettingsList list(screen, layout);
  // Mostly switches, as settings pages are; the mix varies from page to page.
  const std::array<double, 4> weights = {screen.random().uniform(0.4, 0.8),
                                         screen.random().uniform(0.05, 0.3), 0.08, 0.14};
  int rows_in_section = 0;
  int section_length = screen.random().between(2, 5);
  if (screen.random().chance(0.6)) list.section_header();
  while (list.has_room(72)) {
    if (rows_in_section == section_length) {
      list.gap();
      if (!list.has_room(112)) break;
      if (screen.random().chance(0.7)) list.section_header();
      rows_in_section = 0;
      section_length = screen.random().between(2, 5);
    }
    switch (static_cast<RowKind>(screen.random().weighted(weights))) {
      case RowKind::kSwitch:
        list.toggle_row(Glyph::kSwitch);
        break;
      case RowKind::kCheckbox:
        list.toggle_row(Glyph::kCheckbox);
        break;
      case RowKind::kChoices:
        list.choice_group();
        break;
      case RowKind::kNavigation:
        list.navigation_row();
        break;
    }
    ++rows_in_section;
  }
}

}  // namespace uiw::sim::synth
