// Farm runs as a nightly job runs them: the real uiwitness binary, real adb servers and
// simulators. Devices that die mid-run hand their jobs to the others and the night's exit code
// still reports the apps, not the farm; a second adb server's devices join the same run; the
// emulators a farm file names are booted and taken down again.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "adb/adb_process.h"
#include "harness/run_report.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using uiw::test::SimSession;

const char* const kPretickedApp = "fixtures/apps/consent_preticked.yaml";

class FarmRun : public testing::Test {
 protected:
  static void SetUpTestSuite() { session_ = new SimSession(); }
  static void TearDownTestSuite() { delete session_; }

  void SetUp() override {
    dir_ =
        fs::path(testing::TempDir()) /
        ("farm-run-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "scenarios");
  }

  // `count` scenarios of a few seconds each, every one ending on a CON-01 finding.
  fs::path write_scenarios(int count, int waits = 4) {
    for (int i = 0; i < count; ++i) {
      std::string text =
          "name: job-" + std::to_string(i) +
          "\napp: com.uiw.fixture.jianshen\nsteps:\n  - launch: {clear_data: true}\n";
      for (int w = 0; w < waits; ++w) text += "  - wait: 400ms\n";
      text += "  - check\n";
      std::ofstream(dir_ / "scenarios" / ("job-" + std::to_string(i) + ".yaml")) << text;
    }
    return dir_ / "scenarios";
  }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  static uiw::adb::ProcessResult uiwitness(const std::vector<std::string>& args) {
    return uiw::adb::run_process(
        uiw::test::bin_path("uiwitness"), args,
        {"ANDROID_ADB_SERVER_PORT=" + std::to_string(session_->adb_port()), "ANDROID_SERIAL"},
        uiw::adb::Deadline::after(300s));
  }

  static json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
  }

  // Bundles under run/ that are still being written and have `steps` steps on disk.
  static bool has_unfinished_bundle(const fs::path& run, const std::string& device_slug,
                                    size_t steps) {
    std::error_code ec;
    for (const auto& scenario : fs::directory_iterator(run, ec)) {
      const fs::path bundle = scenario.path() / device_slug;
      if (!fs::exists(bundle / "manifest.json")) continue;
      std::ifstream in(bundle / "steps.jsonl");
      size_t n = 0;
      for (std::string line; std::getline(in, line);) n += !line.empty();
      try {
        if (n >= steps && read_json(bundle / "manifest.json")["outcome"].is_null()) return true;
      } catch (const json::exception&) {
        // caught between temp file and rename: look again
      }
    }
    return false;
  }

  static SimSession* session_;
  fs::path dir_;
};

SimSession* FarmRun::session_ = nullptr;

