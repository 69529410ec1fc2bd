#pragma once
// A readable outline of a UI hierarchy, one node per line, indented by depth: what a test
// engineer wants to see when writing selectors against a dump.
#include <string>

#include "detectors/ui_tree.h"

namespace uiw::harness {

std::string tree_outline(const detectors::UiTree& tree);

}  // namespace uiw::harness
