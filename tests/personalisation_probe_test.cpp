// The personalisation probe (PER-01/02/03) end to end: the real adb server, uiwitness-sim with
// the fixture apps, and the probe exploring them as it would a phone. Each fixture proves one
// rule (fixtures/apps/catalogue.yaml); the compliant news app proves none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/device.h"
#include "adb/server_address.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "harness/evidence_bundle.h"
#include "harness/frame_recorder.h"
#include "harness/probe_context.h"
#include "harness/screen_reader.h"
#include "harness/selector_resolver.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace uiw::harness {
namespace {

using namespace std::chrono_literals;
using test::SimSession;

const char* const kFixtures[] = {"settings_no_personalisation.yaml", "settings_not_persisted.yaml",
                                 "settings_deep.yaml", "news_compliant.yaml"};

struct ProbeRun {
  std::vector<detectors::Finding> per;  // the PER-* findings
  nlohmann::json record;
  std::filesystem::path bundle_dir;
};

class PersonalisationProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("uiw-per-probe-test-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    std::vector<std::string> apps;
    for (const char* f : kFixtures)
      apps.push_back(test::source_path(std::string("fixtures/apps/") + f));
    session_ = new SimSession();
    sim_ = new SimSession::Sim(session_->start_sim(apps));
    client_ = new adb::AdbClient(adb::ServerAddress::local(session_->adb_port()));
    profile_ = new detectors::RuleProfile(
        detectors::RuleProfile::find("miit-2023", {test::source_path("profiles")}));
  }
  static void TearDownTestSuite() {
    delete profile_;
    delete client_;
    delete sim_;
    delete session_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  // Runs the probe on `package` into a fresh bundle, as the runner's `probe` step would.
  ProbeRun probe(const std::string& package) {
    adb::Device device(*client_, sim_->serial);
    const adb::DeviceInfo info = device.info();
    ScreenReader screen(device, info.density > 0 ? info.density : 160);
    ProbeRun run;
    run.bundle_dir = *dir_ / package;
    BundleInfo bundle_info;
    bundle_info.scenario_name = "personalisation probe " + package;
    bundle_info.device_serial = sim_->serial;
    bundle_info.app_package = package;
    bundle_info.started = iso8601_utc_now();
    EvidenceBundle bundle = EvidenceBundle::create(run.bundle_dir, bundle_info);
    detectors::StaticRuleSet rules(*profile_, nullptr);
    FrameRecorder recorder(bundle, rules, {});
    SelectorResolver resolver(nullptr);
    SettleOptions settle;
    ProbeSpec spec;
    spec.kind = ProbeSpec::Kind::kPersonalisation;
    nlohmann::json record = nlohmann::json::object();
    ProbeContext ctx{device,
                     screen,
                     recorder,
                     resolver,
                     rules,
                     *profile_,
                     settle,
                     package,
                     std::nullopt,
                     "",
                     adb::Deadline::after(300s),
                     record};
    run_personalisation_probe(spec, ctx);
    for (const detectors::Finding& f : recorder.findings())
      if (f.rule.starts_with("PER-")) run.per.push_back(f);
    run.record = record;
    // The probe's whole record (path, pages, states read) when debugging a fixture.
    if (std::getenv("UIW_TEST_VERBOSE")) std::cout << record.dump(2) << "\n";
    std::cout << package << ": " << record.value("per_ms", -1) << " ms, "
              << record.value("per_exploration_taps", -1) << " exploration taps, "
              << record.value("per_launches", -1) << " launches, " << record["frames"].size()
              << " frames\n";
    return run;
  }

  static void expect_frame_saved(const ProbeRun& run, const std::string& frame) {
    ASSERT_FALSE(frame.empty());
    EXPECT_TRUE(std::filesystem::is_regular_file(run.bundle_dir / frame)) << frame;
  }

  static std::vector<std::string> path_labels(const nlohmann::json& record) {
    std::vector<std::string> labels;
    for (const auto& step : record.value("per_path", nlohmann::json::array()))
      labels.push_back(step.at("label").get<std::string>());
    return labels;
  }

  static std::filesystem::path* dir_;
  static SimSession* session_;
  static SimSession::Sim* sim_;
  static adb::AdbClient* client_;
  static detectors::RuleProfile* profile_;
};

std::filesystem::path* PersonalisationProbeTest::dir_ = nullptr;
SimSession* PersonalisationProbeTest::session_ = nullptr;
SimSession::Sim* PersonalisationProbeTest::sim_ = nullptr;
adb::AdbClient* PersonalisationProbeTest::client_ = nullptr;
detectors::RuleProfile* PersonalisationProbeTest::profile_ = nullptr;

TEST_F(PersonalisationProbeTest, NoSwitchAnywhereIsPer01) {
  const ProbeRun run = probe("com.uiw.fixture.redian");
  ASSERT_EQ(run.per.size(), 1u) << nlohmann::json(run.record).dump(2);
  const detectors::Finding& f = run.per.front();
  EXPECT_EQ(f.rule, "PER-01");
  EXPECT_EQ(f.severity, detectors::Severity::kViolation);
  EXPECT_EQ(f.threshold, 8.0);
  EXPECT_EQ(f.unit, "taps");
  EXPECT_TRUE(f.boxes.empty());
  expect_frame_saved(run, f.frame);
  EXPECT_FALSE(run.record.at("per_found").get<bool>());
  // Every settings page was looked at.
  for (const char* page : {"我的 → 设置 → 账号与安全", "我的 → 设置 → 消息通知",
                           "我的 → 设置 → 隐私设置", "我的 → 设置 → 关于热点资讯"}) {
    EXPECT_NE(f.message.find(page), std::string::npos) << page << " in " << f.message;
  }
}

TEST_F(PersonalisationProbeTest, SwitchBackOnAfterRelaunchIsPer02) {
  const ProbeRun run = probe("com.uiw.fixture.yinyue");
  ASSERT_EQ(run.per.size(), 1u) << run.record.dump(2);
  const detectors::Finding& f = run.per.front();
  EXPECT_EQ(f.rule, "PER-02");
  ASSERT_EQ(f.boxes.size(), 1u);
  expect_frame_saved(run, f.frame);
  EXPECT_EQ(path_labels(run.record), (std::vector<std::string>{"我的", "设置"}));
  EXPECT_EQ(run.record.at("per_persistence"), "reverted after relaunch");
  // Before (switched off) and after (relaunched) frames are both in the bundle.
  bool off_frame = false;
  for (const auto& frame : run.record.at("frames")) {
    off_frame |= frame.get<std::string>().find("per-switched-off") != std::string::npos;
    expect_frame_saved(run, frame.get<std::string>());
  }
  EXPECT_TRUE(off_frame);
}

TEST_F(PersonalisationProbeTest, SixTapsDeepIsPer03) {
  const ProbeRun run = probe("com.uiw.fixture.taohaohuo");
  ASSERT_EQ(run.per.size(), 1u) << run.record.dump(2);
  const detectors::Finding& f = run.per.front();
  EXPECT_EQ(f.rule, "PER-03");
  EXPECT_EQ(f.severity, detectors::Severity::kWarning);
  EXPECT_EQ(f.value, 6.0);
  EXPECT_EQ(f.threshold, 4.0);
  EXPECT_EQ(f.unit, "taps");
  ASSERT_EQ(f.boxes.size(), 1u);
  expect_frame_saved(run, f.frame);
  EXPECT_EQ(path_labels(run.record),
            (std::vector<std::string>{"我的", "设置", "隐私", "个人信息与权限", "内容偏好",
                                      "信息流设置"}));
  EXPECT_NE(f.message.find("我的 → 设置 → 隐私 → 个人信息与权限 → 内容偏好 → 信息流设置"),
            std::string::npos)
      << f.message;
  EXPECT_EQ(run.record.at("per_persistence"), "persisted");
}

TEST_F(PersonalisationProbeTest, CompliantNewsAppHasNoPerFinding) {
  const ProbeRun run = probe("com.uiw.fixture.zaozhidao");
  EXPECT_TRUE(run.per.empty()) << detectors::to_json(run.per).dump(2) << run.record.dump(2);
  EXPECT_EQ(path_labels(run.record), (std::vector<std::string>{"我的", "设置"}));
  EXPECT_EQ(run.record.at("per_taps"), 2);
  EXPECT_EQ(run.record.at("per_persistence"), "persisted");
  EXPECT_EQ(run.record.at("per_restored"), true);
}

}  // namespace
}  // namespace uiw::harness
