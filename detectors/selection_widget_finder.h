#pragma once
// Selection widgets (switches, checkboxes, radios) and their state in pixels, the one way every
// rule, probe and the element layer finds them: candidate boxes from SelectionCandidateSearch,
// judged by the learned SelectionWidgetClassifier, one widget kept per place.
#include <vector>

#include "detectors/selection_mark_detector.h"

namespace uiw::detectors {

class SelectionWidgetFinder {
 public:
  explicit SelectionWidgetFinder(int density_dpi) : density_dpi_(density_dpi) {}

  // The classifier's probability a candidate needs to count as a widget.
  double min_probability = 0.6;

  // Widgets inside `region` of an 8-bit BGR, BGRA or grey image, most probable first; `score` is
  // the classifier's probability. `shared`: the frame's edge view at SelectionMarkDetector's
  // parameters, when the caller made it.
  std::vector<SelectionMark> find(const cv::Mat& image, const Rect& region,
                                  const EdgeView* shared = nullptr) const;

 private:
  int density_dpi_;
};

}  // namespace uiw::detectors
