#pragma once
// Foreground state from `dumpsys activity activities` and `dumpsys window`, across Android
// versions: `mResumedActivity:` (≤ 10), `topResumedActivity=` / `ResumedActivity:` (11+),
// `mCurrentFocus=Window{hash u0 pkg/cls}`.
#include <optional>
#include <string>
#include <string_view>

namespace uiw::adb {

struct ComponentName {
  std::string package;
  std::string activity;  // fully qualified (".Main" expanded)

  // "com.pkg/.Main" or "com.pkg/com.pkg.Main"; nullopt if there is no '/'.
  static std::optional<ComponentName> parse(std::string_view text);
  std::string flatten() const { return package + "/" + activity; }
  std::string short_form() const;  // "com.pkg/.Main" when the class is in the package
  bool operator==(const ComponentName&) const = default;
};

// The resumed activity, or nullopt when none (e.g. the screen is off, or a bad dump).
std::optional<ComponentName> parse_resumed_activity(std::string_view dumpsys_activities);
// The window with input focus: a component for app windows, or its title for system windows
// ("StatusBar", "NotificationShade", "Application Not Responding: com.pkg").
std::optional<std::string> parse_focused_window(std::string_view dumpsys_window);

struct PackageVersion {
  std::string name;    // versionName
  long long code = 0;  // versionCode
};
// The first package's versionName and versionCode in `dumpsys package PKG`; nullopt when the
// package is not installed (no "versionName=" line).
std::optional<PackageVersion> parse_package_version(std::string_view dumpsys_package);

}  // namespace uiw::adb
