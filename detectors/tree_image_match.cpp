#include "detectors/tree_image_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

// Text nodes sampled for the content check: enough for a verdict, few enough to cost nothing.
constexpr size_t kMaxTextNodes = 40;
// Grey-level spread under which a text node's box holds no text.
constexpr double kBlankStdDev = 3.0;

}  // namespace

std::optional<std::string> tree_mismatch(const UiTree& tree, const cv::Mat& image) {
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty() || tree.roots().empty()) return std::nullopt;
  Rect u = tree.roots().front().bounds;
  for (const UiNode& r : tree.roots())
    u = Rect{std::min(u.left, r.bounds.left), std::min(u.top, r.bounds.top),
             std::max(u.right, r.bounds.right), std::max(u.bottom, r.bounds.bottom)};
  const Rect screen{0, 0, bgr.cols, bgr.rows};
  // A few px of slack: some devices report windows one px past the display.
  if (u.right > bgr.cols + 4 || u.bottom > bgr.rows + 4 || u.left < -4 || u.top < -4)
    return fmt::format("its windows span {} but the image is {}×{} px", u.to_bounds_string(),
                       bgr.cols, bgr.rows);
  // A dialog's dump is its window only, but even a dialog spans more than half the screen one
  // way; a tree at most half the image both ways is a smaller screen's.
  if (u.width() * 2 <= bgr.cols && u.height() * 2 <= bgr.rows)
    return fmt::format("its windows span only {} of a {}×{} px image", u.to_bounds_string(),
                       bgr.cols, bgr.rows);
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  size_t texts = 0, blank = 0;
  tree.visit([&](const UiNode& n, int) {
    if (texts >= kMaxTextNodes || n.text.empty()) return;
    const Rect box = n.bounds.intersect(screen);
    if (box.width() < 4 || box.height() < 4) return;
    ++texts;
    cv::Scalar mean, dev;
    cv::meanStdDev(gray(to_cv(box)), mean, dev);
    blank += dev[0] < kBlankStdDev;
  });
  if (texts >= 3 && blank * 2 > texts)
    return fmt::format("{} of its {} text nodes lie on blank pixels", blank, texts);
  return std::nullopt;
}

}  // namespace uiw::detectors
