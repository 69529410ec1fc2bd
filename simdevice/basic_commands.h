#pragma once
// The everyday toybox commands every test and the harness rely on: echo, sleep, true, false,
// cat, rm, ls, mkdir, getprop, wm. Device- and app-specific commands (am, pm, input, dumpsys,
// screencap, uiautomator, logcat …) are registered by the simulated device itself.
#include "simdevice/device_profile.h"
#include "simdevice/shell.h"
#include "simdevice/virtual_fs.h"

namespace uiw::sim {

// `fs` and `profile` must outlive `shell`. (`exit`, `export`, `exec` and `cd` are shell
// builtins.)
void register_basic_commands(Shell& shell, VirtualFs& fs, const DeviceProfile& profile);

}  // namespace uiw::sim
