#pragma once
// Does a dump describe this screenshot? A tree taken at another moment, on another device or
// for another image labels the wrong pixels, and every rule reading it would be wrong; the
// user should hear so before trusting a result.
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "detectors/ui_tree.h"

namespace uiw::detectors {

// Why the tree does not fit the image, or none when it fits: its windows reach beyond the
// image or cover less than half of it (size), or most of its text nodes lie on blank pixels
// (content: a label is ink on a background; a flat box means the image shows something else).
std::optional<std::string> tree_mismatch(const UiTree& tree, const cv::Mat& image);

}  // namespace uiw::detectors
