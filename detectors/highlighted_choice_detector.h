#pragma once
// Finds pre-highlighted choices: of two options, one drawn as a filled accent-coloured button and
// the other as plain text, an outline or a grey button ("Yes" filled blue above an outlined "No",
// "Continue" over a small "Not now"). Consent dialogs use this to steer the user to the option
// they want (AidUI labels it DEFAULT CHOICE); the caller OCRs the secondary option and decides
// with a decline vocabulary (No thanks, Not now, Later, Skip, 暂不, 以后再说…) whether the pair
// is a choice at all.
//
// How: on the same flat-colour regions as SelectionMarkDetector, a primary is a wide region
// (a button) of saturated colour that stands out from the page; the secondary is the first
// text line under it, or the neighbour on its row, when that one is not itself a saturated
// fill (two filled buttons are an even choice). Two variants: a white or black button on a
// brand-coloured surface beside an outlined twin (white "Sure" | outlined "No thanks" on a green
// banner), and a row of two filled buttons over a plain or grey option ("Sign up" | "Log in"
// over a grey "Later"), where the row is the primary.
#include <opencv2/core.hpp>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

struct EdgeView;

struct HighlightedChoice {
  Rect primary;      // the filled, accent-coloured option, frame px
  Rect secondary;    // the competing option: text, outline or grey button, frame px
  double score = 0;  // 0..1
};

class HighlightedChoiceDetector {
 public:
  explicit HighlightedChoiceDetector(int density_dpi) : density_dpi_(density_dpi) {}

  // Primary button size: Material 36 dp, iOS 44–50 pt, call-to-action bars up to ~64 dp; older
  // apps' banner buttons are 20–24 dp.
  double min_button_height_dp = 20;
  double max_button_height_dp = 72;
  double min_button_width_dp = 56;
  double min_button_aspect = 1.8;
  // HSV saturation (0..1) of the primary's fill; greys, white and black are not accents.
  double min_primary_saturation = 0.3;
  // An unsaturated primary (white or black) on a surface at least `min_primary_saturation`
  // saturated, at least this far from it in BGR: an inverse button (white "Sure" on a green
  // banner). It needs an outlined twin on its row.
  double min_inverse_contrast = 120;
  // A filled neighbour this saturated makes the pair even (two coloured buttons).
  double max_secondary_saturation = 0.22;
  // The secondary is looked for down to this many primary heights below the primary.
  double max_gap_below = 2.2;
  // Work scale, as in SelectionMarkDetector.
  double work_px_per_dp = 2.0;
  double edge_low = 24;
  double edge_high = 60;

  // Pairs inside `region`, best first. `image`: 8-bit BGR, BGRA or grey.
  // `shared`: the frame's work image and edges when the caller already made them.
  std::vector<HighlightedChoice> detect(const cv::Mat& image, const Rect& region,
                                        const EdgeView* shared = nullptr) const;

 private:
  int density_dpi_;
};

}  // namespace uiw::detectors
