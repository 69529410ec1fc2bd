#pragma once
// Who the simulated device says it is: the identity adb lists, the properties getprop prints,
// and the screen every app is drawn on.
#include <map>
#include <string>

namespace uiw::sim {

struct DeviceProfile {
  std::string serial = "uiwsim0001";  // ro.serialno (--serial-name)
  std::string product = "sdk_gphone64_x86_64";
  std::string model = "uiwitness_sim";
  std::string device = "emu64x";
  std::string manufacturer = "uiwitness";
  int sdk = 34;  // ro.build.version.sdk: picks dumpsys output formats
  std::string release = "14";
  int width = 1080;
  int height = 2400;
  int density = 420;

  // Every property `getprop` lists, including these fields and sys.boot_completed=1.
  std::map<std::string, std::string> properties() const;
  // The CNXN banner: "device::ro.product.name=…;ro.product.model=…;ro.product.device=…;features=…"
  std::string connect_banner() const;
};

}  // namespace uiw::sim
