// Bottom sheets: privacy choices and "open in the app" prompts (nagging), or a list of actions or
// choices the user opened (not).
#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "simdevice/synth/button_pair.h"
#include "simdevice/synth/category.h"
#include "simdevice/synth/page_chrome.h"
#include "simdevice/synth/screen_kinds.h"
#include "simdevice/synth/widget_factory.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

// The sheet's content, stacked from its top; each piece is added to `sheet` and moves `y`.
class SheetContent {
 public:
  SheetContent(ScreenBuilder& screen, SceneNode& sheet, int y)
      : screen_(screen), widgets_(screen), sheet_(sheet), y_(y) {}

  int y() const { return y_; }
  WidgetFactory& widgets() { return widgets_; }

  void heading(std::string_view title, std::string_view body) {
    const int pad = screen_.px(24), w = screen_.width() - 2 * pad;
    const int title_h = text_block_height(screen_, title, 18, w) + screen_.px(8);
    sheet_.children.push_back(screen_.text(Rect{pad, y_, pad + w, y_ + title_h}, std::string(title),
                                           18, screen_.theme().on_surface, Gravity::kLeft, true));
    y_ += title_h;
    if (body.empty()) return;
    const int body_h = text_block_height(screen_, body, 14, w) + screen_.px(8);
    sheet_.children.push_back(screen_.text(Rect{pad, y_, pad + w, y_ + body_h}, std::string(body),
                                           14, screen_.theme().muted));
    y_ += body_h;
  }

  // A consent switch row; returns the DEFAULT CHOICE box when it is on and about consent.
  Rect switch_row() {
    // Privacy sheets are about data: mostly consent options, now and then a plain one.
    const bool about_data = screen_.random().chance(0.8);
    const OptionPhrase* option = &screen_.pick_fresh(screen_.phrases().settings_options);
    for (int attempt = 0; attempt < 12 && option->consent_topic != about_data; ++attempt) {
      option = &screen_.pick_fresh(screen_.phrases().settings_options);
    }
    const bool on = screen_.random().chance(option->consent_topic ? 0.6 : 0.5);
    const int h = screen_.px(52), pad = screen_.px(24);
    const int control_w = screen_.px(64), control_h = screen_.px(48);
    const Rect control{screen_.width() - pad - control_w + screen_.px(8), y_ + (h - control_h) / 2,
                       screen_.width() - pad + screen_.px(8), y_ + (h - control_h) / 2 + control_h};
    const Rect label{pad, y_, control.left, y_ + h};
    SceneNode toggle = widgets_.toggle(Glyph::kSwitch, on, control);
    const Rect drawn = widgets_.drawn_box(toggle);
    sheet_.children.push_back(
        screen_.text(label, std::string(option->text), 15, screen_.theme().on_surface));
    sheet_.children.push_back(std::move(toggle));
    y_ += h;
    return on && option->consent_topic ? unite(drawn, label) : Rect{};
  }

  void action_row(std::string text) {
    const int h = screen_.px(52), pad = screen_.px(24);
    SceneNode row = screen_.text(Rect{pad, y_, screen_.width() - pad, y_ + h}, std::move(text), 16,
                                 screen_.theme().on_surface);
    row.ui.clickable = true;
    sheet_.children.push_back(std::move(row));
    y_ += h;
  }

  void choice_row(std::string text, bool chosen) {
    const int h = screen_.px(52), pad = screen_.px(16);
    sheet_.children.push_back(widgets_.labelled_toggle(
        Glyph::kRadio, chosen, Rect{pad, y_, screen_.width() - pad, y_ + h}, std::move(text), 16));
    y_ += h;
  }

  void advance(int px) { y_ += px; }

 private:
  ScreenBuilder& screen_;
  WidgetFactory widgets_;
  SceneNode& sheet_;
  int y_;
};

struct SheetOutcome {
  bool nagging = false;
  std::vector<Rect> preselected;
};

using SheetFiller = SheetOutcome (*)(ScreenBuilder&, SheetContent&, SceneNode&);

const PromptPhrase& pick_prompt(ScreenBuilder& screen, PromptKind kind) {
  std::vector<const PromptPhrase*> matching;
  for (const PromptPhrase& p : screen.phrases().prompts) {
    if (p.kind == kind) matching.push_back(&p);
  }
  return *screen.pick(std::span<const PromptPhrase* const>(matching));
}

SheetOutcome add_buttons(ScreenBuilder& screen, SheetContent& content, SceneNode& sheet,
                         const PromptPhrase& prompt, DialogButtons arrangement) {
  ButtonPairLayout buttons(screen, content.widgets(), arrangement);
  const ButtonPair pair = buttons.add(sheet, 0, content.y(), screen.width(),
                                      std::string(prompt.accept), std::string(prompt.decline));
  content.advance(pair.height + screen.px(8));
  SheetOutcome outcome;
  outcome.nagging = true;
  if (pair.highlighted) outcome.preselected.push_back(unite(pair.accept, pair.decline));
  return outcome;
}

