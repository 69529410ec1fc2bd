#include "detectors/text_line_finder.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace uiw::detectors {

std::vector<Rect> TextLineFinder::find(const cv::Mat& image, const Rect& region_in) const {
  std::vector<Rect> lines;
  const Rect region = region_in.intersect(Rect{0, 0, image.cols, image.rows});
  if (image.empty() || region.width() < 8 || region.height() < 8) return lines;
  cv::Mat grey;
  cv::cvtColor(image(cv::Rect(region.left, region.top, region.width(), region.height())), grey,
               image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  // Half resolution is plenty to find lines ≥ 7 dp and four times cheaper.
  const double dp = density_dpi / 160.0;
  const double scale = dp >= 2 ? 0.5 : 1.0;
  if (scale < 1) cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_AREA);
  const double px = dp * scale;  // one dp in the working image

  // Strokes: strong local gradients, whatever the polarity.
  cv::Mat grad, strokes;
  cv::morphologyEx(grey, grad, cv::MORPH_GRADIENT,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  cv::threshold(grad, strokes, 40, 255, cv::THRESH_BINARY);
  // Letters of a line merge when gaps up to ~a letter wide are closed horizontally.
  const int join = std::max(3, static_cast<int>(std::lround(5 * px)));
  cv::morphologyEx(strokes, strokes, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(join, 1)));
  std::vector<std::vector<cv::Point>> contours;
  // Outer contours at every nesting level (a label inside a pill button is an outer contour
  // inside the button's hole), never the holes themselves (the counters of 日 or 0).
  std::vector<cv::Vec4i> hierarchy;
  cv::findContours(strokes, contours, hierarchy, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
  const double min_h = min_height_dp * px, max_h = max_height_dp * px;
  for (size_t i = 0; i < contours.size(); ++i) {
    int depth = 0;
    for (int p = hierarchy[i][3]; p >= 0; p = hierarchy[p][3]) ++depth;
    if (depth % 2 == 1) continue;
    const auto& c = contours[i];
    const cv::Rect b = cv::boundingRect(c);
    if (b.height < min_h || b.height > max_h || b.width < b.height * 0.8) continue;
    if (max_aspect > 0 && b.width > b.height * max_aspect) continue;
    // Text fills its box with strokes but not solidly (a filled button or photo does).
    const double fill = cv::countNonZero(strokes(b)) / static_cast<double>(b.area());
    if (fill < 0.15 || fill > 0.95) continue;
    const int pad = std::max(2, b.height / 4);  // ink_of() undoes it
    Rect r{region.left + static_cast<int>((b.x - pad) / scale),
           region.top + static_cast<int>((b.y - pad) / scale),
           region.left + static_cast<int>((b.x + b.width + pad) / scale),
           region.top + static_cast<int>((b.y + b.height + pad) / scale)};
    lines.push_back(r.intersect(region));
  }
  // A box holding another box's centre is the outline around that text (a button): keep the
  // text.
  std::vector<Rect> inner;
  for (const Rect& a : lines) {
    const bool holds = std::any_of(lines.begin(), lines.end(), [&](const Rect& b) {
      return &a != &b && b.area() < a.area() && a.contains(b.center_x(), b.center_y());
    });
    if (!holds) inner.push_back(a);
  }
  lines = std::move(inner);
  if (lines.size() > max_lines) {
    // The biggest lines (titles, button labels), and the two lowest whatever their size: a
    // small decline link ("No thanks", "不了，谢谢") sits under everything else.
    std::sort(lines.begin(), lines.end(),
              [](const Rect& a, const Rect& b) { return a.bottom > b.bottom; });
    const size_t lowest = std::min<size_t>(2, max_lines);
    std::partial_sort(lines.begin() + lowest, lines.begin() + max_lines, lines.end(),
                      [](const Rect& a, const Rect& b) { return a.area() > b.area(); });
    lines.resize(max_lines);
  }
  std::sort(lines.begin(), lines.end(), [](const Rect& a, const Rect& b) {
    return a.top != b.top ? a.top < b.top : a.left < b.left;
  });
  return lines;
}

}  // namespace uiw::detectors
