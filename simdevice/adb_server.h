#pragma once
// The simulated device's adbd: accepts adb servers' TCP connections on 127.0.0.1:PORT and runs
// each as an AdbConnection. stop() is async-signal-safe, so a SIGTERM handler (or the emulator
// console's `kill`) can end serve() cleanly.
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "simdevice/adb_connection.h"
#include "simdevice/device_profile.h"
#include "simdevice/shell_io.h"
#include "simdevice/virtual_fs.h"

namespace uiw::sim {

class AdbServer {
 public:
  // All of them must outlive the server; `faults` may be null (no fault injection).
  AdbServer(const DeviceProfile& profile, CommandRunner& runner, VirtualFs& fs,
            FaultPlan* faults = nullptr);
  ~AdbServer();
  AdbServer(const AdbServer&) = delete;
  AdbServer& operator=(const AdbServer&) = delete;

  // Binds 127.0.0.1:port (0: any free port); throws uiw::Error(kIo) naming the port.
  void listen(int port);
  // The bound port (useful after listen(0)).
  int port() const { return port_; }
  // Accepts connections until stop(); then ends every connection and waits for their threads.
  void serve();
  // Async-signal-safe; serve() returns soon after. Calling it before serve() makes serve()
  // return at once.
  void stop();

 private:
  void reap(bool all);

  AdbServices services_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::vector<std::unique_ptr<AdbConnection>> connections_;  // serve()'s thread only
};

}  // namespace uiw::sim
