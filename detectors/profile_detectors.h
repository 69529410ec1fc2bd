#pragma once
// Detectors configured from a rule profile: its vocabularies and vision parameters replace the
// code defaults, the same way for the rules and for the element layer.
#include <vector>

#include "detectors/popup_surface_detector.h"
#include "detectors/rule_profile.h"
#include "detectors/selection_mark_detector.h"

namespace uiw::detectors {

class OcrService;

PopupSurfaceDetector popup_surface_detector(const RuleProfile& profile, int density_dpi,
                                            OcrService* ocr);

// Selection widgets in `region` of a frame: by the learned classifier (SelectionWidgetFinder),
// or by the hand-set shape rules (SelectionMarkDetector) when the profile's vision parameter
// `learned_selection_widgets` is 0 — the baseline the classifier is measured against.
std::vector<SelectionMark> find_selection_widgets(const RuleProfile& profile, const cv::Mat& image,
                                                  const Rect& region, int density_dpi,
                                                  const EdgeView* shared = nullptr);

}  // namespace uiw::detectors
