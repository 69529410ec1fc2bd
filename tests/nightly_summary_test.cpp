// The nightly summary: what a farm found tonight per rule and per app, and what changed since
// last night. A finding is the same across nights when app, scenario, rule and message (numbers
// aside) match, whichever device ran it and wherever its boxes fell.
#include "harness/nightly_summary.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "harness/evidence_bundle.h"
#include "harness/run_report.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

detectors::Finding finding(const std::string& rule, const std::string& message,
                           detectors::Rect box = {10, 20, 70, 80},
                           detectors::Severity severity = detectors::Severity::kViolation) {
  detectors::Finding f;
  f.rule = rule;
  f.message = message;
  f.severity = severity;
  f.boxes = {box};
  return f;
}

void write_bundle(const fs::path& run, const std::string& scenario, const std::string& app,
                  const std::string& serial, const std::vector<detectors::Finding>& findings,
                  const std::string& outcome) {
  BundleInfo i;
  i.scenario_name = scenario;
  i.scenario_file = "/checkout/scenarios/" + scenario + ".yaml";
  i.device_serial = serial;
  i.app_package = app;
  i.started = iso8601_utc_now();
  EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, scenario, serial), i);
  if (!findings.empty()) b.add_findings(findings);
  if (!outcome.empty()) b.finish(outcome);  // empty: interrupted
}

std::vector<std::string> rules_of(const std::vector<TrackedFinding>& list) {
  std::vector<std::string> out;
  for (const auto& t : list) out.push_back(t.key.scenario + " " + t.key.rule);
  return out;
}

class NightlySummaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "uiw-nightly-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    const fs::path before = root_ / "monday";
    write_bundle(before, "popup close", "com.shop", "emulator-5554",
                 {finding("POP-02", "close glyph 12.2 dp < 24 dp")}, "failed");
    write_bundle(before, "consent", "com.fit", "emulator-5554",
                 {finding("CON-01", "2 boxes ticked before any tap")}, "failed");
    write_bundle(before, "red packet", "com.deals", "emulator-5554",
                 {finding("POP-01", "no close control")}, "failed");
    write_bundle(before, "hierarchy", "com.mall", "emulator-5554",
                 {finding("POP-04", "decline contrast 1.3:1 vs accept 7.2:1")}, "failed");

    const fs::path tonight = root_ / "tuesday";
    // Another phone, other pixels, other measures: the same small close glyph.
    write_bundle(tonight, "popup close", "com.shop", "R58M123",
                 {finding("POP-02", "close glyph 13.5 dp < 24 dp", {400, 300, 450, 350})},
                 "failed");
    // Fixed: ran to the end, no finding.
    write_bundle(tonight, "consent", "com.fit", "R58M123", {}, "passed");
    // The device died: nobody looked, so not "resolved".
    write_bundle(tonight, "red packet", "com.deals", "R58M123", {}, "error");
    // Still there, and a second problem appeared.
    write_bundle(tonight, "hierarchy", "com.mall", "R58M123",
                 {finding("POP-04", "decline contrast 1.2:1 vs accept 7.0:1"),
                  finding("POP-02", "close glyph 9 dp < 24 dp", {0, 0, 9, 9},
                          detectors::Severity::kWarning)},
                 "failed");
    // A scenario that did not exist on Monday, on two devices.
    write_bundle(tonight, "new splash", "com.news", "R58M123",
                 {finding("SPL-01", "skip after 5 s")}, "failed");
    write_bundle(tonight, "new splash", "com.news", "emulator-5556",
                 {finding("SPL-01", "skip after 6 s")}, "failed");
    before_ = new RunSummary(read_run(before));
    tonight_ = new RunSummary(read_run(tonight));
  }
  static void TearDownTestSuite() {
    delete before_;
    delete tonight_;
    fs::remove_all(root_);
  }

  static fs::path root_;
  static RunSummary* before_;
  static RunSummary* tonight_;
};

fs::path NightlySummaryTest::root_;
RunSummary* NightlySummaryTest::before_ = nullptr;
RunSummary* NightlySummaryTest::tonight_ = nullptr;

TEST(NormaliseMessage, NumbersAndSpacingDoNotMakeADifferentFinding) {
  EXPECT_EQ(normalise_message("close glyph 12.2 dp < 24 dp"), "close glyph # dp < # dp");
  EXPECT_EQ(normalise_message("close glyph 9 dp <  24 dp "), "close glyph # dp < # dp");
  EXPECT_EQ(normalise_message("at (1,080, 120) on 2400x1080"), "at (#, #) on #x#");
  EXPECT_EQ(normalise_message("ends with a dot 3."), "ends with a dot #.");
  EXPECT_EQ(normalise_message("关闭按钮 12 dp"), "关闭按钮 # dp");
  EXPECT_NE(normalise_message("close glyph too small"), normalise_message("close glyph too faint"));
}

