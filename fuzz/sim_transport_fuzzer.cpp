// Plays a hostile adb server to the simulator's transport: the input is the byte stream the
// simulator reads from its TCP connection (24-byte headers + payloads: CNXN, OPEN of shell v2 /
// raw shell / exec / sync services, WRTE, OKAY, CLSE). AdbConnection parses it on its reader
// thread and runs the services on theirs, against a stub command runner and a fresh in-memory
// file system, so the shell v2 stdin framing and the sync request parser are reached too.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>

#include "simdevice/adb_connection.h"
#include "simdevice/device_profile.h"
#include "simdevice/shell_io.h"
#include "simdevice/virtual_fs.h"

namespace {

// `cat` echoes stdin (so stdin packets are parsed), anything else echoes its command line: the
// device side of commands is not what this target exercises.
class EchoRunner : public uiw::sim::CommandRunner {
 public:
  int run(std::string_view command_line, uiw::sim::ShellIo& io) override {
    if (command_line == "cat") {
      std::string chunk;
      while (io.read_in(chunk))
        if (!io.write_out(chunk)) break;
      return 0;
    }
    io.write_out(command_line);
    return static_cast<int>(command_line.size() % 3);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
  uiw::sim::DeviceProfile profile;
  EchoRunner runner;
  uiw::sim::VirtualFs fs;
  // The simulator's replies are read and dropped, so its writes never block on a full buffer.
  std::thread drain([peer = fds[1]] {
    char buffer[64 * 1024];
    while (::recv(peer, buffer, sizeof buffer, 0) > 0) {
    }
  });
  {
    uiw::sim::AdbConnection connection(fds[0], {profile, runner, fs}, "fuzz");
    connection.start();
    size_t sent = 0;
    while (sent < size) {
      const ssize_t n = ::send(fds[1], data + sent, size - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the simulator dropped the connection: the rest is never read
      sent += static_cast<size_t>(n);
    }
    // EOF: the reader ends, cancels every stream and joins their threads.
    ::shutdown(fds[1], SHUT_WR);
    connection.join();
  }  // closes fds[0], so the drain thread sees EOF
  drain.join();
  ::close(fds[1]);
  return 0;
}
