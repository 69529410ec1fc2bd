#include "detectors/button_region.h"

#include <algorithm>
#include <array>
#include <vector>

namespace uiw::detectors {
namespace {

int distance(const cv::Vec3b& a, const cv::Vec3b& b) {
  return std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
}

// Per-channel median of the pixels on the outline of `r` (inside the image).
cv::Vec3b rim_colour(const cv::Mat& image, const Rect& r) {
  std::array<std::vector<uchar>, 3> ch;
  auto take = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= image.cols || y >= image.rows) return;
    const cv::Vec3b& p = image.at<cv::Vec3b>(y, x);
    for (int c = 0; c < 3; ++c) ch[c].push_back(p[c]);
  };
  const int step = std::max(1, std::max(r.width(), r.height()) / 64);
  for (int x = r.left; x < r.right; x += step) {
    take(x, r.top);
    take(x, r.bottom - 1);
  }
  for (int y = r.top; y < r.bottom; y += step) {
    take(r.left, y);
    take(r.right - 1, y);
  }
  cv::Vec3b out(0, 0, 0);
  for (int c = 0; c < 3; ++c) {
    if (ch[c].empty()) return out;
    auto mid = ch[c].begin() + ch[c].size() / 2;
    std::nth_element(ch[c].begin(), mid, ch[c].end());
    out[c] = *mid;
  }
  return out;
}

// Share of the pixels on the segment from (x0,y0) to (x1,y1) (axis-parallel) close to `fill`.
double fill_share(const cv::Mat& image, int x0, int y0, int x1, int y1, const cv::Vec3b& fill) {
  int total = 0, same = 0;
  const int n = std::max(std::abs(x1 - x0), std::abs(y1 - y0));
  const int step = std::max(1, n / 48);
  for (int k = 0; k <= n; k += step) {
    int x = n ? x0 + (x1 - x0) * k / n : x0;
    int y = n ? y0 + (y1 - y0) * k / n : y0;
    ++total;
    same += distance(image.at<cv::Vec3b>(y, x), fill) <= 36;
  }
  return total ? static_cast<double>(same) / total : 0.0;
}

}  // namespace

Rect button_region(const cv::Mat& image, const Rect& label, const Rect& limit_in) {
  const Rect bounds{0, 0, image.cols, image.rows};
  const Rect limit = limit_in.intersect(bounds);
  const Rect start = label.intersect(limit);
  if (image.empty() || image.type() != CV_8UC3 || start.empty() || limit.width() < 3 ||
      limit.height() < 3)
    return label;
  const int pad = std::max(2, start.height() / 8);
  const Rect ring{std::max(limit.left, start.left - pad), std::max(limit.top, start.top - pad),
                  std::min(limit.right, start.right + pad),
                  std::min(limit.bottom, start.bottom + pad)};
  const cv::Vec3b fill = rim_colour(image, ring);
  const cv::Vec3b surround = rim_colour(image, limit);
  if (distance(fill, surround) <= 36) return label;  // plain text on the page, not a button

  Rect r = ring;
  // Grow one side at a time while the new edge is still the button's fill.
  for (bool grew = true; grew;) {
    grew = false;
    if (r.left > limit.left &&
        fill_share(image, r.left - 1, r.top, r.left - 1, r.bottom - 1, fill) > 0.8) {
      --r.left;
      grew = true;
    }
    if (r.right < limit.right &&
        fill_share(image, r.right, r.top, r.right, r.bottom - 1, fill) > 0.8) {
      ++r.right;
      grew = true;
    }
    if (r.top > limit.top &&
        fill_share(image, r.left, r.top - 1, r.right - 1, r.top - 1, fill) > 0.8) {
      --r.top;
      grew = true;
    }
    if (r.bottom < limit.bottom &&
        fill_share(image, r.left, r.bottom, r.right - 1, r.bottom, fill) > 0.8) {
      ++r.bottom;
      grew = true;
    }
  }
  return r;
}

}  // namespace uiw::detectors
