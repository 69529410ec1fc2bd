#pragma once
// The accept / decline buttons of a pop-up, laid out as the design system does (a row at the
// end, stacked full-width, or a split bar) in an emphasis drawn per pop-up: filled + text, filled
// + outlined, filled + grey, two filled of different colours, or a text-only pair.
#include <string>

#include "detectors/rect.h"
#include "simdevice/synth/design_system.h"
#include "simdevice/synth/widget_factory.h"

namespace uiw::sim::synth {

struct ButtonPair {
  detectors::Rect accept;
  detectors::Rect decline;  // empty when there is none
  // A filled accept against a plain, outlined or grey decline: the pop-up steers the user.
  bool highlighted = false;
  int height = 0;  // of the whole button area
};

class ButtonPairLayout {
 public:
  ButtonPairLayout(ScreenBuilder& screen, WidgetFactory& widgets, DialogButtons arrangement);

  // The height the buttons will take in a card `width` px wide.
  int height(int width) const;
  // Adds the buttons to `card` in the area starting at (left, top), `width` wide; an empty
  // `decline` gives a single accept button.
  ButtonPair add(SceneNode& card, int left, int top, int width, const std::string& accept,
                 const std::string& decline);

 private:
  struct Emphasis {
    ButtonEmphasis accept;
    ButtonEmphasis decline;
    bool second_colour;  // the decline filled in the theme's second accent
  };

  ButtonPair add_row(SceneNode& card, int left, int top, int width, const std::string& accept,
                     const std::string& decline);
  ButtonPair add_stacked(SceneNode& card, int left, int top, int width, const std::string& accept,
                         const std::string& decline);
  ButtonPair add_split(SceneNode& card, int left, int top, int width, const std::string& accept,
                       const std::string& decline);
  SceneNode make(ButtonEmphasis emphasis, bool second_colour, const detectors::Rect& bounds,
                 const std::string& text);

  ScreenBuilder& screen_;
  WidgetFactory& widgets_;
  DialogButtons arrangement_;
  Emphasis emphasis_;
};

}  // namespace uiw::sim::synth
