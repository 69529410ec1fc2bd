#pragma once
// `uiwitness demo` (and `make demo`): a private adb server, a simulated device with the fixture
// apps, the example scenarios run against it, and the summary with the report's path. Leaves
// nothing running.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace uiw::harness {

struct DemoOptions {
  std::filesystem::path scenarios;  // empty: <share>/scenarios/examples
  std::filesystem::path apps;       // folder of fixture apps; empty: <share>/fixtures/apps
  std::filesystem::path out;        // run directory; empty: uiwitness-runs/demo-<UTC time>
  bool progress = false;
};

int run_demo(const DemoOptions& options, std::ostream& out, std::ostream& err);

// `uiwitness sim`: starts uiwitness-sim with the apps, connects it to the adb server and keeps
// it running until SIGINT/SIGTERM.
struct SimCommandOptions {
  std::vector<std::string> apps;  // files or folders; empty: <share>/fixtures/apps
  int port = 0;                   // 0: a free one
  int console_port = 0;           // 0: port - 1, as an emulator's
  std::vector<std::string> extra_args;
};
int run_sim(const SimCommandOptions& options, std::ostream& out);

}  // namespace uiw::harness
