#pragma once
// Anti-aliased shapes are drawn as coverage masks first and blended in one place, so every shape
// (text backgrounds, glyphs, styled widgets) gets anti-aliasing and alpha the same way.
#include <opencv2/core.hpp>

#include "simdevice/scene.h"

namespace uiw::sim {

// Blends `color` into `dst` (CV_8UC3 BGR) through `mask` (CV_8UC1 coverage 0..255, same size),
// scaled by the colour's own alpha.
void blend_mask(cv::Mat& dst, const cv::Mat& mask, Color color);

}  // namespace uiw::sim
