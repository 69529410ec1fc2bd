#include "detectors/connected_regions.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace uiw::detectors {

int connected_regions(const cv::Mat& mask, int connectivity, cv::Mat& labels, cv::Mat& stats) {
  const int n = cv::connectedComponents(mask, labels, connectivity, CV_32S);
  stats.create(n, cv::CC_STAT_MAX, CV_32S);
  stats.setTo(0);
  // Runs of one label along a row update its box and area once.
  for (int y = 0; y < labels.rows; ++y) {
    const int* row = labels.ptr<int>(y);
    for (int x = 0; x < labels.cols;) {
      const int l = row[x];
      int end = x + 1;
      while (end < labels.cols && row[end] == l) ++end;
      int* s = stats.ptr<int>(l);
      if (s[cv::CC_STAT_AREA] == 0) {  // first seen: rows are scanned top down
        s[cv::CC_STAT_LEFT] = x;
        s[cv::CC_STAT_TOP] = y;
        s[cv::CC_STAT_WIDTH] = end - x;
      } else {
        const int right = std::max(s[cv::CC_STAT_LEFT] + s[cv::CC_STAT_WIDTH], end);
        s[cv::CC_STAT_LEFT] = std::min(s[cv::CC_STAT_LEFT], x);
        s[cv::CC_STAT_WIDTH] = right - s[cv::CC_STAT_LEFT];
      }
      s[cv::CC_STAT_HEIGHT] = y - s[cv::CC_STAT_TOP] + 1;
      s[cv::CC_STAT_AREA] += end - x;
      x = end;
    }
  }
  return n;
}

}  // namespace uiw::detectors
