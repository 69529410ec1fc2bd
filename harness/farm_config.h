#pragma once
// farm.yaml: the devices of a farm run (`uiwitness run … --farm farm.yaml`). Devices already
// attached by serial, emulators to boot, simulators to spawn, and other hosts' adb servers whose
// devices join the same pool. Documented with an example in harness/FARM.md.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "adb/emulator_process.h"
#include "adb/server_address.h"
#include "harness/probe_context.h"

namespace uiw::harness {

struct FarmDeviceSpec {
  std::string serial;
  std::optional<ConsoleAddress> console;  // POP-09's emulator console; emulator-N: port N
};

struct FarmEmulatorSpec {
  std::string avd;
  int count = 1;
  adb::BootMode boot = adb::BootMode::kCold;  // cold | quick | snapshot (never saved back)
  std::string snapshot;                       // BootMode::kSnapshot
  bool window = false;
  std::vector<std::string> options;  // passed through: -gpu swiftshader_indirect, -memory 2048
  std::string binary;                // "": found (PATH, $ANDROID_HOME/emulator, …)
  std::chrono::seconds boot_timeout{300};
};

struct FarmSimulatorSpec {
  int count = 1;
  std::vector<std::string> apps;     // fixture app files or folders; empty: the bundled ones
  std::vector<std::string> options;  // passed through: --sdk 30, --screen 720x1280
};

struct FarmServerSpec {
  adb::ServerAddress address;
  std::vector<std::string> devices;  // empty: every device that server lists as ready
};

struct FarmConfig {
  std::filesystem::path file;
  std::optional<adb::ServerAddress> adb_server;  // this host's server; unset: the environment's
  std::vector<FarmDeviceSpec> devices;
  std::vector<FarmEmulatorSpec> emulators;
  std::vector<FarmSimulatorSpec> simulators;
  std::vector<FarmServerSpec> servers;
  int attempts = 2;  // how often one job may be started before it is given up
  // OCR engines shared by all device workers (each holds its language models, ~126 MB);
  // unset: one per device, at most one per core and at most 3 (≤ 400 MB).
  std::optional<int> ocr_engines;
};

// Reads and checks a farm file; relative paths (apps, binary) are taken from its folder. Throws
// uiw::Error(kConfig) "FILE:LINE:COL: what" on any mistake, kNotFound when it does not exist.
FarmConfig load_farm_config(const std::filesystem::path& file);

}  // namespace uiw::harness
