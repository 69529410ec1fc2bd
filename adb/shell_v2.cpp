#include "adb/shell_v2.h"

#include <fmt/format.h>

#include "adb/little_endian.h"
#include "common/error.h"

namespace uiw::adb {

namespace {
constexpr size_t kHeaderSize = 5;
// adbd never sends more than its max payload per packet; anything far larger is garbage.
constexpr uint32_t kMaxPacket = 64u * 1024 * 1024;
}  // namespace

void ShellV2Parser::feed(std::string_view bytes) {
  buffer_.append(bytes);
  size_t pos = 0;
  while (buffer_.size() - pos >= kHeaderSize) {
    const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + pos);
    const uint32_t length = load_le32(buffer_.data() + pos + 1);
    if (length > kMaxPacket) {
      throw Error(
          ErrorKind::kProtocol,
          fmt::format("shell v2 packet of {} bytes (id {}): the stream is corrupt", length, p[0]));
    }
    if (buffer_.size() - pos - kHeaderSize < length) break;
    const std::string_view payload(buffer_.data() + pos + kHeaderSize, length);
    switch (p[0]) {
      case kStdout:
        result_.out.append(payload);
        break;
      case kStderr:
        result_.err.append(payload);
        break;
      case kExit:
        if (length < 1) throw Error(ErrorKind::kProtocol, "shell v2 exit packet without a code");
        exit_code_ = static_cast<unsigned char>(payload[0]);
        result_.exit_code = *exit_code_;
        break;
      default:
        break;  // stdin echoes, window size, newer ids: nothing for a client to keep
    }
    pos += kHeaderSize + length;
  }
  buffer_.erase(0, pos);
}

std::string ShellV2Parser::encode(PacketId id, std::string_view payload) {
  std::string out;
  out.reserve(kHeaderSize + payload.size());
  const auto length = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>(id));
  append_le32(out, length);
  out.append(payload);
  return out;
}

}  // namespace uiw::adb
