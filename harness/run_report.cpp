#include "harness/run_report.h"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "harness/bundle_verifier.h"
#include "harness/evidence_bundle.h"

namespace uiw::harness {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string str(const json& j, std::string_view key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> num(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it != j.end() && it->is_number()) return it->get<double>();
  return std::nullopt;
}

std::optional<double> seconds_between(const std::string& start, const std::string& end) {
  const auto a = parse_iso8601(start);
  const auto b = parse_iso8601(end);
  if (a && b && *b >= *a) return *b - *a;
  return std::nullopt;
}

// The inverse of detectors::to_json(Finding), tolerant of missing fields.
detectors::Finding finding_from_json(const json& j) {
  detectors::Finding f;
  f.rule = str(j, "rule");
  f.severity =
      detectors::parse_severity(str(j, "severity")).value_or(detectors::Severity::kViolation);
  f.message = str(j, "message");
  f.regulation = str(j, "regulation");
  f.unit = str(j, "unit");
  f.frame = str(j, "frame");
  f.value = num(j, "value");
  f.threshold = num(j, "threshold");
  if (const auto boxes = j.find("boxes"); boxes != j.end() && boxes->is_array())
    for (const json& b : *boxes)
      if (b.is_array() && b.size() == 4 &&
          std::all_of(b.begin(), b.end(), [](const json& v) { return v.is_number(); })) {
        const int x = b[0].get<int>(), y = b[1].get<int>();
        f.boxes.push_back({x, y, x + b[2].get<int>(), y + b[3].get<int>()});
      }
  return f;
}

// A field the runner writes as one path or as a list of them.
std::vector<std::string> paths(const json& j, std::string_view key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array())
    for (const json& p : *it)
      if (p.is_string()) out.push_back(p.get<std::string>());
  return out;
}

StepSummary step_from_json(const json& j, int line) {
  StepSummary s;
  s.index = line;
  if (const auto it = j.find("index"); it != j.end())
    s.number = it->is_string() ? it->get<std::string>() : it->is_number() ? it->dump() : "";
  if (s.number.empty()) s.number = std::to_string(line);
  s.name = str(j, "name");
  s.kind = str(j, "kind");
  s.outcome = str(j, "outcome");
  if (s.outcome.empty()) s.outcome = "passed";
  s.optional = j.value("optional", false);
  if (const auto ms = num(j, "duration_ms")) {
    s.duration_s = *ms / 1000.0;
  } else if (const auto timing = j.find("timing_ms"); timing != j.end() && timing->is_object()) {
    if (const auto total = num(*timing, "total")) s.duration_s = *total / 1000.0;
  }
  if (!s.duration_s) s.duration_s = seconds_between(str(j, "started"), str(j, "ended"));
  s.frames = paths(j, "frame");
  for (std::string& f : paths(j, "frames")) s.frames.push_back(std::move(f));
  s.annotated = paths(j, "annotated");
  s.rule = str(j, "rule");
  s.message = str(j, "message");
  if (s.message.empty()) s.message = str(j, "error");
  s.where = str(j, "where");
  return s;
}

std::optional<json> read_json_file(const fs::path& file, std::vector<std::string>& problems) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    problems.push_back(fmt::format("{}: not valid JSON ({})", file.filename().string(), e.what()));
    return std::nullopt;
  }
}

// Whether `annotated` is the annotated copy of `frame` for `rule`: the runner names them
// annotated/<frame stem>.png, or annotated/<frame stem>-<rule>.png for one finding.
bool annotates(const std::string& annotated, const std::string& frame, const std::string& rule) {
  const std::string a = fs::path(annotated).stem().string();
  const std::string f = fs::path(frame).stem().string();
  return a == f || a == f + "-" + rule || a == f + ".annotated" || a == f + "-annotated";
}

