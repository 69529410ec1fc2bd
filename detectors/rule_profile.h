#pragma once
// A rule profile (`profiles/miit-2023.yaml` is the default): which rules run, their severities,
// the regulations they cite, every threshold, the vision parameters and the vocabulary. Loaded
// from a file so a review team can change a threshold without a code change.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/finding.h"
#include "detectors/vocabulary.h"

namespace uiw::detectors {

struct RuleSpec {
  std::string id;  // "POP-02"
  bool enabled = true;
  Severity severity = Severity::kViolation;
  std::string regulation;
  std::map<std::string, double> params;  // e.g. {"min_size_dp": 24}
};

class RuleProfile {
 public:
  // Every rule ID of RULES.md, in table order; a profile must configure each of them.
  static const std::vector<std::string>& rule_ids();
  // The vocabulary lists every profile must have.
  static const std::vector<std::string>& vocabulary_names();

  // Parses profile YAML. Errors (syntax, unknown keys, unknown rules, missing lists, bad values)
  // throw uiw::Error(kConfig) as "SOURCE:LINE:COL: what".
  static RuleProfile parse(std::string_view yaml, const std::string& source);
  static RuleProfile load(const std::filesystem::path& file);
  // `name_or_path`: a file path (contains '/' or ends in .yaml), or a profile name looked up as
  // NAME.yaml in `search_dirs`, then in default_profile_dirs().
  static RuleProfile find(const std::string& name_or_path,
                          const std::vector<std::filesystem::path>& search_dirs = {});
  // $UIW_PROFILE_DIR, then <dir of the running executable>/../share/uiwitness/profiles (where the
  // build and an install put them).
  static std::vector<std::filesystem::path> default_profile_dirs();

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  const RuleSpec& rule(std::string_view id) const;  // kNotFound for an unknown ID
  bool enabled(std::string_view id) const { return rule(id).enabled; }
  // A rule's parameter; kConfig naming the profile when the profile lacks it.
  double param(std::string_view rule_id, std::string_view name) const;
  // A vision parameter, or `fallback` when the profile leaves it out.
  double vision(std::string_view name, double fallback) const;
  const Vocabulary& vocabulary(std::string_view list) const;  // kNotFound for an unknown list

  // A finding of `rule_id` with the profile's severity and regulation filled in.
  Finding make_finding(std::string_view rule_id, std::string message) const;

 private:
  std::string name_;
  std::string source_;
  std::map<std::string, RuleSpec, std::less<>> rules_;
  std::map<std::string, double, std::less<>> vision_;
  std::map<std::string, Vocabulary, std::less<>> vocabulary_;
};

}  // namespace uiw::detectors
