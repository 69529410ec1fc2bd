#pragma once
// The shell v2 packet stream ([id u8][len u32 LE][bytes]) that `shell,v2,raw:CMD` returns, so
// stdout, stderr and the exit code arrive apart. The parser is incremental: bytes come in
// whatever pieces the socket delivers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace uiw::adb {

struct ShellResult {
  std::string out;
  std::string err;
  int exit_code = -1;
};

class ShellV2Parser {
 public:
  enum PacketId : uint8_t {
    kStdin = 0,
    kStdout = 1,
    kStderr = 2,
    kExit = 3,
    kCloseStdin = 4,
    kWindowSize = 5,
  };

  // Consumes bytes; stdout/stderr go to the result, the exit packet sets exit_code.
  // Throws uiw::Error(kProtocol) on an impossible packet.
  void feed(std::string_view bytes);
  bool has_exit() const { return exit_code_.has_value(); }
  // Bytes of a packet still incomplete (non-zero at EOF means the stream was cut).
  size_t pending() const { return buffer_.size(); }

  ShellResult& result() { return result_; }
  // Moves stdout gathered so far out (for streaming consumers).
  std::string take_stdout() { return std::exchange(result_.out, {}); }

  // One packet, for writing stdin / close-stdin to the device.
  static std::string encode(PacketId id, std::string_view payload);

 private:
  std::string buffer_;
  ShellResult result_;
  std::optional<int> exit_code_;
};

}  // namespace uiw::adb
