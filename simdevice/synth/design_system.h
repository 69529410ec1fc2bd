#pragma once
// A widget design system as an app ships it: how its switches, checkboxes and radios look, how
// its buttons, dialogs and sheets are shaped. A screen draws one, so its widgets are coherent, as
// in a real app (with the odd mixed-in library control: see Theme::draw).
#include <string_view>

#include "simdevice/scene.h"
#include "simdevice/synth/random_source.h"

namespace uiw::sim::synth {

enum class DialogButtons {
  kMaterialRow,  // buttons at the end of a row under the body (Material alert dialogs)
  kStacked,      // full-width buttons, one above the other (consent prompts, Chinese apps)
  kSplitBar,     // two halves of a bar under a hairline (iOS alerts, MIUI)
};

struct DesignSystem {
  std::string_view name;
  WidgetStyle switch_style;
  WidgetStyle checkbox_style;
  WidgetStyle radio_style;
  double button_height_dp;
  double button_corner_dp;  // half the height: pills
  double dialog_corner_dp;
  double sheet_corner_dp;
  bool caps_buttons;  // Material 2 writes Latin button labels in capitals
  DialogButtons dialog_buttons;

  static const DesignSystem& draw(RandomSource& random);
};

}  // namespace uiw::sim::synth
