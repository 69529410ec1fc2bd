#include "tests/support/sim_session.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "adb/adb_process.h"
#include "adb/child_environment.h"
#include "adb/output_pipe.h"
#include "adb/tcp_socket.h"
#include "common/error.h"
#include "common/loopback_ports.h"
#include "tests/support/paths.h"

namespace bp = boost::process;

namespace uiw::test {

namespace {

constexpr const char* kAdb = "/usr/bin/adb";

bool port_answers(int port) {
  try {
    adb::TcpSocket::connect("127.0.0.1", port, "the test's adb server",
                            adb::Deadline::after(std::chrono::milliseconds(500)));
    return true;
  } catch (const Error&) {
    return false;
  }
}

// The environment every child gets: our adb server, and no serial or server socket picked from
// the caller's.
adb::ChildEnvironment child_env(int adb_port) {
  return adb::ChildEnvironment({"ANDROID_ADB_SERVER_PORT=" + std::to_string(adb_port),
                                "ANDROID_SERIAL", "ADB_SERVER_SOCKET"});
}

// Waits for the child to end until the deadline; false if it still runs.
bool wait_until_exit(bp::child& child, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::error_code ec;
  while (child.running(ec)) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

void end_child(bp::child& child, std::chrono::milliseconds grace) {
  std::error_code ec;
  if (!child.valid() || !child.running(ec)) return;
  ::kill(child.id(), SIGTERM);
  if (!wait_until_exit(child, grace)) child.terminate(ec);  // SIGKILL and reap
}

int decode_exit(bp::child& child) {
  const int status = child.native_exit_code();
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return child.exit_code();
}

std::string tail_of_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 4000) text = "…" + text.substr(text.size() - 4000);
  return text;
}

}  // namespace

int pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Error(ErrorKind::kIo, "cannot create a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw Error(ErrorKind::kIo, "cannot bind 127.0.0.1:0 to find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

int pick_free_sim_port() {
  // Random, so test executables running in parallel rarely race for the same port; start_sim
  // retries on the loser's "cannot listen" anyway.
  static std::mutex mutex;
  static std::mt19937 rng(std::random_device{}());
  std::lock_guard lock(mutex);
  std::uniform_int_distribution<int> dist(6000, 32000);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = dist(rng);
    if (uiw::loopback_port_is_free(port)) return port;
  }
  throw Error(ErrorKind::kIo, "no free TCP port between 6000 and 32000 on 127.0.0.1");
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "OpenSSL EVP_Digest(SHA-256) failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

struct SimSession::Process {
  bp::child child;
  std::string log_path;
};

struct SimSession::SimProcess {
  Sim sim;
  std::vector<std::string> args;  // without --port
  std::unique_ptr<Process> process;
};

SimSession::SimSession(int adb_port) : adb_port_(adb_port) {
  server_ = std::make_unique<Process>();
  server_->log_path = (std::filesystem::temp_directory_path() /
                       ("uiw-adb-server-" + std::to_string(adb_port) + ".log"))
                          .string();
  // A child we own (not adb's self-daemonising start-server) is always reaped and killed.
  server_->child = bp::child(kAdb, bp::args({"-P", std::to_string(adb_port), "nodaemon", "server"}),
                             child_env(adb_port), (bp::std_in < bp::null), (bp::std_out > bp::null),
                             (bp::std_err > server_->log_path), bp::detail::limit_handles_());
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (!port_answers(adb_port)) {
    std::error_code ec;
    if (!server_->child.running(ec) || std::chrono::steady_clock::now() > until) {
      end_child(server_->child, 1s);
      throw Error(ErrorKind::kInternal, "adb server on port " + std::to_string(adb_port) +
                                            " did not start: " + tail_of_file(server_->log_path));
    }
    std::this_thread::sleep_for(10ms);
  }
}

SimSession::~SimSession() {
  std::vector<Sim> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [port, sim] : sims_) live.push_back(sim->sim);
  }
  for (const Sim& sim : live) {
    try {
      stop_sim(sim);
    } catch (const std::exception&) {
      // A destructor must finish the cleanup whatever one child did.
    }
  }
  try {
    adb({"kill-server"}, 10s);
  } catch (const std::exception&) {
  }
  end_child(server_->child, 5s);
  std::error_code ec;
  std::filesystem::remove(server_->log_path, ec);
}

SimSession::Result SimSession::adb(const std::vector<std::string>& args,
                                   std::chrono::milliseconds deadline) {
  std::vector<std::string> full = {"-P", std::to_string(adb_port_)};
  full.insert(full.end(), args.begin(), args.end());
  adb::ProcessResult r = adb::run_process(kAdb, full,
                                          {"ANDROID_ADB_SERVER_PORT=" + std::to_string(adb_port_),
                                           "ANDROID_SERIAL", "ADB_SERVER_SOCKET"},
                                          adb::Deadline::after(deadline));
  if (r.timed_out) r.err += "\n[adb killed at the test's deadline]";
  return {r.exit_code, std::move(r.out), std::move(r.err)};
}

std::string SimSession::device_state(const std::string& serial) {
  const Result r = adb({"devices"}, 10s);
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name, state;
    if (words >> name >> state && name == serial) return state;
  }
  return "";
}

bool SimSession::wait_for_state(const std::string& serial, const std::string& state,
                                std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (device_state(serial) == state) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(50ms);
  }
}

