#pragma once
// `uiwitness run`: scenarios × devices into a run directory — one evidence bundle per pair,
// then run.json, junit.xml and report.html — and the exit code CI reads (docs/ARCHITECTURE.md): 0
// clean, 1 findings or failed expectations, 2 a scenario or usage error (before any device is
// touched), 3 infrastructure failure.
#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adb/server_address.h"
#include "harness/farm_config.h"
#include "harness/scenario.h"
#include "harness/scenario_runner.h"
#include "harness/shard.h"

namespace uiw::harness {

struct RunCommandOptions {
  std::vector<std::string> inputs;  // scenario files, or directories searched for *.yaml
  // Serials; with neither these nor a farm: $ANDROID_SERIAL, else the only device.
  std::vector<std::string> devices;
  std::optional<FarmConfig> farm;  // --farm farm.yaml: emulators, simulators, other adb servers
  std::filesystem::path out;       // the run directory; empty: uiwitness-runs/<UTC time>
  std::string profile = "miit-2023";
  std::map<std::string, std::string> vars;         // --var K=V
  std::map<std::string, ConsoleAddress> consoles;  // serial → emulator console (POP-09)
  std::chrono::milliseconds step_timeout{10'000};
  bool every_device = false;  // each scenario on each device (else: the next free device)
  bool json = false;          // print run.json instead of the summary table
  bool progress = false;      // a line per step (on a terminal)
  // The adb server to use; unset: ADB_SERVER_SOCKET / ANDROID_ADB_SERVER_PORT / 5037.
  std::optional<adb::ServerAddress> adb_server;
  // Farm runs (issue 6): only shard K of N of the scenarios (harness/shard.h); and a previous
  // run to print the nightly summary against (harness/nightly_summary.h).
  std::optional<ShardSpec> shard;
  std::optional<std::filesystem::path> baseline;
  // How often one scenario job may be started: a job whose device fails goes to another device
  // until this many attempts were made (the farm file's `attempts` wins).
  int attempts = 2;
};

// Scenario files named by `inputs`: files as given, directories searched recursively for *.yaml
// and *.yml, skipping `flows/` folders (files only included with run_flow). Sorted per
// directory. Throws kNotFound for a missing path, kConfig when nothing is found.
std::vector<std::filesystem::path> scenario_files(const std::vector<std::string>& inputs);

// "20240501-093012": a run directory's default name (UTC).
std::string run_stamp();

int run_command(const RunCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace uiw::harness
