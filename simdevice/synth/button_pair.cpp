#include "simdevice/synth/button_pair.h"

#include <algorithm>
#include <array>

#include "simdevice/synth/page_chrome.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;
using E = ButtonEmphasis;

struct WeightedEmphasis {
  E accept;
  E decline;
  bool second_colour;
  double weight;
};

// How often each emphasis comes with each arrangement: Material rows are mostly text buttons,
// stacked consent prompts mostly a filled accept, iOS bars text halves.
constexpr std::array<WeightedEmphasis, 5> kRowEmphasis = {{{E::kFilled, E::kText, false, 0.35},
                                                           {E::kText, E::kText, false, 0.35},
                                                           {E::kFilled, E::kOutlined, false, 0.2},
                                                           {E::kFilled, E::kFilled, true, 0.1},
                                                           {E::kFilled, E::kTonal, false, 0.0}}};
constexpr std::array<WeightedEmphasis, 5> kStackedEmphasis = {
    {{E::kFilled, E::kText, false, 0.35},
     {E::kFilled, E::kTonal, false, 0.25},
     {E::kFilled, E::kOutlined, false, 0.25},
     {E::kFilled, E::kFilled, true, 0.15},
     {E::kText, E::kText, false, 0.0}}};
constexpr std::array<WeightedEmphasis, 5> kSplitEmphasis = {{{E::kText, E::kText, false, 0.5},
                                                             {E::kFilled, E::kTonal, false, 0.3},
                                                             {E::kFilled, E::kOutlined, false, 0.1},
                                                             {E::kFilled, E::kFilled, true, 0.1},
                                                             {E::kFilled, E::kText, false, 0.0}}};

const std::array<WeightedEmphasis, 5>& emphasis_table(DialogButtons arrangement) {
  switch (arrangement) {
    case DialogButtons::kMaterialRow:
      return kRowEmphasis;
    case DialogButtons::kStacked:
      return kStackedEmphasis;
    case DialogButtons::kSplitBar:
      return kSplitEmphasis;
  }
  return kRowEmphasis;
}

bool plain(E e) {
  return e != E::kFilled;
}

}  // namespace

ButtonPairLayout::ButtonPairLayout(ScreenBuilder& screen, WidgetFactory& widgets,
                                   DialogButtons arrangement)
    : screen_(screen), widgets_(widgets), arrangement_(arrangement) {
  const auto& table = emphasis_table(arrangement);
  std::array<double, 5> weights{};
  for (size_t i = 0; i < table.size(); ++i) weights[i] = table[i].weight;
  const WeightedEmphasis& e = table[screen.random().weighted(weights)];
  emphasis_ = Emphasis{e.accept, e.decline, e.second_colour};
}

int ButtonPairLayout::height(int) const {
  const int button = screen_.px(screen_.theme().system->button_height_dp);
  switch (arrangement_) {
    case DialogButtons::kMaterialRow:
      return button + screen_.px(24);
    case DialogButtons::kStacked:
      return 2 * button + screen_.px(36);
    case DialogButtons::kSplitBar:
      return emphasis_.accept == E::kText ? screen_.px(50) : button + screen_.px(32);
  }
  return button;
}

SceneNode ButtonPairLayout::make(ButtonEmphasis emphasis, bool second_colour, const Rect& bounds,
                                 const std::string& text) {
  std::optional<Color> fill;
  if (second_colour) fill = screen_.theme().second_accent;
  SceneNode node = widgets_.button(emphasis, bounds, text, fill);
  node.ui.resource_id = screen_.id(second_colour ? "btn_secondary" : "btn_action");
  return node;
}

