#pragma once
// Where uiwitness finds what ships with it: <dir of the executable>/../share/uiwitness/…
// (the build tree and an installed tree look the same), and the simulator next to it.
#include <filesystem>

namespace uiw {

// <exe>/../share/uiwitness/<relative>.
std::filesystem::path shared_path(const std::filesystem::path& relative);
// <exe dir>/uiwitness-sim.
std::filesystem::path simulator_binary();

}  // namespace uiw
