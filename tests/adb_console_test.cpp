// The emulator console client against uiwitness-sim --console-port: token auth and the sensor
// command a shake-to-open probe uses.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "adb/adb_client.h"
#include "adb/emulator_console.h"
#include "adb/sim_process.h"
#include "common/error.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace uiw::adb {
namespace {

class AdbConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A private HOME: the simulator and the client both use ~/.emulator_console_auth_token.
    home_ = std::filesystem::temp_directory_path() /
            ("uiw-adb-console-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(home_);
    std::ofstream(home_ / ".emulator_console_auth_token") << "s3cr3t-token\n";
    if (const char* old = std::getenv("HOME")) old_home_ = old;
    setenv("HOME", home_.c_str(), 1);
    console_port_ = test::pick_free_sim_port();
    sim_ = session_.start_sim({test::source_path("fixtures/apps/test/e2e_news.yaml")},
                              {"--console-port", std::to_string(console_port_)});
  }
  void TearDown() override {
    session_.stop_sim(sim_);
    setenv("HOME", old_home_.c_str(), 1);
    std::filesystem::remove_all(home_);
  }

  std::filesystem::path home_;
  std::string old_home_;
  int console_port_ = 0;
  test::SimSession session_;
  test::SimSession::Sim sim_;
};

TEST_F(AdbConsoleTest, AuthenticatesWithTheTokenFileAndSetsAcceleration) {
  EmulatorConsole console =
      EmulatorConsole::connect("127.0.0.1", console_port_, Deadline::after(5s));
  console.set_acceleration(2.5, 9.81, -1, Deadline::after(5s));
  EXPECT_EQ(console.command("sensor get acceleration", Deadline::after(5s)),
            "acceleration = 2.5:9.81:-1");
}

TEST_F(AdbConsoleTest, AWrongTokenIsUnauthorizedAndNamesTheFile) {
  const std::string wrong = (home_ / "wrong-token").string();
  std::ofstream(wrong) << "nope";
  try {
    EmulatorConsole::connect("127.0.0.1", console_port_, Deadline::after(5s), wrong);
    FAIL() << "a wrong token was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnauthorized);
    EXPECT_NE(std::string(e.what()).find(wrong), std::string::npos) << e.what();
  }
}

TEST_F(AdbConsoleTest, ABadSensorValueIsACommandFailureWithTheConsolesWords) {
  EmulatorConsole console =
      EmulatorConsole::connect("127.0.0.1", console_port_, Deadline::after(5s));
  try {
    console.command("sensor set acceleration 1:2", Deadline::after(5s));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kCommandFailed);
    EXPECT_NE(std::string(e.what()).find("KO:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace uiw::adb
