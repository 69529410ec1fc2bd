#pragma once
// SpawnedProcess: a program the benchmarks start and watch from outside — its pid for /proc
// sampling while it runs, and its own resource usage (wait4) once it ends, which holds only that
// process when the devices it drives were started by the benchmark, not by it.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace uiw::bench {

struct ProcessUsage {
  double wall_s = 0;
  double cpu_s = 0;    // user + system
  double rss_mb = 0;   // peak resident
  int exit_code = -1;  // 128+N when killed by signal N
};

class SpawnedProcess {
 public:
  // Starts argv[0] (looked up on PATH when it has no slash) with our environment plus `env`
  // ("NAME=VALUE"), stdout and stderr to `log`.
  // Throws uiw::Error(kIo) when it cannot start.
  SpawnedProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 const std::filesystem::path& log);
  SpawnedProcess(const SpawnedProcess&) = delete;
  SpawnedProcess& operator=(const SpawnedProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits for it to end.
  ProcessUsage wait();

 private:
  pid_t pid_ = 0;
  double started_ = 0;
};

// What /proc says about a running process: resident memory, open descriptors, child processes.
struct ProcSample {
  double rss_mb = 0;
  int fds = 0;
  int children = 0;
};
ProcSample sample_proc(pid_t pid);

}  // namespace uiw::bench
