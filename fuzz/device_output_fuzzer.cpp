// Feeds device output to the client's text and image parsers: `dumpsys activity/window/package`,
// logcat threadtime lines with their START intents, and raw `screencap` bytes. The first byte
// picks the parser; the text parsers document nullopt / empty for what they do not recognise.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adb/dumpsys_parser.h"
#include "adb/logcat_parser.h"
#include "adb/screencap_decoder.h"
#include "common/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0:
      uiw::adb::parse_resumed_activity(text);
      if (const auto component = uiw::adb::ComponentName::parse(text)) component->short_form();
      break;
    case 1:
      uiw::adb::parse_focused_window(text);
      uiw::adb::parse_package_version(text);
      break;
    case 2:
      uiw::adb::parse_start_intents(text);
      break;
    default:
      try {
        uiw::adb::decode_raw_screencap(text);
      } catch (const uiw::Error&) {
        // kParse: unknown format or a length matching neither header layout.
      }
  }
  return 0;
}
