// Plays a hostile adb server to HostConnection: the first byte picks what the client reads next
// (OKAY/FAIL status, a length-prefixed payload, the stream to EOF, or a FAIL message to
// classify), the rest is what the server sent. Only typed uiw::Errors may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adb/host_connection.h"
#include "common/error.h"
#include "fuzz/socket_feed.h"

using namespace std::chrono_literals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t op = data[0] % 4;
  uiw::fuzz::SocketFeed feed(data + 1, size - 1);
  uiw::adb::HostConnection connection(feed.take_client());
  const auto deadline = uiw::adb::Deadline::after(2s);
  try {
    switch (op) {
      case 0:
        connection.expect_okay(deadline, "fuzz");
        connection.read_length_prefixed(deadline);
        break;
      case 1:
        // host:devices-l / host:version replies, several in a row as track-devices sends.
        for (int i = 0; i < 8; ++i) connection.read_length_prefixed(deadline);
        break;
      case 2:
        connection.request("host:transport:emulator-5554", deadline, "fuzz");
        connection.request("shell,v2,raw:echo", deadline, "fuzz");
        connection.read_to_end(deadline, "fuzz");
        break;
      default:
        uiw::adb::throw_server_failure(
            std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), "fuzz");
    }
  } catch (const uiw::Error&) {
    // kProtocol, kDeviceOffline (EOF), or the kind a FAIL message maps to.
  }
  return 0;
}