TEST_F(NightlySummaryTest, ComparedWithLastNightEachFindingIsNewPersistingResolvedOrUnchecked) {
  const NightlySummary s = summarise(*tonight_, before_);
  EXPECT_EQ(rules_of(s.added), (std::vector<std::string>{"hierarchy POP-02", "new splash SPL-01"}));
  EXPECT_EQ(rules_of(s.persisting),
            (std::vector<std::string>{"hierarchy POP-04", "popup close POP-02"}));
  EXPECT_EQ(rules_of(s.resolved), (std::vector<std::string>{"consent CON-01"}));
  EXPECT_EQ(rules_of(s.unchecked), (std::vector<std::string>{"red packet POP-01"}));

  // The new splash finding is one finding seen on two devices.
  const TrackedFinding& splash = s.added[1];
  EXPECT_EQ(splash.occurrences, 2);
  EXPECT_EQ(splash.bundles,
            (std::vector<std::string>{"new-splash/emulator-5556", "new-splash/r58m123"}));
  // Persisting findings point at tonight's evidence; resolved ones at the baseline's.
  EXPECT_EQ(s.persisting[1].bundles, (std::vector<std::string>{"popup-close/r58m123"}));
  EXPECT_EQ(s.resolved[0].bundles, (std::vector<std::string>{"consent/emulator-5554"}));
}

TEST_F(NightlySummaryTest, CountsPerRuleAndPerAppIncludeAppsWithoutFindings) {
  const NightlySummary s = summarise(*tonight_);
  EXPECT_TRUE(s.added.empty() && s.resolved.empty() && !s.baseline);
  ASSERT_EQ(s.by_rule.size(), 3u);
  EXPECT_EQ(s.by_rule.at("POP-02").findings, 2);
  EXPECT_EQ(s.by_rule.at("POP-02").apps, (std::set<std::string>{"com.mall", "com.shop"}));
  EXPECT_EQ(s.by_rule.at("POP-02").by_severity,
            (std::map<std::string, int>{{"violation", 1}, {"warning", 1}}));
  EXPECT_EQ(s.by_rule.at("SPL-01").findings, 2);
  ASSERT_EQ(s.by_app.size(), 5u);
  EXPECT_EQ(s.by_app.at("com.fit").findings, 0);
  EXPECT_EQ(s.by_app.at("com.deals").errors, 1);
  EXPECT_EQ(s.by_app.at("com.mall").by_rule,
            (std::map<std::string, int>{{"POP-02", 1}, {"POP-04", 1}}));
}

TEST_F(NightlySummaryTest, TheTextSummaryShowsTablesAndTheComparison) {
  std::ostringstream out;
  EXPECT_EQ(run_summary_command(root_ / "tuesday", root_ / "monday", false, out), 0);
  const std::string text = out.str();
  EXPECT_NE(text.find("2 new, 2 persisting, 1 resolved, 1 unchecked"), std::string::npos) << text;
  EXPECT_NE(text.find("resolved    CON-01  com.fit  consent"), std::string::npos) << text;
  EXPECT_NE(text.find("com.mall"), std::string::npos) << text;
  EXPECT_NE(text.find("POP-02 POP-04"), std::string::npos) << text;  // the per-app rules
  EXPECT_NE(text.find("SPL-01×2"), std::string::npos) << text;       // two findings of one rule
  EXPECT_NE(text.find("1 violation, 1 warning"), std::string::npos) << text;  // per rule
}

TEST_F(NightlySummaryTest, TheJsonSummaryIsWhatRunJsonMdDescribes) {
  std::ostringstream out;
  run_summary_command(root_ / "tuesday", root_ / "monday", true, out);
  const json j = json::parse(out.str());
  EXPECT_EQ(j["format"], "uiwitness-summary/1");
  EXPECT_EQ(j["baseline"], (root_ / "monday").string());
  EXPECT_EQ(j["outcome"], "error");  // a bundle errored tonight
  EXPECT_EQ(j["exit_code"], 3);
  EXPECT_EQ(j["counts"]["findings"], 5);
  EXPECT_EQ(j["by_rule"]["POP-02"]["findings"], 2);
  EXPECT_EQ(j["by_app"]["com.fit"]["findings"], 0);
  ASSERT_EQ(j["comparison"]["new"].size(), 2u);
  const json& added = j["comparison"]["new"][0];
  EXPECT_EQ(added["rule"], "POP-02");
  EXPECT_EQ(added["app"], "com.mall");
  EXPECT_EQ(added["scenario"], "hierarchy");
  EXPECT_EQ(added["severity"], "warning");
  EXPECT_EQ(added["identity"], "close glyph # dp < # dp");
  EXPECT_EQ(j["comparison"]["resolved"][0]["rule"], "CON-01");
  EXPECT_EQ(j["comparison"]["unchecked"][0]["rule"], "POP-01");
  EXPECT_EQ(j["comparison"]["persisting"].size(), 2u);

  std::ostringstream alone;
  run_summary_command(root_ / "tuesday", std::nullopt, true, alone);
  EXPECT_TRUE(json::parse(alone.str())["comparison"].is_null());
}

TEST_F(NightlySummaryTest, AMissingOrEmptyBaselineIsNotFound) {
  std::ostringstream out;
  fs::create_directories(root_ / "empty");
  for (const char* baseline : {"nowhere", "empty"}) {
    try {
      run_summary_command(root_ / "tuesday", root_ / baseline, false, out);
      ADD_FAILURE() << baseline;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
      EXPECT_NE(std::string(e.what()).find(baseline), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace uiw::harness
