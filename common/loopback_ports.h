#pragma once
// Ports on 127.0.0.1 for the devices this machine runs: simulators, and emulators, which come in
// console/adb pairs (console P even, adb P+1) between 5554 and 5683, as the Android emulator
// picks them. Shared by the harness that starts emulators and the simulator that plays one.
#include <set>

namespace uiw {

inline constexpr int kFirstEmulatorConsolePort = 5554;
inline constexpr int kLastEmulatorConsolePort = 5682;  // the emulator's limit: 64 instances

// True when nothing listens on 127.0.0.1:port now (a bind succeeds).
bool loopback_port_is_free(int port);

// The lowest even console port P in 5554..5682 with P and P+1 free and P not in `taken` (ports
// handed to emulators that have not bound them yet). Throws uiw::Error(kIo) when every pair is
// taken.
int pick_emulator_console_port(const std::set<int>& taken = {});

}  // namespace uiw
