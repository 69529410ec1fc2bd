// Plays a hostile device to SyncClient (the `sync:` service adb push/pull/ls use): the first
// byte picks the request (stat v1/v2, list, pull, push), the rest is the reply stream. Lengths
// in that stream come from the peer, so they must be bounded before anything is allocated.
#include <cstddef>
#include <cstdint>
#include <string>

#include "adb/sync_client.h"
#include "common/error.h"
#include "fuzz/socket_feed.h"

using namespace std::chrono_literals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t op = data[0] % 5;
  uiw::fuzz::SocketFeed feed(data + 1, size - 1);
  const auto deadline = uiw::adb::Deadline::after(2s);
  try {
    uiw::adb::SyncClient sync(uiw::adb::HostConnection(feed.take_client()), "fuzz-device",
                              /*stat_v2=*/op == 1);
    switch (op) {
      case 0:
      case 1:
        sync.stat("/sdcard/window_dump.xml", deadline);
        break;
      case 2:
        sync.list("/sdcard", deadline);
        break;
      case 3:
        sync.pull("/sdcard/window_dump.xml", deadline);
        break;
      default:
        sync.push("payload", "/data/local/tmp/f", deadline);
    }
  } catch (const uiw::Error&) {
    // kProtocol, kNotFound, kCommandFailed, or kDeviceOffline when the stream ends early.
  }
  return 0;
}
