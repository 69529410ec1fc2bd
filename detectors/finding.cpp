#include "detectors/finding.h"

#include <nlohmann/json.hpp>

namespace uiw::detectors {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kViolation:
      return "violation";
  }
  return "violation";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kViolation})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

nlohmann::json to_json(const Finding& finding) {
  nlohmann::json boxes = nlohmann::json::array();
  for (const Rect& r : finding.boxes) boxes.push_back({r.left, r.top, r.width(), r.height()});
  nlohmann::json j = {{"rule", finding.rule},
                      {"severity", to_string(finding.severity)},
                      {"message", finding.message},
                      {"regulation", finding.regulation},
                      {"boxes", boxes},
                      {"value", nullptr},
                      {"threshold", nullptr},
                      {"unit", finding.unit}};
  if (finding.value) j["value"] = *finding.value;
  if (finding.threshold) j["threshold"] = *finding.threshold;
  if (!finding.frame.empty()) j["frame"] = finding.frame;
  return j;
}

nlohmann::json to_json(const std::vector<Finding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const Finding& f : findings) out.push_back(to_json(f));
  return out;
}

}  // namespace uiw::detectors
