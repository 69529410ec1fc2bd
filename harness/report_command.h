#pragma once
// `uiwitness report DIR` and `uiwitness verify DIR`.
#include <filesystem>
#include <iosfwd>

namespace uiw::harness {

// Reads every bundle under `run_dir` from disk and writes run.json, junit.xml and report.html
// into it. Returns the run's exit code (docs/ARCHITECTURE.md): 0 clean, 1 findings, failed
// expectations or evidence failing verification, 3 infrastructure errors or interrupted bundles, so
// CI can run it after `uiwitness merge`. Throws uiw::Error(kNotFound) when run_dir has no bundles.
int run_report_command(const std::filesystem::path& run_dir, std::ostream& out);

// Verifies one bundle, or every bundle under a run directory, printing one line per bundle and
// one per problem. Returns 0 when all are intact, 1 on any missing, modified or unlisted file or
// damaged manifest. Throws uiw::Error(kNotFound) when `dir` holds no bundle.
int run_verify(const std::filesystem::path& dir, std::ostream& out);

}  // namespace uiw::harness