ButtonPair ButtonPairLayout::add(SceneNode& card, int left, int top, int width,
                                 const std::string& accept, const std::string& decline) {
  ButtonPair pair;
  switch (arrangement_) {
    case DialogButtons::kMaterialRow:
      pair = add_row(card, left, top, width, accept, decline);
      break;
    case DialogButtons::kStacked:
      pair = add_stacked(card, left, top, width, accept, decline);
      break;
    case DialogButtons::kSplitBar:
      pair = add_split(card, left, top, width, accept, decline);
      break;
  }
  pair.highlighted = !decline.empty() && emphasis_.accept == E::kFilled && plain(emphasis_.decline);
  pair.height = height(width);
  return pair;
}

// Material: buttons at the end of a row, the accept last.
ButtonPair ButtonPairLayout::add_row(SceneNode& card, int left, int top, int width,
                                     const std::string& accept, const std::string& decline) {
  const int h = screen_.px(screen_.theme().system->button_height_dp);
  const int pad = screen_.px(12);
  const auto button_width = [&](const std::string& text) {
    return std::max(screen_.px(64),
                    text_width(screen_, button_caption(screen_, text), 15) + screen_.px(32));
  };
  const int y = top + screen_.px(12);
  int right = left + width - pad;
  ButtonPair pair;
  pair.accept = Rect{right - button_width(accept), y, right, y + h};
  card.children.push_back(make(emphasis_.accept, false, pair.accept, accept));
  if (!decline.empty()) {
    right = pair.accept.left - screen_.px(8);
    pair.decline = Rect{std::max(left + pad, right - button_width(decline)), y, right, y + h};
    card.children.push_back(
        make(emphasis_.decline, emphasis_.second_colour, pair.decline, decline));
  }
  return pair;
}

// Full-width buttons, the accept on top.
ButtonPair ButtonPairLayout::add_stacked(SceneNode& card, int left, int top, int width,
                                         const std::string& accept, const std::string& decline) {
  const int h = screen_.px(screen_.theme().system->button_height_dp);
  const int pad = screen_.px(20);
  ButtonPair pair;
  pair.accept =
      Rect{left + pad, top + screen_.px(12), left + width - pad, top + screen_.px(12) + h};
  card.children.push_back(make(emphasis_.accept, false, pair.accept, accept));
  if (!decline.empty()) {
    const int y = pair.accept.bottom + screen_.px(8);
    pair.decline = Rect{left + pad, y, left + width - pad, y + h};
    card.children.push_back(
        make(emphasis_.decline, emphasis_.second_colour, pair.decline, decline));
  }
  return pair;
}

// Two halves under a hairline (iOS, Holo), or two pills side by side (MIUI), decline first.
ButtonPair ButtonPairLayout::add_split(SceneNode& card, int left, int top, int width,
                                       const std::string& accept, const std::string& decline) {
  ButtonPair pair;
  const bool bar = emphasis_.accept == E::kText;
  const int gap = bar ? 0 : screen_.px(12);
  const int pad = bar ? 0 : screen_.px(20);
  const int h = bar ? screen_.px(50) : screen_.px(screen_.theme().system->button_height_dp);
  const int y = bar ? top : top + screen_.px(16);
  if (bar) {
    SceneNode line = screen_.block(Rect{left, top, left + width, top + 1}, screen_.theme().divider);
    line.in_tree = false;
    card.children.push_back(std::move(line));
  }
  const int inner = width - 2 * pad;
  const int half = decline.empty() ? inner : (inner - gap) / 2;
  pair.accept = Rect{left + width - pad - half, y, left + width - pad, y + h};
  card.children.push_back(make(emphasis_.accept, false, pair.accept, accept));
  if (!decline.empty()) {
    pair.decline = Rect{left + pad, y, left + pad + half, y + h};
    card.children.push_back(
        make(emphasis_.decline, emphasis_.second_colour, pair.decline, decline));
    if (bar) {
      SceneNode line = screen_.block(Rect{pair.decline.right, y, pair.decline.right + 1, y + h},
                                     screen_.theme().divider);
      line.in_tree = false;
      card.children.push_back(std::move(line));
    }
  }
  return pair;
}

}  // namespace uiw::sim::synth
