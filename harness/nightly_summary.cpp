#include "harness/nightly_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "common/error.h"

namespace uiw::harness {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int severity_rank(std::string_view s) {
  return s == "violation" ? 2 : s == "warning" ? 1 : 0;
}

std::string app_of(const BundleSummary& b) {
  return b.app_package.empty() ? b.scenario : b.app_package;
}

bool completed(const BundleSummary& b) {
  return b.outcome == "passed" || b.outcome == "failed";
}

// Every finding of a run by identity.
std::map<FindingKey, TrackedFinding> track(const RunSummary& run) {
  std::map<FindingKey, TrackedFinding> found;
  for (const BundleSummary& b : run.bundles) {
    if (b.outcome == "retried") continue;  // its replacement speaks for the scenario
    for (const FindingSummary& f : b.findings) {
      FindingKey key{app_of(b), b.scenario, f.finding.rule, normalise_message(f.finding.message)};
      TrackedFinding& t = found[key];
      const std::string severity(detectors::to_string(f.finding.severity));
      if (t.occurrences == 0) {
        t.key = key;
        t.message = f.finding.message;
        t.severity = severity;
      } else if (severity_rank(severity) > severity_rank(t.severity)) {
        t.severity = severity;
      }
      ++t.occurrences;
      if (std::find(t.bundles.begin(), t.bundles.end(), b.path) == t.bundles.end())
        t.bundles.push_back(b.path);
    }
  }
  for (auto& [_, t] : found) std::sort(t.bundles.begin(), t.bundles.end());
  return found;
}

json finding_json(const TrackedFinding& t) {
  return {{"rule", t.key.rule},           {"app", t.key.app},     {"scenario", t.key.scenario},
          {"severity", t.severity},       {"message", t.message}, {"identity", t.key.message},
          {"occurrences", t.occurrences}, {"bundles", t.bundles}};
}

// Display width of UTF-8 text: code points, counting CJK wide characters as two columns so that
// tables with Chinese app or scenario names still line up in a terminal.
size_t columns(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n += len >= 3 ? 2 : 1;
    i += len;
  }
  return n;
}

std::string pad(std::string_view text, size_t width) {
  const size_t w = columns(text);
  return std::string(text) + std::string(width > w ? width - w : 0, ' ');
}

}  // namespace