// A finding names its frame by the path the runner gave it; match it to a listed file, then find
// the step that saved it and the annotated copy.
void resolve_frames(BundleSummary& b,
                    const std::vector<std::pair<std::string, std::string>>& files) {
  for (FindingSummary& fs_ : b.findings) {
    const std::string& named = fs_.finding.frame;
    if (named.empty()) continue;
    for (const auto& [path, kind] : files)
      if (path == named || path.ends_with("/" + named)) {
        fs_.frame = path;
        break;
      }
    if (fs_.frame.empty()) continue;
    const std::string& rule = fs_.finding.rule;
    const std::string drawn_for_rule = fs::path(fs_.frame).stem().string() + "-" + rule;
    for (const StepSummary& s : b.steps) {
      if (std::find(s.frames.begin(), s.frames.end(), fs_.frame) == s.frames.end()) continue;
      fs_.step = s.index;
      // Prefer the copy drawn for this rule, then the frame's shared one.
      for (const std::string& a : s.annotated)
        if (fs::path(a).stem().string() == drawn_for_rule) fs_.annotated = a;
      for (const std::string& a : s.annotated)
        if (fs_.annotated.empty() && annotates(a, fs_.frame, rule)) fs_.annotated = a;
      break;
    }
    // A probe lists only the annotated copies it drew; the step is the one that lists it.
    for (const StepSummary& s : b.steps)
      for (const std::string& a : s.annotated)
        if (fs_.annotated.empty() && annotates(a, fs_.frame, rule)) {
          fs_.annotated = a;
          if (fs_.step == 0) fs_.step = s.index;
        }
    for (const auto& [path, kind] : files)
      if (fs_.annotated.empty() && path != fs_.frame &&
          (kind == "annotated" || path.starts_with("annotated/")) &&
          annotates(path, fs_.frame, rule))
        fs_.annotated = path;
  }
}

BundleSummary read_bundle(const fs::path& dir, const fs::path& run_dir) {
  BundleSummary b;
  b.dir = dir;
  b.path = dir.lexically_relative(run_dir).generic_string();
  if (b.path.empty()) b.path = ".";
  b.outcome = "incomplete";

  std::vector<std::pair<std::string, std::string>> files;  // path, kind
  const auto manifest = read_json_file(dir / kManifestFile, b.problems);
  if (!manifest || !manifest->is_object()) {
    b.outcome = "error";
    b.error = "manifest.json is missing or malformed";
  } else {
    const json& m = *manifest;
    const json none = json::object();
    auto section = [&](std::string_view key) -> const json& {
      const auto it = m.find(key);
      return it != m.end() && it->is_object() ? *it : none;
    };
    b.scenario = str(section("scenario"), "name");
    b.scenario_file = str(section("scenario"), "file");
    b.device_serial = str(section("device"), "serial");
    b.device_model = str(section("device"), "model");
    b.device_sdk = section("device").value("sdk", 0);
    b.device_release = str(section("device"), "release");
    b.app_package = str(section("app"), "package");
    b.app_version = str(section("app"), "version");
    b.tool_version = str(section("tool"), "version");
    b.started = str(m, "started");
    b.ended = str(m, "ended");
    const std::string outcome = str(m, "outcome");
    if (!outcome.empty()) b.outcome = outcome;
    b.error = str(m, "error");
    b.attempt = m.value("attempt", 1);
    if (const auto it = m.find("retry_of"); it != m.end() && it->is_array())
      for (const json& p : *it)
        if (p.is_string()) b.retry_of.push_back(p.get<std::string>());
    if (const auto it = m.find("files"); it != m.end() && it->is_array())
      for (const json& f : *it)
        if (f.is_object()) files.emplace_back(str(f, "path"), str(f, "kind"));
  }

  if (std::ifstream in(dir / kStepsFile, std::ios::binary); in) {
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty()) continue;
      try {
        b.steps.push_back(step_from_json(json::parse(line), number));
      } catch (const json::exception& e) {
        b.problems.push_back(fmt::format("steps.jsonl:{}: not valid JSON ({})", number, e.what()));
      }
    }
  }
  if (const auto findings = read_json_file(dir / kFindingsFile, b.problems)) {
    if (findings->is_array())
      for (const json& f : *findings) b.findings.push_back({finding_from_json(f), {}, {}, 0});
    else
      b.problems.push_back("findings.json: not a JSON array");
  }
  resolve_frames(b, files);

  b.duration_s = seconds_between(b.started, b.ended);
  if (!b.duration_s) {
    // Interrupted: the time of the steps the bundle recorded, when they say.
    for (const StepSummary& s : b.steps)
      if (s.duration_s) b.duration_s = b.duration_s.value_or(0) + *s.duration_s;
  }

  const VerifyResult verified = verify_bundle(dir);
  b.intact = verified.ok();
  for (const VerifyProblem& p : verified.problems) b.problems.push_back(p.message);
  if (b.scenario.empty()) b.scenario = dir.parent_path().filename().string();
  if (b.device_serial.empty()) b.device_serial = dir.filename().string();
  return b;
}

