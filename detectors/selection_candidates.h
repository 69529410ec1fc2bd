#pragma once
// Where a selection widget could be drawn, before anything decides what it is: the boxes of the
// small flat regions of a screen (a checkbox's fill or interior, a radio's ring, a switch's
// track) and of a disc joined with the region beside it (a switch's thumb and its track). The
// search is wide on purpose — letters and icons pass too — and the learned classifier
// (SelectionWidgetClassifier) tells widgets, their kind and state from everything else.
#include <vector>

#include "detectors/rect.h"
#include "detectors/selection_mark_detector.h"

namespace uiw::detectors {

struct SelectionCandidateSearch {
  // Widget sizes: a checkbox or radio is 12–30 dp, a switch 26–64 dp wide (iOS 51 pt), all
  // 9–40 dp high; wide enough for a screenshot whose density was guessed.
  double min_side_dp = 7;
  double max_height_dp = 40;
  double max_width_dp = 80;
  double max_aspect = 3.2;  // width / height
  double min_aspect = 0.7;
  // Share of edge pixels around a box beyond which it sits inside text or a picture: a widget
  // stands apart (wider than the hand-set detector's, the classifier sees the rest).
  double max_clutter = 0.12;
  // The status bar (its icons are ticks and dots) holds no app control: a candidate centred in
  // it is left out.
  double status_bar_dp = 24;
  // Candidates overlapping an earlier one this much are the same place.
  double duplicate_iou = 0.8;
  // A frame's candidates beyond this many (most isolated first) are not looked at.
  size_t max_candidates = 600;

  // Candidate boxes inside `roi` of a BGR frame, in frame px. `shared`: the frame's edge view at
  // the selection detector's parameters, when the caller made it.
  std::vector<Rect> find(const cv::Mat& bgr, const Rect& roi, int density_dpi,
                         const EdgeView* shared = nullptr) const;
};

}  // namespace uiw::detectors
