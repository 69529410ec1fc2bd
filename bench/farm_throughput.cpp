// farm_throughput: one farm run of the same scenario jobs on 1, 2, 4, 8 simulated devices — the
// real `uiwitness run` against uiwitness-sim devices on a private adb server this program starts.
// The baseline is the same jobs on one device, measured in the same run. Per device count:
//   bench farm_<N>_devices_wall: ours=<s> baseline=<s on 1 device> ratio=<speed-up>
//   bench farm_<N>_devices_cpu_per_step: ours=<ms> baseline=<ms> ratio=…   (the harness process)
//   bench farm_<N>_devices_rss: ours=<MB> baseline=<MB> ratio=…             (peak, harness only)
// and the resident memory each added device costs. The jobs are the fixture catalogue's
// scenarios (pop-up, consent, personalisation and link probes), cycled and renamed to `--jobs`.
// Usage: farm_throughput [--jobs 40] [--devices 1,2,4,8] [--keep DIR]
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/adb_process.h"
#include "adb/sim_process.h"
#include "bench/spawned_process.h"
#include "common/error.h"
#include "harness/device_farm.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Measured {
  uiw::bench::ProcessUsage usage;
  int steps = 0;
  int bundles = 0;
};

// The catalogue's scenarios cycled to `count` jobs, each with its own name.
void write_jobs(const fs::path& source, const fs::path& out, int count) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty())
    throw uiw::Error(uiw::ErrorKind::kNotFound, "no scenarios in " + source.string());
  fs::create_directories(out);
  const std::regex name_line(R"(^name:\s*(.*)$)", std::regex::multiline);
  for (int i = 0; i < count; ++i) {
    std::ifstream in(files[i % files.size()]);
    std::stringstream text;
    text << in.rdbuf();
    const std::string renamed =
        std::regex_replace(text.str(), name_line, fmt::format("name: $1-{:02}", i),
                           std::regex_constants::format_first_only);
    std::ofstream(out / fmt::format("job-{:02}.yaml", i)) << renamed;
  }
}

int run(int argc, char** argv) {
  int jobs = 40;
  std::vector<int> counts = {1, 2, 4, 8};
  fs::path keep;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) {
      jobs = std::stoi(argv[++i]);
    } else if (arg == "--devices" && i + 1 < argc) {
      counts.clear();
      std::stringstream list(argv[++i]);
      for (std::string n; std::getline(list, n, ',');) counts.push_back(std::stoi(n));
    } else if (arg == "--keep" && i + 1 < argc) {
      keep = argv[++i];
    } else {
      std::cerr << "usage: farm_throughput [--jobs N] [--devices 1,2,4,8] [--keep DIR]\n";
      return 2;
    }
  }
  const fs::path self_dir = fs::canonical("/proc/self/exe").parent_path();
  const fs::path work =
      keep.empty() ? fs::temp_directory_path() / fmt::format("uiw-farm-bench-{}", ::getpid())
                   : keep;
  fs::remove_all(work);
  write_jobs(fs::path(UIW_SOURCE_DIR) / "fixtures/scenarios", work / "jobs", jobs);

  const int adb_port = uiw::adb::SimProcess::pick_port();
  uiw::adb::AdbProcess().start_server(adb_port, uiw::adb::Deadline::after(20s));
  uiw::adb::AdbClient client(uiw::adb::ServerAddress::local(adb_port));
  const int most = *std::max_element(counts.begin(), counts.end());
  // The farm's own simulator bring-up; they are stopped when it goes out of scope.
  std::optional<uiw::harness::DeviceFarm> farm;
  uiw::harness::FarmConfig config;
  config.simulators.push_back({most, {UIW_SOURCE_DIR "/fixtures/apps"}, {}});
  farm.emplace(config, std::vector<std::string>{}, uiw::adb::ServerAddress::local(adb_port),
               std::cerr);
  const auto& sims = farm->devices();

  std::optional<Measured> one;
  for (const int n : counts) {
    std::vector<std::string> args = {(self_dir / "uiwitness").string(), "run",
                                     (work / "jobs").string(), "--out",
                                     (work / fmt::format("run-{}", n)).string()};
    std::string devices;
    for (int i = 0; i < n; ++i) {
      devices += (i ? "," : "") + sims[i].serial;
      args.push_back("--console");
      args.push_back(fmt::format("{}=127.0.0.1:{}", sims[i].serial, sims[i].console->port));
    }
    args.push_back("--devices");
    args.push_back(devices);
    Measured m;
    m.usage =
        uiw::bench::SpawnedProcess(
            args, {"ANDROID_ADB_SERVER_PORT=" + std::to_string(adb_port), "OMP_THREAD_LIMIT=1"},
            work / fmt::format("run-{}.log", n))
            .wait();
    std::ifstream run_json(work / fmt::format("run-{}", n) / "run.json");
    if (run_json) {
      const auto j = nlohmann::json::parse(run_json);
      m.steps = j["counts"].value("steps", 0);
      m.bundles = j["counts"].value("bundles", 0);
    }
    // Findings are expected (1); anything else means the farm, not the apps, failed.
    if (m.usage.exit_code != 1 || m.bundles != jobs) {
      std::cerr << fmt::format(
          "farm_throughput: {} devices: exit {} with {} of {} bundles; see {}\n", n,
          m.usage.exit_code, m.bundles, jobs, (work / fmt::format("run-{}.log", n)).string());
    }
    if (!one) one = m;
    const double cpu_step = m.steps ? 1000 * m.usage.cpu_s / m.steps : 0;
    const double cpu_step_one = one->steps ? 1000 * one->usage.cpu_s / one->steps : 0;
    std::cout
        << fmt::format("bench farm_{}_devices_wall: ours={:.1f} baseline={:.1f} ratio={:.2f}\n", n,
                       m.usage.wall_s, one->usage.wall_s, one->usage.wall_s / m.usage.wall_s)
        << fmt::format(
               "bench farm_{}_devices_cpu_per_step: ours={:.1f} baseline={:.1f} ratio={:.2f}\n", n,
               cpu_step, cpu_step_one, cpu_step > 0 ? cpu_step_one / cpu_step : 0)
        << fmt::format("bench farm_{}_devices_rss: ours={:.0f} baseline={:.0f} ratio={:.2f}\n", n,
                       m.usage.rss_mb, one->usage.rss_mb, one->usage.rss_mb / m.usage.rss_mb);
    if (n > counts.front()) {
      std::cout << fmt::format("  {} jobs, {} steps; resident memory per added device: {:.1f} MB\n",
                               jobs, m.steps,
                               (m.usage.rss_mb - one->usage.rss_mb) / (n - counts.front()));
    } else {
      std::cout << fmt::format("  {} jobs, {} steps\n", jobs, m.steps);
    }
    std::cout << std::flush;
  }
  farm.reset();
  client.kill_server(uiw::adb::Deadline::after(5s));
  if (keep.empty()) fs::remove_all(work);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "farm_throughput: " << e.what() << '\n';
    return 3;
  }
}
