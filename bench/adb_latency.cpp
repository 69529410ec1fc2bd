// adb_latency: what a scenario step pays per device round trip, through uiw::adb (the adb
// server's socket) and through the adb binary doing the same, against a uiwitness-sim this
// program starts on a private adb server port. One line per operation:
//   bench <op>: ours=<ms> baseline=<ms> ratio=<baseline/ours>
// Usage: adb_latency [--sim PATH] [--iterations N]
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/adb_process.h"
#include "adb/device.h"
#include "adb/screencap_decoder.h"
#include "adb/sim_process.h"
#include "common/error.h"
#include "detectors/ui_tree.h"

namespace {

using namespace std::chrono_literals;
using uiw::adb::Deadline;

double median_ms(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

// The label tapped by tap_by_text: the news app's title, which does not navigate.
constexpr const char* kTapText = "今日快讯";

std::pair<int, int> centre_of(const uiw::detectors::UiTree& tree, const std::string& text) {
  const uiw::detectors::UiNode* node =
      tree.find_first([&](const uiw::detectors::UiNode& n) { return n.text == text; });
  if (node == nullptr) throw uiw::Error(uiw::ErrorKind::kNotFound, "no node with text " + text);
  return {node->bounds.center_x(), node->bounds.center_y()};
}

double time_ms(const std::function<void()>& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Runs both sides interleaved (so drift on a shared machine hits both alike); medians.
std::pair<double, double> measure(int iterations, const std::function<void()>& ours,
                                  const std::function<void()>& baseline) {
  for (int i = 0; i < 2; ++i) {  // warm-up: caches, first connections
    ours();
    baseline();
  }
  std::vector<double> a, b;
  for (int i = 0; i < iterations; ++i) {
    a.push_back(time_ms(ours));
    b.push_back(time_ms(baseline));
  }
  return {median_ms(a), median_ms(b)};
}

int free_local_port() {
  // The kernel's choice of an ephemeral port: free right now, never adb's 5037.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw uiw::Error(uiw::ErrorKind::kIo, "no free port for a private adb server");
  return ntohs(addr.sin_port);
}

int run(int argc, char** argv) {
  std::string sim_binary =
      (std::filesystem::path(argv[0]).parent_path() / "uiwitness-sim").string();
  int iterations = 30;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--sim" && i + 1 < argc) {
      sim_binary = argv[++i];
    } else if (arg == "--iterations" && i + 1 < argc) {
      iterations = std::max(3, std::atoi(argv[++i]));
    } else {
      std::cerr << "usage: adb_latency [--sim PATH] [--iterations N]\n";
      return 2;
    }
  }

  const int adb_port = free_local_port();
  const uiw::adb::AdbProcess adb;
  adb.start_server(adb_port, Deadline::after(20s));
  uiw::adb::AdbClient client(uiw::adb::ServerAddress::local(adb_port));
  struct StopServer {
    uiw::adb::AdbClient& client;
    ~StopServer() {
      try {
        client.kill_server(Deadline::after(5s));
      } catch (const uiw::Error&) {
      }
    }
  } stop_server{client};

  uiw::adb::SimOptions options;
  options.binary = sim_binary;
  options.apps = {std::string(UIW_SOURCE_DIR) + "/fixtures/apps/test/e2e_news.yaml"};
  auto sim = uiw::adb::SimProcess::start(options, Deadline::after(20s));
  client.connect(sim->serial(), Deadline::after(20s));
  client.wait_for_device(sim->serial(), Deadline::after(20s));
  uiw::adb::Device device(client, sim->serial());
  device.launch("com.uiw.test.news");

  const std::string serial = sim->serial();
  const std::filesystem::path pulled =
      std::filesystem::temp_directory_path() / fmt::format("uiw-bench-dump-{}.xml", ::getpid());
  // The adb binary doing the same: spawn, get the bytes, and (for screencaps) decode them
  // into the same cv::Mat the harness needs.
  enum class Then { kNothing, kDecodeRaw, kDecodePng };
  auto baseline = [&](std::vector<std::string> args, Then then = Then::kNothing) {
    return [&adb, adb_port, serial, args, then] {
      std::vector<std::string> full = {"-s", serial};
      full.insert(full.end(), args.begin(), args.end());
      const uiw::adb::ProcessResult r = adb.run(full, adb_port, Deadline::after(30s));
      if (r.exit_code != 0) {
        throw uiw::Error(uiw::ErrorKind::kCommandFailed, "adb " + args.front() + ": " + r.err);
      }
      if (then == Then::kDecodeRaw) uiw::adb::decode_raw_screencap(r.out);
      if (then == Then::kDecodePng) uiw::adb::decode_png_screencap(r.out);
    };
  };
  struct Op {
    std::string name;
    int iterations;
    std::function<void()> ours, baseline;
  };
  const std::vector<Op> ops = {
      {"shell_round_trip", iterations * 2, [&] { device.shell("echo hi"); },
       baseline({"shell", "echo", "hi"})},
      {"screencap_raw", iterations, [&] { device.screenshot_raw(); },
       baseline({"exec-out", "screencap"}, Then::kDecodeRaw)},
      {"screencap_png", iterations, [&] { device.screenshot_png(); },
       baseline({"exec-out", "screencap", "-p"}, Then::kDecodePng)},
      {"hierarchy_dump", iterations, [&] { device.ui_hierarchy(); },
       baseline({"exec-out", "uiautomator", "dump", "/dev/tty"})},
      // A step that taps by text (on a label that does not navigate, so it repeats): the
      // harness's way, dump through the server socket, parse, find, tap — against the scripts'
      // usual way with the adb binary: dump to a file, pull it, parse, find, `input tap`.
      {"tap_by_text", iterations,
       [&] {
         const auto tree = uiw::detectors::UiTree::parse(device.ui_hierarchy());
         const auto [x, y] = centre_of(tree, kTapText);
         device.tap(x, y);
       },
       [&, tap_baseline = baseline({"shell", "uiautomator", "dump", "/sdcard/window_dump.xml"}),
        pull = baseline({"pull", "/sdcard/window_dump.xml", pulled.string()})] {
         tap_baseline();
         pull();
         const auto tree = uiw::detectors::UiTree::load(pulled.string());
         const auto [x, y] = centre_of(tree, kTapText);
         baseline({"shell", "input", "tap", std::to_string(x), std::to_string(y)})();
       }},
  };
  std::cout << fmt::format(
      "# {} via adb server 127.0.0.1:{}; ours = uiw::adb, baseline = the "
      "adb binary ({}); screencaps end as a decoded BGR cv::Mat on both sides; "
      "medians\n",
      serial, adb_port, adb.path());
  for (const Op& op : ops) {
    const auto [ours, base] = measure(op.iterations, op.ours, op.baseline);
    std::cout << fmt::format("bench {}: ours={:.2f} baseline={:.2f} ratio={:.2f}\n", op.name, ours,
                             base, base / ours)
              << std::flush;
  }
  client.disconnect(serial, Deadline::after(5s));
  sim->stop();
  std::filesystem::remove(pulled);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    // Caught here so that the simulator and the private adb server are stopped on the way out.
    std::cerr << "adb_latency: " << e.what() << "\n";
    return 3;
  }
}
