#include "detectors/frame.h"

#include <opencv2/imgproc.hpp>

namespace uiw::detectors {

cv::Mat as_bgr(const cv::Mat& image) {
  if (image.empty() || image.depth() != CV_8U) return {};
  if (image.channels() == 3) return image;
  cv::Mat out;
  if (image.channels() == 4) {
    cv::cvtColor(image, out, cv::COLOR_BGRA2BGR);
  } else if (image.channels() == 1) {
    cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
  }
  return out;
}

double iou(const Rect& a, const Rect& b) {
  const long inter = a.intersect(b).area();
  const long uni = a.area() + b.area() - inter;
  return uni > 0 ? static_cast<double>(inter) / static_cast<double>(uni) : 0.0;
}

bool Frame::tree_is_complete() const {
  if (!tree) return false;
  bool text = false, webview = false;
  tree->visit([&](const UiNode& n, int) {
    text |= !n.text.empty() || !n.content_desc.empty();
    webview |= n.class_name.find("WebView") != std::string::npos;
  });
  return text && !webview;
}

}  // namespace uiw::detectors
