// Feeds a shell v2 packet stream to ShellV2Parser in the pieces the first byte chooses, as the
// socket may deliver them. The parser must throw kProtocol or keep state, never crash, and the
// split must not change what it gathers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adb/shell_v2.h"
#include "common/error.h"

namespace {

struct Outcome {
  bool failed = false;
  uiw::adb::ShellResult result;
  size_t pending = 0;
};

Outcome run(std::string_view bytes, size_t piece) {
  Outcome o;
  uiw::adb::ShellV2Parser parser;
  try {
    while (!bytes.empty()) {
      const size_t n = std::min(piece, bytes.size());
      parser.feed(bytes.substr(0, n));
      bytes.remove_prefix(n);
    }
  } catch (const uiw::Error& e) {
    if (e.kind() != uiw::ErrorKind::kProtocol) std::abort();
    o.failed = true;
    return o;
  }
  o.result = parser.result();
  o.pending = parser.pending();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = data[0] == 0 ? 1 : data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const Outcome whole = run(bytes, bytes.size() + 1);
  const Outcome split = run(bytes, piece);
  // Split or whole, the stream means the same thing.
  if (whole.failed != split.failed) std::abort();
  if (!whole.failed &&
      (whole.result.out != split.result.out || whole.result.err != split.result.err ||
       whole.result.exit_code != split.result.exit_code || whole.pending != split.pending))
    std::abort();
  return 0;
}
