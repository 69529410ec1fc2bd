#pragma once
// One ADB transport message (the device side of adbd's wire protocol): a 24-byte little-endian
// header — command, arg0, arg1, payload length, checksum, magic — followed by the payload.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uiw::sim {

namespace adb_command {
inline constexpr uint32_t kCnxn = 0x4e584e43;  // "CNXN"
inline constexpr uint32_t kAuth = 0x48545541;  // "AUTH"
inline constexpr uint32_t kOpen = 0x4e45504f;  // "OPEN"
inline constexpr uint32_t kOkay = 0x59414b4f;  // "OKAY"
inline constexpr uint32_t kClse = 0x45534c43;  // "CLSE"
inline constexpr uint32_t kWrte = 0x45545257;  // "WRTE"
inline constexpr uint32_t kStls = 0x534c5453;  // "STLS"
}  // namespace adb_command

inline constexpr uint32_t kAdbVersion = 0x01000001;
// What we send per WRTE at most, and what we advertise in our CNXN.
inline constexpr uint32_t kAdbMaxPayload = 256 * 1024;
// What we accept from a peer before calling it garbage (adb's own MAX_PAYLOAD is 1 MiB).
inline constexpr uint32_t kAdbMaxIncomingPayload = 1024 * 1024;
inline constexpr size_t kAdbHeaderSize = 24;

struct AdbHeader {
  uint32_t command = 0;
  uint32_t arg0 = 0;
  uint32_t arg1 = 0;
  uint32_t length = 0;
  uint32_t checksum = 0;
  uint32_t magic = 0;

  // Builds a header for `payload` with its checksum (sum of bytes) and magic.
  static AdbHeader make(uint32_t command, uint32_t arg0, uint32_t arg1, std::string_view payload);
  // nullopt when the magic does not match the command or the length is absurd: a peer that
  // sends that is not speaking ADB, and its connection is dropped.
  static std::optional<AdbHeader> decode(const std::array<unsigned char, kAdbHeaderSize>& bytes);
  std::array<unsigned char, kAdbHeaderSize> encode() const;
};

// "CNXN", "WRTE", … for logs; hex for anything else.
std::string adb_command_name(uint32_t command);

}  // namespace uiw::sim
