#pragma once
// uiwitness-sim started the way the Android emulator is (`-avd NAME -port P -no-window …`), so
// adb::EmulatorProcess and farm scripts can run it in place of `emulator`: the single-dash
// emulator options are taken out of the command line here, the sim's own `--` options are left
// for CLI11. Like the emulator, it pairs its console on P with adb on P+1 and tells the adb
// server about itself (notify_adb_server), which then lists it as emulator-P.
#include <chrono>
#include <string>
#include <vector>

namespace uiw::sim {

struct EmulatorCommandLine {
  bool active = false;   // any emulator option (or @AVD) was given
  std::string avd;       // -avd NAME or @NAME
  int console_port = 0;  // -port P; 0: the first free pair from 5554, as the emulator does
  std::vector<std::string> no_effect;  // accepted options that change nothing here, as given
  std::vector<std::string> rest;       // argv[0] and every other argument, in order, for CLI11
};

// Splits argv. Throws uiw::Error(kUsage) naming an unknown single-dash option (the emulator
// refuses those too), a missing value, a bad -port or a missing -avd.
EmulatorCommandLine parse_emulator_command_line(int argc, const char* const* argv);

// Sends the host service `host:emulator:ADB_PORT` to the adb server on 127.0.0.1:server_port,
// which connects to ADB_PORT and lists the device as emulator-(ADB_PORT-1). The server sends no
// reply; it closes the connection once it has connected to us. Returns "" on success, else why
// it failed (no server there is not an error of ours: the emulator carries on without one).
std::string notify_adb_server(int adb_port, int server_port, std::chrono::milliseconds timeout);

}  // namespace uiw::sim