TEST_F(FarmRun, TwoDevicesKilledMidRunHandTheirJobsToTheOthers) {
  std::vector<SimSession::Sim> sims;
  for (int i = 0; i < 4; ++i)
    sims.push_back(session_->start_sim({uiw::test::source_path(kPretickedApp)}));
  std::string devices;
  for (const auto& s : sims) devices += (devices.empty() ? "" : ",") + s.serial;
  const fs::path scenarios = write_scenarios(12);
  const fs::path run = dir_ / "run";
  auto running = std::async(std::launch::async, [&] {
    return uiwitness({"run", scenarios.string(), "--devices", devices, "--out", run.string()});
  });

  // Kill two devices while each is in the middle of a scenario.
  const auto give_up = std::chrono::steady_clock::now() + 120s;
  std::set<size_t> killed;
  while (killed.size() < 2 && std::chrono::steady_clock::now() < give_up) {
    for (size_t i = 0; i < 2; ++i) {
      if (!killed.contains(i) &&
          has_unfinished_bundle(run, uiw::harness::slug(sims[i].serial), 2)) {
        session_->kill_sim(sims[i]);
        killed.insert(i);
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(killed.size(), 2u) << "the run never got going";
  const auto r = running.get();

  // Findings, not infrastructure: every scenario ended on a device that stayed up.
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (size_t i = 0; i < 2; ++i)
    EXPECT_NE(r.out.find(sims[i].serial + " taken out of service"), std::string::npos) << r.out;
  const json run_json = read_json(run / "run.json");
  EXPECT_EQ(run_json["counts"]["error"], 0) << run_json["counts"];
  EXPECT_EQ(run_json["counts"]["incomplete"], 0) << run_json["counts"];
  EXPECT_GE(run_json["counts"]["retried"], 2) << run_json["counts"];
  std::map<std::string, std::string> final_device;  // scenario → device of its result
  for (const json& b : run_json["bundles"]) {
    const std::string device = b["device"]["serial"];
    if (b["outcome"] == "retried") {
      EXPECT_TRUE(device == sims[0].serial || device == sims[1].serial) << b["path"];
      EXPECT_FALSE(b["superseded_by"].is_null());
      continue;
    }
    EXPECT_EQ(b["outcome"], "failed") << b["path"] << b["error"];
    final_device[b["scenario"]["name"]] = device;
  }
  EXPECT_EQ(final_device.size(), 12u);
  // A retried attempt points at the bundle that replaced it, which names it back.
  for (const json& b : run_json["bundles"]) {
    if (b["outcome"] != "retried") continue;
    const json replacement =
        read_json(run / b["superseded_by"].get<std::string>() / "manifest.json");
    EXPECT_EQ(replacement["attempt"], 2);
    EXPECT_EQ(replacement["retry_of"][0], b["path"]);
  }
  const auto verified = uiwitness({"verify", run.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  // JUnit reports the retried attempts as skipped, not as errors.
  std::ifstream junit(run / "junit.xml");
  const std::string xml((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_NE(xml.find("<skipped message=\"retried as "), std::string::npos);
  for (size_t i = 2; i < sims.size(); ++i) session_->stop_sim(sims[i]);
}

TEST_F(FarmRun, ASecondAdbServerAndSpawnedSimulatorsJoinOneRun) {
  // Another host's server, played by a second private adb server with its own simulators.
  SimSession other;
  const auto remote_a = other.start_sim({uiw::test::source_path(kPretickedApp)});
  const auto remote_b = other.start_sim({uiw::test::source_path(kPretickedApp)});
  const auto local = session_->start_sim({uiw::test::source_path(kPretickedApp)});
  const std::string remote_server = "127.0.0.1:" + std::to_string(other.adb_port());
  const fs::path farm =
      write("farm.yaml", "adb_server: 127.0.0.1:" + std::to_string(session_->adb_port()) +
                             "\n"
                             "devices: [" +
                             local.serial +
                             "]\n"
                             "simulators:\n"
                             "  - count: 1\n"
                             "    apps: " +
                             uiw::test::source_path(kPretickedApp) +
                             "\n"
                             "servers:\n"
                             "  - address: " +
                             remote_server + "\n");
  const fs::path run = dir_ / "run";
  const auto r = uiwitness({"run", write_scenarios(2, 0).string(), "--farm", farm.string(),
                            "--every-device", "--out", run.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;

  const json run_json = read_json(run / "run.json");
  std::map<std::string, int> bundles_per_device;
  for (const json& b : run_json["bundles"]) {
    EXPECT_EQ(b["outcome"], "failed") << b["path"] << b["error"];
    ++bundles_per_device[b["device"]["serial"]];
  }
  // Four devices, two scenarios each: the remote ones named by their server.
  EXPECT_EQ(bundles_per_device.size(), 4u) << r.out;
  EXPECT_EQ(bundles_per_device[local.serial], 2);
  EXPECT_EQ(bundles_per_device[remote_a.serial + "@" + remote_server], 2) << r.out;
  EXPECT_EQ(bundles_per_device[remote_b.serial + "@" + remote_server], 2) << r.out;
  const auto verified = uiwitness({"verify", run.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  // The simulator the farm started is gone; the devices it was given are left alone.
  std::string spawned;
  for (const auto& [device, n] : bundles_per_device)
    if (device != local.serial && device.find('@') == std::string::npos) spawned = device;
  ASSERT_FALSE(spawned.empty());
  EXPECT_NE(session_->device_state(spawned), "device");
  EXPECT_EQ(session_->device_state(local.serial), "device");
  EXPECT_EQ(other.device_state(remote_a.serial), "device");
  session_->stop_sim(local);
}

TEST_F(FarmRun, EmulatorsTheFarmBootsRunJobsAndAreKilledAfterwards) {
  // uiwitness-sim stands in for the emulator binary: same command line, same registration with
  // the adb server, same console.
  const fs::path farm =
      write("farm.yaml", "adb_server: 127.0.0.1:" + std::to_string(session_->adb_port()) +
                             "\n"
                             "emulators:\n"
                             "  - avd: uiw_farm_test\n"
                             "    count: 2\n"
                             "    boot: cold\n"
                             "    binary: " +
                             uiw::test::bin_path("uiwitness-sim") +
                             "\n"
                             "    options: [--app, " +
                             uiw::test::source_path(kPretickedApp) +
                             "]\n"
                             "    boot_timeout: 60\n");
  const fs::path run = dir_ / "run";
  const auto r = uiwitness(
      {"run", write_scenarios(4, 0).string(), "--farm", farm.string(), "--out", run.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("booting 2 emulators"), std::string::npos) << r.out;
  const json run_json = read_json(run / "run.json");
  std::set<std::string> devices;
  for (const json& b : run_json["bundles"]) {
    EXPECT_EQ(b["outcome"], "failed") << b["path"] << b["error"];
    devices.insert(b["device"]["serial"]);
  }
  EXPECT_EQ(run_json["bundles"].size(), 4u);
  ASSERT_FALSE(devices.empty());
  for (const std::string& serial : devices) {
    EXPECT_TRUE(serial.starts_with("emulator-")) << serial;
    // Killed on exit: the server no longer has it as a device.
    EXPECT_TRUE(session_->wait_for_state(serial, "", 10s) ||
                session_->device_state(serial) == "offline")
        << serial << " is still " << session_->device_state(serial);
  }
}

TEST_F(FarmRun, AFarmFileMistakeExitsTwoNamingFileAndLine) {
  const fs::path farm = write("farm.yaml", "simulators:\n  - count: 2\n    aps: fixtures\n");
  const auto r = uiwitness({"run", write_scenarios(1, 0).string(), "--farm", farm.string(), "--out",
                            (dir_ / "run").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(farm.string() + ":3:5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("aps"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "run"));
}

}  // namespace
