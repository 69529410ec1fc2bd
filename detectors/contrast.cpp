#include "detectors/contrast.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

double linearise(int channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// Per-channel median of a list of colours (robust to text and edges in the sample).
cv::Vec3b median_colour(std::vector<cv::Vec3b>& px) {
  cv::Vec3b out(0, 0, 0);
  if (px.empty()) return out;
  std::array<std::vector<uchar>, 3> ch;
  for (auto& c : ch) c.reserve(px.size());
  for (const auto& p : px)
    for (int i = 0; i < 3; ++i) ch[i].push_back(p[i]);
  for (int i = 0; i < 3; ++i) {
    auto mid = ch[i].begin() + static_cast<long>(ch[i].size() / 2);
    std::nth_element(ch[i].begin(), mid, ch[i].end());
    out[i] = *mid;
  }
  return out;
}

int colour_distance2(const cv::Vec3b& a, const cv::Vec3b& b) {
  int d = 0;
  for (int i = 0; i < 3; ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
  return d;
}

}  // namespace

double relative_luminance(const cv::Vec3b& bgr) {
  return 0.2126 * linearise(bgr[2]) + 0.7152 * linearise(bgr[1]) + 0.0722 * linearise(bgr[0]);
}

double contrast_ratio(const cv::Vec3b& a, const cv::Vec3b& b) {
  const double la = relative_luminance(a);
  const double lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

ElementContrast element_contrast(const cv::Mat& image, const Rect& element) {
  ElementContrast out;
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty()) return out;
  const Rect screen{0, 0, bgr.cols, bgr.rows};
  const Rect inner = element.intersect(screen);
  if (inner.empty()) return out;

  // Ring: wide enough to reach past anti-aliasing, narrow enough to stay on the local surface
  // (a close button sits on the card, not on the dimmed backdrop a few dp away).
  const int ring = std::clamp(std::min(inner.width(), inner.height()) / 4, 3, 24);
  const Rect outer =
      Rect{inner.left - ring, inner.top - ring, inner.right + ring, inner.bottom + ring}.intersect(
          screen);
  std::vector<cv::Vec3b> ring_px;
  ring_px.reserve(static_cast<size_t>(outer.area() - inner.area()));
  for (int y = outer.top; y < outer.bottom; ++y) {
    const auto* row = bgr.ptr<cv::Vec3b>(y);
    for (int x = outer.left; x < outer.right; ++x)
      if (!inner.contains(x, y)) ring_px.push_back(row[x]);
  }
  if (ring_px.empty()) {
    // The element fills the screen: compare against its own border row instead.
    for (int x = inner.left; x < inner.right; ++x)
      ring_px.push_back(bgr.at<cv::Vec3b>(inner.top, x));
  }
  out.background = median_colour(ring_px);

  std::vector<int> dist;
  dist.reserve(static_cast<size_t>(inner.area()));
  for (int y = inner.top; y < inner.bottom; ++y) {
    const auto* row = bgr.ptr<cv::Vec3b>(y);
    for (int x = inner.left; x < inner.right; ++x)
      dist.push_back(colour_distance2(row[x], out.background));
  }
  // The strength of the ink: the k-th strongest pixel, k small so thin strokes still count but
  // above 1 so a single noisy pixel does not decide.
  std::vector<int> sorted = dist;
  const size_t k = std::max<size_t>(3, sorted.size() / 200);
  const size_t kth = sorted.size() > k ? sorted.size() - k : 0;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(kth), sorted.end());
  const int peak = sorted[kth];
  out.foreground = out.background;
  if (peak < 3 * 3 * 3) return out;  // within a few levels per channel: no ink

  // Core ink: at least 60 % as far from the background as the peak (distance² ≥ 0.36 peak).
  const int cut = static_cast<int>(0.36 * peak);
  std::vector<cv::Vec3b> ink;
  size_t differing = 0;
  size_t i = 0;
  for (int y = inner.top; y < inner.bottom; ++y) {
    const auto* row = bgr.ptr<cv::Vec3b>(y);
    for (int x = inner.left; x < inner.right; ++x, ++i) {
      if (dist[i] >= cut) ink.push_back(row[x]);
      if (dist[i] >= 27) ++differing;
    }
  }
  out.foreground = median_colour(ink);
  out.ratio = contrast_ratio(out.foreground, out.background);
  out.ink_fraction = static_cast<double>(differing) / static_cast<double>(dist.size());
  return out;
}

}  // namespace uiw::detectors
