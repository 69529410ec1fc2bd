#include "adb/adb_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "adb/child_environment.h"
#include "adb/output_pipe.h"
#include "common/error.h"

namespace bp = boost::process;

namespace uiw::adb {

namespace {

bool executable(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

}  // namespace

std::string AdbProcess::find_adb() {
  const boost::filesystem::path on_path = bp::search_path("adb");
  if (!on_path.empty()) return on_path.string();
  std::string searched = "PATH";
  for (const char* variable : {"ANDROID_HOME", "ANDROID_SDK_ROOT"}) {
    const char* root = std::getenv(variable);
    if (root == nullptr || *root == '\0') continue;
    const std::filesystem::path candidate = std::filesystem::path(root) / "platform-tools" / "adb";
    if (executable(candidate)) return candidate.string();
    searched += ", " + candidate.string();
  }
  throw Error(ErrorKind::kNotFound,
              "adb not found (searched " + searched +
                  "); install platform-tools or set ANDROID_HOME to the Android SDK");
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env_overrides, Deadline deadline) {
  const ChildEnvironment env(env_overrides);
  OutputPipe out_pipe;
  OutputPipe err_pipe;
  std::error_code launch_error;
  bp::child child(program, bp::args(args), env, (bp::std_in < bp::null),
                  (bp::std_out > out_pipe.write_end()), (bp::std_err > err_pipe.write_end()),
                  bp::detail::limit_handles_(), launch_error);
  if (launch_error) {
    throw Error(ErrorKind::kNotFound, "cannot run " + program + ": " + launch_error.message());
  }
  out_pipe.close_write();
  err_pipe.close_write();
  ProcessResult result;
  pollfd fds[2] = {{out_pipe.read_end(), POLLIN, 0}, {err_pipe.read_end(), POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  char buffer[65536];
  bool timed_out = false;
  while (open > 0) {
    if (deadline.expired()) {
      timed_out = true;
      break;
    }
    const int ready = ::poll(fds, 2, deadline.poll_ms());
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  std::error_code ec;
  // A process that closed its output still gets the rest of the deadline to exit.
  while (!timed_out && child.running(ec)) {
    if (deadline.expired()) {
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (timed_out) {
    child.terminate(ec);  // SIGKILL + reap
    result.timed_out = true;
    result.exit_code = 128 + SIGKILL;
    return result;
  }
  child.wait(ec);
  const int status = child.native_exit_code();
  result.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  return result;
}

ProcessResult AdbProcess::run(const std::vector<std::string>& args, int port,
                              Deadline deadline) const {
  std::vector<std::string> full;
  std::vector<std::string> env;
  if (port > 0) {
    full = {"-P", std::to_string(port)};
    env.push_back("ANDROID_ADB_SERVER_PORT=" + std::to_string(port));
  }
  full.insert(full.end(), args.begin(), args.end());
  return run_process(adb_, full, env, deadline);
}

void AdbProcess::start_server(int port, Deadline deadline) const {
  // Output goes to a file, not a pipe: the server adb forks may keep inherited descriptors for a
  // while, and a pipe would then never reach EOF.
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() /
      ("uiw-adb-start-server-" + std::to_string(::getpid()) + "-" + std::to_string(port) + ".log");
  const ChildEnvironment env({"ANDROID_ADB_SERVER_PORT=" + std::to_string(port)});
  std::error_code ec;
  bp::child child(adb_, bp::args({"-P", std::to_string(port), "start-server"}), env,
                  (bp::std_in < bp::null), (bp::std_out > log.string()),
                  (bp::std_err > log.string()), ec);
  if (ec) throw Error(ErrorKind::kNotFound, "cannot run " + adb_ + ": " + ec.message());
  auto read_log = [&log] {
    std::string text;
    if (FILE* f = std::fopen(log.c_str(), "r")) {
      char buffer[4096];
      size_t n;
      while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
      std::fclose(f);
    }
    std::error_code ignored;
    std::filesystem::remove(log, ignored);
    return text;
  };
  while (child.running(ec)) {
    if (deadline.expired()) {
      child.terminate(ec);
      throw Error(ErrorKind::kTimeout,
                  "adb start-server on port " + std::to_string(port) + " did not finish within " +
                      std::to_string(deadline.budget().count()) + " ms: " + read_log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  child.wait(ec);
  const int code = child.exit_code();
  const std::string output = read_log();
  if (code != 0) {
    throw Error(ErrorKind::kCommandFailed, "adb start-server on port " + std::to_string(port) +
                                               " failed (exit " + std::to_string(code) +
                                               "): " + output);
  }
}

}  // namespace uiw::adb
