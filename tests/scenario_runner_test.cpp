// The runner as a test engineer meets it: a pop-up that shows up in the middle of a flow is
// dismissed and recorded instead of breaking the run, a failed expectation names its step and
// line, optional steps and retries behave as written, and every step is on disk as it ends.
#include "harness/scenario_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adb/adb_client.h"
#include "adb/device.h"
#include "detectors/ocr_service.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "harness/bundle_verifier.h"
#include "harness/evidence_bundle.h"
#include "harness/scenario_loader.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace uiw;
using uiw::test::SimSession;

class ScenarioRunnerTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = new SimSession();
    sim_ = new SimSession::Sim(
        session_->start_sim({test::source_path("fixtures/apps/news_compliant.yaml"),
                             test::source_path("fixtures/apps/consent_compliant.yaml")}));
    client_ = new adb::AdbClient(adb::ServerAddress::local(session_->adb_port()));
    profile_ = new detectors::RuleProfile(detectors::RuleProfile::find("miit-2023"));
    ocr_ = new detectors::OcrService(1);
    rules_ = new detectors::StaticRuleSet(*profile_, ocr_);
  }
  static void TearDownTestSuite() {
    delete rules_;
    delete ocr_;
    delete profile_;
    delete client_;
    delete sim_;
    delete session_;
  }

  struct Run {
    harness::ScenarioResult result;
    fs::path dir;
    std::vector<nlohmann::json> steps;
  };

  Run run(const std::string& yaml) {
    const std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    const harness::Scenario scenario = harness::parse_scenario(yaml, name + ".yaml");
    adb::Device device(*client_, sim_->serial);
    const adb::DeviceInfo info = device.info();
    Run r;
    r.dir = fs::path(testing::TempDir()) / ("runner-" + name);
    fs::remove_all(r.dir);
    harness::BundleInfo bundle_info;
    bundle_info.scenario_name = scenario.name;
    bundle_info.device_serial = sim_->serial;
    auto bundle = harness::EvidenceBundle::create(r.dir, bundle_info);
    harness::RunnerOptions options;
    options.step_timeout = 6s;
    harness::ScenarioRunner runner(device, info, *profile_, *rules_, ocr_, bundle, options);
    r.result = runner.run(scenario);
    std::ifstream steps(r.dir / "steps.jsonl");
    for (std::string line; std::getline(steps, line);)
      r.steps.push_back(nlohmann::json::parse(line));
    return r;
  }

  static SimSession* session_;
  static SimSession::Sim* sim_;
  static adb::AdbClient* client_;
  static detectors::RuleProfile* profile_;
  static detectors::OcrService* ocr_;
  static detectors::StaticRuleSet* rules_;
};

SimSession* ScenarioRunnerTest::session_ = nullptr;
SimSession::Sim* ScenarioRunnerTest::sim_ = nullptr;
adb::AdbClient* ScenarioRunnerTest::client_ = nullptr;
detectors::RuleProfile* ScenarioRunnerTest::profile_ = nullptr;
detectors::OcrService* ScenarioRunnerTest::ocr_ = nullptr;
detectors::StaticRuleSet* ScenarioRunnerTest::rules_ = nullptr;

TEST_F(ScenarioRunnerTest, APopUpInTheWayIsDismissedAndRecorded) {
  // The VIP pop-up covers the home screen 1.5 s after it shows; the flow wants the 我的 tab.
  const Run r = run(R"(
name: watcher
app: com.uiw.fixture.zaozhidao
steps:
  - launch: {clear_data: true}
  - tap: {text_regex: "跳过.*"}
  - wait: 2s
  - tap: 我的
  - assert_visible: 设置
)");
  EXPECT_EQ(r.result.outcome, harness::ScenarioOutcome::kPassed) << r.result.error;
  ASSERT_EQ(r.steps.size(), 5u);
  const auto& tap = r.steps[3];
  EXPECT_EQ(tap["outcome"], "passed");
  ASSERT_TRUE(tap.contains("watcher")) << tap.dump();
  const std::string popup_frame = tap["watcher"][0]["dismissed_popup"];
  EXPECT_TRUE(fs::exists(r.dir / popup_frame)) << popup_frame;
  EXPECT_TRUE(harness::verify_bundle(r.dir).ok());
}

TEST_F(ScenarioRunnerTest, AFailedExpectationNamesItsStepAndLine) {
  const Run r = run(R"(
name: expectation
app: com.uiw.fixture.jizhang
steps:
  - launch: {clear_data: true}
  - assert_visible: {text: 这段文字不存在, timeout: 1s}
  - back
)");
  EXPECT_EQ(r.result.outcome, harness::ScenarioOutcome::kFailed);
  EXPECT_NE(r.result.error.find("AFailedExpectationNamesItsStepAndLine.yaml:6"), std::string::npos)
      << r.result.error;
  EXPECT_NE(r.result.error.find("这段文字不存在"), std::string::npos) << r.result.error;
  EXPECT_EQ(r.result.exit_code(), 1);
  // The failed step is recorded with its frame; the steps after it never ran.
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[1]["outcome"], "failed");
  std::ifstream manifest_file(r.dir / "manifest.json");
  EXPECT_EQ(nlohmann::json::parse(manifest_file)["outcome"], "failed");
}

TEST_F(ScenarioRunnerTest, OptionalStepsAreSkippedAndRetriesAreCounted) {
  const Run r = run(R"(
name: optional
app: com.uiw.fixture.jizhang
steps:
  - launch: {clear_data: true}
  - tap: {text: 不存在的按钮, timeout: 500ms, retries: 2, optional: true}
  - screenshot: after
)");
  EXPECT_EQ(r.result.outcome, harness::ScenarioOutcome::kPassed) << r.result.error;
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[1]["outcome"], "skipped");
  EXPECT_EQ(r.steps[1]["attempts"], 3);
  EXPECT_EQ(r.steps[2]["outcome"], "passed");
  EXPECT_NE(r.steps[2]["frames"][0].get<std::string>().find("after"), std::string::npos);
}

}  // namespace
