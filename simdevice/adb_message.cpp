#include "simdevice/adb_message.h"

#include <fmt/format.h>

namespace uiw::sim {

namespace {

uint32_t load_le32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void store_le32(unsigned char* p, uint32_t v) {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
  p[2] = static_cast<unsigned char>(v >> 16);
  p[3] = static_cast<unsigned char>(v >> 24);
}

}  // namespace

AdbHeader AdbHeader::make(uint32_t command, uint32_t arg0, uint32_t arg1,
                          std::string_view payload) {
  AdbHeader h;
  h.command = command;
  h.arg0 = arg0;
  h.arg1 = arg1;
  h.length = static_cast<uint32_t>(payload.size());
  // adb never verifies it, but older peers may; it is cheap next to the socket write.
  uint32_t sum = 0;
  for (unsigned char c : payload) sum += c;
  h.checksum = sum;
  h.magic = command ^ 0xffffffffu;
  return h;
}

std::optional<AdbHeader> AdbHeader::decode(const std::array<unsigned char, kAdbHeaderSize>& bytes) {
  AdbHeader h;
  h.command = load_le32(&bytes[0]);
  h.arg0 = load_le32(&bytes[4]);
  h.arg1 = load_le32(&bytes[8]);
  h.length = load_le32(&bytes[12]);
  h.checksum = load_le32(&bytes[16]);
  h.magic = load_le32(&bytes[20]);
  if (h.magic != (h.command ^ 0xffffffffu)) return std::nullopt;
  if (h.length > kAdbMaxIncomingPayload) return std::nullopt;
  return h;
}

std::array<unsigned char, kAdbHeaderSize> AdbHeader::encode() const {
  std::array<unsigned char, kAdbHeaderSize> out{};
  store_le32(&out[0], command);
  store_le32(&out[4], arg0);
  store_le32(&out[8], arg1);
  store_le32(&out[12], length);
  store_le32(&out[16], checksum);
  store_le32(&out[20], magic);
  return out;
}

std::string adb_command_name(uint32_t command) {
  std::string name;
  for (int i = 0; i < 4; ++i) {
    char c = static_cast<char>((command >> (8 * i)) & 0xff);
    if (c < 'A' || c > 'Z') return fmt::format("0x{:08x}", command);
    name.push_back(c);
  }
  return name;
}

}  // namespace uiw::sim
