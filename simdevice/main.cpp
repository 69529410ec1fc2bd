// uiwitness-sim: a simulated Android device. It speaks the ADB transport protocol on
// 127.0.0.1:PORT, so the real `adb connect 127.0.0.1:PORT` treats it as a phone, and runs the
// fixture apps given with --app.
//
// Exit codes: 0 after SIGINT/SIGTERM or the console's `kill`, 2 bad usage or a bad --app file,
// 3 a port that cannot be bound (or another failure of the machine, not of the input).
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "simdevice/adb_server.h"
#include "simdevice/basic_commands.h"
#include "simdevice/console_server.h"
#include "simdevice/device_profile.h"
#include "simdevice/shell.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"

namespace {

// ro.build.version.release for an API level, as the emulator images report it.
std::string release_for_sdk(int sdk) {
  switch (sdk) {
    case 28:
      return "9";
    case 29:
      return "10";
    case 30:
      return "11";
    case 31:
    case 32:
      return "12";
    case 33:
      return "13";
    case 34:
      return "14";
    case 35:
      return "15";
    default:
      return sdk < 28 ? "8.1.0" : "15";
  }
}

int run(int argc, char** argv) {
  CLI::App cli{
      "uiwitness-sim: a simulated Android device for the real adb (adb connect "
      "127.0.0.1:PORT) running fixture apps described in YAML"};
  int port = 0;
  std::vector<std::string> apps;
  int console_port = 0;
  uiw::sim::DeviceProfile profile;
  std::string screen;
  cli.add_option("--port", port, "TCP port on 127.0.0.1 for adb (avoid 5555-5585)")
      ->required()
      ->check(CLI::Range(1, 65535));
  cli.add_option("--app", apps, "fixture app YAML to install (repeatable)");
  cli.add_option("--console-port", console_port, "emulator console port (telnet-style)")
      ->check(CLI::Range(1, 65535));
  std::string console_auth_file;
  cli.add_option("--console-auth-file", console_auth_file,
                 "console auth token file (default ~/.emulator_console_auth_token; created "
                 "with a random token when missing; an empty file means no auth)");
  cli.add_option("--serial-name", profile.serial, "ro.serialno");
  cli.add_option("--screen", screen, "screen size WxH in pixels (default 1080x2400)");
  cli.add_option("--density", profile.density, "screen density in dpi (default 420)")
      ->check(CLI::Range(80, 1000));
  cli.add_option("--sdk", profile.sdk, "Android API level (default 34)")->check(CLI::Range(21, 40));
  try {
    cli.parse(argc, argv);
    if (!screen.empty()) {
      int width = 0;
      int height = 0;
      char extra = 0;
      if (std::sscanf(screen.c_str(), "%dx%d%c", &width, &height, &extra) != 2 || width < 16 ||
          height < 16 || width > 10000 || height > 10000) {
        throw CLI::ValidationError("--screen",
                                   "expected WxH such as 1080x2400, got '" + screen + "'");
      }
      profile.width = width;
      profile.height = height;
    }
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);  // prints help or the error
    return code == 0 ? 0 : 2;
  }
  profile.release = release_for_sdk(profile.sdk);

  // Signals are taken by one thread with sigwait, so stopping needs no async-signal tricks;
  // every thread started below inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // our own wake-up for the signal thread at shutdown
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a vanished adb must be an error code, not our death

  uiw::sim::VirtualFs fs;
  uiw::sim::SimDevice device(profile, fs);
  for (const std::string& app : apps) {
    try {
      device.install(app);
    } catch (const uiw::Error& e) {
      std::cerr << "uiwitness-sim: cannot install " << app << ": " << e.what() << "\n";
      return 2;
    }
  }
  uiw::sim::Shell shell;
  uiw::sim::register_basic_commands(shell, fs, device.profile());
  device.register_commands(shell);

  uiw::sim::AdbServer server(device.profile(), shell, fs);
  try {
    server.listen(port);
  } catch (const uiw::Error& e) {
    std::cerr << "uiwitness-sim: " << e.what() << "\n";
    return 3;
  }
  std::unique_ptr<uiw::sim::ConsoleServer> console;
  if (console_port != 0) {
    console = console_auth_file.empty()
                  ? std::make_unique<uiw::sim::ConsoleServer>(device)
                  : std::make_unique<uiw::sim::ConsoleServer>(device, console_auth_file);
    console->on_kill([&server] { server.stop(); });
    try {
      console->listen(console_port);
    } catch (const uiw::Error& e) {
      std::cerr << "uiwitness-sim: console: " << e.what() << "\n";
      return 3;
    }
    console->start();
  }

  std::thread signal_thread([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != SIGUSR1) server.stop();
  });

  std::printf("listening on 127.0.0.1:%d\n", server.port());
  std::fflush(stdout);
  server.serve();

  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  if (console) console->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const uiw::Error& e) {
    std::cerr << "uiwitness-sim: " << e.what() << "\n";
    return e.kind() == uiw::ErrorKind::kUsage || e.kind() == uiw::ErrorKind::kConfig ? 2 : 3;
  } catch (const std::exception& e) {
    std::cerr << "uiwitness-sim: " << e.what() << "\n";
    return 3;
  }
}
