#pragma once
// Connected components with their bounding boxes and areas, as the pixel detectors cut a frame
// into regions. cv::connectedComponentsWithStats also sums every pixel's coordinates in double
// precision for the centroids, which none of them use: on a 1080×2400 frame that costs as much
// as the labelling itself.
#include <opencv2/core.hpp>

namespace uiw::detectors {

// Labels the non-zero pixels of `mask` (CV_8UC1) exactly as cv::connectedComponents does
// (`labels` CV_32S, 0 for zero pixels) and fills `stats` as cv::connectedComponentsWithStats
// does: one CV_32S row per label, indexed by cv::CC_STAT_LEFT, TOP, WIDTH, HEIGHT and AREA.
// Row 0 is the zero pixels' (all 0 when there are none). Returns the number of labels, row 0
// included.
int connected_regions(const cv::Mat& mask, int connectivity, cv::Mat& labels, cv::Mat& stats);

}  // namespace uiw::detectors
