#include "simdevice/emulator_command_line.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "common/error.h"
#include "common/loopback_ports.h"

namespace uiw::sim {
namespace {

enum class Arity { kFlag, kValue };

// Emulator options that change nothing in a simulator (window, audio, snapshots, disk, CPU, GPU,
// network shaping, …): accepted so farm command lines work unchanged, and reported. Options
// that would change what the device does (-timezone, -prop, -delay-adb, -quit-after-boot, …)
// are not here: refusing them is better than silently ignoring them.
const std::map<std::string, Arity>& no_effect_options() {
  static const std::map<std::string, Arity> options = {
      {"-accel", Arity::kValue},
      {"-cache-size", Arity::kValue},
      {"-camera-back", Arity::kValue},
      {"-camera-front", Arity::kValue},
      {"-cores", Arity::kValue},
      {"-datadir", Arity::kValue},
      {"-debug", Arity::kValue},
      {"-dns-server", Arity::kValue},
      {"-feature", Arity::kValue},
      {"-force-snapshot-load", Arity::kFlag},
      {"-gpu", Arity::kValue},
      {"-grpc", Arity::kValue},
      {"-http-proxy", Arity::kValue},
      {"-id", Arity::kValue},
      {"-idle-grpc-timeout", Arity::kValue},
      {"-logcat", Arity::kValue},
      {"-memory", Arity::kValue},
      {"-netdelay", Arity::kValue},
      {"-netspeed", Arity::kValue},
      {"-no-accel", Arity::kFlag},
      {"-no-audio", Arity::kFlag},
      {"-no-boot-anim", Arity::kFlag},
      {"-no-cache", Arity::kFlag},
      {"-no-hidpi-scaling", Arity::kFlag},
      {"-no-metrics", Arity::kFlag},
      {"-no-passive-gps", Arity::kFlag},
      {"-no-sim", Arity::kFlag},
      {"-no-snapshot", Arity::kFlag},
      {"-no-snapshot-load", Arity::kFlag},
      {"-no-snapshot-save", Arity::kFlag},
      {"-no-snapshot-update-time", Arity::kFlag},
      {"-no-window", Arity::kFlag},
      {"-partition-size", Arity::kValue},
      {"-qt-hide-window", Arity::kFlag},
      {"-read-only", Arity::kFlag},
      {"-sdcard", Arity::kValue},
      {"-selinux", Arity::kValue},
      {"-show-kernel", Arity::kFlag},
      {"-skin", Arity::kValue},
      {"-skindir", Arity::kValue},
      {"-snapshot", Arity::kValue},
      {"-sysdir", Arity::kValue},
      {"-verbose", Arity::kFlag},
      {"-wipe-data", Arity::kFlag},
      {"-writable-system", Arity::kFlag},
  };
  return options;
}

bool is_emulator_option(const std::string& arg) {
  return arg.size() > 2 && arg[0] == '-' && arg[1] != '-';
}

// AVD names as avdmanager allows them; the name goes into adb's CNXN banner, where ';' or '='
// would break the fields.
void check_avd_name(const std::string& name) {
  const bool ok = !name.empty() && name.find_first_not_of(
                                       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789._-") == std::string::npos;
  if (!ok) {
    throw Error(ErrorKind::kUsage,
                fmt::format("invalid AVD name '{}': use letters, digits, '.', '_' and '-'", name));
  }
}

int ms_left(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<long long>(0, left.count()));
}

}  // namespace

EmulatorCommandLine parse_emulator_command_line(int argc, const char* const* argv) {
  EmulatorCommandLine line;
  if (argc > 0) line.rest.emplace_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.size() > 1 && arg[0] == '@') {  // `emulator @NAME` is `-avd NAME`
      line.active = true;
      line.avd = arg.substr(1);
      continue;
    }
    if (!is_emulator_option(arg)) {
      line.rest.push_back(arg);
      continue;
    }
    line.active = true;
    const auto known = no_effect_options().find(arg);
    const bool takes_value = arg == "-avd" || arg == "-port" ||
                             (known != no_effect_options().end() && known->second == Arity::kValue);
    if (arg != "-avd" && arg != "-port" && known == no_effect_options().end()) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("unknown option '{}' (uiwitness-sim takes the emulator's -avd, "
                              "-port and the options that change nothing in a simulator, such "
                              "as -no-window, -no-snapshot, -gpu MODE)",
                              arg));
    }
    std::string value;
    if (takes_value) {
      if (i + 1 >= argc) {
        throw Error(ErrorKind::kUsage, fmt::format("option {} needs a value", arg));
      }
      value = argv[++i];
    }
    if (arg == "-avd") {
      line.avd = value;
    } else if (arg == "-port") {
      char* end = nullptr;
      errno = 0;
      const long port = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || errno != 0 || port < kFirstEmulatorConsolePort ||
          port > kLastEmulatorConsolePort || port % 2 != 0) {
        throw Error(ErrorKind::kUsage,
                    fmt::format("option -port must be followed by an even integer number "
                                "between {} and {} (got '{}')",
                                kFirstEmulatorConsolePort, kLastEmulatorConsolePort, value));
      }
      line.console_port = static_cast<int>(port);
    } else {
      line.no_effect.push_back(takes_value ? arg + " " + value : arg);
    }
  }
  if (line.active) {
    if (line.avd.empty()) {
      throw Error(ErrorKind::kUsage, "emulator options given but no AVD: add -avd NAME");
    }
    check_avd_name(line.avd);
  }
  return line;
}

std::string notify_adb_server(int adb_port, int server_port, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  const std::string where = fmt::format("the adb server at 127.0.0.1:{}", server_port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fmt::format("cannot create a socket: {}", std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) return fmt::format("{}: {}", where, std::strerror(errno));
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, ms_left(until)) <= 0) return where + ": connect timed out";
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return fmt::format("{}: {}", where, std::strerror(err));
  }
  const std::string service = fmt::format("host:emulator:{}", adb_port);
  const std::string request = fmt::format("{:04x}{}", service.size(), service);
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return fmt::format("{}: {}", where, std::strerror(errno));
    }
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, ms_left(until)) <= 0) return where + ": send timed out";
  }
  // adb 29 sends no reply: it connects back to adb_port and closes this socket. Waiting for that
  // means the server lists us by the time our "listening" line says so.
  std::string reply;
  char buffer[256];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms_left(until)) <= 0) return where + ": no answer to " + service;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      reply.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return fmt::format("{}: {}", where, std::strerror(errno));
    if (reply.rfind("FAIL", 0) == 0) return where + " refused " + service + ": " + reply.substr(4);
    return "";
  }
}

}  // namespace uiw::sim
