#pragma once
// Did the app navigate? The question behind POP-05 (a blank tap opens something), POP-06 (a close
// control opens something), POP-09 (a weak motion opens something) and LNK-01 (a link opens
// nothing). Answered from what Android itself reports, not from pixels: START intents that
// ActivityManager logs after the action, and the resumed activity before and after.
#include <optional>
#include <string>
#include <vector>

#include "adb/device.h"
#include "adb/logcat_capture.h"
#include "adb/logcat_parser.h"
#include "harness/screen_reader.h"

namespace uiw::harness {

struct Navigation {
  bool navigated = false;
  std::string reason;                    // one line for the finding's message
  std::vector<adb::StartIntent> starts;  // logged after the action
  std::string activity_before, activity_after;
  std::string package_before, package_after;
  // A VIEW intent whose data is `url` (or on its host) was started.
  bool viewed(std::string_view url) const;
};

class NavigationWatch {
 public:
  // Call just before the action. `logcat` is the scenario's running capture; without one the
  // watch reads `logcat -d` before and after.
  NavigationWatch(adb::Device& device, adb::LogcatCapture* logcat, const ScreenCapture& before,
                  adb::Deadline deadline);
  // What happened between the constructor and `after`.
  Navigation result(const ScreenCapture& after, adb::Deadline deadline);

 private:
  std::string log_text(adb::Deadline deadline);

  adb::Device& device_;
  adb::LogcatCapture* logcat_;
  size_t log_offset_ = 0;
  std::string before_activity_, before_package_;
};

// "https://v.doupai.example/s/8FkP" → "v.doupai.example".
std::string url_host(std::string_view url);

}  // namespace uiw::harness
