#pragma once
// EmulatorProcess: `emulator -avd NAME -port P …` as a child (Boost.Process), ready once adb
// lists emulator-P and sys.boot_completed is 1; killed (console `kill`, then SIGTERM, then
// SIGKILL) and reaped when it goes out of scope.
#include <memory>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/deadline.h"

namespace uiw::adb {

struct EmulatorOptions {
  std::string avd;
  int port = 5554;  // console port; adb's serial is emulator-PORT, adb port PORT+1
  bool no_window = true;
  bool no_snapshot = true;  // a cold, reproducible boot
  bool no_audio = true;
  std::vector<std::string> extra_args;  // -gpu swiftshader_indirect, -memory 2048, …
  std::string emulator_path;            // "": PATH, $ANDROID_HOME/emulator, $ANDROID_SDK_ROOT/…
};

class EmulatorProcess {
 public:
  static std::string find_emulator();
  // Starts it and waits (within the deadline) for boot; throws kTimeout with the emulator's
  // last output if it does not boot, kCommandFailed if it exits.
  static std::unique_ptr<EmulatorProcess> start(AdbClient& client, const EmulatorOptions& options,
                                                Deadline boot_deadline);
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  std::string serial() const { return "emulator-" + std::to_string(port_); }
  int console_port() const { return port_; }
  bool running();
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));

 private:
  struct Impl;
  EmulatorProcess(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace uiw::adb
