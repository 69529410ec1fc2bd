#pragma once
// The adb binary as a process (Boost.Process): found on PATH or in the SDK, used to start the
// server and, in benchmarks, as the baseline. Never on the hot path.
#include <chrono>
#include <string>
#include <vector>

#include "adb/deadline.h"

namespace uiw::adb {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out, err;
  bool timed_out = false;  // killed at the deadline; out and err hold what it printed by then
};

class AdbProcess {
 public:
  // `adb` on PATH, else $ANDROID_HOME/platform-tools/adb, else $ANDROID_SDK_ROOT/…; throws
  // kNotFound naming the places searched.
  static std::string find_adb();

  explicit AdbProcess(std::string adb_path = find_adb()) : adb_(std::move(adb_path)) {}
  const std::string& path() const { return adb_; }

  // `adb -P PORT start-server`: returns once the server answers; throws kTimeout / kCommandFailed
  // with adb's output. The server daemonises itself (it outlives us by design, like adb's).
  void start_server(int port, Deadline deadline) const;

  // Runs `adb ARGS…` with ANDROID_ADB_SERVER_PORT=port (if > 0), capturing stdout and stderr;
  // killed at the deadline (then throws kTimeout). The child is always reaped.
  ProcessResult run(const std::vector<std::string>& args, int port, Deadline deadline) const;

 private:
  std::string adb_;
};

// Runs any program with the given arguments, capturing output, with a deadline; the child is
// killed and reaped at the deadline (then `timed_out`). Environment: ours changed by `env`
// ("NAME=VALUE" sets, "NAME" removes).
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env, Deadline deadline);

}  // namespace uiw::adb
