#include "harness/junit_report.h"

#include <fmt/format.h>

#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "harness/evidence_bundle.h"

namespace uiw::harness {

namespace {

// XML 1.0 cannot carry most control characters, even as references; app text sometimes has them.
std::string xml_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    out += (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ? '?' : ch;
  }
  return out;
}

std::string seconds(std::optional<double> s) {
  return fmt::format("{:.3f}", s.value_or(0.0));
}

std::string run_path(const BundleSummary& b, const std::string& relative) {
  return b.path == "." ? relative : b.path + "/" + relative;
}

std::string finding_details(const BundleSummary& b, const FindingSummary& f) {
  const detectors::Finding& d = f.finding;
  std::string out = fmt::format("severity: {}\n", detectors::to_string(d.severity));
  if (!d.regulation.empty()) out += fmt::format("regulation: {}\n", d.regulation);
  if (d.value)
    out += d.threshold ? fmt::format("measured: {:g} {} (threshold {:g} {})\n", *d.value, d.unit,
                                     *d.threshold, d.unit)
                       : fmt::format("measured: {:g} {}\n", *d.value, d.unit);
  for (const detectors::Rect& r : d.boxes) out += fmt::format("at: {}\n", r.to_bounds_string());
  for (const StepSummary& s : b.steps)
    if (s.index == f.step) out += fmt::format("step: {} {}\n", s.number, s.name);
  if (!f.frame.empty()) out += fmt::format("frame: {}\n", run_path(b, f.frame));
  if (!f.annotated.empty()) out += fmt::format("annotated: {}\n", run_path(b, f.annotated));
  return out;
}

void add_failure(pugi::xml_node testcase, std::string_view element, const std::string& message,
                 std::string_view type, const std::string& body) {
  pugi::xml_node n = testcase.append_child(std::string(element).c_str());
  n.append_attribute("message") = xml_text(message).c_str();
  n.append_attribute("type") = std::string(type).c_str();
  if (!body.empty()) n.text() = xml_text(body).c_str();
}

struct Tally {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
};

// Returns whether the test case failed (1), errored (2) or was skipped (3), else 0.
int add_testcase(pugi::xml_node suite, const BundleSummary& b) {
  pugi::xml_node tc = suite.append_child("testcase");
  tc.append_attribute("classname") = xml_text(b.scenario).c_str();
  tc.append_attribute("name") = xml_text(b.device_serial).c_str();
  tc.append_attribute("time") = seconds(b.duration_s).c_str();

  if (b.outcome == "retried") {
    // The device failed; the attempt that replaced it is its own test case.
    tc.append_child("skipped").append_attribute("message") =
        xml_text(fmt::format("retried as {}: {}", b.superseded_by, b.error)).c_str();
    tc.append_child("system-out").text() = xml_text("evidence: " + b.path + "\n").c_str();
    return 3;
  }
  bool failed = false;
  bool errored = false;
  if (b.outcome == "error") {
    add_failure(tc, "error", "error: " + (b.error.empty() ? "infrastructure failure" : b.error),
                "infrastructure", "");
    errored = true;
  } else if (b.outcome == "incomplete") {
    add_failure(tc, "error",
                fmt::format("interrupted: the run stopped after {} step(s) without finishing "
                            "this bundle",
                            b.steps.size()),
                "infrastructure", "");
    errored = true;
  }
  std::string info;
  for (const FindingSummary& f : b.findings) {
    const detectors::Finding& d = f.finding;
    const std::string message = fmt::format("{}: {}", d.rule, d.message);
    if (d.severity == detectors::Severity::kInfo) {
      info += message + "\n";
      continue;
    }
    add_failure(tc, "failure", message, detectors::to_string(d.severity), finding_details(b, f));
    failed = true;
  }
  for (const StepSummary& s : b.steps) {
    if (s.outcome != "failed" || s.optional) continue;
    const std::string rule = s.rule.empty() ? std::string(kExpectationPrefix) : s.rule;
    std::string body = fmt::format("step: {}\n", s.number);
    if (!s.where.empty()) body += fmt::format("where: {}\n", s.where);
    for (const std::string& frame : s.frames)
      body += fmt::format("frame: {}\n", run_path(b, frame));
    add_failure(tc, "failure",
                fmt::format("{}: step {} {} failed{}{}", rule, s.number, s.name,
                            s.message.empty() ? "" : ": ", s.message),
                "expectation", body);
    failed = true;
  }
  if (!b.intact) {
    std::string body;
    for (const std::string& p : b.problems) body += p + "\n";
    add_failure(
        tc, "failure",
        fmt::format("{}: the evidence bundle {} fails verification", kEvidencePrefix, b.path),
        "evidence", body);
    failed = true;
  }
  if (b.outcome == "failed" && !failed)
    add_failure(tc, "failure",
                fmt::format("{}: {}", kExpectationPrefix,
                            b.error.empty() ? "the scenario failed" : b.error),
                "expectation", "");

  std::string out = fmt::format("evidence: {}\n", b.path);
  out += fmt::format("device: {} {} (Android {}, SDK {})\n", b.device_serial, b.device_model,
                     b.device_release, b.device_sdk);
  out += fmt::format("app: {} {}\n", b.app_package, b.app_version);
  for (const StepSummary& s : b.steps)
    out += fmt::format("step {} {}: {}\n", s.number, s.name, s.outcome);
  if (!info.empty()) out += "info:\n" + info;
  tc.append_child("system-out").text() = xml_text(out).c_str();
  return errored ? 2 : (failed || b.outcome == "failed") ? 1 : 0;
}

}  // namespace

