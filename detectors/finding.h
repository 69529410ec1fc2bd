#pragma once
// What a rule reports: the rule, how bad, the regulation it maps to, where on the frame, and the
// measured value against the profile's threshold ("close glyph 12.2 dp < 24 dp"). Reviewers read
// findings, so each carries enough to be checked against the saved frame by eye.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

enum class Severity { kInfo, kWarning, kViolation };

std::string_view to_string(Severity severity);
// "violation" | "warning" | "info"; nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text);

struct Finding {
  std::string rule;  // e.g. "POP-02"
  Severity severity = Severity::kViolation;
  std::string message;              // one line a reviewer understands
  std::string regulation;           // from the rule profile
  std::vector<Rect> boxes;          // on `frame`, px
  std::optional<double> value;      // what was measured (dp, contrast ratio, prominence ratio…)
  std::optional<double> threshold;  // the profile's limit it was compared with
  std::string unit;                 // of value and threshold: "dp", ":1", "ratio", "taps"
  std::string frame;                // file name of the frame it was seen on; empty when unsaved
};

// JSON for reports and `uiwitness detect --json`: boxes as [x, y, w, h].
nlohmann::json to_json(const Finding& finding);
nlohmann::json to_json(const std::vector<Finding>& findings);

}  // namespace uiw::detectors