json step_to_json(const StepSummary& s) {
  return {{"index", s.index},
          {"number", s.number},
          {"name", s.name},
          {"kind", s.kind},
          {"outcome", s.outcome},
          {"optional", s.optional},
          {"duration_s", s.duration_s ? json(*s.duration_s) : json(nullptr)},
          {"frames", s.frames},
          {"annotated", s.annotated},
          {"rule", s.rule.empty() ? json(nullptr) : json(s.rule)},
          {"message", s.message},
          {"where", s.where}};
}

json bundle_to_json(const BundleSummary& b) {
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json steps = json::array();
  for (const StepSummary& s : b.steps) steps.push_back(step_to_json(s));
  json findings = json::array();
  for (const FindingSummary& f : b.findings) {
    json j = detectors::to_json(f.finding);
    j["frame"] = or_null(f.frame.empty() ? f.finding.frame : f.frame);
    j["annotated"] = or_null(f.annotated);
    j["step"] = f.step > 0 ? json(f.step) : json(nullptr);
    findings.push_back(std::move(j));
  }
  return {{"path", b.path},
          {"scenario", {{"name", b.scenario}, {"file", b.scenario_file}}},
          {"device",
           {{"serial", b.device_serial},
            {"model", b.device_model},
            {"sdk", b.device_sdk},
            {"release", b.device_release}}},
          {"app", {{"package", b.app_package}, {"version", b.app_version}}},
          {"tool_version", b.tool_version},
          {"outcome", b.outcome},
          {"error", or_null(b.error)},
          {"attempt", b.attempt},
          {"retry_of", b.retry_of},
          {"superseded_by", or_null(b.superseded_by)},
          {"started", or_null(b.started)},
          {"ended", or_null(b.ended)},
          {"duration_s", b.duration_s ? json(*b.duration_s) : json(nullptr)},
          {"intact", b.intact},
          {"problems", b.problems},
          {"steps", steps},
          {"findings", findings}};
}

}  // namespace

bool BundleSummary::has_failures() const {
  if (outcome == "retried") return false;
  if (outcome == "failed") return true;
  for (const FindingSummary& f : findings)
    if (f.finding.severity != detectors::Severity::kInfo) return true;
  for (const StepSummary& s : steps)
    if (s.outcome == "failed" && !s.optional) return true;
  return false;
}

RunCounts RunSummary::counts() const {
  RunCounts c;
  std::set<std::string> scenarios, devices;
  for (const BundleSummary& b : bundles) {
    ++c.bundles;
    scenarios.insert(b.scenario);
    devices.insert(b.device_serial);
    if (b.outcome == "retried") {
      ++c.retried;
      continue;
    }
    if (b.outcome == "passed")
      ++c.passed;
    else if (b.outcome == "failed")
      ++c.failed;
    else if (b.outcome == "incomplete")
      ++c.incomplete;
    else
      ++c.errors;
    c.steps += static_cast<int>(b.steps.size());
    for (const StepSummary& s : b.steps) c.steps_failed += s.outcome == "failed";
    for (const FindingSummary& f : b.findings) {
      ++c.findings;
      ++c.by_severity[std::string(detectors::to_string(f.finding.severity))];
      ++c.by_rule[f.finding.rule];
    }
    c.not_intact += !b.intact;
  }
  c.scenarios = static_cast<int>(scenarios.size());
  c.devices = static_cast<int>(devices.size());
  return c;
}

