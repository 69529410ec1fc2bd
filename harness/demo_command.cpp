#include "harness/demo_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <ostream>

#include "adb/adb_client.h"
#include "adb/adb_process.h"
#include "adb/sim_process.h"
#include "common/error.h"
#include "common/share_paths.h"
#include "harness/device_farm.h"
#include "harness/run_command.h"

namespace uiw::harness {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int kDemoDevices = 2;

}  // namespace

int run_demo(const DemoOptions& options, std::ostream& out, std::ostream& err) {
  const fs::path scenarios =
      options.scenarios.empty() ? shared_path("scenarios/examples") : options.scenarios;
  const fs::path apps_dir = options.apps.empty() ? shared_path("fixtures/apps") : options.apps;

  // A private adb server: the demo never touches the user's devices or their server.
  const int adb_port = adb::SimProcess::pick_port();
  adb::AdbProcess().start_server(adb_port, adb::Deadline::after(20s));
  adb::AdbClient client(adb::ServerAddress::local(adb_port));
  struct ServerGuard {
    adb::AdbClient& client;
    ~ServerGuard() {
      try {
        client.kill_server(adb::Deadline::after(5s));
      } catch (const Error&) {
      }
    }
  } server_guard{client};

  // Two devices take the scenarios from one queue, as a farm does.
  FarmConfig farm;
  farm.simulators.push_back(FarmSimulatorSpec{kDemoDevices, {apps_dir.string()}, {}});
  RunCommandOptions run;
  run.farm = std::move(farm);
  out << fmt::format(
      "uiwitness demo: {} simulated devices with {} fixture apps (adb server on "
      "port {})\n",
      kDemoDevices, simulator_apps({apps_dir.string()}).size(), adb_port);
  run.inputs = {scenarios.string()};
  run.out =
      options.out.empty() ? fs::path("uiwitness-runs") / ("demo-" + run_stamp()) : options.out;
  run.adb_server = adb::ServerAddress::local(adb_port);
  run.progress = options.progress;
  return run_command(run, out, err);
}

int run_sim(const SimCommandOptions& options, std::ostream& out) {
  const auto apps = simulator_apps(
      options.apps.empty() ? std::vector<std::string>{shared_path("fixtures/apps").string()}
                           : options.apps);
  // Block the signals before any thread exists, then wait for one of them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto sim = start_simulator(apps, options.port, options.console_port, options.extra_args);
  adb::AdbClient client;
  client.connect(sim->serial(), adb::Deadline::after(10s));
  client.wait_for_device(sim->serial(), adb::Deadline::after(20s));
  out << fmt::format(
             "uiwitness-sim {} is up with {} apps (console port {}); adb lists it.\n"
             "Run scenarios with: uiwitness run SCENARIO --device {}\n"
             "Ctrl-C stops it.\n",
             sim->serial(), apps.size(),
             options.console_port != 0 ? options.console_port : sim->port() - 1, sim->serial())
      << std::flush;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  try {
    client.disconnect(sim->serial(), adb::Deadline::after(5s));
  } catch (const Error&) {
  }
  sim->stop();
  out << "uiwitness-sim stopped\n";
  return 0;
}

}  // namespace uiw::harness
