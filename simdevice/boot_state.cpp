#include "simdevice/boot_state.h"

namespace uiw::sim {

BootState::BootState(std::chrono::milliseconds boot_time, std::map<std::string, std::string> extra)
    : booted_at_(std::chrono::steady_clock::now() + boot_time), extra_(std::move(extra)) {}

std::map<std::string, std::string> BootState::properties(const DeviceProfile& profile) const {
  auto props = profile.properties();
  for (const auto& [name, value] : extra_) props[name] = value;
  if (!completed()) {
    // What a booting image shows: the properties are unset, not "0".
    props.erase("sys.boot_completed");
    props.erase("dev.bootcomplete");
    props["init.svc.bootanim"] = "running";
  }
  return props;
}

void BootState::register_getprop(Shell& shell, const DeviceProfile& profile) const {
  // The same output as the basic getprop (basic_commands.cpp), over properties().
  shell.add("getprop", [this, &profile](const std::vector<std::string>& argv, ShellIo& io) {
    const auto props = properties(profile);
    if (argv.size() >= 2) {
      const auto it = props.find(argv[1]);
      io.write_out((it != props.end() ? it->second : argv.size() >= 3 ? argv[2] : "") + "\n");
      return 0;
    }
    std::string out;
    for (const auto& [name, value] : props) out += "[" + name + "]: [" + value + "]\n";
    io.write_out(out);
    return 0;
  });
}

}  // namespace uiw::sim
