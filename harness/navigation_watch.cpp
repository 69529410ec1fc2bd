#include "harness/navigation_watch.h"

#include <fmt/format.h>

namespace uiw::harness {

namespace {

std::string package_of(const ScreenCapture& capture) {
  return capture.foreground.resumed_activity ? capture.foreground.resumed_activity->package
                                             : std::string();
}

}  // namespace

std::string url_host(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  rest = rest.substr(0, rest.find(':'));
  return std::string(rest);
}

bool Navigation::viewed(std::string_view url) const {
  const std::string host = url_host(url);
  for (const auto& s : starts) {
    if (s.action != "android.intent.action.VIEW") continue;
    // Android 10+ may log the data redacted ("https://…"): the host still tells.
    if (s.data == url || (!host.empty() && url_host(s.data) == host)) return true;
  }
  return false;
}

NavigationWatch::NavigationWatch(adb::Device& device, adb::LogcatCapture* logcat,
                                 const ScreenCapture& before, adb::Deadline deadline)
    : device_(device),
      logcat_(logcat),
      before_activity_(before.activity()),
      before_package_(package_of(before)) {
  log_offset_ = log_text(deadline).size();
}

std::string NavigationWatch::log_text(adb::Deadline deadline) {
  return logcat_ ? logcat_->text() : device_.logcat_dump(deadline);
}

Navigation NavigationWatch::result(const ScreenCapture& after, adb::Deadline deadline) {
  Navigation nav;
  nav.activity_before = before_activity_;
  nav.package_before = before_package_;
  nav.activity_after = after.activity();
  nav.package_after = package_of(after);
  const std::string text = log_text(deadline);
  // A `logcat -d` buffer can rotate between the two reads; then every line is new.
  const std::string_view fresh =
      text.size() >= log_offset_ ? std::string_view(text).substr(log_offset_) : text;
  nav.starts = adb::parse_start_intents(fresh);

  if (!nav.starts.empty()) {
    const auto& s = nav.starts.front();
    nav.navigated = true;
    nav.reason = fmt::format("START {}{}{}", s.action.empty() ? "intent" : s.action,
                             s.data.empty() ? "" : " " + s.data,
                             s.component.empty() ? "" : " → " + s.component);
  } else if (nav.activity_after != nav.activity_before) {
    nav.navigated = true;
    nav.reason = fmt::format("resumed activity changed from {} to {}",
                             nav.activity_before.empty() ? "none" : nav.activity_before,
                             nav.activity_after.empty() ? "none" : nav.activity_after);
  }
  return nav;
}

}  // namespace uiw::harness
