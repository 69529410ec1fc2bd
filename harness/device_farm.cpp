#include "harness/device_farm.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>
#include <thread>

#include "adb/emulator_process.h"
#include "common/error.h"
#include "common/loopback_ports.h"
#include "common/share_paths.h"

namespace uiw::harness {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct DeviceFarm::Started {
  std::vector<std::unique_ptr<adb::SimProcess>> simulators;
  std::vector<std::unique_ptr<adb::EmulatorProcess>> emulators;
};

namespace {

// Consoles of emulators on other hosts are reached on that host.
std::optional<ConsoleAddress> emulator_console(const std::string& serial, const std::string& host) {
  if (!serial.starts_with("emulator-")) return std::nullopt;
  try {
    return ConsoleAddress{host, std::stoi(serial.substr(9))};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<std::string> simulator_apps(const std::vector<std::string>& inputs) {
  std::vector<std::string> apps;
  for (const auto& input : inputs) {
    if (fs::is_directory(input)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(input)) {
        const auto& p = entry.path();
        if (entry.is_regular_file() && p.extension() == ".yaml" && p.filename() != "catalogue.yaml")
          found.push_back(p.string());
      }
      std::sort(found.begin(), found.end());
      apps.insert(apps.end(), found.begin(), found.end());
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

std::unique_ptr<adb::SimProcess> start_simulator(const std::vector<std::string>& apps, int port,
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

DeviceFarm::DeviceFarm(const std::optional<FarmConfig>& config,
                       const std::vector<std::string>& serials, const adb::ServerAddress& local,
                       std::ostream& log)
    : local_(config && config->adb_server ? *config->adb_server : local),
      started_(std::make_unique<Started>()) {
  try {
    add_named(client_for(local_), serials, "--devices", {});
    if (config) {
      std::vector<std::string> named;
      std::map<std::string, ConsoleAddress> consoles;
      for (const auto& d : config->devices) {
        named.push_back(d.serial);
        if (d.console) consoles[d.serial] = *d.console;
      }
      add_named(client_for(local_), named, config->file.string(), consoles);
      start_simulators(config->simulators, log);
      start_emulators(config->emulators, log);
      join_servers(config->servers, log);
    }
    if (devices_.empty()) {
      throw Error(ErrorKind::kDeviceOffline, left_out_.empty()
                                                 ? std::string("no device to run on")
                                                 : fmt::format("no device could be brought up: {}",
                                                               fmt::join(left_out_, "; ")));
    }
  } catch (...) {
    stop_all();
    throw;
  }
}

DeviceFarm::~DeviceFarm() {
  stop_all();
}

adb::AdbClient& DeviceFarm::client_for(const adb::ServerAddress& server) {
  auto& slot = clients_[server.to_string()];
  // Only this host's server is ours to start; another host's is only asked.
  if (!slot) {
    adb::AdbClient::Options options;
    options.start_server = server.is_local();
    slot = std::make_unique<adb::AdbClient>(server, options);
  }
  return *slot;
}

adb::AdbClient& DeviceFarm::client(const FarmDevice& device) {
  return client_for(device.server);
}

void DeviceFarm::add(FarmDevice device) {
  for (const FarmDevice& d : devices_)
    if (d.name == device.name) return;  // named twice: one worker
  devices_.push_back(std::move(device));
}

void DeviceFarm::add_named(adb::AdbClient& client, const std::vector<std::string>& serials,
                           const std::string& where,
                           std::map<std::string, ConsoleAddress> consoles) {
  if (serials.empty()) return;
  std::vector<std::string> ready, listed;
  for (const auto& d : client.devices(adb::Deadline::after(10s))) {
    listed.push_back(d.serial + " (" + d.state + ")");
    if (d.state == "device") ready.push_back(d.serial);
  }
  const bool local = client.server() == local_;
  for (const auto& serial : serials) {
    if (std::find(ready.begin(), ready.end(), serial) == ready.end()) {
      throw Error(
          ErrorKind::kNotFound,
          fmt::format("{}: device {} is not ready; the adb server at {} lists: {}", where, serial,
                      client.server().to_string(),
                      listed.empty() ? "none" : fmt::format("{}", fmt::join(listed, ", "))));
    }
    FarmDevice device{local ? serial : serial + "@" + client.server().to_string(), client.server(),
                      serial, std::nullopt};
    if (auto it = consoles.find(serial); it != consoles.end()) {
      device.console = it->second;
    } else if (!local) {
      device.console = emulator_console(serial, client.server().host);
    }
    add(std::move(device));
  }
}

void DeviceFarm::start_simulators(const std::vector<FarmSimulatorSpec>& specs, std::ostream& log) {
  adb::AdbClient& client = client_for(local_);
  for (const auto& spec : specs) {
    const auto apps = simulator_apps(
        spec.apps.empty() ? std::vector<std::string>{shared_path("fixtures/apps").string()}
                          : spec.apps);
    for (int i = 0; i < spec.count; ++i) {
      auto sim = start_simulator(apps, 0, 0, spec.options);
      client.connect(sim->serial(), adb::Deadline::after(10s));
      client.wait_for_device(sim->serial(), adb::Deadline::after(20s));
      add(FarmDevice{sim->serial(), local_, sim->serial(),
                     ConsoleAddress{"127.0.0.1", sim->port() - 1}});
      started_->simulators.push_back(std::move(sim));
    }
  }
  if (!started_->simulators.empty()) {
    log << fmt::format("farm: {} simulator{} up\n", started_->simulators.size(),
                       started_->simulators.size() == 1 ? "" : "s");
  }
}

void DeviceFarm::start_emulators(const std::vector<FarmEmulatorSpec>& specs, std::ostream& log) {
  struct Boot {
    const FarmEmulatorSpec* spec;
    int number;  // 1-based within its spec, for messages
    adb::EmulatorOptions options;
    std::unique_ptr<adb::EmulatorProcess> emulator;
    std::string error;
  };
  std::vector<Boot> boots;
  for (const auto& spec : specs) {
    for (int i = 0; i < spec.count; ++i) {
      adb::EmulatorOptions options;
      options.avd = spec.avd;
      options.emulator_path = spec.binary;
      options.no_window = !spec.window;
      options.boot = spec.boot;
      options.snapshot = spec.snapshot;
      options.extra_args = spec.options;
      boots.push_back(Boot{&spec, i + 1, std::move(options), nullptr, {}});
    }
  }
  if (boots.empty()) return;
  std::set<int> ports;
  for (Boot& boot : boots) ports.insert(boot.options.port = pick_emulator_console_port(ports));

  // Booting takes minutes on real hardware: all at once.
  log << fmt::format("farm: booting {} emulator{}\n", boots.size(), boots.size() == 1 ? "" : "s");
  adb::AdbClient& client = client_for(local_);
  std::vector<std::thread> threads;
  for (Boot& boot : boots) {
    threads.emplace_back([&client, &boot] {
      try {
        boot.emulator = adb::EmulatorProcess::start(client, boot.options,
                                                    adb::Deadline::after(boot.spec->boot_timeout));
      } catch (const std::exception& e) {
        boot.error = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (Boot& boot : boots) {
    if (!boot.emulator) {
      left_out_.push_back(
          fmt::format("emulator {} #{}: {}", boot.spec->avd, boot.number, boot.error));
      log << "farm: left out " << left_out_.back() << '\n';
      continue;
    }
    add(FarmDevice{boot.emulator->serial(), local_, boot.emulator->serial(),
                   ConsoleAddress{"127.0.0.1", boot.emulator->console_port()}});
    started_->emulators.push_back(std::move(boot.emulator));
  }
}

void DeviceFarm::join_servers(const std::vector<FarmServerSpec>& specs, std::ostream& log) {
  for (const auto& spec : specs) {
    adb::AdbClient& client = client_for(spec.address);
    std::vector<std::string> serials = spec.devices;
    try {
      if (serials.empty()) {
        for (const auto& d : client.devices(adb::Deadline::after(10s)))
          if (d.state == "device") serials.push_back(d.serial);
      }
      const size_t before = devices_.size();
      add_named(client, serials, "server " + spec.address.to_string(), {});
      log << fmt::format("farm: {} device{} from the adb server at {}\n", devices_.size() - before,
                         devices_.size() - before == 1 ? "" : "s", spec.address.to_string());
    } catch (const Error& e) {
      // A named device that is not ready is a mistake in the farm file; a host that does not
      // answer is a broken machine: left out.
      if (e.kind() == ErrorKind::kNotFound) throw;
      left_out_.push_back(fmt::format("adb server {}: {}", spec.address.to_string(), e.what()));
      log << "farm: left out " << left_out_.back() << '\n';
    }
  }
}

void DeviceFarm::stop_all() {
  if (!started_) return;
  for (auto& sim : started_->simulators) {
    try {
      client_for(local_).disconnect(sim->serial(), adb::Deadline::after(5s));
    } catch (const Error&) {
    }
    sim->stop();
  }
  // Each emulator may take seconds to shut down cleanly: all at once.
  std::vector<std::thread> threads;
  for (auto& emulator : started_->emulators)
    threads.emplace_back([&emulator] { emulator->stop(); });
  for (auto& t : threads) t.join();
  started_.reset();
}

}  // namespace uiw::harness
