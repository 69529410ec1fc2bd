#pragma once
// DroidBot's state files (`states/state_*.json`: `views[]` with class, bounds [[x1,y1],[x2,y2]],
// checkable/checked, text, resource_id, content_description, parent/children indices) as a
// UiTree. DroidBot is the most used Android UI explorer and its states are what people have
// next to their screenshots, so a state labels its screenshot as a uiautomator dump does.
#include <string>
#include <string_view>

#include "detectors/ui_tree.h"

namespace uiw::detectors {

// Views DroidBot marks invisible are left out, as uiautomator leaves them out of a dump. Throws
// uiw::Error(kParse) naming `source` and the view for anything that is not a DroidBot state
// (no `views` array, a view without class or bounds, a parent index out of range).
UiTree parse_droidbot_state(std::string_view json_text, std::string_view source = "<json>");
UiTree load_droidbot_state(const std::string& path);

// A dump next to a screenshot: `.xml` is read as uiautomator's, `.json` as DroidBot's.
UiTree load_any_tree(const std::string& path);

}  // namespace uiw::detectors
