// The emulator lifecycle of a farm run (adb::EmulatorProcess) against uiwitness-sim started the
// way the Android emulator is: it registers with a private adb server as emulator-P, boots (with
// a real wait for sys.boot_completed), answers adb and its console, and stop() leaves nothing
// behind. Then the failures a user meets: it dies during boot, it boots too slowly, it is not
// installed.
#include "adb/emulator_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "adb/adb_client.h"
#include "adb/device.h"
#include "adb/emulator_console.h"
#include "adb/tcp_socket.h"
#include "common/error.h"
#include "common/loopback_ports.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace uiw::adb {
namespace {

// Processes whose command line has `-avd NAME`: an emulator that outlived stop().
int processes_running_avd(const std::string& avd) {
  const std::string needle = std::string("-avd") + '\0' + avd + '\0';
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find(needle) != std::string::npos) ++count;
  }
  return count;
}

bool nothing_listens_on(int port) {
  bool refused = false;
  try {
    TcpSocket::connect("127.0.0.1", port, "port " + std::to_string(port), Deadline::after(2s),
                       &refused);
  } catch (const Error&) {
  }
  return refused;
}

class EmulatorProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = new test::SimSession();
    // A private HOME (after the adb server started with the real one): the emulators' consoles
    // and EmulatorProcess::stop() read ~/.emulator_console_auth_token from it.
    home_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                      ("uiw-emulator-process-test-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*home_);
    std::ofstream(*home_ / ".emulator_console_auth_token") << "farm-console-token\n";
    if (const char* old = std::getenv("HOME")) old_home_ = new std::string(old);
    ::setenv("HOME", home_->c_str(), 1);
  }
  static void TearDownTestSuite() {
    delete session_;
    if (old_home_ != nullptr) ::setenv("HOME", old_home_->c_str(), 1);
    std::error_code ec;
    std::filesystem::remove_all(*home_, ec);
    delete home_;
    delete old_home_;
  }

  EmulatorOptions options(const std::string& avd,
                          std::vector<std::string> sim_args = {"--app", news_app()}) const {
    EmulatorOptions o;
    o.avd = avd;
    o.emulator_path = test::bin_path("uiwitness-sim");
    o.extra_args = std::move(sim_args);
    return o;
  }
  static std::string news_app() { return test::source_path("fixtures/apps/test/e2e_news.yaml"); }

  // Polls the real adb until it no longer lists serial as a device.
  bool gone_from_adb(const std::string& serial) {
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (session_->device_state(serial) == "device") {
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(100ms);
    }
    return true;
  }

  static test::SimSession* session_;
  static std::filesystem::path* home_;
  static std::string* old_home_;
  AdbClient client_{ServerAddress::local(session_->adb_port()), AdbClient::Options{false, ""}};
};

test::SimSession* EmulatorProcessTest::session_ = nullptr;
std::filesystem::path* EmulatorProcessTest::home_ = nullptr;
std::string* EmulatorProcessTest::old_home_ = nullptr;

TEST_F(EmulatorProcessTest, TwoEmulatorsBootAnswerAdbAndTheConsoleAndStopCleanly) {
  const std::vector<std::string> avds = {"uiw_farm_pixel_a", "uiw_farm_pixel_b"};
  std::vector<std::unique_ptr<EmulatorProcess>> emulators;
  for (const std::string& avd : avds) {
    emulators.push_back(EmulatorProcess::start(client_, options(avd), Deadline::after(60s)));
  }
  ASSERT_NE(emulators[0]->console_port(), emulators[1]->console_port());

  for (size_t i = 0; i < emulators.size(); ++i) {
    EmulatorProcess& emulator = *emulators[i];
    SCOPED_TRACE(emulator.serial());
    EXPECT_EQ(emulator.console_port() % 2, 0);
    EXPECT_EQ(emulator.serial(), "emulator-" + std::to_string(emulator.console_port()));
    // The real adb binary lists it, under the name the emulator's registration gives it.
    EXPECT_EQ(session_->device_state(emulator.serial()), "device");

    Device device(client_, emulator.serial());
    const ShellResult echo = device.shell("echo farm-ready", Deadline::after(10s));
    EXPECT_EQ(echo.exit_code, 0);
    EXPECT_EQ(echo.out, "farm-ready\n");
    EXPECT_EQ(device.info(Deadline::after(10s)).model, avds[i]);
    EXPECT_EQ(device.getprop("ro.boot.qemu.avd_name", Deadline::after(10s)), avds[i]);
    EXPECT_EQ(device.getprop("sys.boot_completed", Deadline::after(10s)), "1");

    // The console on port P, with the token from ~/.emulator_console_auth_token.
    EmulatorConsole console =
        EmulatorConsole::connect("127.0.0.1", emulator.console_port(), Deadline::after(5s));
    EXPECT_EQ(console.command("avd name", Deadline::after(5s)), avds[i]);
    console.set_acceleration(0.5, 9.81, 1.5, Deadline::after(5s));
    EXPECT_EQ(console.command("sensor get acceleration", Deadline::after(5s)),
              "acceleration = 0.5:9.81:1.5");
  }

  // Stopping one leaves no process and no adb entry, and the other one keeps working.
  const int pid = emulators[0]->pid();
  const std::string serial = emulators[0]->serial();
  ASSERT_GT(pid, 0);
  emulators[0]->stop();
  EXPECT_FALSE(emulators[0]->running());
  EXPECT_EQ(emulators[0]->pid(), -1);
  errno = 0;
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH) << "process " << pid << " is still there after stop()";
  EXPECT_EQ(processes_running_avd(avds[0]), 0);
  EXPECT_TRUE(gone_from_adb(serial)) << "adb still lists " << serial << " as a device";

  Device other(client_, emulators[1]->serial());
  EXPECT_EQ(other.shell("echo still-here", Deadline::after(10s)).out, "still-here\n");
  const int other_pid = emulators[1]->pid();
  emulators[1]->stop();
  EXPECT_EQ(::kill(other_pid, 0), -1);
  EXPECT_EQ(processes_running_avd(avds[1]), 0);
}

