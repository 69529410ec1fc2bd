#pragma once
// The look of one synthetic screen: a design system, light or dark, a brand palette, and the
// surface, text and divider colours that go with them.
#include "simdevice/scene.h"
#include "simdevice/synth/design_system.h"
#include "simdevice/synth/random_source.h"

namespace uiw::sim::synth {

struct Theme {
  const DesignSystem* system = nullptr;
  WidgetStyle switch_style = WidgetStyle::kMaterial2;
  WidgetStyle checkbox_style = WidgetStyle::kMaterial2;
  WidgetStyle radio_style = WidgetStyle::kMaterial2;
  bool dark = false;
  Color background;       // the page
  Color surface;          // cards, dialogs, sheets, toolbars
  Color surface_variant;  // grouped-list backdrops, grey buttons, image placeholders
  Color on_surface;       // primary text
  Color muted;            // secondary text, section headers
  Color divider;
  Color accent;         // the brand colour: filled buttons, checked boxes
  Color on_accent;      // text on the accent
  Color switch_accent;  // a switch's on colour (iOS green on iOS, else the accent)
  Color second_accent;  // another brand colour, for the second of two filled buttons

  static Theme draw(RandomSource& random);
};

}  // namespace uiw::sim::synth
