#pragma once
// SimProcess: a uiwitness-sim child (Boost.Process), started on a free port ≥ 6000 and stopped
// (SIGTERM, then SIGKILL) and reaped when it goes out of scope.
#include <memory>
#include <string>
#include <vector>

#include "adb/deadline.h"

namespace uiw::adb {

struct SimOptions {
  std::string binary;  // path to uiwitness-sim
  int port = 0;        // 0: a free port in 6000–32000 (never 5555–5585, which adb scans)
  std::vector<std::string> apps;        // fixture YAML files (--app)
  int console_port = 0;                 // 0: no console
  std::vector<std::string> extra_args;  // --sdk 30, --screen 720x1280, …
};

class SimProcess {
 public:
  // Starts the simulator and waits for its "listening on 127.0.0.1:PORT" line. Throws kIo if
  // the port could not be bound (pick another), kCommandFailed with its stderr otherwise.
  static std::unique_ptr<SimProcess> start(const SimOptions& options, Deadline deadline);
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  int port() const { return port_; }
  std::string serial() const { return "127.0.0.1:" + std::to_string(port_); }
  int pid() const;
  bool running();
  // SIGTERM, SIGKILL after `grace`; always reaped.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  // SIGKILL: the abrupt death of a device.
  void kill();

  // A free TCP port on 127.0.0.1 in [6000, 32000).
  static int pick_port();

 private:
  struct Impl;
  explicit SimProcess(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace uiw::adb
