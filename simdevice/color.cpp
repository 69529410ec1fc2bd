#include "simdevice/color.h"

#include <fmt/format.h>

#include "common/error.h"

namespace uiw::sim {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Color parse_color(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Error(ErrorKind::kConfig,
                 fmt::format("bad colour \"{}\": {}; write \"#RRGGBB\" or \"#AARRGGBB\" "
                             "(alpha first, as Android does), e.g. \"#FF5722\" or \"#80000000\"",
                             text, why));
  };
  if (text.empty() || text[0] != '#') throw bad("it must start with '#'");
  const std::string_view digits = text.substr(1);
  if (digits.size() != 6 && digits.size() != 8) {
    throw bad(fmt::format("expected 6 or 8 hex digits after '#', found {}", digits.size()));
  }
  uint8_t bytes[4] = {255, 0, 0, 0};  // a, r, g, b
  const size_t first = digits.size() == 8 ? 0 : 1;
  for (size_t i = 0; i < digits.size(); i += 2) {
    const int hi = hex_value(digits[i]);
    const int lo = hex_value(digits[i + 1]);
    if (hi < 0 || lo < 0) {
      throw bad(fmt::format("'{}' is not a hex digit", hi < 0 ? digits[i] : digits[i + 1]));
    }
    bytes[first + i / 2] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return Color{bytes[1], bytes[2], bytes[3], bytes[0]};
}

std::string to_string(Color color) {
  if (color.a == 255) return fmt::format("#{:02X}{:02X}{:02X}", color.r, color.g, color.b);
  return fmt::format("#{:02X}{:02X}{:02X}{:02X}", color.a, color.r, color.g, color.b);
}

}  // namespace uiw::sim
