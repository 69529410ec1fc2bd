#pragma once
// "Is this a link-blocking page?" — the in-app interstitial that tells the user to copy a link
// into a browser, or says access was stopped (LNK-01 evidence). Read from the tree, or from the
// pixels when the page is a WebView.
#include <optional>

#include "detectors/frame.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"

namespace uiw::detectors {

class OcrService;

class LinkBlockRecognizer {
 public:
  LinkBlockRecognizer(const RuleProfile& profile, OcrService* ocr) : profile_(profile), ocr_(ocr) {}

  // The blocking message as an observation (kind "link_blocking", its box and text), or none.
  std::optional<Observation> recognize(const Frame& frame) const;

 private:
  const RuleProfile& profile_;
  OcrService* ocr_;
};

}  // namespace uiw::detectors
