// uiwitness-sim: a simulated Android device. It speaks the ADB transport protocol on
// 127.0.0.1:PORT, so the real `adb connect 127.0.0.1:PORT` treats it as a phone, and runs the
// fixture apps given with --app.
//
// Started the way the Android emulator is (`uiwitness-sim -avd NAME -port P -no-window …`, see
// emulator_command_line.h) it stands in for `emulator`: console on P, adb on P+1, registered
// with the adb server at $ANDROID_ADB_SERVER_PORT so that adb lists it as emulator-P, AVD name
// as its model, and a boot (--boot-ms) during which sys.boot_completed is still unset.
//
// --faults SPEC injects the failures of real devices and links (a dropped connection, a slow
// reply, a corrupt PNG, a cut or failing uiautomator dump, a command exiting non-zero) so tests
// can show the harness retries or reports them; the grammar is in fault_plan.h and --help.
//
// Exit codes: 0 after SIGINT/SIGTERM or the console's `kill`, 2 bad usage or a bad --app file,
// 3 a port that cannot be bound (or another failure of the machine, not of the input).
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/loopback_ports.h"
#include "simdevice/adb_server.h"
#include "simdevice/basic_commands.h"
#include "simdevice/boot_state.h"
#include "simdevice/console_server.h"
#include "simdevice/device_profile.h"
#include "simdevice/emulator_command_line.h"
#include "simdevice/fault_plan.h"
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

// A realistic pause before sys.boot_completed when started as an emulator, so a boot wait is
// exercised without slowing tests much.
constexpr int kEmulatorBootMs = 1500;

