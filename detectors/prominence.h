#pragma once
// How much a control draws the eye, for POP-04 (false visual hierarchy): a decline option far
// less prominent than the accept option. Prominence = area × contrast × (1 + saturation): a big,
// contrasting, saturated button beats small grey text.
#include <opencv2/core.hpp>

#include "detectors/contrast.h"
#include "detectors/rect.h"

namespace uiw::detectors {

struct Prominence {
  double area = 0;        // px² of the control's bounds (clipped to the image)
  double contrast = 1;    // WCAG ratio of its ink/fill against its surroundings
  double saturation = 0;  // HSV saturation (0 … 1) of its dominant colour
  double score = 0;       // area × contrast × (1 + saturation)
};

Prominence prominence(const cv::Mat& bgr, const Rect& control);

// decline.score / accept.score; POP-04 fires when this is below the profile's threshold
// (0.25 in miit-2023). 0 when the accept option scores 0.
double prominence_ratio(const Prominence& decline, const Prominence& accept);

}  // namespace uiw::detectors
