#pragma once
// One observation of the screen: the pixels, the hierarchy when uiautomator could dump it
// (WebViews, games and ad SDKs often cannot), the density to convert px to dp, and what the
// harness step just did, so a detector can tell "pop-up right after launch" from "after a tap".
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "detectors/rect.h"
#include "detectors/ui_tree.h"

namespace uiw::detectors {

struct Frame {
  cv::Mat image;               // CV_8UC3 BGR, as screencap gives it after decoding
  std::optional<UiTree> tree;  // absent for screenshot-only detection
  int density_dpi = 420;       // `wm density`; 160 means 1 dp = 1 px
  std::string action;          // e.g. "launch", "tap 540,1400", "back"; empty when unknown

  int width() const { return image.cols; }
  int height() const { return image.rows; }
  bool has_tree() const { return tree.has_value(); }
  // The tree describes what is on screen: it has text and no WebView (whose content dumps leave
  // out). Detectors then read the tree instead of running OCR.
  bool tree_is_complete() const;

  double to_dp(double px) const { return px_to_dp(px, density_dpi); }
  double to_px(double dp) const { return dp_to_px(dp, density_dpi); }
  // Width and height of a rectangle in dp.
  double width_dp(const Rect& r) const { return to_dp(r.width()); }
  double height_dp(const Rect& r) const { return to_dp(r.height()); }
  // The whole screen as a Rect.
  Rect bounds() const { return Rect{0, 0, image.cols, image.rows}; }
  // The screen without the system bars (status 24 dp on top, navigation 48 dp at the bottom):
  // their icons (a clock, ◁ ○ □) look like text, radios and checkboxes but belong to no app.
  Rect app_area() const {
    return Rect{0, static_cast<int>(to_px(24)), image.cols,
                image.rows - static_cast<int>(to_px(48))};
  }
};

// A density for a screenshot whose device is unknown: phones are about 360 dp across their short
// side (1080 px → 480 dpi, 720 → 320, 540 → 240).
inline int guess_density_dpi(int width, int height) {
  const int short_side = width < height ? width : height;
  return short_side > 0 ? (short_side * 160 + 180) / 360 : 420;
}

// The image as 8-bit BGR: BGR is returned as is (no copy), BGRA and grey are converted; any
// other depth or channel count gives an empty Mat, which every primitive treats as "nothing".
cv::Mat as_bgr(const cv::Mat& image);

// Intersection over union of two rectangles; 0 when both are empty.
double iou(const Rect& a, const Rect& b);

// OpenCV <-> uiautomator rectangles (right/bottom exclusive in both).
inline cv::Rect to_cv(const Rect& r) {
  return cv::Rect(r.left, r.top, r.width(), r.height());
}
inline Rect from_cv(const cv::Rect& r) {
  return Rect{r.x, r.y, r.x + r.width, r.y + r.height};
}

}  // namespace uiw::detectors