std::string normalise_message(std::string_view message) {
  std::string out;
  for (size_t i = 0; i < message.size();) {
    const char c = message[i];
    if (is_digit(c)) {
      // One number: digits, with '.' or ',' only between digits ("12.2", "1,080").
      while (i < message.size() &&
             (is_digit(message[i]) ||
              ((message[i] == '.' || message[i] == ',') && i + 1 < message.size() &&
               is_digit(message[i + 1]) && is_digit(message[i - 1]))))
        ++i;
      out += '#';
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      while (i < message.size() &&
             (message[i] == ' ' || message[i] == '\t' || message[i] == '\n' || message[i] == '\r'))
        ++i;
      if (!out.empty()) out += ' ';
    } else {
      out += c;
      ++i;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

NightlySummary summarise(const RunSummary& run, const RunSummary* baseline) {
  NightlySummary s;
  s.run = run.dir;
  s.counts = run.counts();
  s.outcome = run.outcome();
  s.exit_code = run.exit_code();
  for (const BundleSummary& b : run.bundles) {
    if (b.outcome == "retried") continue;
    AppTally& app = s.by_app[app_of(b)];
    ++app.bundles;
    app.errors += b.has_error();
    for (const FindingSummary& f : b.findings) {
      ++app.findings;
      ++app.by_rule[f.finding.rule];
      RuleTally& rule = s.by_rule[f.finding.rule];
      ++rule.findings;
      ++rule.by_severity[std::string(detectors::to_string(f.finding.severity))];
      rule.apps.insert(app_of(b));
    }
  }
  if (!baseline) return s;

  s.baseline = baseline->dir;
  const auto now = track(run);
  const auto before = track(*baseline);
  // (app, scenario) pairs that ran to the end tonight on at least one device.
  std::set<std::pair<std::string, std::string>> checked;
  for (const BundleSummary& b : run.bundles)
    if (completed(b)) checked.emplace(app_of(b), b.scenario);
  for (const auto& [key, t] : now) (before.contains(key) ? s.persisting : s.added).push_back(t);
  for (const auto& [key, t] : before) {
    if (now.contains(key)) continue;
    (checked.contains({key.app, key.scenario}) ? s.resolved : s.unchecked).push_back(t);
  }
  return s;
}

void print_nightly_summary(const NightlySummary& s, std::ostream& out) {
  const RunCounts& c = s.counts;
  out << fmt::format(
      "summary of {}: {} bundle(s), {} scenario(s) on {} device(s): {} passed, {} failed, {} "
      "error, {} interrupted; {} finding(s)\n",
      s.run.string(), c.bundles, c.scenarios, c.devices, c.passed, c.failed, c.errors, c.incomplete,
      c.findings);

  if (!s.by_rule.empty()) {
    size_t w = 4;
    for (const auto& [rule, _] : s.by_rule) w = std::max(w, columns(rule));
    out << fmt::format("\n{}  {:>8}  {:>4}  {}\n", pad("rule", w), "findings", "apps", "severity");
    for (const auto& [rule, t] : s.by_rule) {
      std::vector<std::string> severities;
      for (const auto& [severity, n] : t.by_severity)
        severities.push_back(fmt::format("{} {}", n, severity));
      out << fmt::format("{}  {:>8}  {:>4}  {}\n", pad(rule, w), t.findings, t.apps.size(),
                         fmt::join(severities, ", "));
    }
  }

  size_t w = 3;
  for (const auto& [app, _] : s.by_app) w = std::max(w, columns(app));
  out << fmt::format("\n{}  {:>7}  {:>8}  {}\n", pad("app", w), "bundles", "findings", "rules");
  for (const auto& [app, t] : s.by_app) {
    std::vector<std::string> rules;
    for (const auto& [rule, n] : t.by_rule)
      rules.push_back(n == 1 ? rule : fmt::format("{}×{}", rule, n));
    std::string cell = rules.empty() ? "—" : fmt::format("{}", fmt::join(rules, " "));
    if (t.errors > 0) cell += fmt::format(" ({} error)", t.errors);
    out << fmt::format("{}  {:>7}  {:>8}  {}\n", pad(app, w), t.bundles, t.findings, cell);
  }

  if (!s.baseline) return;
  out << fmt::format(
      "\ncompared with {}: {} new, {} persisting, {} resolved, {} unchecked (scenario did not "
      "complete)\n",
      s.baseline->string(), s.added.size(), s.persisting.size(), s.resolved.size(),
      s.unchecked.size());
  const std::pair<const char*, const std::vector<TrackedFinding>*> lists[] = {
      {"new", &s.added},
      {"persisting", &s.persisting},
      {"resolved", &s.resolved},
      {"unchecked", &s.unchecked}};
  for (const auto& [label, list] : lists)
    for (const TrackedFinding& t : *list)
      out << fmt::format("  {:<10}  {}  {}  {}: {}\n", label, t.key.rule, t.key.app, t.key.scenario,
                         t.message);
}

json to_json(const NightlySummary& s) {
  const RunCounts& c = s.counts;
  json by_rule = json::object();
  for (const auto& [rule, t] : s.by_rule)
    by_rule[rule] = {{"findings", t.findings},
                     {"by_severity", t.by_severity},
                     {"apps", std::vector<std::string>(t.apps.begin(), t.apps.end())}};
  json by_app = json::object();
  for (const auto& [app, t] : s.by_app)
    by_app[app] = {{"bundles", t.bundles},
                   {"errors", t.errors},
                   {"findings", t.findings},
                   {"by_rule", t.by_rule}};
  json comparison = nullptr;
  if (s.baseline) {
    auto list = [](const std::vector<TrackedFinding>& v) {
      json a = json::array();
      for (const TrackedFinding& t : v) a.push_back(finding_json(t));
      return a;
    };
    comparison = {{"new", list(s.added)},
                  {"persisting", list(s.persisting)},
                  {"resolved", list(s.resolved)},
                  {"unchecked", list(s.unchecked)}};
  }
  return {{"format", "uiwitness-summary/1"},
          {"run", s.run.string()},
          {"baseline", s.baseline ? json(s.baseline->string()) : json(nullptr)},
          {"outcome", s.outcome},
          {"exit_code", s.exit_code},
          {"counts", bundle_counts_json(c)},
          {"by_rule", by_rule},
          {"by_app", by_app},
          {"comparison", comparison}};
}

RunSummary read_run_with_bundles(const fs::path& dir) {
  RunSummary run = read_run(dir);
  if (run.bundles.empty())
    throw Error(
        ErrorKind::kNotFound,
        fmt::format("{} holds no evidence bundle (no manifest.json below it)", dir.string()));
  return run;
}

int run_summary_command(const fs::path& run, const std::optional<fs::path>& baseline, bool as_json,
                        std::ostream& out) {
  const RunSummary current = read_run_with_bundles(run);
  std::optional<RunSummary> before;
  if (baseline) before = read_run_with_bundles(*baseline);
  const NightlySummary s = summarise(current, before ? &*before : nullptr);
  if (as_json)
    out << to_json(s).dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  else
    print_nightly_summary(s, out);
  return 0;
}

}  // namespace uiw::harness
