#pragma once
// Finds close-glyph candidates (×, X, circled ×) in pixels, where pop-ups put them: at the
// card's corners or just above/below it. Pixel-only because ad SDKs draw the × themselves and
// it is often not in the tree (POP-01/POP-02 need its presence and size).
#include <opencv2/core.hpp>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

struct CloseGlyph {
  Rect ink;          // bounding box of the glyph's strokes (circle included for ⊗), px
  double score = 0;  // 0 … 1: how well the strokes follow the two diagonals
  bool circled = false;
};

class CloseGlyphDetector {
 public:
  explicit CloseGlyphDetector(int density_dpi) : density_dpi_(density_dpi) {}

  // Glyph inks from `min_ink_dp` (an 8 dp control draws ~4 dp of ink) to `max_ink_dp`.
  double min_ink_dp = 3.5;
  double max_ink_dp = 48;
  double min_score = 0.6;

  // Searches the corners of `card` and the bands above and below it. Best first; candidates
  // neither at a corner nor centred above/below the card are scored down. `image`:
  // 8-bit BGR, BGRA or grey; anything else gives no candidates.
  std::vector<CloseGlyph> detect_near_card(const cv::Mat& image, const Rect& card) const;
  // Searches one region (e.g. the whole screen when no card was found). Best first.
  std::vector<CloseGlyph> detect_in(const cv::Mat& image, const Rect& region) const;

 private:
  // Shifts glyphs from search-area to image coordinates, best first, duplicates removed.
  static std::vector<CloseGlyph> rank(std::vector<CloseGlyph> found, const Rect& origin);
  void scan(const cv::Mat& gray, const Rect& region, std::vector<CloseGlyph>& out) const;
  void scan_strokes(const cv::Mat& strokes, const Rect& roi, int min_px, int max_px,
                    std::vector<CloseGlyph>& out) const;
  int density_dpi_;
};

}  // namespace uiw::detectors
