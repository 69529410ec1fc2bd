#pragma once
// BootState: the simulated device's boot, so a caller's boot wait is really exercised. adbd
// answers from the start (as on an emulator, where adb lists the device long before Android is
// up); `getprop sys.boot_completed` prints an empty line until the boot time has passed, then
// "1". It also carries the properties the device has beyond its profile (an emulator's
// ro.boot.qemu.avd_name).
#include <chrono>
#include <map>
#include <string>

#include "simdevice/device_profile.h"
#include "simdevice/shell.h"

namespace uiw::sim {

class BootState {
 public:
  // Booted once `boot_time` has passed from now.
  BootState(std::chrono::milliseconds boot_time, std::map<std::string, std::string> extra);

  bool completed() const { return std::chrono::steady_clock::now() >= booted_at_; }
  // The profile's properties plus the extra ones, as they read now.
  std::map<std::string, std::string> properties(const DeviceProfile& profile) const;
  // Replaces the shell's `getprop` with one that reads properties(); both must outlive the shell.
  void register_getprop(Shell& shell, const DeviceProfile& profile) const;

 private:
  std::chrono::steady_clock::time_point booted_at_;
  std::map<std::string, std::string> extra_;
};

}  // namespace uiw::sim
