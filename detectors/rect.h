#pragma once
// Screen rectangles in pixels, in uiautomator's convention: [left,top][right,bottom), right and
// bottom exclusive.
#include <algorithm>
#include <string>

namespace uiw::detectors {

struct Rect {
  int left = 0;
  int top = 0;
  int right = 0;
  int bottom = 0;

  int width() const { return std::max(0, right - left); }
  int height() const { return std::max(0, bottom - top); }
  long area() const { return static_cast<long>(width()) * height(); }
  bool empty() const { return width() == 0 || height() == 0; }
  int center_x() const { return left + width() / 2; }
  int center_y() const { return top + height() / 2; }
  bool contains(int x, int y) const { return x >= left && x < right && y >= top && y < bottom; }
  Rect intersect(const Rect& o) const {
    Rect r{std::max(left, o.left), std::max(top, o.top), std::min(right, o.right),
           std::min(bottom, o.bottom)};
    if (r.right < r.left) r.right = r.left;
    if (r.bottom < r.top) r.bottom = r.top;
    return r;
  }
  bool operator==(const Rect&) const = default;

  // "[l,t][r,b]" as uiautomator writes it.
  std::string to_bounds_string() const;
};

// Share of the lower one's height that two rectangles have in common vertically: ≥ 0.5 means
// "on the same row" (a label and its switch, two words of one line).
inline double row_overlap(const Rect& a, const Rect& b) {
  const int overlap = std::min(a.bottom, b.bottom) - std::max(a.top, b.top);
  const int h = std::min(a.height(), b.height());
  return h > 0 ? static_cast<double>(std::max(0, overlap)) / h : 0.0;
}

// Parses "[l,t][r,b]"; returns false on anything else.
bool parse_bounds(const std::string& text, Rect& out);

// Pixels to density-independent pixels: px / (density / 160).
inline double px_to_dp(double px, int density_dpi) {
  return px * 160.0 / density_dpi;
}
inline double dp_to_px(double dp, int density_dpi) {
  return dp * density_dpi / 160.0;
}

}  // namespace uiw::detectors
