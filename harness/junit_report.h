#pragma once
// junit.xml for CI (Jenkins, GitLab): a <testsuite> per scenario, a <testcase> per scenario ×
// device (classname = scenario, name = device serial). Every warning or violation finding and
// every failed expectation is a <failure> whose message starts with its rule ID ("POP-06: …"), so
// CI lists what is wrong without opening the evidence; infrastructure errors and interrupted
// bundles are <error>, so a broken farm does not read as a non-compliant app.
#include <filesystem>
#include <string>

#include "harness/run_report.h"

namespace uiw::harness {

// Prefixes for failures that no rule names.
inline constexpr std::string_view kExpectationPrefix = "EXPECT";  // a failed assertion step
inline constexpr std::string_view kEvidencePrefix = "EVIDENCE";   // bundle fails verification

// The document as text; paths in it are relative to `summary.dir`.
std::string junit_xml(const RunSummary& summary);
void write_junit_xml(const RunSummary& summary, const std::filesystem::path& path);

}  // namespace uiw::harness
