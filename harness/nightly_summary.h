#pragma once
// The nightly summary of a run: findings counted per rule and per app, and, against the previous
// night's run (the baseline), which findings are new, which persist and which are resolved.
// `uiwitness summary RUN [--baseline RUN] [--json]`, and printed by `uiwitness run --baseline`.
// Read from the bundles on disk, like the reports, so it works on merged shards. JSON schema:
// harness/RUN_JSON.md, "summary".
//
// The same finding across runs: (app package, scenario name, rule, message with every number
// replaced by '#'). Not the device: a farm hands out different devices each night, and a
// violation does not go away because it ran on another phone. Not the boxes, the measured value
// nor the numbers in the message: they move with screen size, density and a few pixels of
// layout. The message stays (without numbers) so that two different problems of one rule in one
// scenario ("close glyph too small", "close glyph too faint") stay two findings.
#include <filesystem>
#include <iosfwd>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/run_report.h"

namespace uiw::harness {

struct FindingKey {
  std::string app;  // the bundle's app package, else its scenario name
  std::string scenario;
  std::string rule;
  std::string message;  // normalise_message(finding.message)
  auto operator<=>(const FindingKey&) const = default;
};

// "close glyph 12.2 dp < 24 dp at (980, 120)" → "close glyph # dp < # dp at (#, #)": each run of
// digits (with '.' or ',' between digits) becomes '#', whitespace runs one space, trimmed.
std::string normalise_message(std::string_view message);

// One finding identity, with where it occurs in one run.
struct TrackedFinding {
  FindingKey key;
  std::string severity;              // the most severe seen: violation > warning > info
  std::string message;               // as the first occurrence said it
  std::vector<std::string> bundles;  // run-relative bundle paths, sorted, each once
  int occurrences = 0;               // findings with this identity (devices × frames)
};

struct RuleTally {
  int findings = 0;
  std::map<std::string, int> by_severity;
  std::set<std::string> apps;
};

struct AppTally {
  int bundles = 0;
  int errors = 0;  // bundles with outcome error or incomplete: their findings may be missing
  int findings = 0;
  std::map<std::string, int> by_rule;
};

struct NightlySummary {
  std::filesystem::path run;
  std::optional<std::filesystem::path> baseline;
  RunCounts counts;
  std::string outcome;
  int exit_code = 0;
  std::map<std::string, RuleTally> by_rule;
  std::map<std::string, AppTally> by_app;  // every app that ran, with findings or not
  // With a baseline, each identity in exactly one list, sorted by key:
  std::vector<TrackedFinding> added;       // in this run, not in the baseline ("new")
  std::vector<TrackedFinding> persisting;  // in both (bundles of this run)
  std::vector<TrackedFinding> resolved;    // in the baseline; its scenario completed now without it
  // In the baseline, not in this run, but the scenario did not complete in this run (missing
  // from it, error or interrupted): nobody looked, so it is not called resolved.
  std::vector<TrackedFinding> unchecked;
};

NightlySummary summarise(const RunSummary& run, const RunSummary* baseline = nullptr);

// Tables per rule and per app, then the comparison, one finding per line.
void print_nightly_summary(const NightlySummary& summary, std::ostream& out);
nlohmann::json to_json(const NightlySummary& summary);

// `uiwitness summary`: reads RUN (and the baseline) from disk and prints the summary, as JSON with
// `json`. Returns 0: the summary informs, the run's own exit code is `uiwitness report`'s. Throws
// uiw::Error(kNotFound) when a directory is missing or holds no bundle.
int run_summary_command(const std::filesystem::path& run,
                        const std::optional<std::filesystem::path>& baseline, bool json,
                        std::ostream& out);

// read_run, throwing uiw::Error(kNotFound) naming `dir` when it holds no bundle.
RunSummary read_run_with_bundles(const std::filesystem::path& dir);

}  // namespace uiw::harness
