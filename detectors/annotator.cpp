#include "detectors/annotator.h"

#include <fmt/format.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

cv::Scalar colour(Severity s) {
  switch (s) {
    case Severity::kViolation:
      return {0, 0, 230};  // red
    case Severity::kWarning:
      return {0, 140, 255};  // orange
    case Severity::kInfo:
      return {230, 120, 0};  // blue
  }
  return {0, 0, 230};
}

}  // namespace

std::string short_label(const Finding& f) {
  if (!f.value || !f.threshold) return f.rule;
  const std::string unit = f.unit == ":1" ? ":1" : f.unit.empty() ? "" : " " + f.unit;
  return fmt::format("{} {:.2g}{} < {:g}{}", f.rule, *f.value, unit, *f.threshold, unit);
}

cv::Mat annotate(const cv::Mat& image, const std::vector<Finding>& findings) {
  cv::Mat out = as_bgr(image).clone();
  if (out.empty()) return out;
  // Line and text scale follow the frame size so labels read the same on 540 and 1440 px.
  const double scale = std::max(0.5, out.cols / 900.0);
  const int thickness = std::max(2, static_cast<int>(std::lround(scale * 2)));
  for (const Finding& f : findings) {
    const cv::Scalar c = colour(f.severity);
    for (const Rect& r : f.boxes) {
      const Rect box = r.intersect(Rect{0, 0, out.cols, out.rows});
      if (box.empty()) continue;
      cv::rectangle(out, to_cv(box), c, thickness);
      const std::string label = short_label(f);
      int base = 0;
      const cv::Size ts =
          cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, scale * 0.7, thickness, &base);
      // Above the box when there is room, else inside its top edge.
      int y = box.top - 4 >= ts.height + 4 ? box.top - 4 : box.top + ts.height + 4;
      int x = std::clamp(box.left, 0, std::max(0, out.cols - ts.width - 4));
      cv::rectangle(out, cv::Point(x, y - ts.height - 4), cv::Point(x + ts.width + 4, y + base), c,
                    cv::FILLED);
      cv::putText(out, label, cv::Point(x + 2, y - 2), cv::FONT_HERSHEY_SIMPLEX, scale * 0.7,
                  cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
    }
  }
  return out;
}

}  // namespace uiw::detectors
