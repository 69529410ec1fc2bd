#pragma once
// DeviceFarm: the devices one run uses. It brings up what a farm file names — simulators started
// and connected, emulators booted in parallel, other hosts' adb servers asked for their devices —
// plus serials given with --devices, and takes down what it started when it goes out of scope
// (simulators disconnected and stopped, emulators killed through their console). A device that
// cannot be brought up (an emulator that does not boot, a host that does not answer) is reported
// and left out: one broken machine must not cost the night.
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/sim_process.h"
#include "harness/farm_config.h"
#include "harness/probe_context.h"

namespace uiw::harness {

struct FarmDevice {
  // Unique in the run, names its bundles: the serial, or SERIAL@HOST:PORT for a device of
  // another adb server (every host of a farm has its own emulator-5554).
  std::string name;
  adb::ServerAddress server;
  std::string serial;
  std::optional<ConsoleAddress> console;  // POP-09's emulator console
};

class DeviceFarm {
 public:
  // `local`: this host's adb server (simulators, emulators and plain serials attach to it);
  // `serials`: --devices. Throws uiw::Error — after stopping whatever it had started — when a
  // named device is not ready (kNotFound: a typo must not wait for the night to fail) or no
  // device at all could be brought up (kDeviceOffline). Progress and left-out devices go to
  // `log`.
  DeviceFarm(const std::optional<FarmConfig>& config, const std::vector<std::string>& serials,
             const adb::ServerAddress& local, std::ostream& log);
  ~DeviceFarm();
  DeviceFarm(const DeviceFarm&) = delete;
  DeviceFarm& operator=(const DeviceFarm&) = delete;

  const std::vector<FarmDevice>& devices() const { return devices_; }
  // The client of the device's adb server, shared by that server's device workers.
  adb::AdbClient& client(const FarmDevice& device);

 private:
  struct Started;
  adb::AdbClient& client_for(const adb::ServerAddress& server);
  void add(FarmDevice device);
  void add_named(adb::AdbClient& client, const std::vector<std::string>& serials,
                 const std::string& where, std::map<std::string, ConsoleAddress> consoles);
  void start_simulators(const std::vector<FarmSimulatorSpec>& specs, std::ostream& log);
  void start_emulators(const std::vector<FarmEmulatorSpec>& specs, std::ostream& log);
  void join_servers(const std::vector<FarmServerSpec>& specs, std::ostream& log);
  void stop_all();

  adb::ServerAddress local_;
  std::map<std::string, std::unique_ptr<adb::AdbClient>> clients_;  // by ServerAddress
  std::vector<FarmDevice> devices_;
  std::vector<std::string> left_out_;  // "emulator Pixel_7 #2: did not boot …", for the errors
  std::unique_ptr<Started> started_;
};

// Fixture app files named by files or folders (every *.yaml of a folder but catalogue.yaml);
// throws kNotFound for a missing path, kConfig when there are none.
std::vector<std::string> simulator_apps(const std::vector<std::string>& inputs);

// A uiwitness-sim with its console one port below adb's, the way emulators pair them
// (5554/5555). Port 0 picks a free one (again if someone takes it first).
std::unique_ptr<adb::SimProcess> start_simulator(const std::vector<std::string>& apps, int port,
                                                 int console_port,
                                                 const std::vector<std::string>& extra_args);

}  // namespace uiw::harness
