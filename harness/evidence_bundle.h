#pragma once
// The evidence of one scenario on one device: a directory of frames, trees, annotated frames and
// logs, steps.jsonl (one line per finished step), findings.json, and manifest.json listing every
// file with its SHA-256. Evidence is append-only: a file, once added, is never replaced, and every
// call leaves the directory consistent before it returns, so a run killed between two calls still
// leaves a bundle that `uiwitness verify` accepts, with every completed step in it.
//
// Layout (paths are the runner's choice; these are the conventions, see harness/RUN_JSON.md):
//   manifest.json  steps.jsonl  findings.json  frames/  trees/  annotated/  logcat.txt
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/finding.h"

namespace uiw::harness {

inline constexpr std::string_view kBundleFormat = "uiwitness-bundle/1";
inline constexpr std::string_view kManifestFile = "manifest.json";
inline constexpr std::string_view kStepsFile = "steps.jsonl";
inline constexpr std::string_view kFindingsFile = "findings.json";
// Suffix of the files being written before their atomic rename; `verify` ignores them, since a
// kill between write and rename can leave one behind and it was never part of the evidence.
inline constexpr std::string_view kTempSuffix = ".uiw-tmp";

struct BundleInfo {
  std::string scenario_name;
  std::string scenario_file;
  std::string device_serial;
  std::string device_model;
  int device_sdk = 0;
  std::string device_release;  // "14"
  std::string app_package;
  std::string app_version;  // versionName (versionCode)
  std::string tool_version;
  std::string started;  // ISO 8601 UTC, e.g. from iso8601_utc_now()
  // Farm runs: the how-manieth start of this scenario job, and the bundles (relative to the run
  // directory) of the earlier attempts whose device failed; the reports count those as retried.
  int attempt = 1;
  std::vector<std::string> retry_of;
};

class EvidenceBundle {
 public:
  // `dir` must not exist or be empty; it is created and manifest.json written at once. Throws
  // uiw::Error(kIo) naming the directory otherwise.
  static EvidenceBundle create(const std::filesystem::path& dir, const BundleInfo& info);

  EvidenceBundle(EvidenceBundle&&) noexcept;
  EvidenceBundle& operator=(EvidenceBundle&&) noexcept;
  ~EvidenceBundle();

  // Writes `bytes` to dir/relative_path (temp file + rename), records its SHA-256 in the manifest
  // and returns the path as listed ("frames/003-consent.png"). kind: frame | tree | annotated |
  // logcat | other. Throws uiw::Error: kUsage for a path outside the bundle, a reserved name
  // (manifest.json, steps.jsonl, findings.json) or one already added; kIo when writing fails.
  std::string add_file(const std::string& relative_path, std::string_view bytes,
                       std::string_view kind);
  // add_file with `image` encoded as PNG (lossless: reviewers measure pixels on it).
  std::string add_image(const std::string& relative_path, const cv::Mat& image,
                        std::string_view kind = "frame");

  // Appends one line to steps.jsonl and records the file's new hash. Fields the reports read are
  // listed in harness/RUN_JSON.md ("index", "name", "kind", "outcome", "frame", …).
  void append_step(const nlohmann::json& step_record);

  // Adds to the bundle's findings and rewrites findings.json (a JSON array) atomically.
  void add_findings(const std::vector<detectors::Finding>& findings);

  // outcome: passed | failed | error (infrastructure); records the end time. Until it is called
  // the manifest's outcome and ended are null: the run was interrupted.
  void finish(std::string_view outcome, std::string_view error = {});

  const std::filesystem::path& dir() const;
  const std::vector<detectors::Finding>& findings() const;

 private:
  struct State;
  explicit EvidenceBundle(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Lowercase hex SHA-256 of a file's contents, and of bytes. Throws uiw::Error(kIo) naming the
// file when it cannot be read.
std::string sha256_file(const std::filesystem::path& file);
std::string sha256_hex(std::string_view bytes);

// Writes a temp file beside `target` and renames it over `target`, so readers (and a kill) see
// the old file or the new one, never half of one. Throws uiw::Error(kIo) naming the file.
void write_file_atomically(const std::filesystem::path& target, std::string_view bytes);

// "2024-05-01T09:30:12.345Z".
std::string iso8601_utc_now();

}  // namespace uiw::harness
