// `uiwitness merge`: the run directories of N shards joined into one give the same bundles,
// findings and exit code as one unsharded run, and every bundle still verifies. First on
// synthetic runs, then end to end: the real `uiwitness run --shard K/3` three times and once
// unsharded against one simulated device.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "adb/adb_process.h"
#include "common/error.h"
#include "harness/evidence_bundle.h"
#include "harness/merge_command.h"
#include "harness/report_command.h"
#include "harness/run_report.h"
#include "harness/shard.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

// bundle path → "outcome | rule severity message; …": what a reviewer reads in run.json.
std::map<std::string, std::string> bundle_findings(const json& run) {
  std::map<std::string, std::string> out;
  for (const json& b : run["bundles"]) {
    std::string s = b["outcome"].get<std::string>() + " |";
    for (const json& f : b["findings"])
      s += " " + f["rule"].get<std::string>() + " " + f["severity"].get<std::string>() + " " +
           f["message"].get<std::string>() + ";";
    out[b["path"].get<std::string>()] = s;
  }
  return out;
}

struct Planned {
  std::string scenario;
  std::vector<detectors::Finding> findings;
};

detectors::Finding finding(const std::string& rule, const std::string& message) {
  detectors::Finding f;
  f.rule = rule;
  f.message = message;
  f.boxes = {{10, 20, 60, 80}};
  return f;
}

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "uiw-merge-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  static void write_bundle(const fs::path& run, const Planned& p, const std::string& serial) {
    BundleInfo i;
    i.scenario_name = p.scenario;
    i.scenario_file = "/scenarios/" + p.scenario + ".yaml";
    i.device_serial = serial;
    i.app_package = "com.example." + p.scenario;
    i.tool_version = "0.1.0";
    i.started = iso8601_utc_now();
    EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, p.scenario, serial), i);
    const std::string frame =
        b.add_image("frames/001-check.png", cv::Mat(64, 32, CV_8UC3, cv::Scalar(200, 200, 200)));
    b.append_step({{"index", "1"}, {"name", "check"}, {"kind", "check"}, {"frames", {frame}}});
    if (!p.findings.empty()) {
      auto findings = p.findings;
      for (auto& f : findings) f.frame = frame;
      b.add_findings(findings);
    }
    b.finish(p.findings.empty() ? "passed" : "failed");
  }

  // Five scenarios, as `run` would split them: shard_indices over the scenario names.
  static std::vector<Planned> plan() {
    return {{"consent_preticked", {finding("CON-01", "2 consent boxes are ticked before a tap")}},
            {"consent_compliant", {}},
            {"popup_no_close", {finding("POP-01", "no close control on the pop-up")}},
            {"popup_false_hierarchy",
             {finding("POP-04", "decline 1.3:1 against accept 7.2:1"),
              finding("POP-02", "close glyph 12 dp < 24 dp")}},
            {"im_link_blocking", {finding("LNK-01", "link to v.doupai.example blocked")}}};
  }

  // The unsharded run in root/single, shard K of 3 in root/shard-K.
  void write_runs() {
    const auto p = plan();
    std::vector<std::string> keys;
    for (const auto& s : p) keys.push_back(s.scenario);
    for (const auto& s : p) write_bundle(root_ / "single", s, "emulator-5554");
    for (int k = 1; k <= 3; ++k) {
      const fs::path shard = root_ / ("shard-" + std::to_string(k));
      fs::create_directories(shard);
      for (size_t i : shard_indices(keys, k, 3)) write_bundle(shard, p[i], "emulator-5554");
    }
  }

  std::vector<fs::path> shards() const {
    return {root_ / "shard-1", root_ / "shard-2", root_ / "shard-3"};
  }

  fs::path root_;
};

TEST_F(MergeTest, ThreeShardsGiveTheFindingsAndExitCodeOfOneRun) {
  write_runs();
  std::ostringstream log;
  const int single_code = run_report_command(root_ / "single", log);
  const int merged_code = run_merge_command(shards(), root_ / "merged", log);
  EXPECT_EQ(merged_code, single_code) << log.str();
  EXPECT_EQ(merged_code, 1);  // findings

  const json single = read_json(root_ / "single" / "run.json");
  const json merged = read_json(root_ / "merged" / "run.json");
  EXPECT_EQ(bundle_findings(merged), bundle_findings(single));
  EXPECT_EQ(merged["counts"]["by_rule"], single["counts"]["by_rule"]);
  EXPECT_EQ(merged["counts"]["bundles"], 5);
  EXPECT_EQ(merged["outcome"], single["outcome"]);
  for (const char* report : {"junit.xml", "report.html"})
    EXPECT_TRUE(fs::exists(root_ / "merged" / report)) << report;

  std::ostringstream verify;
  EXPECT_EQ(run_verify(root_ / "merged", verify), 0) << verify.str();
}

