#include "detectors/rule_profile.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/share_paths.h"
#include "common/user_regex.h"
#include "common/yaml_reader.h"

namespace uiw::detectors {
namespace {

namespace fs = std::filesystem;

bool is_regex_list(std::string_view name) {
  return name == "countdown";
}

}  // namespace

const std::vector<std::string>& RuleProfile::rule_ids() {
  static const std::vector<std::string> ids = {
      "POP-01", "POP-02", "POP-03", "POP-04", "POP-05", "POP-06", "POP-07", "POP-08",
      "POP-09", "CON-01", "CON-02", "PER-01", "PER-02", "PER-03", "LNK-01", "LNK-02"};
  return ids;
}

const std::vector<std::string>& RuleProfile::vocabulary_names() {
  static const std::vector<std::string> names = {"close",
                                                 "close_ids",
                                                 "decline",
                                                 "cancel",
                                                 "confirm",
                                                 "accept",
                                                 "countdown",
                                                 "shake_prompt",
                                                 "redirect_prompt",
                                                 "consent_topics",
                                                 "consent_agreement",
                                                 "default_on_topics",
                                                 "personalisation",
                                                 "link_blocking",
                                                 "ad_badge",
                                                 "ad_disclosure",
                                                 "call_to_action",
                                                 "nag_ask",
                                                 "settings_path",
                                                 "never_tap"};
  return names;
}

RuleProfile RuleProfile::parse(std::string_view yaml, const std::string& source) {
  const YamlReader p(source);
  const YAML::Node root = p.load(yaml);
  if (!root.IsMap()) p.fail(root, "a rule profile must be a mapping with name, rules, vocabulary");
  p.expect_keys(root, {"name", "description", "rules", "vision", "vocabulary"}, "the profile");

  RuleProfile profile;
  profile.source_ = source;
  if (!root["name"]) p.fail(root, "missing key 'name'");
  profile.name_ = p.scalar(root["name"], "name");

  const YAML::Node rules = root["rules"];
  if (!rules) p.fail(root, "missing key 'rules'");
  p.expect_keys(rules, {rule_ids().begin(), rule_ids().end()}, "rules");
  for (const std::string& id : rule_ids()) {
    const YAML::Node spec_node = rules[id];
    if (!spec_node) p.fail(rules, fmt::format("rules: missing rule {}", id));
    p.expect_keys(spec_node, {"enabled", "severity", "regulation", "params"}, "rules." + id);
    RuleSpec spec;
    spec.id = id;
    if (spec_node["enabled"]) spec.enabled = p.boolean(spec_node["enabled"], id + ".enabled");
    if (spec_node["severity"]) {
      std::string s = p.scalar(spec_node["severity"], id + ".severity");
      auto sev = parse_severity(s);
      if (!sev)
        p.fail(spec_node["severity"],
               fmt::format("{}.severity '{}' is not violation, warning or info", id, s));
      spec.severity = *sev;
    }
    if (spec_node["regulation"])
      spec.regulation = p.scalar(spec_node["regulation"], id + ".regulation");
    if (const YAML::Node params = spec_node["params"]) {
      if (!params.IsMap()) p.fail(params, id + ".params must be a mapping of name: number");
      for (const auto& kv : params) {
        std::string name = kv.first.as<std::string>();
        spec.params[name] = p.number(kv.second, id + ".params." + name);
      }
    }
    profile.rules_[id] = std::move(spec);
  }

  if (const YAML::Node vision = root["vision"]) {
    if (!vision.IsMap()) p.fail(vision, "vision must be a mapping of name: number");
    for (const auto& kv : vision) {
      std::string name = kv.first.as<std::string>();
      profile.vision_[name] = p.number(kv.second, "vision." + name);
    }
  }

  const YAML::Node vocab = root["vocabulary"];
  if (!vocab) p.fail(root, "missing key 'vocabulary'");
  p.expect_keys(vocab, {vocabulary_names().begin(), vocabulary_names().end()}, "vocabulary");
  for (const std::string& name : vocabulary_names()) {
    const YAML::Node list = vocab[name];
    if (!list) p.fail(vocab, fmt::format("vocabulary: missing list {}", name));
    if (!list.IsSequence()) p.fail(list, fmt::format("vocabulary.{} must be a list", name));
    std::vector<std::string> terms;
    for (const YAML::Node& t : list) {
      std::string term = p.scalar(t, fmt::format("vocabulary.{} entries", name));
      if (term.empty()) p.fail(t, fmt::format("vocabulary.{}: empty term", name));
      if (is_regex_list(name)) {
        try {
          compile_user_regex(term, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& e) {
          p.fail(t, fmt::format("vocabulary.{}: bad regular expression '{}': {}", name, term,
                                e.what()));
        }
      }
      terms.push_back(std::move(term));
    }
    profile.vocabulary_[name] = Vocabulary(std::move(terms));
  }
  return profile;
}

RuleProfile RuleProfile::load(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::kNotFound, fmt::format("cannot read rule profile {}", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

std::vector<fs::path> RuleProfile::default_profile_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("UIW_PROFILE_DIR"); env && *env) dirs.emplace_back(env);
  dirs.push_back(shared_path("profiles"));
  return dirs;
}

RuleProfile RuleProfile::find(const std::string& name_or_path,
                              const std::vector<fs::path>& search_dirs) {
  const bool is_path =
      name_or_path.find('/') != std::string::npos ||
      (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".yaml") == 0);
  if (is_path) return load(name_or_path);
  std::vector<fs::path> dirs = search_dirs;
  for (fs::path& d : default_profile_dirs()) dirs.push_back(std::move(d));
  std::string looked;
  for (const fs::path& dir : dirs) {
    fs::path candidate = dir / (name_or_path + ".yaml");
    if (fs::exists(candidate)) return load(candidate);
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  throw Error(ErrorKind::kNotFound, fmt::format("no rule profile '{}' (looked in: {})",
                                                name_or_path, looked.empty() ? "-" : looked));
}

const RuleSpec& RuleProfile::rule(std::string_view id) const {
  auto it = rules_.find(id);
  if (it == rules_.end())
    throw Error(ErrorKind::kNotFound, fmt::format("no rule {} in profile {}", id, name_));
  return it->second;
}

double RuleProfile::param(std::string_view rule_id, std::string_view name) const {
  const RuleSpec& spec = rule(rule_id);
  auto it = spec.params.find(std::string(name));
  if (it == spec.params.end())
    throw Error(ErrorKind::kConfig,
                fmt::format("{}: rules.{}.params.{} is missing", source_, rule_id, name));
  return it->second;
}

double RuleProfile::vision(std::string_view name, double fallback) const {
  auto it = vision_.find(name);
  return it == vision_.end() ? fallback : it->second;
}

const Vocabulary& RuleProfile::vocabulary(std::string_view list) const {
  auto it = vocabulary_.find(list);
  if (it == vocabulary_.end())
    throw Error(ErrorKind::kNotFound,
                fmt::format("no vocabulary list '{}' in profile {}", list, name_));
  return it->second;
}

Finding RuleProfile::make_finding(std::string_view rule_id, std::string message) const {
  const RuleSpec& spec = rule(rule_id);
  Finding f;
  f.rule = spec.id;
  f.severity = spec.severity;
  f.regulation = spec.regulation;
  f.message = std::move(message);
  return f;
}

}  // namespace uiw::detectors
