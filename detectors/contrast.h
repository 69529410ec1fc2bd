#pragma once
// WCAG 2.x contrast of an on-screen element against what surrounds it, measured in pixels
// because the tree says nothing about colour (and ad SDK views are not in the tree at all).
#include <opencv2/core.hpp>

#include "detectors/rect.h"

namespace uiw::detectors {

// WCAG 2.x relative luminance of an sRGB colour given as BGR (0 black … 1 white).
double relative_luminance(const cv::Vec3b& bgr);
// WCAG 2.x contrast ratio (1 … 21), symmetric.
double contrast_ratio(const cv::Vec3b& a, const cv::Vec3b& b);

struct ElementContrast {
  cv::Vec3b foreground;     // dominant colour of the element's ink (text, glyph, or its fill)
  cv::Vec3b background;     // dominant colour of the ring just outside the element
  double ratio = 1.0;       // contrast_ratio(foreground, background)
  double ink_fraction = 0;  // share of the element's pixels that differ from the background
};

// The element's ink is what inside `element` differs most from the surrounding ring's median
// colour; taking the median of the strongest pixels only (not the mean) keeps anti-aliased edges
// from pulling the colour toward the background. A uniform element has ratio 1.
// `element` is clipped to the image; an element outside it gives ratio 1. `image`: 8-bit BGR,
// BGRA or grey.
ElementContrast element_contrast(const cv::Mat& image, const Rect& element);

}  // namespace uiw::detectors
