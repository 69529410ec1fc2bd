#pragma once
// EmulatorProcess: `emulator -avd NAME -port P …` as a child (Boost.Process), ready once adb
// lists emulator-P as `device` and sys.boot_completed is 1; killed (console `kill`, then SIGTERM,
// then SIGKILL) and reaped when it goes out of scope.
//
// The emulator finds the adb server itself: at start it sends the host service
// `host:emulator:<P+1>` to 127.0.0.1:$ANDROID_ADB_SERVER_PORT, and the server connects to P+1
// and lists it as emulator-P (checked with Debian's adb 29.0.6 against `uiwitness-sim -avd …`).
// So the server must run on this machine, and before the emulator starts.
#include <memory>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/deadline.h"

namespace uiw::adb {

// How the emulator treats its snapshots. None of them writes to the AVD, so a farm run never
// changes what the next run starts from.
enum class BootMode {
  kCold,      // -no-snapshot: full boot, no snapshot loaded or saved; reproducible (the default)
  kQuick,     // -no-snapshot-save: loads the AVD's default (quick-boot) snapshot
  kSnapshot,  // -snapshot NAME -no-snapshot-save: loads the named snapshot
};

struct EmulatorOptions {
  std::string avd;
  // Console port: even, 5554–5682; adb's serial is emulator-PORT, its adb port PORT+1.
  // 0: uiw::pick_emulator_console_port().
  int port = 0;
  BootMode boot = BootMode::kCold;
  std::string snapshot;  // the name for BootMode::kSnapshot
  bool no_window = true;
  bool no_audio = true;
  bool no_boot_anim = true;
  std::vector<std::string> extra_args;  // -gpu swiftshader_indirect, -memory 2048, …
  std::string emulator_path;            // "": $ANDROID_HOME/emulator, $ANDROID_SDK_ROOT/…, PATH
};

class EmulatorProcess {
 public:
  // Throws kNotFound naming the places searched.
  static std::string find_emulator();

  // Starts it and waits (within the deadline) for boot. Throws kUsage for bad options or a
  // remote adb server, kNotFound when the binary cannot run, kCommandFailed (with its output)
  // if it exits during boot, kTimeout (naming the AVD, with its output) if it does not boot in
  // time; in every failure the child is gone when the exception arrives.
  static std::unique_ptr<EmulatorProcess> start(AdbClient& client, const EmulatorOptions& options,
                                                Deadline boot_deadline);
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  std::string serial() const { return "emulator-" + std::to_string(port_); }
  int console_port() const { return port_; }
  const std::string& avd() const { return avd_; }
  // The child's process id; -1 once stopped.
  int pid() const;
  bool running();
  // Console `kill`, then SIGTERM, each given `grace` to end it, then SIGKILL; always reaped.
  // Safe to call again.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));

 private:
  struct Impl;
  EmulatorProcess(std::unique_ptr<Impl> impl, int port, std::string avd);
  std::unique_ptr<Impl> impl_;
  int port_;
  std::string avd_;
};

}  // namespace uiw::adb
