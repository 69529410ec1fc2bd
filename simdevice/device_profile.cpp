#include "simdevice/device_profile.h"

#include <fmt/format.h>

namespace uiw::sim {

namespace {
// What adbd advertises on Android 10+; adb picks shell v2, stat v2 and mkdir-on-push from it.
constexpr const char* kFeatures =
    "shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb,abb_exec,fixed_push_symlink_timestamp";
}  // namespace

std::map<std::string, std::string> DeviceProfile::properties() const {
  const std::string fingerprint =
      fmt::format("uiwitness/{}/{}:{}/UIW.{}/1:userdebug/test-keys", product, device, release, sdk);
  return {
      {"dev.bootcomplete", "1"},
      {"init.svc.adbd", "running"},
      {"init.svc.bootanim", "stopped"},
      {"persist.sys.locale", "en-US"},
      {"persist.sys.timezone", "Asia/Shanghai"},
      {"ro.boot.serialno", serial},
      {"ro.build.characteristics", "default"},
      {"ro.build.display.id", fmt::format("UIW.{}", sdk)},
      {"ro.build.fingerprint", fingerprint},
      {"ro.build.id", fmt::format("UIW.{}", sdk)},
      {"ro.build.tags", "test-keys"},
      {"ro.build.type", "userdebug"},
      {"ro.build.version.release", release},
      {"ro.build.version.sdk", std::to_string(sdk)},
      {"ro.debuggable", "1"},
      {"ro.hardware", "ranchu"},
      {"ro.product.brand", manufacturer},
      {"ro.product.cpu.abi", "x86_64"},
      {"ro.product.cpu.abilist", "x86_64,arm64-v8a"},
      {"ro.product.device", device},
      {"ro.product.locale", "en-US"},
      {"ro.product.manufacturer", manufacturer},
      {"ro.product.model", model},
      {"ro.product.name", product},
      {"ro.secure", "1"},
      {"ro.serialno", serial},
      {"ro.sf.lcd_density", std::to_string(density)},
      {"service.adb.root", "0"},
      {"sys.boot_completed", "1"},
  };
}

std::string DeviceProfile::connect_banner() const {
  return fmt::format(
      "device::ro.product.name={};ro.product.model={};ro.product.device={};features={}", product,
      model, device, kFeatures);
}

}  // namespace uiw::sim
