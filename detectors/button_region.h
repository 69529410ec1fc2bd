#pragma once
// The button a label sits on, found in pixels: pop-up buttons are often drawn by ad SDKs or
// WebViews and absent from the tree, and a button's size and fill, not its label's, decide how
// much it draws the eye (POP-04) and how big a tap target is (POP-02).
#include <opencv2/core.hpp>

#include "detectors/rect.h"

namespace uiw::detectors {

// Grows `label` over the uniform fill around it until the fill ends, staying inside `limit`.
// A label on the same colour as `limit`'s rim (plain text on a card or screen) is not on a
// button: `label` itself is returned. `image`: 8-bit BGR.
Rect button_region(const cv::Mat& image, const Rect& label, const Rect& limit);

}  // namespace uiw::detectors
