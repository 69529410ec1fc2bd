#include "common/loopback_ports.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/error.h"

namespace uiw {

bool loopback_port_is_free(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

int pick_emulator_console_port(const std::set<int>& taken) {
  for (int port = kFirstEmulatorConsolePort; port <= kLastEmulatorConsolePort; port += 2) {
    if (taken.contains(port)) continue;
    if (loopback_port_is_free(port) && loopback_port_is_free(port + 1)) return port;
  }
  throw Error(ErrorKind::kIo,
              fmt::format("no free emulator port pair (console P, adb P+1) between {} and {} on "
                          "127.0.0.1 (too many emulators running?)",
                          kFirstEmulatorConsolePort, kLastEmulatorConsolePort + 1));
}

}  // namespace uiw