std::string RunSummary::outcome() const {
  bool failed = false;
  for (const BundleSummary& b : bundles) {
    if (b.has_error()) return "error";
    failed = failed || b.has_failures() || !b.intact;
  }
  return failed ? "failed" : "passed";
}

int RunSummary::exit_code() const {
  const std::string o = outcome();
  return o == "error" ? 3 : o == "failed" ? 1 : 0;
}

std::vector<fs::path> find_bundles(const fs::path& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  if (fs::is_regular_file(dir / kManifestFile, ec)) return {dir};
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (!it->is_directory(entry_ec) || it->is_symlink(entry_ec)) continue;
    if (fs::is_regular_file(it->path() / kManifestFile, entry_ec)) {
      found.push_back(it->path());
      it.disable_recursion_pending();  // a bundle holds frames, not other bundles
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

RunSummary read_run(const fs::path& run_dir) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec))
    throw Error(ErrorKind::kNotFound,
                fmt::format("run directory {} does not exist", run_dir.string()));
  RunSummary run;
  run.dir = run_dir;
  for (const fs::path& dir : find_bundles(run_dir))
    run.bundles.push_back(read_bundle(dir, run_dir));
  for (const BundleSummary& b : run.bundles) {
    for (const std::string& earlier : b.retry_of) {
      for (BundleSummary& e : run.bundles) {
        if (e.path != earlier || e.outcome == "retried") continue;
        e.outcome = "retried";
        e.superseded_by = b.path;
      }
    }
  }
  return run;
}

json bundle_counts_json(const RunCounts& c) {
  return {{"bundles", c.bundles},       {"scenarios", c.scenarios}, {"devices", c.devices},
          {"passed", c.passed},         {"failed", c.failed},       {"error", c.errors},
          {"incomplete", c.incomplete}, {"retried", c.retried},     {"findings", c.findings}};
}

void write_run_json(const RunSummary& summary, const fs::path& path) {
  const RunCounts c = summary.counts();
  json bundles = json::array();
  for (const BundleSummary& b : summary.bundles) bundles.push_back(bundle_to_json(b));
  json counts = bundle_counts_json(c);
  counts["steps"] = c.steps;
  counts["steps_failed"] = c.steps_failed;
  counts["by_severity"] = c.by_severity;
  counts["by_rule"] = c.by_rule;
  counts["not_intact"] = c.not_intact;
  const json run = {{"format", "uiwitness-run/1"},
                    {"generated", iso8601_utc_now()},
                    {"outcome", summary.outcome()},
                    {"exit_code", summary.exit_code()},
                    {"counts", counts},
                    {"bundles", bundles}};
  write_file_atomically(path, run.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

fs::path bundle_dir(const fs::path& run_dir, std::string_view scenario,
                    std::string_view device_serial) {
  return run_dir / slug(scenario) / slug(device_serial);
}

std::string slug(std::string_view text) {
  std::string out;
  bool dash = false;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
      dash = false;
    } else if (keep) {
      out += ch;
      dash = false;
    } else if (!dash && !out.empty()) {
      out += '-';
      dash = true;
    }
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  // A leading dot would hide the directory; "." and ".." would escape it.
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  return out.empty() ? "unnamed" : out;
}

std::optional<double> parse_iso8601(std::string_view text) {
  if (text.size() < 19) return std::nullopt;
  const std::string s(text);
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  double seconds = static_cast<double>(timegm(&tm));
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10)
      seconds += (s[i] - '0') * scale;
  }
  if (i == s.size() || (s[i] == 'Z' && i + 1 == s.size())) return seconds;
  int hours = 0, minutes = 0;
  if ((s[i] == '+' || s[i] == '-') && s.size() == i + 6 &&
      std::sscanf(s.c_str() + i + 1, "%2d:%2d", &hours, &minutes) == 2) {
    const double offset = hours * 3600.0 + minutes * 60.0;
    return s[i] == '+' ? seconds - offset : seconds + offset;
  }
  return std::nullopt;
}

}  // namespace uiw::harness
