#include "adb/emulator_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "adb/child_environment.h"
#include "adb/device.h"
#include "adb/emulator_console.h"
#include "adb/tcp_socket.h"
#include "common/error.h"
#include "common/loopback_ports.h"

namespace bp = boost::process;

namespace uiw::adb {

struct EmulatorProcess::Impl {
  bp::child child;
  std::string log_path;  // its stdout and stderr, for error messages
};

namespace {

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.size() > 2000 ? "…" + text.substr(text.size() - 2000) : text;
}

// "exit 2", "killed by signal 9": for a child boost has already reaped.
std::string how_it_ended(bp::child& child) {
  const int status = child.native_exit_code();
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exit " + std::to_string(child.exit_code());
}

std::vector<std::string> boot_mode_args(const EmulatorOptions& options) {
  switch (options.boot) {
    case BootMode::kCold:
      return {"-no-snapshot"};
    case BootMode::kQuick:
      return {"-no-snapshot-save"};
    case BootMode::kSnapshot:
      return {"-snapshot", options.snapshot, "-no-snapshot-save"};
  }
  return {};
}

// The given emulator path, checked here: with bp::detail::limit_handles_ a failed exec is not
// reported through the error code (the child just exits 1), so a missing binary would look
// like an emulator that died during boot.
std::string resolve_binary(const std::string& path) {
  if (path.find('/') == std::string::npos) {
    const boost::filesystem::path found = bp::search_path(path);
    if (found.empty()) throw Error(ErrorKind::kNotFound, "emulator " + path + " not found on PATH");
    return found.string();
  }
  if (::access(path.c_str(), X_OK) != 0) {
    throw Error(ErrorKind::kNotFound,
                "cannot run the emulator " + path + ": " + std::strerror(errno));
  }
  return path;
}

}  // namespace

std::string EmulatorProcess::find_emulator() {
  std::string searched;
  // The SDK's emulator/emulator first: the tools/emulator shim on PATH is often outdated.
  for (const char* variable : {"ANDROID_HOME", "ANDROID_SDK_ROOT"}) {
    const char* root = std::getenv(variable);
    if (root == nullptr || *root == '\0') continue;
    const std::filesystem::path candidate = std::filesystem::path(root) / "emulator" / "emulator";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    searched += candidate.string() + ", ";
  }
  const boost::filesystem::path on_path = bp::search_path("emulator");
  if (!on_path.empty()) return on_path.string();
  throw Error(ErrorKind::kNotFound, "emulator not found (searched " + searched +
                                        "PATH); install the Android emulator or set ANDROID_HOME");
}

EmulatorProcess::EmulatorProcess(std::unique_ptr<Impl> impl, int port, std::string avd)
    : impl_(std::move(impl)), port_(port), avd_(std::move(avd)) {}

EmulatorProcess::~EmulatorProcess() {
  stop(std::chrono::milliseconds(5000));
}

