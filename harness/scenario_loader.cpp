#include "harness/scenario_loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "common/error.h"
#include "common/user_regex.h"
#include "detectors/rule_profile.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Keys = std::vector<std::string_view>;

// ---------------------------------------------------------------------------------------------
// The vocabulary of the language.

const Keys kTopKeys = {"name", "app", "tags", "rules", "vars", "steps"};
const Keys kStepKeys = {"name", "timeout", "retries", "optional"};  // allowed on every step
const Keys kMatchKeys = {"text", "text_regex", "id", "desc", "class", "xpath", "image", "ocr"};
const Keys kRelationKeys = {"below", "above", "left_of", "right_of", "near"};
const Keys kSelectorKeys = {"text",    "text_regex",      "id",  "desc",  "class", "xpath",
                            "image",   "image_threshold", "ocr", "index", "below", "above",
                            "left_of", "right_of",        "near"};
const Keys kDirections = {"up", "down", "left", "right"};
const Keys kProbeKinds = {"popup", "personalisation", "link"};

constexpr std::array kAllKinds = {StepKind::kLaunch,
                                  StepKind::kStop,
                                  StepKind::kTap,
                                  StepKind::kLongPress,
                                  StepKind::kType,
                                  StepKind::kSwipe,
                                  StepKind::kScrollTo,
                                  StepKind::kBack,
                                  StepKind::kHome,
                                  StepKind::kWait,
                                  StepKind::kWaitFor,
                                  StepKind::kAssertVisible,
                                  StepKind::kAssertNotVisible,
                                  StepKind::kScreenshot,
                                  StepKind::kOpenUrl,
                                  StepKind::kCheck,
                                  StepKind::kProbe,
                                  StepKind::kRunFlow,
                                  StepKind::kRepeat};

// Names people bring from Maestro, Appium or habit, mapped to ours for "did you mean".
const std::vector<std::pair<std::string_view, std::string_view>> kStepAliases = {
    {"click", "tap"},
    {"tap_on", "tap"},
    {"press", "tap"},
    {"launch_app", "launch"},
    {"start", "launch"},
    {"stop_app", "stop"},
    {"kill", "stop"},
    {"input", "type"},
    {"input_text", "type"},
    {"sleep", "wait"},
    {"pause", "wait"},
    {"press_back", "back"},
    {"take_screenshot", "screenshot"},
    {"open_link", "open_url"},
    {"url", "open_url"},
    {"assert", "assert_visible"},
    {"scroll", "scroll_to"},
    {"loop", "repeat"},
    {"include", "run_flow"},
    {"flow", "run_flow"},
    {"long_tap", "long_press"},
    {"long_click", "long_press"}};

// The same for keys (uiautomator and Appium spellings).
const std::vector<std::pair<std::string_view, std::string_view>> kKeyAliases = {
    {"retry", "retries"},
    {"label", "name"},
    {"title", "name"},
    {"resource_id", "id"},
    {"content_desc", "desc"},
    {"description", "desc"},
    {"content_description", "desc"},
    {"class_name", "class"},
    {"regex", "text_regex"},
    {"text_matches", "text_regex"},
    {"package", "app"},
    {"wait", "timeout"}};

// The rules one frame can prove (detectors/static_rule_set.h); the others need a probe, and
// `check: [POP-05]` would silently check nothing.
const Keys kStaticRules = {"POP-01", "POP-02", "POP-03", "POP-04", "POP-08", "CON-01", "CON-02"};

