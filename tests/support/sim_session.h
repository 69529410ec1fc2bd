#pragma once
// End-to-end test support: a private adb server (never the user's 5037) and uiwitness-sim
// processes, all children of the test, reaped and killed when the session ends. Tests drive
// them with the real adb binary, exactly as a user would.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace uiw::test {

using namespace std::chrono_literals;

// A TCP port free on 127.0.0.1 right now (the kernel's choice; ephemeral range).
int pick_free_port();
// A free port for a simulator: ≥ 6000 and below the ephemeral range, never 5555–5585 (adb
// scans those for emulators).
int pick_free_sim_port();
// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

class SimSession {
 public:
  // Starts `adb -P PORT nodaemon server` as a child and waits until it answers.
  explicit SimSession(int adb_port = pick_free_port());
  // Disconnects and stops every simulator, then kills the adb server.
  ~SimSession();
  SimSession(const SimSession&) = delete;
  SimSession& operator=(const SimSession&) = delete;

  int adb_port() const { return adb_port_; }

  struct Sim {
    int port = 0;
    std::string serial;  // "127.0.0.1:PORT"
  };
  // Spawns bin/uiwitness-sim with the apps on a free port (or `--port` from extra_args), waits
  // for "listening on …", runs `adb connect` and waits until adb lists it as `device`.
  // Throws uiw::Error on failure, with the simulator's stderr.
  Sim start_sim(const std::vector<std::string>& app_yaml_paths,
                const std::vector<std::string>& extra_args = {});
  // SIGKILL: the abrupt death of a device; adb then lists it as `offline`.
  void kill_sim(const Sim& sim);
  // Starts the simulator again on the same port with the same arguments and waits until adb
  // lists it as `device` again (adb's server retries by itself; reconnects if it does not).
  void restart_sim(const Sim& sim);
  // `adb disconnect`, then SIGTERM (SIGKILL if it does not end in time).
  void stop_sim(const Sim& sim);

  struct Result {
    int exit_code = -1;  // 128+N when killed by signal N
    std::string out, err;
  };
  // Runs the real adb with -P PORT (and ANDROID_ADB_SERVER_PORT=PORT); killed at the deadline
  // (exit_code then reports the kill). Thread-safe.
  Result adb(const std::vector<std::string>& args, std::chrono::milliseconds deadline = 20s);
  // The state `adb devices` shows for serial ("device", "offline", …), "" when not listed.
  std::string device_state(const std::string& serial);
  // Polls `adb devices` until serial is in `state`; false at the deadline.
  bool wait_for_state(const std::string& serial, const std::string& state,
                      std::chrono::milliseconds deadline);

 private:
  struct Process;
  struct SimProcess;

  void launch(SimProcess& sim);
  void connect(const std::string& serial, std::chrono::milliseconds deadline);

  int adb_port_;
  std::unique_ptr<Process> server_;
  std::mutex mutex_;
  std::map<int, std::unique_ptr<SimProcess>> sims_;  // by port
};

}  // namespace uiw::test
