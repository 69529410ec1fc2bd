#pragma once
// A run directory holds one evidence bundle per scenario × device at RUN/<scenario>/<device>/.
// RunSummary is read back from those bundles on disk only (manifest.json, steps.jsonl,
// findings.json), never from the runner's memory, so `uiwitness report DIR` regenerates every
// report after the fact and after shards are merged. run.json's schema: harness/RUN_JSON.md.
#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/finding.h"

namespace uiw::harness {

struct StepSummary {
  int index = 0;       // 1-based position in steps.jsonl
  std::string number;  // as the runner numbered it: "3", "2.1.3" inside run_flow / repeat
  std::string name;
  std::string kind;
  std::string outcome;  // passed | failed | error | skipped
  bool optional = false;
  std::optional<double> duration_s;
  std::vector<std::string> frames;     // bundle-relative, in the order the step saved them
  std::vector<std::string> annotated;  // bundle-relative
  std::string rule;                    // the rule a failed expectation maps to, if any
  std::string message;                 // why it failed
  std::string where;                   // scenario FILE:LINE
};

struct FindingSummary {
  detectors::Finding finding;
  std::string frame;      // bundle-relative path of the frame it was seen on; empty when unknown
  std::string annotated;  // bundle-relative path of the annotated frame; empty when none
  int step = 0;           // StepSummary::index of the step that saved `frame`; 0 if unknown
};

struct BundleSummary {
  std::filesystem::path dir;  // as found on disk
  std::string path;           // relative to the run directory ("consent-popup/emulator-5554")
  std::string scenario;
  std::string scenario_file;
  std::string device_serial;
  std::string device_model;
  int device_sdk = 0;
  std::string device_release;
  std::string app_package;
  std::string app_version;
  std::string tool_version;
  std::string started;
  std::string ended;  // empty when the run was interrupted
  // passed | failed | error | incomplete (never finished) | retried (its device failed and a
  // later attempt on another device, `superseded_by`, is the scenario's result)
  std::string outcome;
  std::string error;
  int attempt = 1;
  std::vector<std::string> retry_of;  // run-relative paths of the attempts this one replaces
  std::string superseded_by;          // run-relative path of the attempt that replaced this one
  std::optional<double> duration_s;
  std::vector<StepSummary> steps;
  std::vector<FindingSummary> findings;
  // Unreadable lines, integrity problems (verify_bundle): the reports show them, since a reviewer
  // must not read evidence that no longer matches its manifest without being told.
  std::vector<std::string> problems;
  bool intact = true;  // verify_bundle found nothing wrong

  // Warnings and violations, failed non-optional steps, or a failed outcome; never for a retried
  // attempt (its replacement speaks for the scenario).
  bool has_failures() const;
  bool has_error() const { return outcome == "error" || outcome == "incomplete"; }
};

struct RunCounts {
  int bundles = 0, scenarios = 0, devices = 0;
  int passed = 0, failed = 0, errors = 0, incomplete = 0;
  int retried = 0;  // attempts whose device failed, replaced by a later attempt; not counted below
  int steps = 0, steps_failed = 0;
  int findings = 0;
  std::map<std::string, int> by_severity;  // "violation" | "warning" | "info"
  std::map<std::string, int> by_rule;
  int not_intact = 0;  // bundles whose evidence fails verification
};

struct RunSummary {
  std::filesystem::path dir;
  std::vector<BundleSummary> bundles;  // sorted by path

  RunCounts counts() const;
  // passed | failed | error, and docs/ARCHITECTURE.md's exit code for it: 0 clean, 1 findings,
  // failed expectations or evidence that fails verification, 3 infrastructure errors or interrupted
  // bundles.
  std::string outcome() const;
  int exit_code() const;
};

// The bundle counts as run.json and the nightly summary write them: bundles, scenarios, devices,
// passed, failed, error, incomplete, findings.
nlohmann::json bundle_counts_json(const RunCounts& counts);

// Every bundle directory (one holding manifest.json) under `dir`, `dir` itself included; sorted.
std::vector<std::filesystem::path> find_bundles(const std::filesystem::path& dir);

// Reads every bundle under `run_dir`, marking the attempts that later ones replaced as retried.
// A damaged bundle becomes a BundleSummary with problems, not
// an exception; throws uiw::Error(kNotFound) when run_dir is not a directory.
RunSummary read_run(const std::filesystem::path& run_dir);

// run.json, written atomically. Paths in it are relative to the run directory.
void write_run_json(const RunSummary& summary, const std::filesystem::path& path);

// Where the runner puts a bundle: RUN/<slug(scenario)>/<slug(device_serial)>.
std::filesystem::path bundle_dir(const std::filesystem::path& run_dir, std::string_view scenario,
                                 std::string_view device_serial);
// A file-name-safe form: ASCII letters, digits, '.', '_' and '-' and non-ASCII (UTF-8) kept, any
// other run of characters becomes one '-'; "emulator-5554", "127.0.0.1-5555", "同意弹窗".
std::string slug(std::string_view text);

// Seconds since the epoch of "2024-05-01T09:30:12.345Z" (or "+08:00"); nullopt when malformed.
std::optional<double> parse_iso8601(std::string_view text);

}  // namespace uiw::harness