// Cookie / privacy choices: switches, mostly on, and "Accept all".
SheetOutcome privacy_choices(ScreenBuilder& screen, SheetContent& content, SceneNode& sheet) {
  const PromptPhrase& prompt = pick_prompt(screen, PromptKind::kConsent);
  content.heading(prompt.title, prompt.body);
  std::vector<Rect> preselected;
  const int rows = screen.random().between(2, 3);
  for (int i = 0; i < rows; ++i) {
    const Rect box = content.switch_row();
    if (!box.empty()) preselected.push_back(box);
  }
  SheetOutcome outcome = add_buttons(screen, content, sheet, prompt, DialogButtons::kStacked);
  outcome.preselected.insert(outcome.preselected.end(), preselected.begin(), preselected.end());
  return outcome;
}

// "Open the app", notifications, sign in: a prompt with stacked buttons.
SheetOutcome prompt_sheet(ScreenBuilder& screen, SheetContent& content, SceneNode& sheet) {
  const PromptPhrase& prompt = pick_prompt(
      screen, screen.random().chance(0.6) ? PromptKind::kPromotion : PromptKind::kPermission);
  content.heading(prompt.title, prompt.body);
  return add_buttons(screen, content, sheet, prompt,
                     screen.random().chance(0.7) ? DialogButtons::kStacked
                                                 : screen.theme().system->dialog_buttons);
}

// Share, copy link, report…: what the user asked for.
SheetOutcome action_list(ScreenBuilder& screen, SheetContent& content, SceneNode&) {
  const auto actions = screen.phrases().sheet_actions;
  const int count = screen.random().between(3, static_cast<int>(actions.size()));
  for (int i = 0; i < count; ++i) content.action_row(std::string(actions[i]));
  return {};
}

// Quality, theme…: one of a few choices, chosen by the user.
SheetOutcome choice_list(ScreenBuilder& screen, SheetContent& content, SceneNode&) {
  content.heading(screen.pick_text(screen.phrases().section_headers), "");
  const auto choices = screen.phrases().choice_labels;
  const int count = screen.random().between(2, 4);
  const int first = screen.random().between(0, static_cast<int>(choices.size()) - count);
  const int chosen = screen.random().between(0, count - 1);
  for (int i = 0; i < count; ++i) content.choice_row(std::string(choices[first + i]), i == chosen);
  return {};
}

constexpr std::array<SheetFiller, 4> kFillers = {privacy_choices, prompt_sheet, action_list,
                                                 choice_list};
constexpr std::array<double, 4> kFillerWeights = {0.35, 0.3, 0.2, 0.15};

}  // namespace

void add_bottom_sheet(ScreenBuilder& screen) {
  const Theme& theme = screen.theme();
  screen.open_popup(screen.random().uniform(0.3, 0.55));
  // Filled in a scratch node first: the sheet's height is known only once its content is.
  // Laid out from the screen's top, then moved down: nothing is clipped on the way.
  const int provisional_top = 0;
  SceneNode content_node = screen.view("android.widget.LinearLayout",
                                       Rect{0, provisional_top, screen.width(), screen.height()});
  SheetContent content(screen, content_node, provisional_top + screen.px(28));
  const SheetFiller filler = kFillers[screen.random().weighted(kFillerWeights)];
  const SheetOutcome outcome = filler(screen, content, content_node);
  const int content_h = content.y() + screen.px(16) - provisional_top;
  const int bottom_inset = screen.height() - screen.bottom();
  const int top = screen.height() - bottom_inset - content_h;

  // Move what was laid out from the provisional top to the real one.
  const int shift = top - provisional_top;
  const std::function<void(SceneNode&)> move = [&](SceneNode& n) {
    n.ui.bounds.top += shift;
    n.ui.bounds.bottom += shift;
    for (SceneNode& c : n.children) move(c);
  };
  move(content_node);
  screen.shift_labels_of_current_layer(shift);

  const Rect visible{0, top, screen.width(), screen.height()};
  const double corner = theme.system->sheet_corner_dp;
  SceneNode sheet = screen.view("android.widget.FrameLayout", visible);
  sheet.ui.resource_id = screen.id("design_bottom_sheet");
  // The surface runs past the screen's bottom so only its top corners are rounded.
  SceneNode surface = screen.block(
      Rect{0, top, screen.width(), screen.height() + screen.px(corner)}, theme.surface, corner);
  surface.in_tree = false;
  sheet.children.push_back(std::move(surface));
  if (theme.system->name == "material3" || screen.random().chance(0.3)) {
    const int w = screen.px(32) / 2, h = screen.px(4);
    SceneNode handle = screen.block(Rect{screen.width() / 2 - w, top + screen.px(12),
                                         screen.width() / 2 + w, top + screen.px(12) + h},
                                    theme.divider, 2);
    handle.in_tree = false;
    sheet.children.push_back(std::move(handle));
  }
  sheet.children.push_back(std::move(content_node));
  screen.layer().nodes.push_back(std::move(sheet));
  screen.cover(visible);

  screen.label(category::kBottomSheet, visible);
  if (outcome.nagging) screen.label(category::kNagging, visible);
  for (Rect box : outcome.preselected) {
    box.top += shift;
    box.bottom += shift;
    screen.label(category::kDefaultChoice, box);
  }
}

}  // namespace uiw::sim::synth
