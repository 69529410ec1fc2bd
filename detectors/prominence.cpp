#include "detectors/prominence.h"

#include <algorithm>

namespace uiw::detectors {

Prominence prominence(const cv::Mat& bgr, const Rect& control) {
  Prominence p;
  if (bgr.empty()) return p;
  const Rect clipped = control.intersect(Rect{0, 0, bgr.cols, bgr.rows});
  p.area = static_cast<double>(clipped.area());
  const ElementContrast c = element_contrast(bgr, clipped);
  p.contrast = c.ratio;
  const cv::Vec3b& f = c.foreground;
  const int hi = std::max({f[0], f[1], f[2]});
  const int lo = std::min({f[0], f[1], f[2]});
  p.saturation = hi > 0 ? static_cast<double>(hi - lo) / hi : 0.0;
  p.score = p.area * p.contrast * (1.0 + p.saturation);
  return p;
}

double prominence_ratio(const Prominence& decline, const Prominence& accept) {
  return accept.score > 0 ? decline.score / accept.score : 0.0;
}

}  // namespace uiw::detectors
