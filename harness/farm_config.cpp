#include "harness/farm_config.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/yaml_reader.h"

namespace uiw::harness {

namespace fs = std::filesystem;

namespace {

class FarmParser {
 public:
  explicit FarmParser(const fs::path& file) : file_(file), yaml_(file.string()) {}

  FarmConfig parse(std::string_view text) {
    const YAML::Node root = yaml_.load(text);
    FarmConfig farm;
    farm.file = file_;
    if (!root.IsDefined() || root.IsNull()) {
      yaml_.fail(root, "the farm file is empty; list devices, emulators, simulators or servers");
    }
    yaml_.expect_keys(
        root,
        {"adb_server", "devices", "emulators", "simulators", "servers", "attempts", "ocr_engines"},
        "the farm file");
    if (const auto n = root["adb_server"]) farm.adb_server = address(n, "adb_server");
    if (const auto n = root["attempts"]) farm.attempts = yaml_.integer(n, "attempts", 1, 10);
    if (const auto n = root["ocr_engines"])
      farm.ocr_engines = yaml_.integer(n, "ocr_engines", 1, 64);
    for (const auto& item : list(root["devices"], "devices")) farm.devices.push_back(device(item));
    for (const auto& item : list(root["emulators"], "emulators"))
      farm.emulators.push_back(emulator(item));
    for (const auto& item : list(root["simulators"], "simulators"))
      farm.simulators.push_back(simulator(item));
    for (const auto& item : list(root["servers"], "servers")) farm.servers.push_back(server(item));
    if (farm.devices.empty() && farm.emulators.empty() && farm.simulators.empty() &&
        farm.servers.empty()) {
      yaml_.fail(root, "the farm has no devices: list devices, emulators, simulators or servers");
    }
    return farm;
  }

 private:
  std::vector<YAML::Node> list(const YAML::Node& node, const std::string& what) const {
    std::vector<YAML::Node> items;
    if (!node || node.IsNull()) return items;
    if (!node.IsSequence()) yaml_.fail(node, what + " must be a list");
    for (const auto& item : node) items.push_back(item);
    return items;
  }

  adb::ServerAddress address(const YAML::Node& node, const std::string& what) const {
    const std::string text = yaml_.scalar(node, what);
    const auto parsed = adb::ServerAddress::parse(text);
    if (!parsed) yaml_.fail(node, fmt::format("{} must be HOST:PORT, not '{}'", what, text));
    return *parsed;
  }

  // A path in the farm file is relative to the farm file, not to where uiwitness runs.
  std::string path(const YAML::Node& node, const std::string& what) const {
    const fs::path p = yaml_.scalar(node, what);
    return p.is_absolute() ? p.string() : (file_.parent_path() / p).lexically_normal().string();
  }

  FarmDeviceSpec device(const YAML::Node& node) const {
    FarmDeviceSpec spec;
    if (node.IsScalar()) {
      spec.serial = node.as<std::string>();
      return spec;
    }
    yaml_.expect_keys(node, {"serial", "console"}, "a device");
    if (!node["serial"]) yaml_.fail(node, "a device needs `serial:`");
    spec.serial = yaml_.scalar(node["serial"], "serial");
    if (const auto n = node["console"]) {
      const auto a = address(n, "console");
      spec.console = ConsoleAddress{a.host, a.port};
    }
    return spec;
  }

  FarmEmulatorSpec emulator(const YAML::Node& node) const {
    FarmEmulatorSpec spec;
    yaml_.expect_keys(
        node, {"avd", "count", "boot", "snapshot", "window", "options", "binary", "boot_timeout"},
        "an emulator");
    if (!node["avd"])
      yaml_.fail(node, "an emulator needs `avd:` (an AVD name: emulator -list-avds)");
    spec.avd = yaml_.scalar(node["avd"], "avd");
    if (const auto n = node["count"]) spec.count = yaml_.integer(n, "count", 1, 64);
    if (const auto n = node["boot"]) {
      const std::string boot = yaml_.scalar(n, "boot");
      if (boot == "cold") {
        spec.boot = adb::BootMode::kCold;
      } else if (boot == "quick") {
        spec.boot = adb::BootMode::kQuick;
      } else if (boot == "snapshot") {
        spec.boot = adb::BootMode::kSnapshot;
      } else {
        yaml_.fail(n, fmt::format("boot must be cold, quick or snapshot, not '{}'", boot));
      }
    }
    if (const auto n = node["snapshot"]) {
      spec.snapshot = yaml_.scalar(n, "snapshot");
      if (!node["boot"]) spec.boot = adb::BootMode::kSnapshot;
    }
    if (spec.boot == adb::BootMode::kSnapshot && spec.snapshot.empty()) {
      yaml_.fail(node, "boot: snapshot needs `snapshot: NAME`");
    }
    if (const auto n = node["window"]) spec.window = yaml_.boolean(n, "window");
    if (const auto n = node["options"]) spec.options = yaml_.strings(n, "options");
    if (const auto n = node["binary"]) spec.binary = path(n, "binary");
    if (const auto n = node["boot_timeout"]) {
      spec.boot_timeout = std::chrono::seconds(yaml_.integer(n, "boot_timeout", 1, 3600));
    }
    return spec;
  }

  FarmSimulatorSpec simulator(const YAML::Node& node) const {
    FarmSimulatorSpec spec;
    yaml_.expect_keys(node, {"count", "apps", "options"}, "a simulator");
    if (const auto n = node["count"]) spec.count = yaml_.integer(n, "count", 1, 64);
    if (const auto n = node["apps"]) {
      const auto items = n.IsSequence() ? list(n, "apps") : std::vector<YAML::Node>{n};
      for (const auto& item : items) spec.apps.push_back(path(item, "apps"));
    }
    if (const auto n = node["options"]) spec.options = yaml_.strings(n, "options");
    return spec;
  }

  FarmServerSpec server(const YAML::Node& node) const {
    FarmServerSpec spec;
    if (node.IsScalar()) {
      spec.address = address(node, "a server");
      return spec;
    }
    yaml_.expect_keys(node, {"address", "devices"}, "a server");
    if (!node["address"]) yaml_.fail(node, "a server needs `address: HOST:PORT`");
    spec.address = address(node["address"], "address");
    if (const auto n = node["devices"]) spec.devices = yaml_.strings(n, "devices");
    return spec;
  }

  fs::path file_;
  YamlReader yaml_;
};

}  // namespace

FarmConfig load_farm_config(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, fmt::format("{}: no such farm file", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return FarmParser(file).parse(text.str());
}

}  // namespace uiw::harness
