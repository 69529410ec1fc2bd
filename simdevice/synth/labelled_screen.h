#pragma once
// One generated screen before it is written: the scene (which gives the pixels and the dump) and
// the boxes a labeller would draw on it, in the scene's pixels.
#include <string_view>
#include <vector>

#include "detectors/rect.h"
#include "simdevice/scene.h"

namespace uiw::sim::synth {

struct Annotation {
  std::string_view category;  // one of kCategories
  detectors::Rect box;
};

struct LabelledScreen {
  Scene scene;
  std::vector<Annotation> annotations;
  std::string_view kind;  // which screen builder made it: "settings", "dialog", …
};

}  // namespace uiw::sim::synth
