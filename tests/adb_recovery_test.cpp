// Faults a nightly run meets: a device that dies mid-call, an adb server that dies mid-session.
// Each must end the call with a typed error within its deadline, and the session must go on.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "adb/adb_client.h"
#include "adb/device.h"
#include "common/error.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace uiw::adb {
namespace {

using test::SimSession;

std::string news_app() {
  return test::source_path("fixtures/apps/test/e2e_news.yaml");
}

// The pid of the `adb -P PORT nodaemon server` child SimSession started for this process.
int adb_server_pid(int port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    for (char& c : args) c = c == '\0' ? ' ' : c;
    if (args.find("-P " + std::to_string(port) + " nodaemon server") == std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state;
    int ppid = 0;
    stat >> pid >> comm >> state >> ppid;
    if (ppid == ::getpid()) return std::stoi(name);
  }
  return -1;
}

TEST(AdbRecovery, SimulatorKilledMidCallEndsTheCallWithinItsDeadline) {
  SimSession session;
  const SimSession::Sim sim = session.start_sim({news_app()});
  AdbClient client(ServerAddress::local(session.adb_port()));
  Device device(client, sim.serial);
  ASSERT_EQ(device.shell("echo up").out, "up\n");

  const auto deadline_length = 8s;
  auto call = std::async(std::launch::async, [&]() -> std::optional<Error> {
    try {
      device.shell("sleep 60", Deadline::after(deadline_length));
    } catch (const Error& e) {
      return e;
    }
    return std::nullopt;
  });
  std::this_thread::sleep_for(500ms);
  session.kill_sim(sim);
  // A hang guard, not a timing assertion: the call must come back (its deadline is 8 s).
  ASSERT_EQ(call.wait_for(deadline_length + 5s), std::future_status::ready) << "the call hung";
  const std::optional<Error> error = call.get();
  ASSERT_TRUE(error) << "a call on a dead device must fail";
  std::printf("  call on a killed device: %s\n", error->what());
  EXPECT_TRUE(error->kind() == ErrorKind::kDeviceOffline || error->kind() == ErrorKind::kTimeout)
      << to_string(error->kind()) << ": " << error->what();
  EXPECT_NE(std::string(error->what()).find(sim.serial), std::string::npos) << error->what();

  // The next call is told the device is offline (or times out), never hangs.
  try {
    device.shell("echo hi", Deadline::after(3s));
    ADD_FAILURE() << "a dead device answered";
  } catch (const Error& e) {
    std::printf("  next call: %s\n", e.what());
    EXPECT_TRUE(e.kind() == ErrorKind::kDeviceOffline || e.kind() == ErrorKind::kTimeout)
        << e.what();
    if (e.kind() == ErrorKind::kDeviceOffline) {
      EXPECT_NE(std::string(e.what()).find("device " + sim.serial + " is offline"),
                std::string::npos)
          << e.what();
    }
  }
  // A screenshot mid-death is also an error, not a garbled image.
  EXPECT_THROW(device.screenshot(Deadline::after(3s)), Error);

  // When the device comes back, so does the session.
  session.restart_sim(sim);
  EXPECT_EQ(device.shell("echo back", Deadline::after(10s)).out, "back\n");
}

TEST(AdbRecovery, AdbServerKilledMidSessionIsRestartedAndTheDeviceReconnected) {
  SimSession session;
  const SimSession::Sim sim = session.start_sim({news_app()});
  AdbClient client(ServerAddress::local(session.adb_port()));
  std::vector<std::string> notes;
  client.on_server_restart([&notes](const std::string& note) { notes.push_back(note); });
  Device device(client, sim.serial);
  ASSERT_EQ(device.shell("echo before").out, "before\n");

  const int server = adb_server_pid(session.adb_port());
  ASSERT_GT(server, 0) << "cannot find this test's adb server";
  // Mid-call: a long command is running when the server dies.
  auto call = std::async(std::launch::async, [&]() -> std::optional<Error> {
    try {
      device.shell("sleep 60", Deadline::after(8s));
    } catch (const Error& e) {
      return e;
    }
    return std::nullopt;
  });
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(::kill(server, SIGKILL), 0);
  ASSERT_EQ(call.wait_for(15s), std::future_status::ready) << "the call hung";
  const auto error = call.get();
  ASSERT_TRUE(error);
  std::printf("  call when the server died: %s\n", error->what());
  EXPECT_EQ(error->kind(), ErrorKind::kDeviceOffline) << error->what();

  // The next call restarts the server (adb start-server), reconnects the device, succeeds.
  EXPECT_EQ(device.shell("echo after", Deadline::after(30s)).out, "after\n");
  EXPECT_EQ(notes.size(), 1u);
  for (const std::string& note : notes) std::printf("  %s\n", note.c_str());
  EXPECT_EQ(client.state(sim.serial, Deadline::after(5s)), "device");
  EXPECT_EQ(device.info().width, 1080);
  // The restarted server is a daemon: stop it, as SimSession only knows its own child.
  session.stop_sim(sim);
  client.kill_server(Deadline::after(5s));
}

TEST(AdbRecovery, NoServerAndNoRestartIsAnActionableError) {
  const int port = test::pick_free_port();
  AdbClient client(ServerAddress::local(port),
                   AdbClient::Options{.start_server = false, .adb_path = ""});
  try {
    client.version(Deadline::after(2s));
    FAIL() << "no server listens there";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kDeviceOffline);
    EXPECT_NE(std::string(e.what()).find("start-server"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace uiw::adb
