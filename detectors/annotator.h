#pragma once
// The frame a reviewer looks at: the screenshot with each finding's boxes and a short label
// ("POP-02 12.0 dp < 24 dp") drawn on it, coloured by severity. Saved next to the raw frame,
// never instead of it.
#include <opencv2/core.hpp>
#include <vector>

#include "detectors/finding.h"

namespace uiw::detectors {

// A copy of `image` (8-bit BGR, BGRA or grey) with the findings drawn on it.
cv::Mat annotate(const cv::Mat& image, const std::vector<Finding>& findings);

// "POP-02 12.0 dp < 24 dp", or just the rule when nothing was measured.
std::string short_label(const Finding& finding);

}  // namespace uiw::detectors
