#include "adb/emulator_process.h"

#include <signal.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "adb/child_environment.h"
#include "adb/device.h"
#include "adb/emulator_console.h"
#include "common/error.h"

namespace bp = boost::process;

namespace uiw::adb {

struct EmulatorProcess::Impl {
  bp::child child;
  std::string log_path;
};

namespace {

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace

std::string EmulatorProcess::find_emulator() {
  std::string searched = "PATH";
  // The SDK's emulator/emulator first: the tools/emulator shim on PATH is often outdated.
  for (const char* variable : {"ANDROID_HOME", "ANDROID_SDK_ROOT"}) {
    const char* root = std::getenv(variable);
    if (root == nullptr || *root == '\0') continue;
    const std::filesystem::path candidate = std::filesystem::path(root) / "emulator" / "emulator";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    searched += ", " + candidate.string();
  }
  const boost::filesystem::path on_path = bp::search_path("emulator");
  if (!on_path.empty()) return on_path.string();
  throw Error(ErrorKind::kNotFound, "emulator not found (searched " + searched +
                                        "); install the Android emulator or set ANDROID_HOME");
}

EmulatorProcess::EmulatorProcess(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

EmulatorProcess::~EmulatorProcess() {
  stop(std::chrono::milliseconds(5000));
}

std::unique_ptr<EmulatorProcess> EmulatorProcess::start(AdbClient& client,
                                                        const EmulatorOptions& options,
                                                        Deadline boot_deadline) {
  if (options.avd.empty()) throw Error(ErrorKind::kUsage, "emulator: no AVD name given");
  if (options.port < 5554 || options.port > 5682 || options.port % 2 != 0) {
    throw Error(ErrorKind::kUsage, "emulator console port must be even, 5554–5682 (got " +
                                       std::to_string(options.port) + ")");
  }
  const std::string binary =
      options.emulator_path.empty() ? find_emulator() : options.emulator_path;
  std::vector<std::string> args = {"-avd", options.avd, "-port", std::to_string(options.port)};
  if (options.no_window) args.push_back("-no-window");
  if (options.no_snapshot) args.push_back("-no-snapshot");
  if (options.no_audio) args.push_back("-no-audio");
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());

  auto impl = std::make_unique<Impl>();
  impl->log_path = (std::filesystem::temp_directory_path() /
                    ("uiw-emulator-" + std::to_string(options.port) + ".log"))
                       .string();
  const ChildEnvironment env({"ANDROID_ADB_SERVER_PORT=" + std::to_string(client.server().port)});
  std::error_code ec;
  impl->child = bp::child(binary, bp::args(args), env, (bp::std_in < bp::null),
                          (bp::std_out > impl->log_path), (bp::std_err > impl->log_path),
                          bp::detail::limit_handles_(), ec);
  if (ec) throw Error(ErrorKind::kNotFound, "cannot run " + binary + ": " + ec.message());
  std::unique_ptr<EmulatorProcess> emulator(new EmulatorProcess(std::move(impl), options.port));

  Device device(client, emulator->serial());
  std::string last;
  for (;;) {
    if (!emulator->running()) {
      throw Error(ErrorKind::kCommandFailed,
                  "emulator -avd " + options.avd +
                      " exited during boot: " + tail_of(emulator->impl_->log_path));
    }
    try {
      if (client.state(emulator->serial(), boot_deadline.capped(5s)) == "device" &&
          device.getprop("sys.boot_completed", boot_deadline.capped(5s)) == "1") {
        return emulator;
      }
    } catch (const Error& e) {
      last = e.what();  // not listed yet, offline while booting: keep waiting
    }
    if (boot_deadline.expired()) {
      throw Error(ErrorKind::kTimeout, "emulator -avd " + options.avd + " did not boot within " +
                                           std::to_string(boot_deadline.budget().count()) +
                                           " ms (" + last +
                                           "); its output: " + tail_of(emulator->impl_->log_path));
    }
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(500), boot_deadline.left()));
  }
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
    // The console's `kill` lets the emulator shut down cleanly (and save nothing with
    // -no-snapshot); signals are the fallback.
    try {
      EmulatorConsole::connect("127.0.0.1", port_, Deadline::after(2s)).kill(Deadline::after(2s));
    } catch (const Error&) {
    }
    if (!wait_exit()) {
      ::kill(impl_->child.id(), SIGTERM);
      if (!wait_exit()) impl_->child.terminate(ec);
    }
  }
  if (impl_->child.valid()) impl_->child.wait(ec);
  std::filesystem::remove(impl_->log_path, ec);
  impl_.reset();
}

}  // namespace uiw::adb