TEST_F(EmulatorProcessTest, QuickAndSnapshotBootsUseFlagsTheEmulatorAccepts) {
  // The simulator refuses (exit 2) any emulator flag it does not know, so a boot proves the
  // flags each mode passes are the emulator's.
  EmulatorOptions quick = options("uiw_farm_quick");
  quick.boot = BootMode::kQuick;
  auto quick_emulator = EmulatorProcess::start(client_, quick, Deadline::after(60s));
  EXPECT_EQ(session_->device_state(quick_emulator->serial()), "device");
  quick_emulator->stop();

  EmulatorOptions named = options("uiw_farm_snapshot");
  named.boot = BootMode::kSnapshot;
  named.snapshot = "farm_baseline";
  auto named_emulator = EmulatorProcess::start(client_, named, Deadline::after(60s));
  EXPECT_EQ(session_->device_state(named_emulator->serial()), "device");
  named_emulator->stop();

  named.snapshot.clear();
  try {
    EmulatorProcess::start(client_, named, Deadline::after(60s));
    FAIL() << "a snapshot boot without a snapshot name started";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage) << e.what();
  }
}

TEST_F(EmulatorProcessTest, AnEmulatorThatExitsDuringBootIsACommandFailureWithItsOutput) {
  const std::filesystem::path bad_app = *home_ / "broken_app.yaml";
  std::ofstream(bad_app) << "package: com.uiw.broken\nscreens: [this is: not a screen map\n";
  try {
    EmulatorProcess::start(client_, options("uiw_farm_broken", {"--app", bad_app.string()}),
                           Deadline::after(60s));
    FAIL() << "an emulator that cannot install its app booted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kCommandFailed) << e.what();
    const std::string message = e.what();
    EXPECT_NE(message.find("uiw_farm_broken"), std::string::npos) << message;
    // The emulator's own words: the simulator's complaint about the file.
    EXPECT_NE(message.find("cannot install"), std::string::npos) << message;
    EXPECT_NE(message.find("broken_app.yaml"), std::string::npos) << message;
  }
  EXPECT_EQ(processes_running_avd("uiw_farm_broken"), 0);
}

TEST_F(EmulatorProcessTest, ABootSlowerThanTheDeadlineTimesOutNamingTheAvdAndKillsIt) {
  EmulatorOptions slow = options("uiw_farm_slow", {"--app", news_app(), "--boot-ms", "5000"});
  slow.port = uiw::pick_emulator_console_port();
  try {
    EmulatorProcess::start(client_, slow, Deadline::after(1s));
    FAIL() << "a 5 s boot fit in a 1 s deadline";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTimeout) << e.what();
    EXPECT_NE(std::string(e.what()).find("uiw_farm_slow"), std::string::npos) << e.what();
  }
  EXPECT_EQ(processes_running_avd("uiw_farm_slow"), 0);
  EXPECT_TRUE(nothing_listens_on(slow.port)) << "its console still answers";
  EXPECT_TRUE(nothing_listens_on(slow.port + 1)) << "its adb port still answers";
  EXPECT_TRUE(gone_from_adb("emulator-" + std::to_string(slow.port)));
}

TEST_F(EmulatorProcessTest, AMissingEmulatorBinaryIsNotFound) {
  EmulatorOptions missing = options("uiw_farm_missing");
  missing.emulator_path = (*home_ / "no-such-sdk" / "emulator" / "emulator").string();
  try {
    EmulatorProcess::start(client_, missing, Deadline::after(10s));
    FAIL() << "a missing emulator binary started";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound) << e.what();
    EXPECT_NE(std::string(e.what()).find(missing.emulator_path), std::string::npos) << e.what();
  }
}

TEST_F(EmulatorProcessTest, ARemoteAdbServerIsRefusedBeforeAnythingStarts) {
  // The emulator can only register with a server on its own machine.
  AdbClient remote(ServerAddress{"192.0.2.1", 5037}, AdbClient::Options{false, ""});
  try {
    EmulatorProcess::start(remote, options("uiw_farm_remote"), Deadline::after(10s));
    FAIL() << "started an emulator for a remote adb server";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage) << e.what();
  }
  EXPECT_EQ(processes_running_avd("uiw_farm_remote"), 0);
}

}  // namespace
}  // namespace uiw::adb
