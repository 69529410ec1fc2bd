#pragma once
// The shell commands that act on the simulated phone, with Android's output formats: input, am,
// pm, monkey, dumpsys, logcat, screencap, uiautomator.
#include "simdevice/shell.h"

namespace uiw::sim {

class SimDevice;

void register_device_commands(SimDevice& device, Shell& shell);

}  // namespace uiw::sim