bool contains(const Keys& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Keys concat(const Keys& a, const Keys& b) {
  Keys out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::string join(const Keys& keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

Keys kind_names() {
  Keys out;
  for (StepKind k : kAllKinds) out.push_back(to_string(k));
  return out;
}

std::optional<StepKind> kind_named(std::string_view word) {
  for (StepKind k : kAllKinds)
    if (to_string(k) == word) return k;
  return std::nullopt;
}

bool is_selector_kind(StepKind k) {
  return k == StepKind::kTap || k == StepKind::kLongPress || k == StepKind::kScrollTo ||
         k == StepKind::kWaitFor || k == StepKind::kAssertVisible ||
         k == StepKind::kAssertNotVisible;
}

// Kinds that may be written as a bare word (`- back`): the value is optional.
bool bare_allowed(StepKind k) {
  return k == StepKind::kLaunch || k == StepKind::kStop || k == StepKind::kBack ||
         k == StepKind::kHome || k == StepKind::kCheck || k == StepKind::kScreenshot;
}

// The keys a step kind's argument map takes besides kStepKeys; empty: no map form.
Keys arg_keys(StepKind k) {
  switch (k) {
    case StepKind::kLaunch:
      return {"app", "clear_data"};
    case StepKind::kStop:
      return {"app"};
    case StepKind::kTap:
      return concat(kSelectorKeys, {"point"});
    case StepKind::kLongPress:
      return concat(kSelectorKeys, {"point", "duration"});
    case StepKind::kScrollTo:
      return concat(kSelectorKeys, {"direction", "max_swipes"});
    case StepKind::kWaitFor:
    case StepKind::kAssertVisible:
    case StepKind::kAssertNotVisible:
      return kSelectorKeys;
    case StepKind::kType:
      return {"text", "into"};
    case StepKind::kSwipe:
      return {"from", "to", "direction", "duration"};
    case StepKind::kOpenUrl:
      return {"url"};
    case StepKind::kProbe:
      return kProbeKinds;
    case StepKind::kRunFlow:
      return {"file", "vars"};
    case StepKind::kRepeat:
      return {"times", "steps"};
    case StepKind::kBack:
    case StepKind::kHome:
    case StepKind::kWait:
    case StepKind::kCheck:
    case StepKind::kScreenshot:
      break;
  }
  return {};
}

// A one-line example per kind, for "needs a value" errors.
std::string_view example(StepKind k) {
  switch (k) {
    case StepKind::kLaunch:
      return "launch: com.example.app";
    case StepKind::kStop:
      return "stop: com.example.app";
    case StepKind::kTap:
      return "tap: \"同意\"` or `tap: {id: btn_close}";
    case StepKind::kLongPress:
      return "long_press: {desc: 头像, duration: 1s}";
    case StepKind::kType:
      return "type: {text: hello, into: {id: et_message}}";
    case StepKind::kSwipe:
      return "swipe: up` or `swipe: {from: [540, 1800], to: [540, 600]}";
    case StepKind::kScrollTo:
      return "scroll_to: {text: 个性化推荐, direction: down}";
    case StepKind::kWait:
      return "wait: 1.5s";
    case StepKind::kWaitFor:
      return "wait_for: {text_regex: \"跳过.*\", timeout: 10s}";
    case StepKind::kAssertVisible:
      return "assert_visible: {ocr: \"No thanks\"}";
    case StepKind::kAssertNotVisible:
      return "assert_not_visible: {id: dialog_root}";
    case StepKind::kOpenUrl:
      return "open_url: \"https://example.com/s/1\"";
    case StepKind::kProbe:
      return "probe: popup";
    case StepKind::kRunFlow:
      return "run_flow: flows/login.yaml";
    case StepKind::kRepeat:
      return "repeat: {times: 3, steps: [back]}";
    case StepKind::kBack:
    case StepKind::kHome:
    case StepKind::kCheck:
    case StepKind::kScreenshot:
      break;
  }
  return to_string(k);
}

// ---------------------------------------------------------------------------------------------
// "Did you mean": edit distance with transpositions, on the key as written and as snake_case.

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// tapOn → tap_on, Text-Regex → text_regex.
std::string normalised(std::string_view word) {
  std::string out;
  for (size_t i = 0; i < word.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(word[i]);
    if (std::isupper(c) && i > 0 &&
        (std::islower(static_cast<unsigned char>(word[i - 1])) ||
         std::isdigit(static_cast<unsigned char>(word[i - 1]))))
      out += '_';
    out += c == '-' || c == ' ' ? '_' : static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// How a word is compared with the choices: keys and step names forgive camelCase and dashes
// (tapOn, text-regex); names (variables, rule IDs) are compared as written, ignoring case.
enum class Match { kKey, kStep, kName };

std::optional<std::string_view> closest(std::string_view word, const Keys& choices, Match match) {
  const std::string norm = match == Match::kName ? lower(word) : normalised(word);
  auto folded = [match](std::string_view c) {
    return match == Match::kName ? lower(c) : std::string(c);
  };
  for (std::string_view c : choices)
    if (folded(c) == norm) return c;
  if (match != Match::kName) {
    for (const auto& [alias, key] : kKeyAliases)
      if (alias == norm && contains(choices, key)) return key;
  }
  if (match == Match::kStep) {
    for (const auto& [alias, kind] : kStepAliases)
      if (alias == norm && contains(choices, kind)) return kind;
  }
  const size_t limit = norm.size() <= 4 ? 1 : norm.size() <= 8 ? 2 : 3;
  std::optional<std::string_view> best;
  size_t best_d = limit + 1;
  for (std::string_view c : choices) {
    size_t d = edit_distance(norm, folded(c));
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const Keys& choices, Match match = Match::kKey) {
  auto best = closest(word, choices, match);
  return best ? fmt::format(" (did you mean '{}'?)", *best) : std::string();
}

// ---------------------------------------------------------------------------------------------
// Small checks.

bool valid_var_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool valid_package_name(std::string_view name) {
  int segments = 0;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view seg =
        name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (seg.empty() || !(std::isalpha(static_cast<unsigned char>(seg[0])) || seg[0] == '_'))
      return false;
    for (char c : seg)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    ++segments;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return segments >= 2;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("cannot read {}", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path absolute_path(const fs::path& p) {
  return fs::absolute(p).lexically_normal();
}

// ---------------------------------------------------------------------------------------------
// One YAML map, its keys checked: scalars, no duplicates (yaml-cpp keeps the last silently).

struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

class Fields {
 public:
  std::vector<Field> items;
  const Field* find(std::string_view key) const {
    for (const Field& f : items)
      if (f.key == key) return &f;
    return nullptr;
  }
  bool has(std::string_view key) const { return find(key) != nullptr; }
};

// What the whole load shares: the overrides and the chain of run_flow includes, for cycle
// detection and for naming the include sites in errors.
struct LoadState {
  const std::map<std::string, std::string>& overrides;
  std::vector<std::string> files;             // files being parsed, outermost first
  std::vector<SourceLocation> include_sites;  // run_flow steps that led to the innermost file
};

// Parses one file (the scenario or a run_flow file).
class FileParser {
 public:
  FileParser(LoadState& state, std::string file, std::map<std::string, std::string> scope,
             std::string app)
      : state_(state),
        file_(std::move(file)),
        base_dir_(fs::path(file_).parent_path()),
        scope_(std::move(scope)),
        app_(std::move(app)) {}

  Scenario parse_scenario(std::string_view yaml_text) {
    YAML::Node root = load_yaml(yaml_text);
    if (!root.IsDefined() || root.IsNull())
      fail(YAML::Mark(), "the scenario is empty; it needs at least `name:` and `steps:`");
    if (root.IsSequence())
      fail(root,
           "this is a list of steps; a scenario is a map: put the list under `steps:` and add "
           "`name:` (a bare list of steps is a run_flow file)");
    if (!root.IsMap()) fail(root, "a scenario is a YAML map with `name:`, `app:` and `steps:`");
    Fields top = fields(root, "the scenario");
    reject_unknown(top, kTopKeys, "top-level key");

    Scenario sc;
    sc.file = file_;
    if (const Field* f = top.find("vars")) sc.vars = parse_vars(f->value, /*defaults=*/false);
    // A pair, not a structured binding: clang 14 (the fuzz build) cannot capture a binding.
    for (const auto& entry : state_.overrides) {
      bool listed = std::any_of(sc.vars.begin(), sc.vars.end(),
                                [&](const auto& kv) { return kv.first == entry.first; });
      if (!listed) sc.vars.emplace_back(entry.first, entry.second);
    }

    const Field* name = top.find("name");
    if (!name) fail(root, "missing `name:` (a one-line title for reports)");
    sc.name = text(name->value, "name");
    if (trim(sc.name).empty()) fail(name->value, "`name` is empty");

    if (const Field* f = top.find("app")) {
      sc.app = package(f->value, "app");
      app_ = sc.app;
    }
    if (const Field* f = top.find("tags")) sc.tags = string_list(f->value, "tags");
    if (const Field* f = top.find("rules")) {
      sc.rules = string_list(f->value, "rules");
      for (size_t i = 0; i < sc.rules.size(); ++i)
        check_rule_id(f->value.IsSequence() ? f->value[i] : f->value, sc.rules[i], false);
    }
    const Field* steps = top.find("steps");
    if (!steps) fail(root, "missing `steps:` (the list of things to do)");
    sc.steps = parse_steps(steps->value, "");
    return sc;
  }

  // A run_flow file: a bare list of steps, or a map with `steps:` (and `vars:`, `app:`; a whole
  // scenario can be reused, its name, tags and rules are then ignored).
  std::vector<Step> parse_flow(std::string_view yaml_text) {
    YAML::Node root = load_yaml(yaml_text);
    if (!root.IsDefined() || root.IsNull()) fail(YAML::Mark(), "the flow file is empty");
    if (root.IsSequence()) return parse_steps(root, "");
    if (!root.IsMap()) fail(root, "a flow file is a list of steps, or a map with `steps:`");
    Fields top = fields(root, "the flow");
    reject_unknown(top, kTopKeys, "top-level key");
    if (const Field* f = top.find("vars")) parse_vars(f->value, /*defaults=*/true);
    if (const Field* f = top.find("app")) app_ = package(f->value, "app");
    const Field* steps = top.find("steps");
    if (!steps) fail(root, "missing `steps:`");
    return parse_steps(steps->value, "");
  }

 private:
  // ---- errors ----
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    int line = mark.is_null() ? 1 : mark.line + 1;
    int column = mark.is_null() ? 1 : mark.column + 1;
    std::string out = fmt::format("{}:{}:{}: ", file_, line, column);
    if (!step_label_.empty()) out += step_label_ + ": ";
    out += message;
    for (auto it = state_.include_sites.rbegin(); it != state_.include_sites.rend(); ++it)
      out += fmt::format(" (in run_flow at {})", it->str());
    throw Error(ErrorKind::kConfig, out);
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    fail(node.Mark(), message);
  }

  // Sets the step label errors carry; restores the enclosing one (repeat) on exit.
  class LabelScope {
   public:
    LabelScope(std::string& label, std::string value) : label_(label), saved_(label) {
      label_ = std::move(value);
    }
    ~LabelScope() { label_ = saved_; }
    LabelScope(const LabelScope&) = delete;
    LabelScope& operator=(const LabelScope&) = delete;

   private:
    std::string& label_;
    std::string saved_;
  };

  YAML::Node load_yaml(std::string_view text) const {
    try {
      return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      fail(e.mark, "YAML syntax error: " + e.msg);
    }
  }

  SourceLocation location(const YAML::Node& node) const {
    YAML::Mark m = node.Mark();
    if (m.is_null()) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }

  static std::string shape(const YAML::Node& node) {
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a map";
    if (node.IsNull()) return "nothing";
    return fmt::format("\"{}\"", node.Scalar());
  }

  // ---- maps ----
  Fields fields(const YAML::Node& map, std::string_view what) const {
    if (!map.IsMap()) fail(map, fmt::format("{} must be a map, not {}", what, shape(map)));
    Fields out;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar())
        fail(it->first, fmt::format("{} has a key that is not a plain word", what));
      std::string key = it->first.Scalar();
      if (out.has(key)) fail(it->first, fmt::format("'{}' is given twice", key));
      out.items.push_back({key, it->first, it->second});
    }
    return out;
  }

  void reject_unknown(const Fields& f, const Keys& allowed, std::string_view what) const {
    for (const Field& field : f.items) {
      if (contains(allowed, field.key)) continue;
      std::string hint = did_you_mean(field.key, allowed);
      if (hint.empty()) hint = fmt::format(" (allowed: {})", join(allowed));
      fail(field.key_node, fmt::format("unknown {} '{}'{}", what, field.key, hint));
    }
  }

  // ---- variables ----
  std::optional<std::string> lookup(const std::string& name) const {
    if (auto it = state_.overrides.find(name); it != state_.overrides.end()) return it->second;
    if (auto it = scope_.find(name); it != scope_.end()) return it->second;
    if (const char* env = std::getenv(name.c_str())) return std::string(env);
    return std::nullopt;
  }

  std::string substitute(const YAML::Node& node, const std::string& s) const {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
      if (s.compare(i, 3, "$${") == 0) {
        out += "${";
        i += 3;
      } else if (s.compare(i, 2, "${") == 0) {
        size_t end = s.find('}', i + 2);
        if (end == std::string::npos)
          fail(node,
               fmt::format("unterminated '${{' in \"{}\" (write '$${{' for a literal '${{')", s));
        std::string name = s.substr(i + 2, end - i - 2);
        if (!valid_var_name(name))
          fail(node, fmt::format("'${{{}}}' is not a variable name (letters, digits and _)", name));
        std::optional<std::string> value = lookup(name);
        if (!value) {
          Keys known;
          for (const auto& kv : scope_) known.push_back(kv.first);
          for (const auto& kv : state_.overrides) known.push_back(kv.first);
          fail(node, fmt::format("undefined variable '{}'{}; define it under `vars:`, pass "
                                 "--var {}=VALUE, or set it in the environment",
                                 name, did_you_mean(name, known, Match::kName), name));
        }
        out += *value;
        i = end + 1;
      } else {
        out += s[i++];
      }
    }
    return out;
  }

  // `vars:` in file order. `defaults`: a run_flow file's own vars, which the caller's win over.
  std::vector<std::pair<std::string, std::string>> parse_vars(const YAML::Node& node,
                                                              bool defaults) {
    Fields f = fields(node, "`vars`");
    std::vector<std::pair<std::string, std::string>> out;
    for (const Field& field : f.items) {
      if (!valid_var_name(field.key))
        fail(field.key_node, fmt::format("'{}' is not a variable name (letters, digits and _, "
                                         "not starting with a digit)",
                                         field.key));
      std::string value;
      if (auto it = state_.overrides.find(field.key); it != state_.overrides.end()) {
        value = it->second;
      } else if (auto in_scope = scope_.find(field.key); defaults && in_scope != scope_.end()) {
        value = in_scope->second;
      } else {
        value = text(field.value, field.key);
      }
      scope_[field.key] = value;
      out.emplace_back(field.key, value);
    }
    return out;
  }

  // ---- scalars (all substituted) ----
  std::string text(const YAML::Node& node, std::string_view what) const {
    if (node.IsNull()) fail(node, fmt::format("`{}` needs a value", what));
    if (!node.IsScalar()) fail(node, fmt::format("`{}` must be a text, not {}", what, shape(node)));
    return substitute(node, node.Scalar());
  }

  std::string nonempty_text(const YAML::Node& node, std::string_view what) const {
    std::string s = text(node, what);
    if (s.empty()) fail(node, fmt::format("`{}` is empty", what));
    return s;
  }

  bool boolean(const YAML::Node& node, std::string_view what) const {
    std::string s = text(node, what);
    if (s == "true" || s == "yes" || s == "True" || s == "on") return true;
    if (s == "false" || s == "no" || s == "False" || s == "off") return false;
    fail(node, fmt::format("`{}` must be true or false, not \"{}\"", what, s));
  }

  long long integer(const YAML::Node& node, std::string_view what, long long min,
                    long long max) const {
    std::string s = text(node, what);
    std::string_view t = trim(s);
    long long v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty())
      fail(node, fmt::format("`{}` must be a whole number, not \"{}\"", what, s));
    if (v < min || v > max)
      fail(node, fmt::format("`{}` must be between {} and {}, not {}", what, min, max, v));
    return v;
  }

  double number(const YAML::Node& node, std::string_view what, double min, double max) const {
    std::string s = text(node, what);
    std::string_view t = trim(s);
    double v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty() || !std::isfinite(v))
      fail(node, fmt::format("`{}` must be a number, not \"{}\"", what, s));
    if (v < min || v > max)
      fail(node, fmt::format("`{}` must be between {} and {}, not {}", what, min, max, v));
    return v;
  }

  // "1.5s", "300ms", "2m", or a bare number of seconds.
  milliseconds duration(const YAML::Node& node, std::string_view what,
                        bool allow_zero = true) const {
    std::string s = text(node, what);
    std::string_view t = trim(s);
    double v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    std::string_view unit = trim(t.substr(static_cast<size_t>(end - t.data())));
    double factor = 0;
    if (unit.empty() || unit == "s") {
      factor = 1000;
    } else if (unit == "ms") {
      factor = 1;
    } else if (unit == "m" || unit == "min") {
      factor = 60'000;
    }
    if (ec != std::errc() || t.empty() || factor == 0 || !std::isfinite(v))
      fail(node, fmt::format("`{}`: \"{}\" is not a duration (write 1.5s, 300ms, 2m, or a "
                             "number of seconds)",
                             what, s));
    if (v < 0 || (!allow_zero && v == 0))
      fail(node, fmt::format("`{}` must be {}, not \"{}\"", what,
                             allow_zero ? "zero or more" : "more than zero", s));
    if (v * factor > 24.0 * 3600 * 1000)
      fail(node, fmt::format("`{}`: \"{}\" is longer than a day", what, s));
    return milliseconds(std::llround(v * factor));
  }

  Point point(const YAML::Node& node, std::string_view what) const {
    if (!node.IsSequence() || node.size() != 2)
      fail(node,
           fmt::format("`{}` must be a point [x, y] in screen pixels, not {}", what, shape(node)));
    return Point{static_cast<int>(integer(node[0], fmt::format("{}[0]", what), 0, 100'000)),
                 static_cast<int>(integer(node[1], fmt::format("{}[1]", what), 0, 100'000))};
  }

  std::string package(const YAML::Node& node, std::string_view what) const {
    std::string s = nonempty_text(node, what);
    if (!valid_package_name(s))
      fail(node, fmt::format("`{}`: \"{}\" is not an Android package name (like "
                             "com.example.app)",
                             what, s));
    return s;
  }

  std::string direction(const YAML::Node& node) const {
    std::string s = text(node, "direction");
    if (!contains(kDirections, s))
      fail(node, fmt::format("direction must be one of up, down, left, right, not \"{}\"{}", s,
                             did_you_mean(s, kDirections)));
    return s;
  }

  std::vector<std::string> string_list(const YAML::Node& node, std::string_view what) const {
    if (node.IsScalar()) return {nonempty_text(node, what)};
    if (!node.IsSequence())
      fail(node, fmt::format("`{}` must be a list like [a, b], not {}", what, shape(node)));
    std::vector<std::string> out;
    for (const YAML::Node& item : node) out.push_back(nonempty_text(item, what));
    return out;
  }

  void check_rule_id(const YAML::Node& node, const std::string& id, bool static_only) const {
    const auto& ids = detectors::RuleProfile::rule_ids();
    Keys known(ids.begin(), ids.end());
    if (!contains(known, id))
      fail(node, fmt::format("unknown rule '{}'{}", id,
                             closest(id, known, Match::kName)
                                 ? did_you_mean(id, known, Match::kName)
                                 : fmt::format(" (rules: {})", join(known))));
    if (!static_only || contains(kStaticRules, id)) return;
    std::string_view probe = id.starts_with("PER")   ? "personalisation"
                             : id.starts_with("LNK") ? "link"
                                                     : "popup";
    fail(node, fmt::format("{} is not a rule one frame can prove, so `check` cannot run it; it "
                           "is judged by `probe: {}` (static rules: {})",
                           id, probe, join(kStaticRules)));
  }

  std::string existing_file(const YAML::Node& node, std::string_view what) const {
    fs::path p(nonempty_text(node, what));
    if (p.is_relative()) p = base_dir_ / p;
    p = p.lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(p, ec))
      fail(node, fmt::format("`{}`: file {} does not exist", what, p.string()));
    return p.string();
  }

  // ---- selectors ----
  Selector selector(const YAML::Node& node, std::string_view what) const {
    if (node.IsScalar()) {
      Selector s;
      s.text = nonempty_text(node, what);
      return s;
    }
    if (!node.IsMap())
      fail(node,
           fmt::format("`{}` must be a selector: a text, or a map like {{id: btn_close}}", what));
    Fields f = fields(node, fmt::format("`{}`", what));
    reject_unknown(f, kSelectorKeys, "selector key");
    return selector_from(f, node);
  }

  // The selector keys of `f` (other keys are the caller's).
  Selector selector_from(const Fields& f, const YAML::Node& where) const {
    Selector s;
    for (const Field& field : f.items) {
      const std::string& k = field.key;
      const YAML::Node& v = field.value;
      if (k == "text") {
        s.text = nonempty_text(v, k);
      } else if (k == "text_regex") {
        std::string pattern = nonempty_text(v, k);
        try {
          compile_user_regex(pattern);
        } catch (const std::regex_error& e) {
          fail(v, fmt::format("`text_regex`: \"{}\" is not a valid regular expression: {}", pattern,
                              e.what()));
        }
        s.text_regex = pattern;
      } else if (k == "id") {
        s.id = nonempty_text(v, k);
      } else if (k == "desc") {
        s.desc = nonempty_text(v, k);
      } else if (k == "class") {
        s.class_name = nonempty_text(v, k);
      } else if (k == "xpath") {
        std::string xpath = nonempty_text(v, k);
        pugi::xpath_parse_result result;
        try {
          pugi::xpath_query query(xpath.c_str());
          result = query.result();
        } catch (const pugi::xpath_exception& e) {
          result = e.result();
        }
        if (!result)
          fail(v, fmt::format("`xpath`: \"{}\" is not valid XPath 1.0: {} at offset {}", xpath,
                              result.description(), result.offset));
        s.xpath = xpath;
      } else if (k == "image") {
        s.image = existing_file(v, k);
      } else if (k == "image_threshold") {
        s.image_threshold = number(v, k, 0.01, 1.0);
      } else if (k == "ocr") {
        s.ocr = nonempty_text(v, k);
      } else if (k == "index") {
        s.index = static_cast<int>(integer(v, k, 0, 1000));
      } else if (contains(kRelationKeys, k)) {
        if (s.relative)
          fail(field.key_node,
               "a selector takes one relation (below, above, left_of, right_of or near); nest "
               "the second inside the anchor");
        Selector::Relative rel;
        rel.relation = k == "below"      ? Selector::Relation::kBelow
                       : k == "above"    ? Selector::Relation::kAbove
                       : k == "left_of"  ? Selector::Relation::kLeftOf
                       : k == "right_of" ? Selector::Relation::kRightOf
                                         : Selector::Relation::kNear;
        rel.anchor = std::make_shared<const Selector>(selector(v, k));
        s.relative = std::move(rel);
      }
    }
    if (!s.text && !s.text_regex && !s.id && !s.desc && !s.class_name && !s.xpath && !s.image &&
        !s.ocr)
      fail(where, fmt::format("a selector needs at least one of {} (index and relations only "
                              "narrow the matches down)",
                              join(kMatchKeys)));
    if (f.has("image_threshold") && !s.image)
      fail(f.find("image_threshold")->key_node, "`image_threshold` only applies with `image`");
    return s;
  }

  // ---- steps ----
  std::vector<Step> parse_steps(const YAML::Node& node, const std::string& prefix) {
    if (!node.IsSequence())
      fail(node,
           fmt::format("`steps` must be a list (each step starts with '- '), not {}", shape(node)));
    if (node.size() == 0) fail(node, "`steps` is empty");
    std::vector<Step> out;
    int n = 0;
    for (const YAML::Node& item : node)
      out.push_back(parse_step(item, prefix + std::to_string(++n)));
    return out;
  }

  // Applies one of kStepKeys; they may sit beside the kind or inside its argument map.
  void step_key(Step& step, const Field& field, std::set<std::string>& seen) const {
    if (!seen.insert(field.key).second)
      fail(field.key_node, fmt::format("'{}' is given twice for this step", field.key));
    if (field.key == "name") {
      step.name = text(field.value, "name");
    } else if (field.key == "timeout") {
      step.timeout = duration(field.value, "timeout", /*allow_zero=*/false);
    } else if (field.key == "retries") {
      step.retries = static_cast<int>(integer(field.value, "retries", 0, 100));
    } else if (field.key == "optional") {
      step.optional = boolean(field.value, "optional");
    }
  }

  Step parse_step(const YAML::Node& item, const std::string& number) {
    LabelScope label(step_label_, "step " + number);
    const Keys kinds = kind_names();
    Step step;
    step.where = location(item);
    std::set<std::string> seen;

    if (item.IsScalar()) {
      std::optional<StepKind> kind = kind_named(item.Scalar());
      if (!kind)
        fail(item, fmt::format("unknown step '{}'{}", item.Scalar(),
                               did_you_mean(item.Scalar(), kinds, Match::kStep)));
      step.kind = *kind;
      step_label_ = fmt::format("step {} ({})", number, to_string(*kind));
      if (!bare_allowed(*kind))
        fail(item, fmt::format("{} needs a value, e.g. `{}`", to_string(*kind), example(*kind)));
      parse_args(step, YAML::Node(YAML::NodeType::Null), item, seen, number);
      return step;
    }
    if (item.IsNull()) fail(item, "empty step (a lone '-')");
    if (!item.IsMap())
      fail(item, "a step is a word (`- back`) or a map (`- tap: \"同意\"`), not a list");

    // Name the step before anything else can fail, so every error says what it is.
    for (auto it = item.begin(); it != item.end(); ++it) {
      if (!it->first.IsScalar() || !kind_named(it->first.Scalar())) continue;
      step_label_ = fmt::format("step {} ({})", number, it->first.Scalar());
      break;
    }
    Fields f = fields(item, "a step");
    const Field* kind_field = nullptr;
    for (const Field& field : f.items) {
      if (!kind_named(field.key)) continue;
      if (kind_field)
        fail(field.key_node,
             fmt::format("'{}' starts a second step inside this {} step; begin each step with "
                         "its own '- '",
                         field.key, kind_field->key));
      kind_field = &field;
    }
    if (kind_field) step.kind = *kind_named(kind_field->key);
    for (const Field& field : f.items) {
      if (&field == kind_field || contains(kStepKeys, field.key)) continue;
      // `- tap:` with its selector not indented under it reads as keys of the step itself.
      if (kind_field && contains(arg_keys(step.kind), field.key))
        fail(field.key_node,
             fmt::format("'{}' belongs to {}: indent it under `{}:` (or write `{}: {{{}: ...}}`)",
                         field.key, kind_field->key, kind_field->key, kind_field->key, field.key));
      fail(field.key_node,
           fmt::format("unknown {} '{}'{}", kind_field ? "key" : "step", field.key,
                       did_you_mean(field.key, concat(kinds, kStepKeys), Match::kStep)));
    }
    if (!kind_field)
      fail(item, fmt::format("this step has no action; a step needs one of: {}", join(kinds)));
    for (const Field& field : f.items)
      if (contains(kStepKeys, field.key)) step_key(step, field, seen);
    parse_args(step, kind_field->value, kind_field->key_node, seen, number);
    return step;
  }

  // The argument map of a step: its keys checked against the kind, kStepKeys applied.
  Fields args(Step& step, const YAML::Node& value, std::set<std::string>& seen) const {
    const Keys allowed = arg_keys(step.kind);
    std::string_view kind = to_string(step.kind);
    if (allowed.empty())
      fail(value,
           fmt::format("{} takes {}, not a map", kind,
                       step.kind == StepKind::kWait    ? "a duration, e.g. `wait: 1.5s`"
                       : step.kind == StepKind::kCheck ? "a list of rules, e.g. `check: [POP-02]`"
                       : step.kind == StepKind::kScreenshot ? "a name"
                                                            : "no value"));
    Fields f = fields(value, fmt::format("the {} arguments", kind));
    const Keys all = concat(allowed, kStepKeys);
    for (const Field& field : f.items) {
      if (contains(kStepKeys, field.key)) {
        step_key(step, field, seen);
        continue;
      }
      if (contains(allowed, field.key)) continue;
      std::optional<std::string_view> best = closest(field.key, all, Match::kKey);
      std::string hint = best ? fmt::format(" (did you mean '{}'?)", *best)
                              : fmt::format(" (allowed: {})", join(all));
      // "selector key" when the author was most likely writing a selector.
      bool selector_like = is_selector_kind(step.kind) && (!best || contains(kSelectorKeys, *best));
      fail(field.key_node, fmt::format("unknown {} '{}'{}", selector_like ? "selector key" : "key",
                                       field.key, hint));
    }
    return f;
  }

  // `value` is the kind's value (null when bare); `at` is where to point when it is null.
  void parse_args(Step& step, const YAML::Node& value, const YAML::Node& at,
                  std::set<std::string>& seen, const std::string& number) {
    const std::string_view kind = to_string(step.kind);
    const bool none = value.IsNull();
    auto needs_value = [&]() {
      if (none) fail(at, fmt::format("{} needs a value, e.g. `{}`", kind, example(step.kind)));
    };
    switch (step.kind) {
      case StepKind::kLaunch:
      case StepKind::kStop: {
        if (value.IsScalar()) {
          step.text = package(value, "app");
        } else if (!none) {
          Fields f = args(step, value, seen);
          if (const Field* a = f.find("app")) step.text = package(a->value, "app");
          if (const Field* c = f.find("clear_data"))
            step.clear_data = boolean(c->value, "clear_data");
        }
        if (step.text.empty()) step.text = app_;
        if (step.text.empty())
          fail(at, fmt::format("{} needs an app: set `app:` at the top of the scenario, or write "
                               "`{}: com.example.app`",
                               kind, kind));
        break;
      }
      case StepKind::kBack:
      case StepKind::kHome:
        if (!none) fail(value, fmt::format("{} takes no value", kind));
        break;
      case StepKind::kTap:
      case StepKind::kLongPress:
      case StepKind::kWaitFor:
      case StepKind::kAssertVisible:
      case StepKind::kAssertNotVisible:
      case StepKind::kScrollTo:
        needs_value();
        parse_target(step, value, seen);
        break;
      case StepKind::kType: {
        needs_value();
        if (value.IsScalar()) {
          step.text = text(value, "type");
          break;
        }
        Fields f = args(step, value, seen);
        const Field* t = f.find("text");
        if (!t) fail(value, "type needs `text:` (what to type)");
        step.text = text(t->value, "text");
        if (const Field* into = f.find("into")) step.selector = selector(into->value, "into");
        break;
      }
      case StepKind::kSwipe: {
        needs_value();
        step.duration = milliseconds(300);
        if (value.IsScalar()) {
          step.direction = direction(value);
          break;
        }
        Fields f = args(step, value, seen);
        const Field* from = f.find("from");
        const Field* to = f.find("to");
        const Field* dir = f.find("direction");
        if (dir && (from || to))
          fail(dir->key_node, "give either `direction` or `from` and `to`, not both");
        if (dir) {
          step.direction = direction(dir->value);
        } else if (from && to) {
          step.from = point(from->value, "from");
          step.to = point(to->value, "to");
        } else {
          fail(value,
               "swipe needs `from` and `to` points, or a `direction` (up, down, left, "
               "right)");
        }
        if (const Field* d = f.find("duration"))
          step.duration = duration(d->value, "duration", /*allow_zero=*/false);
        break;
      }
      case StepKind::kWait:
        needs_value();
        if (!value.IsScalar())
          fail(value,
               fmt::format("wait takes a duration, e.g. `wait: 1.5s`, not {}", shape(value)));
        step.duration = duration(value, "wait");
        break;
      case StepKind::kScreenshot:
        if (none) break;
        if (!value.IsScalar())
          fail(value, "screenshot takes a name, e.g. `screenshot: after-close`");
        step.text = nonempty_text(value, "screenshot");
        // The name becomes part of a file name in the evidence bundle.
        if (step.text.find_first_of("/\\") != std::string::npos || step.text == "." ||
            step.text == "..")
          fail(value,
               fmt::format("screenshot name \"{}\" must not contain '/' or '\\'", step.text));
        break;
      case StepKind::kOpenUrl: {
        needs_value();
        YAML::Node url = value;
        if (value.IsMap()) {
          Fields f = args(step, value, seen);
          const Field* u = f.find("url");
          if (!u) fail(value, "open_url needs `url:`");
          url = u->value;
        }
        step.text = url_text(url, "open_url");
        break;
      }
      case StepKind::kCheck:
        if (none) break;
        if (value.IsMap()) args(step, value, seen);  // reports "takes a list of rules"
        step.rules = string_list(value, "check");
        for (size_t i = 0; i < step.rules.size(); ++i)
          check_rule_id(value.IsSequence() ? value[i] : value, step.rules[i], true);
        break;
      case StepKind::kProbe:
        needs_value();
        step.probe = parse_probe(step, value, seen);
        break;
      case StepKind::kRunFlow:
        needs_value();
        parse_run_flow(step, value, seen);
        break;
      case StepKind::kRepeat: {
        needs_value();
        if (!value.IsMap()) fail(value, "repeat takes a map: `repeat: {times: 3, steps: [...]}`");
        Fields f = args(step, value, seen);
        const Field* times = f.find("times");
        if (!times) fail(value, "repeat needs `times:`");
        step.times = static_cast<int>(integer(times->value, "times", 1, 10'000));
        const Field* steps = f.find("steps");
        if (!steps) fail(value, "repeat needs `steps:`");
        step.children = parse_steps(steps->value, number + ".");
        break;
      }
    }
  }

  std::string url_text(const YAML::Node& node, std::string_view what) const {
    std::string url = nonempty_text(node, what);
    static const std::regex scheme("^[A-Za-z][A-Za-z0-9+.-]*:.+");
    if (!std::regex_match(url, scheme))
      fail(node, fmt::format("\"{}\" is not a URL (it needs a scheme, like https://)", url));
    return url;
  }

  // tap, long_press, scroll_to, wait_for, assert_*: a selector, or (tap, long_press) a point.
  void parse_target(Step& step, const YAML::Node& value, std::set<std::string>& seen) const {
    const bool takes_point = step.kind == StepKind::kTap || step.kind == StepKind::kLongPress;
    if (step.kind == StepKind::kLongPress) step.duration = milliseconds(1000);
    if (step.kind == StepKind::kScrollTo) step.direction = "down";
    if (value.IsScalar()) {
      step.selector = selector(value, to_string(step.kind));
      return;
    }
    if (value.IsSequence()) {
      if (!takes_point)
        fail(value, fmt::format("{} takes a selector, not a list", to_string(step.kind)));
      step.point = point(value, "point");
      return;
    }
    Fields f = args(step, value, seen);
    Fields sel;
    for (const Field& field : f.items)
      if (contains(kSelectorKeys, field.key)) sel.items.push_back(field);
    if (const Field* p = f.find("point")) {
      if (!sel.items.empty())
        fail(sel.items.front().key_node, "give either `point` or a selector, not both");
      step.point = point(p->value, "point");
    } else {
      step.selector = selector_from(sel, value);
    }
    if (const Field* d = f.find("duration"))
      step.duration = duration(d->value, "duration", /*allow_zero=*/false);
    if (const Field* d = f.find("direction")) step.direction = direction(d->value);
    if (const Field* m = f.find("max_swipes"))
      step.max_swipes = static_cast<int>(integer(m->value, "max_swipes", 1, 1000));
  }

  ProbeSpec parse_probe(Step& step, const YAML::Node& value, std::set<std::string>& seen) const {
    YAML::Node kind_node = value;
    YAML::Node args_node(YAML::NodeType::Null);
    std::string kind_name;
    if (value.IsScalar()) {
      kind_name = value.Scalar();
    } else {
      if (!value.IsMap()) fail(value, "probe takes a kind: popup, personalisation or link");
      Fields f = args(step, value, seen);
      const Field* k = nullptr;
      for (const Field& field : f.items) {
        if (!contains(kProbeKinds, field.key)) continue;
        if (k) fail(field.key_node, "one probe per step; give each probe its own step");
        k = &field;
      }
      if (!k) fail(value, "probe needs a kind: popup, personalisation or link");
      kind_node = k->key_node;
      kind_name = k->key;
      args_node = k->value;
    }
    if (!contains(kProbeKinds, kind_name))
      fail(kind_node, fmt::format("unknown probe '{}'{} (probes: {})", kind_name,
                                  did_you_mean(kind_name, kProbeKinds), join(kProbeKinds)));
    ProbeSpec p;
    if (kind_name == "popup") {
      p.kind = ProbeSpec::Kind::kPopup;
      if (args_node.IsNull()) return p;
      Fields f = fields(args_node, "`popup`");
      reject_unknown(f, {"close", "blank", "watch", "shake"}, "popup probe key");
      if (const Field* c = f.find("close")) p.close = selector(c->value, "close");
      if (const Field* b = f.find("blank")) p.blank = point(b->value, "blank");
      if (const Field* w = f.find("watch")) p.watch = duration(w->value, "watch", false);
      if (const Field* s = f.find("shake")) p.shake_ms2 = number(s->value, "shake", 0.01, 100);
    } else if (kind_name == "personalisation") {
      p.kind = ProbeSpec::Kind::kPersonalisation;
      if (args_node.IsNull()) return p;
      Fields f = fields(args_node, "`personalisation`");
      reject_unknown(f, {"max_depth"}, "personalisation probe key");
      if (const Field* d = f.find("max_depth"))
        p.max_depth = static_cast<int>(integer(d->value, "max_depth", 1, 50));
    } else {
      p.kind = ProbeSpec::Kind::kLink;
      if (args_node.IsNull())
        fail(kind_node,
             "the link probe needs the link: `link: {tap: {text: ...}}` or "
             "`link: {url: https://...}`");
      Fields f = fields(args_node, "`link`");
      reject_unknown(f, {"tap", "url", "control", "control_url"}, "link probe key");
      const Field* tap = f.find("tap");
      const Field* url = f.find("url");
      if ((tap != nullptr) == (url != nullptr))
        fail(tap && url ? url->key_node : args_node,
             "the link probe needs exactly one of `tap:` (a selector) or `url:`");
      if (tap) p.link = selector(tap->value, "tap");
      if (url) p.url = url_text(url->value, "url");
      const Field* control = f.find("control");
      const Field* control_url = f.find("control_url");
      if (control && control_url)
        fail(control_url->key_node, "give either `control` or `control_url`, not both");
      if (control_url) p.control_url = url_text(control_url->value, "control_url");
      if (control) {
        Fields c = fields(control->value, "`control`");
        reject_unknown(c, {"tap", "url"}, "control key");
        const Field* ctap = c.find("tap");
        const Field* curl = c.find("url");
        if ((ctap != nullptr) == (curl != nullptr))
          fail(ctap && curl ? curl->key_node : control->value,
               "`control` needs exactly one of `tap:` (a selector) or `url:`");
        if (ctap) p.control_link = selector(ctap->value, "tap");
        if (curl) p.control_url = url_text(curl->value, "url");
      }
    }
    return p;
  }

  void parse_run_flow(Step& step, const YAML::Node& value, std::set<std::string>& seen) {
    YAML::Node file_node = value;
    std::map<std::string, std::string> scope = scope_;
    if (value.IsMap()) {
      Fields f = args(step, value, seen);
      const Field* file = f.find("file");
      if (!file) fail(value, "run_flow needs `file:`");
      file_node = file->value;
      if (const Field* v = f.find("vars")) {
        Fields vars = fields(v->value, "`vars`");
        for (const Field& field : vars.items) {
          if (!valid_var_name(field.key))
            fail(field.key_node, fmt::format("'{}' is not a variable name", field.key));
          scope[field.key] = text(field.value, field.key);
        }
      }
    } else if (!value.IsScalar()) {
      fail(value, "run_flow takes a file name, or {file: ..., vars: {...}}");
    }
    fs::path path(nonempty_text(file_node, "run_flow"));
    if (path.is_relative()) path = base_dir_ / path;
    path = path.lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
      fail(file_node, fmt::format("run_flow: file {} does not exist", path.string()));
    step.text = path.string();

    auto cycle_start = std::find(state_.files.begin(), state_.files.end(), step.text);
    if (cycle_start != state_.files.end()) {
      std::string chain;
      for (auto it = cycle_start; it != state_.files.end(); ++it) chain += *it + " → ";
      fail(file_node, fmt::format("run_flow cycle: {}{}", chain, step.text));
    }
    std::string content;
    try {
      content = read_file(path);
    } catch (const Error& e) {
      fail(file_node, fmt::format("run_flow: {}", e.what()));
    }
    SourceLocation site = location(file_node);
    state_.files.push_back(step.text);
    state_.include_sites.push_back(site);
    FileParser child(state_, step.text, std::move(scope), app_);
    step.children = child.parse_flow(content);
    state_.files.pop_back();
    state_.include_sites.pop_back();
  }

  LoadState& state_;
  std::string file_;
  fs::path base_dir_;
  std::map<std::string, std::string> scope_;  // vars visible here (overrides and env aside)
  std::string app_;                           // what a bare `launch` / `stop` acts on
  std::string step_label_;                    // "step 3 (tap)" while parsing a step
};

}  // namespace

Scenario parse_scenario(std::string_view yaml_text, const std::string& file_name,
                        const std::map<std::string, std::string>& overrides) {
  LoadState state{overrides, {}, {}};
  const std::string file = absolute_path(file_name).string();
  state.files.push_back(file);
  FileParser parser(state, file, {}, "");
  return parser.parse_scenario(yaml_text);
}

Scenario load_scenario(const std::string& path,
                       const std::map<std::string, std::string>& overrides) {
  const fs::path file = absolute_path(path);
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw Error(ErrorKind::kNotFound, fmt::format("scenario file {} does not exist", path));
  if (!fs::is_regular_file(file, ec))
    throw Error(ErrorKind::kIo, fmt::format("scenario {} is not a file", path));
  return parse_scenario(read_file(file), file.string(), overrides);
}

}  // namespace uiw::harness