// The adb server the emulator registers with: $ANDROID_ADB_SERVER_PORT, else 5037 (the emulator
// reads only this variable, not ADB_SERVER_SOCKET).
int adb_server_port() {
  const char* value = std::getenv("ANDROID_ADB_SERVER_PORT");
  if (value == nullptr || *value == '\0') return 5037;
  char* end = nullptr;
  const long port = std::strtol(value, &end, 10);
  return *end == '\0' && port > 0 && port < 65536 ? static_cast<int>(port) : 5037;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

int run(int argc, char** argv) {
  uiw::sim::EmulatorCommandLine emulator;
  try {
    emulator = uiw::sim::parse_emulator_command_line(argc, argv);
  } catch (const uiw::Error& e) {
    std::cerr << "uiwitness-sim: " << e.what() << "\n";
    return 2;
  }
  CLI::App cli{
      "uiwitness-sim: a simulated Android device for the real adb (adb connect "
      "127.0.0.1:PORT) running fixture apps described in YAML. Started like the emulator "
      "(-avd NAME [-port P] [-no-window …]) it serves adb on P+1, its console on P, and "
      "registers with the adb server as emulator-P."};
  int port = 0;
  std::vector<std::string> apps;
  int console_port = 0;
  uiw::sim::DeviceProfile profile;
  std::string screen;
  CLI::Option* port_option =
      cli.add_option("--port", port,
                     "TCP port on 127.0.0.1 for adb (avoid 5555-5585); required unless started "
                     "as an emulator (-avd NAME -port P)")
          ->check(CLI::Range(1, 65535));
  cli.add_option("--app", apps, "fixture app YAML to install (repeatable)");
  CLI::Option* console_option =
      cli.add_option("--console-port", console_port, "emulator console port (telnet-style)")
          ->check(CLI::Range(1, 65535));
  int boot_ms = -1;
  cli.add_option("--boot-ms", boot_ms,
                 "milliseconds after start during which getprop sys.boot_completed is empty "
                 "(default 0; " +
                     std::to_string(kEmulatorBootMs) + " when started as an emulator)")
      ->check(CLI::Range(0, 600'000));
  std::string console_auth_file;
  cli.add_option("--console-auth-file", console_auth_file,
                 "console auth token file (default ~/.emulator_console_auth_token; created "
                 "with a random token when missing; an empty file means no auth)");
  cli.add_option("--serial-name", profile.serial, "ro.serialno");
  cli.add_option("--screen", screen, "screen size WxH in pixels (default 1080x2400)");
  cli.add_option("--density", profile.density, "screen density in dpi (default 420)")
      ->check(CLI::Range(80, 1000));
  cli.add_option("--sdk", profile.sdk, "Android API level (default 34)")->check(CLI::Range(21, 40));
  std::string fault_spec;
  cli.add_option(
      "--faults", fault_spec,
      "inject faults: comma-separated KIND[=VALUE][:COMMAND][@WHEN]. KIND: "
      "drop-after=BYTES (close the adb connection after BYTES written; K/M suffixes), "
      "delay=DURATION[:CMD] (hold a reply: 300ms, 2s), shell-exit[=CODE][:CMD] (answer exit "
      "CODE, default 1, without running), corrupt-png (damage screencap -p), truncate-dump (cut "
      "uiautomator dump output or file in half), dump-idle-fail (uiautomator dump says 'could "
      "not get idle state'), raw-unsupported (raw screencap names pixel format 22, so clients "
      "fall back to PNG). CMD matches command lines starting with those words. WHEN counts the "
      "fault's own events: always (default), first:K, after:K, every:N, or P% (seeded by an "
      "item seed=N, default 1). Example: drop-after=200K@first:1,dump-idle-fail@first:2");
  std::unique_ptr<uiw::sim::FaultPlan> faults;
  try {
    std::vector<const char*> rest;
    for (const std::string& arg : emulator.rest) rest.push_back(arg.c_str());
    cli.parse(static_cast<int>(rest.size()), rest.data());
    if (emulator.active && port_option->count() > 0) {
      throw CLI::ValidationError("--port",
                                 "started as an emulator: give the console port with "
                                 "-port P (adb gets P+1)");
    }
    if (emulator.active && console_option->count() > 0) {
      throw CLI::ValidationError("--console-port",
                                 "started as an emulator: the console is on -port P");
    }
    if (!emulator.active && port_option->count() == 0) throw CLI::RequiredError("--port");
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
    if (!fault_spec.empty()) {
      try {
        faults = std::make_unique<uiw::sim::FaultPlan>(fault_spec);
      } catch (const uiw::Error& e) {
        throw CLI::ValidationError("--faults", e.what());
      }
    }
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);  // prints help or the error
    return code == 0 ? 0 : 2;
  }
  profile.release = release_for_sdk(profile.sdk);
  if (boot_ms < 0) boot_ms = emulator.active ? kEmulatorBootMs : 0;

  std::map<std::string, std::string> extra_properties;
  if (emulator.active) {
    try {
      console_port =
          emulator.console_port != 0 ? emulator.console_port : uiw::pick_emulator_console_port();
    } catch (const uiw::Error& e) {
      std::cerr << "uiwitness-sim: " << e.what() << "\n";
      return 3;
    }
    port = console_port + 1;  // the emulator's pairing; adb derives the serial from it
    profile.model = emulator.avd;
    // Where the emulator images publish the AVD name (the kernel command line before API 30).
    extra_properties[profile.sdk >= 30 ? "ro.boot.qemu.avd_name" : "ro.kernel.qemu.avd_name"] =
        emulator.avd;
    extra_properties[profile.sdk >= 30 ? "ro.boot.qemu" : "ro.kernel.qemu"] = "1";
  }
  const uiw::sim::BootState boot(std::chrono::milliseconds(boot_ms), extra_properties);

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
  if (boot_ms > 0 || !extra_properties.empty()) boot.register_getprop(shell, device.profile());

  std::optional<uiw::sim::FaultyRunner> faulty;
  if (faults) {
    uiw::sim::install_output_faults(shell, fs, *faults);
    faulty.emplace(shell, *faults);
    std::cerr << "uiwitness-sim: injecting faults: " << fault_spec << "\n";
  }
  uiw::sim::AdbServer server(device.profile(),
                             faulty ? static_cast<uiw::sim::CommandRunner&>(*faulty) : shell, fs,
                             faults.get());
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

  std::string about;
  if (emulator.active) {
    // Like the emulator: without an adb server to tell, carry on (one started later finds
    // ports 5555-5585 by its own scan).
    const int server_port = adb_server_port();
    const std::string failed =
        uiw::sim::notify_adb_server(server.port(), server_port, std::chrono::seconds(3));
    about =
        " as emulator-" + std::to_string(console_port) + " (avd " + emulator.avd +
        ", console 127.0.0.1:" + std::to_string(console_port) + ", boot " +
        std::to_string(boot_ms) + " ms, " +
        (failed.empty()
             ? "registered with the adb server at 127.0.0.1:" + std::to_string(server_port)
             : "not registered: " + failed) +
        (emulator.no_effect.empty() ? ""
                                    : "; no effect in a simulator: " + join(emulator.no_effect)) +
        ")";
  }
  std::printf("listening on 127.0.0.1:%d%s\n", server.port(), about.c_str());
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
