#pragma once
// Where the text lines of a region are, found in pixels before any OCR: reading a mixed region
// (buttons, icons, photos) in one Tesseract pass garbles its text, while reading each line on its
// own reads like the tree's text nodes. Also keeps OCR to the lines, not the pictures.
#include <opencv2/core.hpp>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

struct TextLineFinder {
  explicit TextLineFinder(int dpi) : density_dpi(dpi) {}
  int density_dpi;
  double min_height_dp = 7;   // smaller than 9 sp captions
  double max_height_dp = 48;  // larger than headline text
  size_t max_lines = 12;  // beyond this: the 2 lowest, then the biggest (each costs an OCR call)
  double max_aspect = 0;  // width / height above this is body text, not a label; 0 = any

  // Line boxes in frame px, top to bottom, each padded by a quarter of its ink's height on every
  // side (OCR misses ink touching the image edge). `image`: 8-bit BGR.
  std::vector<Rect> find(const cv::Mat& image, const Rect& region) const;
  // The ink of a line `find` returned: the padding is a sixth of the padded height.
  static Rect ink_of(const Rect& line) {
    const int pad = line.height() / 6;
    return Rect{line.left + pad, line.top + pad, line.right - pad, line.bottom - pad};
  }
};

}  // namespace uiw::detectors
