// `uiwitness run` and `uiwitness verify` as CI runs them: the real binary, the real adb and a
// simulated device. Exit codes tell a bad scenario (2) from findings (1) from a lost device (3),
// and the evidence of a run that died is still whole.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "adb/adb_process.h"
#include "harness/run_report.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using uiw::test::SimSession;

class HarnessCli : public testing::Test {
 protected:
  static void SetUpTestSuite() { session_ = new SimSession(); }
  static void TearDownTestSuite() { delete session_; }

  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("harness-cli-" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }

  uiw::adb::ProcessResult uiwitness(const std::vector<std::string>& args) {
    return uiw::adb::run_process(
        uiw::test::bin_path("uiwitness"), args,
        {"ANDROID_ADB_SERVER_PORT=" + std::to_string(session_->adb_port()), "ANDROID_SERIAL"},
        uiw::adb::Deadline::after(120s));
  }

  static size_t lines_in(const fs::path& file) {
    std::ifstream in(file);
    size_t n = 0;
    for (std::string line; std::getline(in, line);) n += !line.empty();
    return n;
  }

  static SimSession* session_;
  fs::path dir_;
};

SimSession* HarnessCli::session_ = nullptr;

TEST_F(HarnessCli, AMalformedScenarioExitsTwoNamingFileAndLine) {
  const fs::path bad = write("bad.yaml",
                             "name: bad\n"
                             "app: com.example\n"
                             "steps:\n"
                             "  - launch\n"
                             "  - tap: {txt: OK}\n");
  const auto r =
      uiwitness({"run", bad.string(), "--device", "127.0.0.1:1", "--out", (dir_ / "run").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(bad.string() + ":5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("txt"), std::string::npos) << r.err;
  // Nothing ran: no device was touched, no bundle written.
  EXPECT_FALSE(fs::exists(dir_ / "run" / "bad"));
}

TEST_F(HarnessCli, ACleanRunExitsZeroWithReports) {
  const auto sim =
      session_->start_sim({uiw::test::source_path("fixtures/apps/consent_compliant.yaml")});
  const fs::path scenario = write("clean.yaml",
                                  "name: clean consent\n"
                                  "app: com.uiw.fixture.jizhang\n"
                                  "steps:\n"
                                  "  - launch: {clear_data: true}\n"
                                  "  - check\n"
                                  "  - assert_visible: {text_regex: \".*同意.*\"}\n");
  const fs::path run = dir_ / "run";
  const auto r =
      uiwitness({"run", scenario.string(), "--device", sim.serial, "--out", run.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* report : {"run.json", "junit.xml", "report.html"}) {
    EXPECT_TRUE(fs::exists(run / report)) << report;
  }
  const auto verified = uiwitness({"verify", run.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  session_->stop_sim(sim);
}

TEST_F(HarnessCli, ADeviceKilledMidScenarioExitsThreeAndTheBundleVerifies) {
  const auto sim =
      session_->start_sim({uiw::test::source_path("fixtures/apps/consent_compliant.yaml")});
  std::string steps = "name: long\napp: com.uiw.fixture.jizhang\nsteps:\n  - launch\n";
  for (int i = 0; i < 30; ++i) steps += "  - wait: 500ms\n";
  const fs::path scenario = write("long.yaml", steps);
  const fs::path run = dir_ / "run";
  auto running = std::async(std::launch::async, [&] {
    return uiwitness({"run", scenario.string(), "--device", sim.serial, "--out", run.string()});
  });

  // Kill the device once three steps are on disk.
  const fs::path steps_file = run / "long" / uiw::harness::slug(sim.serial) / "steps.jsonl";
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (lines_in(steps_file) < 3 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_GE(lines_in(steps_file), 3u) << "the run never got going";
  session_->kill_sim(sim);
  const auto r = running.get();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;

  // The steps done before the device died are all there, and the bundle is intact.
  EXPECT_GE(lines_in(steps_file), 3u);
  const auto verified = uiwitness({"verify", run.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  // One byte changed in a frame: verify fails and names it.
  fs::path frame;
  for (const auto& e : fs::directory_iterator(steps_file.parent_path() / "frames"))
    frame = e.path();
  ASSERT_FALSE(frame.empty());
  {
    std::fstream f(frame, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(100);
    char c = 0;
    f.read(&c, 1);
    c ^= 0x01;
    f.seekp(100);
    f.write(&c, 1);
  }
  const auto tampered = uiwitness({"verify", run.string()});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out;
  EXPECT_NE(tampered.out.find(frame.filename().string()), std::string::npos) << tampered.out;
}

}  // namespace
