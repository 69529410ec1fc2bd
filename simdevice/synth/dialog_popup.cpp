// Alert dialogs and rating prompts: a card in a dialog window over a page, dimmed or not.
#include <algorithm>
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

const PromptPhrase& pick_prompt(ScreenBuilder& screen, bool rating) {
  std::vector<const PromptPhrase*> matching;
  for (const PromptPhrase& p : screen.phrases().prompts) {
    if ((p.kind == PromptKind::kRating) == rating) matching.push_back(&p);
  }
  return *screen.pick(std::span<const PromptPhrase* const>(matching));
}

double draw_dim(ScreenBuilder& screen) {
  return screen.random().chance(0.2) ? 0.0 : screen.random().uniform(0.3, 0.65);
}

// The card's parts, measured before anything is placed so the card can be centred.
struct CardPlan {
  int width = 0;
  int pad = 0;
  int title_h = 0;
  int stars_h = 0;
  int body_h = 0;
  int check_h = 0;
  int buttons_h = 0;
  int height() const { return pad + title_h + stars_h + body_h + check_h + buttons_h + pad / 2; }
};

// A check row inside the card ("Don't ask again", "Send me offers"); returns the DEFAULT CHOICE
// box when it is a checked consent option.
Rect add_check_row(ScreenBuilder& screen, WidgetFactory& widgets, SceneNode& card,
                   const Rect& row) {
  const OptionPhrase& option = screen.pick(screen.phrases().consent_checks);
  const bool checked = screen.random().chance(0.55);
  const int side = screen.px(40);
  const Rect control{row.left, row.top, row.left + side, row.bottom};
  SceneNode toggle = widgets.toggle(Glyph::kCheckbox, checked, control);
  const Rect control_box = widgets.drawn_box(toggle);
  const Rect label_box{control.right, row.top, row.right, row.bottom};
  card.children.push_back(std::move(toggle));
  card.children.push_back(
      screen.text(label_box, std::string(option.text), 13, screen.theme().muted));
  return checked && option.consent_topic ? unite(control_box, label_box) : Rect{};
}

// × in the card's corner, or ⊗ under the card as promotions place it.
void add_close(ScreenBuilder& screen, WidgetFactory& widgets, const Rect& card) {
  CloseMarkSpec spec;
  if (screen.random().chance(0.5)) {
    spec.size_dp = screen.random().uniform(12, 24);
    spec.color = screen.theme().muted;
    const int inset = screen.px(12) + screen.px(spec.size_dp) / 2;
    screen.layer().nodes.push_back(widgets.close_mark(card.right - inset, card.top + inset, spec));
    return;
  }
  spec.size_dp = screen.random().uniform(24, 40);
  spec.look = CloseMarkLook::kCircledCross;
  spec.color = Color{0xFF, 0xFF, 0xFF, 255};
  if (screen.random().chance(0.25)) spec.opacity = screen.random().uniform(0.25, 0.5);
  const int gap = screen.px(24) + screen.px(spec.size_dp) / 2;
  screen.layer().nodes.push_back(widgets.close_mark(card.center_x(), card.bottom + gap, spec));
}

CardPlan plan_card(ScreenBuilder& screen, const PromptPhrase& prompt, bool stars, bool nagging,
                   const ButtonPairLayout& buttons) {
  CardPlan plan;
  plan.width = std::min(screen.width() - 2 * screen.px(screen.random().uniform(24, 48)),
                        screen.px(screen.random().uniform(280, 340)));
  plan.pad = screen.px(24);
  const int text_w = plan.width - 2 * plan.pad;
  plan.title_h = text_block_height(screen, prompt.title, 19, text_w) + screen.px(8);
  plan.stars_h = stars ? screen.px(52) : 0;
  plan.body_h = text_block_height(screen, prompt.body, 15, text_w) + screen.px(8);
  plan.check_h = nagging && !stars && screen.random().chance(0.3) ? screen.px(40) : 0;
  plan.buttons_h = buttons.height(plan.width);
  return plan;
}

// Centred across, a little above or below the middle, never under the status bar.
Rect place_card(ScreenBuilder& screen, const CardPlan& plan) {
  const int left = (screen.width() - plan.width) / 2;
  const int centre = static_cast<int>(screen.height() * screen.random().uniform(0.42, 0.55));
  const int top = std::max(screen.top() + screen.px(16), centre - plan.height() / 2);
  return Rect{left, top, left + plan.width, top + plan.height()};
}

