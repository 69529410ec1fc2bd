#pragma once
// The rules that one frame can prove: POP-01 (no close), POP-02 (close too small), POP-03 (close
// too faint), POP-04 (false hierarchy), POP-08 (countdown instead of a close), CON-01
// (pre-selected consent); and the observations the harness's dynamic probes build on: pop-up
// surfaces, close controls, shake and redirect prompts (POP-05/POP-09), link-blocking pages
// (LNK-01). Hierarchy first, pixels always: every rule works screenshot-only.
#include <nlohmann/json_fwd.hpp>
#include <regex>
#include <string>
#include <vector>

#include "detectors/close_control_finder.h"
#include "detectors/finding.h"
#include "detectors/frame.h"
#include "detectors/rule_profile.h"

namespace uiw::detectors {

class OcrService;

// Something a detector saw that is not (yet) a finding, kept as evidence and for the probes.
struct Observation {
  std::string kind;    // popup | close_control | decline | accept | countdown | shake_prompt |
                       // redirect_prompt | link_blocking | ad_badge | selection_mark
  Rect box;            // px
  std::string detail;  // the text, or what was measured
};

struct FrameReport {
  std::vector<Finding> findings;
  std::vector<Observation> observations;
  bool has(std::string_view kind) const;
  std::vector<const Observation*> all(std::string_view kind) const;
};

// {"findings": [...], "observations": [{"kind", "box": [x, y, w, h], "detail"}]}
nlohmann::json to_json(const FrameReport& report);

class StaticRuleSet {
 public:
  // `ocr` may be null: then only the tree and pixel-only cues are used. Both must outlive this.
  StaticRuleSet(const RuleProfile& profile, OcrService* ocr);

  // Runs every enabled static rule on `frame`. Never throws on odd images: an empty or
  // unsupported image gives an empty report. A landscape screenshot without a tree that is a
  // screen recording of a portrait phone is checked on the phone's screen, at the density its
  // width implies; boxes are in `frame`'s pixels either way.
  FrameReport check(const Frame& frame) const;

 private:
  const RuleProfile& profile_;
  OcrService* ocr_;
  std::vector<std::regex> countdown_;  // the profile's countdown patterns, compiled once
};

}  // namespace uiw::detectors