std::unique_ptr<EmulatorProcess> EmulatorProcess::start(AdbClient& client,
                                                        const EmulatorOptions& options,
                                                        Deadline boot_deadline) {
  if (options.avd.empty()) throw Error(ErrorKind::kUsage, "emulator: no AVD name given");
  if (options.boot == BootMode::kSnapshot && options.snapshot.empty()) {
    throw Error(ErrorKind::kUsage, "emulator -avd " + options.avd +
                                       ": boot from a named snapshot needs the snapshot's name");
  }
  if (options.port != 0 && (options.port < kFirstEmulatorConsolePort ||
                            options.port > kLastEmulatorConsolePort || options.port % 2 != 0)) {
    throw Error(ErrorKind::kUsage, "emulator console port must be even, 5554–5682 (got " +
                                       std::to_string(options.port) + ")");
  }
  // The emulator registers by port with 127.0.0.1 only; a remote server would never list it.
  if (!client.server().is_local()) {
    throw Error(ErrorKind::kUsage, "emulator -avd " + options.avd +
                                       " needs an adb server on this machine; " +
                                       client.server().to_string() + " is remote");
  }
  const std::string binary =
      options.emulator_path.empty() ? find_emulator() : resolve_binary(options.emulator_path);
  // It registers once, at start: a server started after it would not know it (unless the port
  // falls in the server's 5555–5585 start-up scan).
  client.ensure_server(boot_deadline.capped(10s));

  const int port = options.port != 0 ? options.port : pick_emulator_console_port();
  std::vector<std::string> args = {"-avd", options.avd, "-port", std::to_string(port)};
  if (options.no_window) args.push_back("-no-window");
  if (options.no_audio) args.push_back("-no-audio");
  if (options.no_boot_anim) args.push_back("-no-boot-anim");
  for (std::string& arg : boot_mode_args(options)) args.push_back(std::move(arg));
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());

  auto impl = std::make_unique<Impl>();
  impl->log_path =
      (std::filesystem::temp_directory_path() /
       ("uiw-emulator-" + std::to_string(::getpid()) + "-" + std::to_string(port) + ".log"))
          .string();
  const ChildEnvironment env({"ANDROID_ADB_SERVER_PORT=" + std::to_string(client.server().port)});
  std::error_code ec;
  // One file for both streams, opened once: two separate opens would overwrite each other.
  impl->child =
      bp::child(binary, bp::args(args), env, (bp::std_in < bp::null),
                ((bp::std_out & bp::std_err) > impl->log_path), bp::detail::limit_handles_(), ec);
  if (ec) {
    std::filesystem::remove(impl->log_path, ec);
    throw Error(ErrorKind::kNotFound, "cannot run the emulator " + binary + ": " + ec.message());
  }
  std::unique_ptr<EmulatorProcess> emulator(
      new EmulatorProcess(std::move(impl), port, options.avd));
  const std::string what = "emulator -avd " + options.avd + " (" + emulator->serial() + ")";

  // From here every throw unwinds through ~EmulatorProcess, which kills and reaps the child;
  // the messages read its output first.
  Device device(client, emulator->serial());
  std::string last = "adb does not list it yet";
  for (;;) {
    if (!emulator->running()) {
      throw Error(ErrorKind::kCommandFailed,
                  what + " exited during boot (" + how_it_ended(emulator->impl_->child) +
                      "); its output: " + tail_of(emulator->impl_->log_path));
    }
    try {
      const std::optional<std::string> state =
          client.state(emulator->serial(), boot_deadline.capped(5s));
      if (!state) {
        last = "adb does not list it yet";
      } else if (*state != "device") {
        last = "adb lists it as " + *state;
      } else {
        const std::string booted = device.getprop("sys.boot_completed", boot_deadline.capped(5s));
        if (booted == "1") return emulator;
        last = "sys.boot_completed is '" + booted + "'";
      }
    } catch (const Error& e) {
      // Offline while booting, a shell that is not up yet: keep waiting. A call cut short by
      // our own deadline says less than what was seen before it.
      if (!(e.kind() == ErrorKind::kTimeout && boot_deadline.expired())) last = e.what();
    }
    if (boot_deadline.expired()) {
      throw Error(ErrorKind::kTimeout,
                  what + " did not boot within " + std::to_string(boot_deadline.budget().count()) +
                      " ms (" + last + "); its output: " + tail_of(emulator->impl_->log_path));
    }
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(250), boot_deadline.left()));
  }
}

int EmulatorProcess::pid() const {
  return impl_ && impl_->child.valid() ? static_cast<int>(impl_->child.id()) : -1;
}

bool EmulatorProcess::running() {
  std::error_code ec;
  return impl_ && impl_->child.valid() && impl_->child.running(ec);
}

void EmulatorProcess::stop(std::chrono::milliseconds grace) {
  if (!impl_) return;
  std::error_code ec;
  auto wait_exit = [&] {
    const auto until = std::chrono::steady_clock::now() + grace;
    while (impl_->child.running(ec) && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return !impl_->child.running(ec);
  };
  if (running()) {
    // The console's `kill` lets the emulator shut down cleanly (saving nothing: every boot mode
    // passes -no-snapshot or -no-snapshot-save); signals are the fallback.
    bool asked = false;
    try {
      EmulatorConsole::connect("127.0.0.1", port_, Deadline::after(2s)).kill(Deadline::after(2s));
      asked = true;
    } catch (const std::exception&) {
      // No console (hung, or a token we cannot read): signals below.
    }
    if (!asked || !wait_exit()) {
      ::kill(static_cast<pid_t>(impl_->child.id()), SIGTERM);
      if (!wait_exit()) impl_->child.terminate(ec);  // SIGKILL and reap
    }
  }
  if (impl_->child.valid()) impl_->child.wait(ec);
  std::filesystem::remove(impl_->log_path, ec);
  impl_.reset();
}

}  // namespace uiw::adb