SceneNode card_surface(ScreenBuilder& screen, const Rect& bounds, bool nagging, bool dimmed) {
  const Theme& theme = screen.theme();
  SceneNode card = screen.block(bounds, theme.surface, theme.system->dialog_corner_dp,
                                "android.widget.FrameLayout");
  card.ui.resource_id = screen.id(nagging ? "dialog_root" : "parentPanel");
  if (!dimmed) {  // no backdrop: an outline stands in for the elevation shadow
    card.style.border = theme.divider;
    card.style.border_width_dp = 1;
  }
  return card;
}

// A RatingBar in the dump; its stars are drawn, not text.
SceneNode star_row(ScreenBuilder& screen, const Rect& row) {
  const Theme& theme = screen.theme();
  SceneNode bar = screen.view("android.widget.RatingBar", row);
  bar.ui.clickable = true;
  SceneNode drawn =
      screen.text(row, "★★★★★", 30, screen.random().chance(0.5) ? theme.accent : theme.divider,
                  Gravity::kCenter);
  drawn.in_tree = false;
  bar.children.push_back(std::move(drawn));
  return bar;
}

// Title, stars, body and check row stacked in the card; returns the DEFAULT CHOICE box of a
// pre-checked consent row, if any, and moves `y` under them.
Rect add_card_texts(ScreenBuilder& screen, WidgetFactory& widgets, SceneNode& card,
                    const CardPlan& plan, const PromptPhrase& prompt, int& y) {
  const Theme& theme = screen.theme();
  const Rect& bounds = card.ui.bounds;
  const int left = bounds.left + plan.pad, right = bounds.right - plan.pad;
  const bool centred = theme.system->dialog_buttons != DialogButtons::kMaterialRow;
  const Gravity gravity = centred ? Gravity::kCenter : Gravity::kLeft;
  SceneNode title = screen.text(Rect{left, y, right, y + plan.title_h}, std::string(prompt.title),
                                19, theme.on_surface, gravity, true);
  title.ui.resource_id = "android:id/alertTitle";
  card.children.push_back(std::move(title));
  y += plan.title_h;
  if (plan.stars_h > 0) {
    card.children.push_back(star_row(screen, Rect{left, y, right, y + plan.stars_h}));
    y += plan.stars_h;
  }
  SceneNode body = screen.text(Rect{left, y, right, y + plan.body_h}, std::string(prompt.body), 15,
                               theme.muted, gravity);
  body.ui.resource_id = "android:id/message";
  card.children.push_back(std::move(body));
  y += plan.body_h;
  if (plan.check_h == 0) return Rect{};
  const Rect preselected =
      add_check_row(screen, widgets, card, Rect{left - screen.px(8), y, right, y + plan.check_h});
  y += plan.check_h;
  return preselected;
}

void add_prompt(ScreenBuilder& screen, const PromptPhrase& prompt, bool stars) {
  const bool nagging = prompt.kind != PromptKind::kConfirmation;
  const double dim = draw_dim(screen);
  screen.open_popup(dim);
  WidgetFactory widgets(screen);
  ButtonPairLayout buttons(screen, widgets, screen.theme().system->dialog_buttons);
  const CardPlan plan = plan_card(screen, prompt, stars, nagging, buttons);
  const Rect bounds = place_card(screen, plan);
  SceneNode card = card_surface(screen, bounds, nagging, dim > 0);
  int y = bounds.top + plan.pad;
  const Rect preselected = add_card_texts(screen, widgets, card, plan, prompt, y);
  const bool single = !nagging && screen.random().chance(0.1);
  const ButtonPair pair = buttons.add(card, bounds.left, y, plan.width, std::string(prompt.accept),
                                      single ? std::string() : std::string(prompt.decline));
  screen.layer().nodes.push_back(std::move(card));
  screen.cover(bounds);
  if (nagging && screen.random().chance(0.3)) add_close(screen, widgets, bounds);

  screen.label(category::kDialogCard, bounds);
  if (!nagging) return;
  screen.label(category::kNagging, bounds);
  if (!preselected.empty()) screen.label(category::kDefaultChoice, preselected);
  if (pair.highlighted) screen.label(category::kDefaultChoice, unite(pair.accept, pair.decline));
}

}  // namespace

void add_dialog(ScreenBuilder& screen) {
  add_prompt(screen, pick_prompt(screen, false), false);
}

void add_rating_prompt(ScreenBuilder& screen) {
  add_prompt(screen, pick_prompt(screen, true), true);
}

}  // namespace uiw::sim::synth