TEST_F(MergeTest, OnOneFileSystemFilesAreHardLinkedNotCopied) {
  write_runs();
  const MergeStats stats = merge_runs(shards(), root_ / "merged");
  EXPECT_EQ(stats.bundles, 5u);
  EXPECT_GT(stats.linked, 0u);
  EXPECT_EQ(stats.copied, 0u);
  EXPECT_EQ(fs::hard_link_count(root_ / "merged" / "popup_no_close" / "emulator-5554" / "frames" /
                                "001-check.png"),
            2u);
}

TEST_F(MergeTest, TheSameBundleInTwoInputsIsKeptOnce) {
  write_runs();
  fs::copy(root_ / "shard-1", root_ / "shard-1-again", fs::copy_options::recursive);
  std::ostringstream log;
  run_merge_command(
      {root_ / "shard-1", root_ / "shard-1-again", root_ / "shard-2", root_ / "shard-3"},
      root_ / "merged", log);
  EXPECT_NE(log.str().find("identical duplicate"), std::string::npos) << log.str();
  EXPECT_EQ(read_json(root_ / "merged" / "run.json")["counts"]["bundles"], 5);
}

TEST_F(MergeTest, MergingAgainIntoTheSameDirectoryChangesNothing) {
  write_runs();
  merge_runs(shards(), root_ / "merged");
  const MergeStats again = merge_runs(shards(), root_ / "merged");
  EXPECT_EQ(again.duplicates, 5u);
  EXPECT_EQ(again.linked + again.copied, 0u);
  std::ostringstream verify;
  EXPECT_EQ(run_verify(root_ / "merged", verify), 0) << verify.str();
}

TEST_F(MergeTest, OneBundlePathWithDifferentEvidenceIsAnErrorNamingBothRuns) {
  // The same scenario on the same device in two runs that found different things.
  write_bundle(root_ / "night-a", plan()[0], "emulator-5554");
  write_bundle(root_ / "night-b", Planned{"consent_preticked", {}}, "emulator-5554");
  write_bundle(root_ / "night-b", plan()[1], "emulator-5554");
  try {
    merge_runs({root_ / "night-a", root_ / "night-b"}, root_ / "merged");
    ADD_FAILURE() << "merged two different bundles at one path";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(what.find("consent_preticked/emulator-5554"), std::string::npos) << what;
    EXPECT_NE(what.find((root_ / "night-a").string()), std::string::npos) << what;
    EXPECT_NE(what.find((root_ / "night-b").string()), std::string::npos) << what;
  }
  // Nothing was half merged: not even the bundle that did not conflict.
  EXPECT_FALSE(fs::exists(root_ / "merged" / "consent_compliant"));
}

TEST_F(MergeTest, AnEmptyShardIsNotedNotAnError) {
  write_runs();
  fs::create_directories(root_ / "shard-4");
  std::ostringstream log;
  auto inputs = shards();
  inputs.push_back(root_ / "shard-4");
  EXPECT_EQ(run_merge_command(inputs, root_ / "merged", log), 1);
  EXPECT_NE(log.str().find("shard-4 holds no bundle"), std::string::npos) << log.str();
}

TEST_F(MergeTest, BadInputsAreRefusedBeforeAnythingIsWritten) {
  write_runs();
  auto kind_of = [](const auto& call) {
    try {
      call();
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::kInternal;
  };
  EXPECT_EQ(kind_of([&] { merge_runs({root_ / "missing"}, root_ / "merged"); }),
            ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { merge_runs({root_ / "shard-1"}, root_ / "shard-1" / "merged"); }),
            ErrorKind::kUsage);
  EXPECT_EQ(kind_of([&] { merge_runs({root_ / "shard-1"}, root_); }), ErrorKind::kUsage);
  EXPECT_EQ(kind_of([&] {
              merge_runs({root_ / "single" / "consent_preticked" / "emulator-5554"},
                         root_ / "merged");
            }),
            ErrorKind::kUsage);
  fs::create_directories(root_ / "empty");
  EXPECT_EQ(kind_of([&] { merge_runs({root_ / "empty"}, root_ / "merged"); }),
            ErrorKind::kNotFound);
  EXPECT_FALSE(fs::exists(root_ / "merged"));
}

// The done-when, end to end: the real binary, a private adb server, one simulator.
class MergeEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { session_ = new test::SimSession(); }
  static void TearDownTestSuite() {
    delete session_;
    session_ = nullptr;
  }

  adb::ProcessResult uiwitness(const std::vector<std::string>& args) {
    return adb::run_process(
        test::bin_path("uiwitness"), args,
        {"ANDROID_ADB_SERVER_PORT=" + std::to_string(session_->adb_port()), "ANDROID_SERIAL"},
        adb::Deadline::after(300s));
  }

  static test::SimSession* session_;
};

test::SimSession* MergeEndToEnd::session_ = nullptr;

