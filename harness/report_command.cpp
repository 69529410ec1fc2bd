#include "harness/report_command.h"

#include <fmt/format.h>

#include <ostream>

#include "common/error.h"
#include "harness/bundle_verifier.h"
#include "harness/html_report.h"
#include "harness/junit_report.h"
#include "harness/run_report.h"

namespace uiw::harness {

namespace fs = std::filesystem;

int run_report_command(const fs::path& run_dir, std::ostream& out) {
  const RunSummary summary = read_run(run_dir);
  if (summary.bundles.empty())
    throw Error(
        ErrorKind::kNotFound,
        fmt::format("{} holds no evidence bundle (no manifest.json below it)", run_dir.string()));
  write_run_json(summary, run_dir / "run.json");
  write_junit_xml(summary, run_dir / "junit.xml");
  write_html_report(summary, run_dir / "report.html");

  const RunCounts c = summary.counts();
  out << fmt::format(
      "{}: {} bundle(s): {} passed, {} failed, {} error, {} interrupted; {} "
      "finding(s)\n",
      run_dir.string(), c.bundles, c.passed, c.failed, c.errors, c.incomplete, c.findings);
  for (const BundleSummary& b : summary.bundles)
    if (!b.intact)
      out << fmt::format("  warning: {} fails verification ({} problem(s)); run uiwitness verify\n",
                         b.path, b.problems.size());
  for (const char* name : {"run.json", "junit.xml", "report.html"})
    out << "  wrote " << (run_dir / name).string() << '\n';
  return summary.exit_code();
}

int run_verify(const fs::path& dir, std::ostream& out) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(ErrorKind::kNotFound, fmt::format("{} is not a directory", dir.string()));
  const std::vector<fs::path> bundles = find_bundles(dir);
  if (bundles.empty())
    throw Error(
        ErrorKind::kNotFound,
        fmt::format("{} holds no evidence bundle (no manifest.json below it)", dir.string()));
  int broken = 0;
  for (const fs::path& bundle : bundles) {
    const VerifyResult r = verify_bundle(bundle);
    if (r.ok()) {
      out << fmt::format("OK    {} ({} files)\n", bundle.string(), r.files_checked);
      for (const std::string& note : r.notes) out << "      note: " << note << '\n';
      continue;
    }
    ++broken;
    out << fmt::format("FAIL  {} ({} problem(s))\n", bundle.string(), r.problems.size());
    for (const VerifyProblem& p : r.problems) out << "      " << p.message << '\n';
  }
  if (bundles.size() > 1)
    out << fmt::format("{} of {} bundle(s) intact\n", bundles.size() - broken, bundles.size());
  return broken == 0 ? 0 : 1;
}

}  // namespace uiw::harness