void SimSession::connect(const std::string& serial, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::string last;
  for (;;) {
    // `adb connect` exits 0 even when it fails: its output is the only verdict.
    const Result r = adb({"connect", serial}, 15s);
    last = r.out + r.err;
    if (last.find("connected to") != std::string::npos &&
        last.find("failed") == std::string::npos && last.find("cannot") == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (wait_for_state(serial, "device", std::max(left, std::chrono::milliseconds(2000)))) return;
      last = "adb lists it as '" + device_state(serial) + "'";
    }
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(100ms);
  }
  throw Error(ErrorKind::kDeviceOffline, "adb could not connect to " + serial + ": " + last);
}

void SimSession::launch(SimProcess& sim) {
  auto process = std::make_unique<Process>();
  process->log_path =
      (std::filesystem::temp_directory_path() /
       ("uiw-sim-" + std::to_string(::getpid()) + "-" + std::to_string(sim.sim.port) + ".log"))
          .string();
  std::vector<std::string> args = {"--port", std::to_string(sim.sim.port)};
  args.insert(args.end(), sim.args.begin(), sim.args.end());
  adb::OutputPipe out_pipe;
  process->child = bp::child(bin_path("uiwitness-sim"), bp::args(args), child_env(adb_port_),
                             (bp::std_in < bp::null), (bp::std_out > out_pipe.write_end()),
                             (bp::std_err > process->log_path), bp::detail::limit_handles_());
  out_pipe.close_write();
  // Wait for the one line main prints once the port is bound.
  std::string out;
  const std::string expected = "listening on 127.0.0.1:" + std::to_string(sim.sim.port);
  const auto until = std::chrono::steady_clock::now() + 20s;
  char buffer[4096];
  while (out.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    pollfd fd{out_pipe.read_end(), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&fd, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::read(out_pipe.read_end(), buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  if (out.find(expected) == std::string::npos) {
    end_child(process->child, 2s);
    std::error_code ec;
    process->child.wait(ec);
    const int code = process->child.valid() ? decode_exit(process->child) : -1;
    const std::string stderr_tail = tail_of_file(process->log_path);
    std::filesystem::remove(process->log_path, ec);
    throw Error(code == 3 ? ErrorKind::kIo : ErrorKind::kInternal,
                "uiwitness-sim on port " + std::to_string(sim.sim.port) + " did not start (exit " +
                    std::to_string(code) + "); stdout: '" + out + "'; stderr: " + stderr_tail);
  }
  sim.process = std::move(process);
}

SimSession::Sim SimSession::start_sim(const std::vector<std::string>& app_yaml_paths,
                                      const std::vector<std::string>& extra_args) {
  std::vector<std::string> args;
  int fixed_port = 0;
  for (size_t i = 0; i < extra_args.size(); ++i) {
    if (extra_args[i] == "--port" && i + 1 < extra_args.size()) {
      fixed_port = std::stoi(extra_args[++i]);
    } else {
      args.push_back(extra_args[i]);
    }
  }
  for (const std::string& app : app_yaml_paths) {
    args.push_back("--app");
    args.push_back(app);
  }
  auto sim = std::make_unique<SimProcess>();
  sim->args = args;
  for (int attempt = 0;; ++attempt) {
    sim->sim.port = fixed_port != 0 ? fixed_port : pick_free_sim_port();
    sim->sim.serial = "127.0.0.1:" + std::to_string(sim->sim.port);
    try {
      launch(*sim);
      break;
    } catch (const Error& e) {
      // Lost a race for the port with a parallel test: take another one.
      if (e.kind() != ErrorKind::kIo || fixed_port != 0 || attempt >= 5) throw;
    }
  }
  const Sim result = sim->sim;
  {
    std::lock_guard lock(mutex_);
    sims_[result.port] = std::move(sim);
  }
  connect(result.serial, 30s);
  return result;
}

void SimSession::kill_sim(const Sim& sim) {
  std::lock_guard lock(mutex_);
  const auto it = sims_.find(sim.port);
  if (it == sims_.end() || !it->second->process) return;
  std::error_code ec;
  it->second->process->child.terminate(ec);  // SIGKILL, then reaped
  std::filesystem::remove(it->second->process->log_path, ec);
  it->second->process.reset();
}

void SimSession::restart_sim(const Sim& sim) {
  {
    std::lock_guard lock(mutex_);
    const auto it = sims_.find(sim.port);
    if (it == sims_.end()) {
      throw Error(ErrorKind::kNotFound,
                  "no simulator was started on port " + std::to_string(sim.port));
    }
    if (it->second->process) {
      std::error_code ec;
      it->second->process->child.terminate(ec);
      it->second->process.reset();
    }
    launch(*it->second);
  }
  // adb's server retries a dropped TCP device every few seconds; give it the chance to prove
  // that, and connect again only if it does not.
  if (wait_for_state(sim.serial, "device", 15s)) return;
  connect(sim.serial, 20s);
}

void SimSession::stop_sim(const Sim& sim) {
  std::unique_ptr<SimProcess> entry;
  {
    std::lock_guard lock(mutex_);
    const auto it = sims_.find(sim.port);
    if (it == sims_.end()) return;
    entry = std::move(it->second);
    sims_.erase(it);
  }
  adb({"disconnect", sim.serial}, 10s);
  if (entry->process) {
    end_child(entry->process->child, 5s);
    std::error_code ec;
    std::filesystem::remove(entry->process->log_path, ec);
  }
}

}  // namespace uiw::test
