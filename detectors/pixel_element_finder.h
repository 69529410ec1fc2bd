#pragma once
// The element layer's pixel side: what a screenshot alone shows of the elements a tree would
// list — selection widgets and their state, the pop-up surface, its close mark — as
// ScreenElements, so they can be compared with (and stand in for) the tree's.
#include <vector>

#include "detectors/frame.h"
#include "detectors/rule_profile.h"
#include "detectors/screen_element.h"

namespace uiw::detectors {

class OcrService;
struct ReadRegion;

class PixelElementFinder {
 public:
  // `ocr` may be null: surfaces are then found on their pixels alone. Both must outlive this.
  PixelElementFinder(const RuleProfile& profile, OcrService* ocr) : profile_(profile), ocr_(ocr) {}

  // A card over content starts at 0.15 (with OCR): it takes one more cue (a close glyph, a
  // decline or close word) to be a dialog; a dimmed card or a sheet is one at once.
  double dialog_min_confidence = 0.25;

  // Elements of `frame.image` (its tree is not looked at). `reads`: the frame's OCR reads so
  // far, shared with the caller's other checks, or null.
  std::vector<ScreenElement> find(const Frame& frame,
                                  std::vector<ReadRegion>* reads = nullptr) const;

 private:
  const RuleProfile& profile_;
  OcrService* ocr_;
};

}  // namespace uiw::detectors
