#pragma once
// The apps every simulated device has besides the fixtures: the launcher (home screen, one icon
// per app) and Chrome (the browser that VIEW intents end in), plus the system packages
// `pm list packages` shows. Names, classes and resource-ids are those of the real apps, so the
// harness's selectors work here as on a phone.
#include <string>
#include <vector>

#include "detectors/rect.h"
#include "simdevice/device_profile.h"
#include "simdevice/scene.h"

namespace uiw::sim {

inline constexpr const char* kLauncherPackage = "com.android.launcher3";
inline constexpr const char* kLauncherActivity = "com.android.launcher3.Launcher";
inline constexpr const char* kBrowserPackage = "com.android.chrome";
inline constexpr const char* kBrowserActivity = "com.google.android.apps.chrome.Main";

struct BuiltinPackage {
  std::string name;
  std::string path;  // `pm path`
  int uid = 1000;
  std::string version_name;
  int version_code = 1;
  std::string launch_activity;  // empty: not shown on the launcher
};

// Preinstalled packages (system image), launcher and browser first.
const std::vector<BuiltinPackage>& builtin_packages();

struct LauncherIcon {
  std::string package;
  std::string label;
  detectors::Rect bounds;  // the whole icon + label, what a tap hits
};

struct LauncherEntry {
  std::string package;
  std::string label;
};

// Icons in a 4-column grid, in the given order.
std::vector<LauncherIcon> launcher_layout(const std::vector<LauncherEntry>& apps,
                                          const DeviceProfile& profile);
SceneLayer launcher_layer(const std::vector<LauncherIcon>& icons, const DeviceProfile& profile);
SceneLayer browser_layer(const std::string& url, const DeviceProfile& profile);

}  // namespace uiw::sim
