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
#include "harness/run_command.h"
#include "harness/share_paths.h"

namespace uiw::harness {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int kDemoDevices = 2;

std::vector<std::string> apps_of(const std::vector<std::string>& inputs) {
  std::vector<std::string> apps;
  for (const auto& input : inputs) {
    if (fs::is_directory(input)) {
      const auto more = fixture_apps(input);
      apps.insert(apps.end(), more.begin(), more.end());
    } else if (fs::exists(input)) {
      apps.push_back(input);
    } else {
      throw Error(ErrorKind::kNotFound,
                  fmt::format("{}: no such fixture app file or folder", input));
    }
  }
  if (apps.empty()) throw Error(ErrorKind::kConfig, "no fixture apps (*.yaml) to install");
  return apps;
}

// A simulator with a console one port below adb's, the way emulators pair them (5554/5555).
std::unique_ptr<adb::SimProcess> start_sim(const std::vector<std::string>& apps, int port,
                                           int console_port,
                                           const std::vector<std::string>& extra_args) {
  adb::SimOptions sim;
  sim.binary = simulator_binary().string();
  sim.apps = apps;
  sim.extra_args = extra_args;
  for (int attempt = 0;; ++attempt) {
    sim.port = port != 0 ? port : adb::SimProcess::pick_port();
    sim.console_port = console_port != 0 ? console_port : sim.port - 1;
    try {
      return adb::SimProcess::start(sim, adb::Deadline::after(20s));
    } catch (const Error& e) {
      // Someone took the port between the pick and the bind: pick again.
      if (e.kind() != ErrorKind::kIo || port != 0 || attempt >= 3) throw;
    }
  }
}

}  // namespace

std::vector<std::string> fixture_apps(const fs::path& folder) {
  std::vector<std::string> apps;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const auto& p = entry.path();
    if (entry.is_regular_file() && p.extension() == ".yaml" && p.filename() != "catalogue.yaml") {
      apps.push_back(p.string());
    }
  }
  std::sort(apps.begin(), apps.end());
  return apps;
}

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

  const auto apps = apps_of({apps_dir.string()});
  // Two devices take the scenarios from one queue, as a farm does.
  std::vector<std::unique_ptr<adb::SimProcess>> sims;
  for (int i = 0; i < kDemoDevices; ++i) {
    sims.push_back(start_sim(apps, 0, 0, {}));
    client.connect(sims.back()->serial(), adb::Deadline::after(10s));
  }
  RunCommandOptions run;
  for (const auto& sim : sims) {
    client.wait_for_device(sim->serial(), adb::Deadline::after(20s));
    run.devices.push_back(sim->serial());
    run.consoles[sim->serial()] = ConsoleAddress{"127.0.0.1", sim->port() - 1};
  }
  out << fmt::format(
      "uiwitness demo: {} simulated devices with {} fixture apps (adb server on "
      "port {})\n",
      sims.size(), apps.size(), adb_port);

  run.inputs = {scenarios.string()};
  run.out =
      options.out.empty() ? fs::path("uiwitness-runs") / ("demo-" + run_stamp()) : options.out;
  run.adb_server = adb::ServerAddress::local(adb_port);
  run.progress = options.progress;
  const int code = run_command(run, out, err);
  for (const auto& sim : sims) {
    try {
      client.disconnect(sim->serial(), adb::Deadline::after(5s));
    } catch (const Error&) {
    }
    sim->stop();
  }
  return code;
}

int run_sim(const SimCommandOptions& options, std::ostream& out) {
  const auto apps =
      apps_of(options.apps.empty() ? std::vector<std::string>{shared_path("fixtures/apps").string()}
                                   : options.apps);
  // Block the signals before any thread exists, then wait for one of them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto sim = start_sim(apps, options.port, options.console_port, options.extra_args);
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
