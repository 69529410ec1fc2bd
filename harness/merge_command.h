#pragma once
// `uiwitness merge DIR… --out DIR`: joins the run directories of shards (`uiwitness run --shard
// K/N` on several machines) into one run directory, then writes its reports exactly as
// `uiwitness report` does, from the bundles alone (harness/RUN_JSON.md).
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <vector>

namespace uiw::harness {

struct MergeStats {
  size_t bundles = 0;     // bundles now in the output that came from the inputs
  size_t duplicates = 0;  // identical bundles met again (same manifest SHA-256), kept once
  size_t linked = 0;      // files hard-linked
  size_t copied = 0;      // files copied (another file system, or links not allowed)
  std::vector<std::filesystem::path> empty_inputs;  // inputs without a bundle (an empty shard)
};

// Puts every bundle under each input at the same relative path (<scenario-slug>/<device-slug>)
// under `out`, hard-linking its files where the file system allows and copying otherwise, so the
// manifest's hashes still hold. A bundle path met twice is kept once when both manifests have
// the same SHA-256; otherwise nothing is written and uiw::Error(kConfig) names the path and both
// sources. A bundle already at its path in `out` counts as a source, so a merge can be re-run.
// Only finished shards should be merged: a bundle still being written may not verify.
// Throws uiw::Error: kNotFound for an input that is not a directory or when no input holds a
// bundle, kUsage when `out` and an input contain one another, kIo when copying fails.
MergeStats merge_runs(const std::vector<std::filesystem::path>& inputs,
                      const std::filesystem::path& out);

// merge_runs, then run.json, junit.xml and report.html for `out`. Returns the merged run's exit
// code, as `uiwitness report` does (0 clean, 1 findings, 3 infrastructure errors).
int run_merge_command(const std::vector<std::filesystem::path>& inputs,
                      const std::filesystem::path& out, std::ostream& log);

}  // namespace uiw::harness
