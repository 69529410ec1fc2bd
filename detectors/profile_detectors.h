#pragma once
// Detectors configured from a rule profile: its vocabularies and vision parameters replace the
// code defaults, the same way for the rules and for the element layer.
#include "detectors/popup_surface_detector.h"
#include "detectors/rule_profile.h"

namespace uiw::detectors {

class OcrService;

PopupSurfaceDetector popup_surface_detector(const RuleProfile& profile, int density_dpi,
                                            OcrService* ocr);

}  // namespace uiw::detectors