std::string junit_xml(const RunSummary& summary) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("testsuites");
  root.append_attribute("name") = "uiwitness";

  // Suites in order of first appearance; bundles are sorted by path, i.e. by scenario.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const BundleSummary*>> by_scenario;
  for (const BundleSummary& b : summary.bundles) {
    if (!by_scenario.contains(b.scenario)) order.push_back(b.scenario);
    by_scenario[b.scenario].push_back(&b);
  }
  Tally total;
  for (const std::string& scenario : order) {
    const auto& bundles = by_scenario[scenario];
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name") = xml_text(scenario).c_str();
    Tally t;
    std::string timestamp;
    for (const BundleSummary* b : bundles) {
      const int result = add_testcase(suite, *b);
      ++t.tests;
      t.failures += result == 1;
      t.errors += result == 2;
      t.skipped += result == 3;
      t.time += b->duration_s.value_or(0);
      // JUnit's timestamp is an xs:dateTime without a zone; the run's are all UTC.
      if (b->started.size() >= 19 && (timestamp.empty() || b->started < timestamp))
        timestamp = b->started.substr(0, 19);
    }
    suite.append_attribute("tests") = t.tests;
    suite.append_attribute("failures") = t.failures;
    suite.append_attribute("errors") = t.errors;
    suite.append_attribute("skipped") = t.skipped;
    suite.append_attribute("time") = seconds(t.time).c_str();
    suite.append_attribute("timestamp") = timestamp.c_str();
    if (!bundles.empty() && !bundles.front()->scenario_file.empty()) {
      pugi::xml_node props = suite.prepend_child("properties");
      pugi::xml_node p = props.append_child("property");
      p.append_attribute("name") = "scenario_file";
      p.append_attribute("value") = xml_text(bundles.front()->scenario_file).c_str();
    }
    total.tests += t.tests;
    total.failures += t.failures;
    total.errors += t.errors;
    total.time += t.time;
  }
  root.append_attribute("tests") = total.tests;
  root.append_attribute("failures") = total.failures;
  root.append_attribute("errors") = total.errors;
  root.append_attribute("time") = seconds(total.time).c_str();

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void write_junit_xml(const RunSummary& summary, const std::filesystem::path& path) {
  write_file_atomically(path, junit_xml(summary));
}

}  // namespace uiw::harness