// (scenario, rule) of every finding, and the bundle paths, of a run directory's run.json.
std::set<std::pair<std::string, std::string>> scenario_rules(const json& run) {
  std::set<std::pair<std::string, std::string>> out;
  for (const json& b : run["bundles"])
    for (const json& f : b["findings"])
      out.emplace(b["scenario"]["name"].get<std::string>(), f["rule"].get<std::string>());
  return out;
}

std::set<std::string> bundle_paths(const json& run) {
  std::set<std::string> out;
  for (const json& b : run["bundles"]) out.insert(b["path"].get<std::string>());
  return out;
}

TEST_F(MergeEndToEnd, ThreeShardsMergedFindWhatOneUnshardedRunFinds) {
  const std::vector<std::string> names = {"consent_preticked", "consent_compliant",
                                          "popup_no_close", "popup_false_hierarchy",
                                          "im_link_blocking"};
  std::vector<std::string> apps, scenarios;
  for (const auto& n : names) {
    apps.push_back(test::source_path("fixtures/apps/" + n + ".yaml"));
    scenarios.push_back(test::source_path("fixtures/scenarios/" + n + ".yaml"));
  }
  const fs::path dir = fs::path(testing::TempDir()) / "merge-e2e";
  fs::remove_all(dir);
  // A second checkout elsewhere: shards must not depend on where the files are.
  fs::create_directories(dir / "elsewhere" / "scenarios");
  std::vector<std::string> copies;
  for (const auto& s : scenarios) {
    const fs::path to = dir / "elsewhere" / "scenarios" / fs::path(s).filename();
    fs::copy_file(s, to);
    copies.push_back(to.string());
  }
  std::vector<std::string> reversed(scenarios.rbegin(), scenarios.rend());

  const auto sim = session_->start_sim(apps);
  auto run = [&](const std::vector<std::string>& files, const fs::path& out,
                 const std::string& shard, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"run"};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"--device", sim.serial, "--out", out.string()});
    if (!shard.empty()) args.insert(args.end(), {"--shard", shard});
    args.insert(args.end(), extra.begin(), extra.end());
    return uiwitness(args);
  };

  const auto whole = run(scenarios, dir / "whole", "");
  ASSERT_TRUE(whole.exit_code == 0 || whole.exit_code == 1) << whole.out << whole.err;
  // Each shard sees the files in another order or at another path, as farm machines would.
  const auto s1 = run(scenarios, dir / "shard-1", "1/3");
  const auto s2 = run(reversed, dir / "shard-2", "2/3");
  // With the whole run as baseline: what the other shards found is unchecked, not resolved.
  const auto s3 = run(copies, dir / "shard-3", "3/3", {"--baseline", (dir / "whole").string()});
  for (const auto* r : {&s1, &s2, &s3})
    ASSERT_TRUE(r->exit_code == 0 || r->exit_code == 1) << r->out << r->err;
  session_->stop_sim(sim);
  EXPECT_NE(s3.out.find("compared with " + (dir / "whole").string() + ": 0 new, "),
            std::string::npos)
      << s3.out;
  EXPECT_NE(s3.out.find(", 0 resolved, "), std::string::npos) << s3.out;

  // The shards are disjoint and together are the whole run.
  std::set<std::string> union_paths;
  size_t total = 0;
  for (const char* shard : {"shard-1", "shard-2", "shard-3"}) {
    const auto paths = bundle_paths(read_json(dir / shard / "run.json"));
    EXPECT_FALSE(paths.empty()) << shard;
    total += paths.size();
    union_paths.insert(paths.begin(), paths.end());
  }
  EXPECT_EQ(total, union_paths.size()) << "a scenario ran in two shards";

  const auto merged = uiwitness({"merge", (dir / "shard-1").string(), (dir / "shard-2").string(),
                                 (dir / "shard-3").string(), "--out", (dir / "merged").string()});
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.out << merged.err;
  const json whole_json = read_json(dir / "whole" / "run.json");
  const json merged_json = read_json(dir / "merged" / "run.json");
  EXPECT_EQ(union_paths, bundle_paths(whole_json));
  EXPECT_EQ(bundle_paths(merged_json), bundle_paths(whole_json));
  EXPECT_EQ(scenario_rules(merged_json), scenario_rules(whole_json));
  EXPECT_FALSE(scenario_rules(whole_json).empty()) << "the scenarios found nothing to compare";
  std::cout << "[ merged  ] (scenario, rule):";
  for (const auto& [s, r] : scenario_rules(merged_json)) std::cout << " (" << s << ", " << r << ")";
  std::cout << "\n";

  const auto verified = uiwitness({"verify", (dir / "merged").string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST_F(MergeEndToEnd, ABadShardSpecIsAUsageErrorBeforeAnyDeviceIsTouched) {
  for (const char* bad : {"0/3", "4/3", "x"}) {
    const auto r = uiwitness({"run", test::source_path("fixtures/scenarios/consent_compliant.yaml"),
                              "--device", "127.0.0.1:1", "--shard", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << r.out << r.err;
    EXPECT_NE(r.err.find("--shard"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace uiw::harness
