#pragma once
// What `uiautomator dump` shows for a Scene: the activity's window (with view overlays joined to
// it), or only the topmost dialog window; status bar and nodes marked in_tree=false never appear.
#include "detectors/ui_tree.h"
#include "simdevice/scene.h"

namespace uiw::sim {

detectors::UiTree scene_to_tree(const Scene& scene);

}  // namespace uiw::sim
