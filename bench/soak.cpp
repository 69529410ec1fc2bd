// soak: 10,000 steps by default — a tap into settings and back again, every step settled, checked
// and saved as evidence like any other — in one scenario or spread over --scenarios K, against a
// uiwitness-sim device on a private adb server, watching the harness process from outside (/proc)
// while it steps:
//   bench soak_rss_growth_pct: ours=<growth after warm-up, %> baseline=5 ratio=<5/ours>
//   bench soak_fd_growth: ours=<descriptors opened and kept after warm-up> baseline=0 …
//   bench soak_child_processes: ours=<most children at once after warm-up> baseline=<at warm-up>
// Warm-up is the first 10 % of the steps (caches, OCR engines, allocator arenas); the first and
// last ten samples after it are compared (samples.tsv keeps them all). Exits 1 when
// memory grows more than 5 %, a descriptor or child process leaks, the run does not finish every
// step, or its evidence fails `uiwitness verify`.
// Usage: soak [--steps 10000] [--scenarios 1] [--keep DIR]
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <thread>

#include "adb/adb_client.h"
#include "adb/adb_process.h"
#include "adb/sim_process.h"
#include "bench/spawned_process.h"
#include "common/error.h"
#include "harness/device_farm.h"
#include "harness/run_report.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using uiw::bench::ProcSample;

size_t lines_in(const fs::path& file) {
  std::ifstream in(file);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

int run(int argc, char** argv) {
  int steps = 10000;
  int scenarios = 1;
  fs::path keep;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--steps" && i + 1 < argc) {
      steps = std::max(20, std::stoi(argv[++i]));
    } else if (arg == "--scenarios" && i + 1 < argc) {
      scenarios = std::max(1, std::stoi(argv[++i]));
    } else if (arg == "--keep" && i + 1 < argc) {
      keep = argv[++i];
    } else {
      std::cerr << "usage: soak [--steps N] [--scenarios K] [--keep DIR]\n";
      return 2;
    }
  }
  const fs::path self_dir = fs::canonical("/proc/self/exe").parent_path();
  const fs::path work =
      keep.empty() ? fs::temp_directory_path() / fmt::format("uiw-soak-{}", ::getpid()) : keep;
  fs::remove_all(work);
  fs::create_directories(work);
  // One scenario of all the steps (one bundle that grows to 20,000 files), or the steps spread
  // over K scenarios run one after another, as a nightly run does.
  const int taps = std::max(1, steps / 2 / scenarios);
  fs::create_directories(work / "scenarios");
  for (int k = 0; k < scenarios; ++k) {
    std::ofstream(work / "scenarios" / fmt::format("soak-{:03}.yaml", k)) << fmt::format(
        "name: soak-{:03}\napp: com.uiw.test.news\nsteps:\n"
        "  - launch\n"
        "  - repeat:\n      times: {}\n      steps:\n"
        "        - tap: {{id: btn_settings}}\n"
        "        - back\n",
        k, taps);
  }
  const size_t total_steps = static_cast<size_t>(scenarios) * (1 + 2 * static_cast<size_t>(taps));
  // Bundles are RUN/<scenario>/<device>/: two folder levels, not the 20,000 frames below them.
  auto steps_done = [&](const fs::path& run_dir) {
    size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator scenario(run_dir, ec), end; !ec && scenario != end;
         scenario.increment(ec)) {
      std::error_code ec2;
      for (fs::directory_iterator bundle(scenario->path(), ec2); !ec2 && bundle != end;
           bundle.increment(ec2))
        n += lines_in(bundle->path() / "steps.jsonl");
    }
    return n;
  };

  const int adb_port = uiw::adb::SimProcess::pick_port();
  uiw::adb::AdbProcess().start_server(adb_port, uiw::adb::Deadline::after(20s));
  uiw::adb::AdbClient client(uiw::adb::ServerAddress::local(adb_port));
  // A small screen keeps 10,000 frames of evidence to a few hundred MB.
  uiw::harness::FarmConfig config;
  config.simulators.push_back({1,
                               {UIW_SOURCE_DIR "/fixtures/apps/test/e2e_news.yaml"},
                               {"--screen", "540x1200", "--density", "240"}});
  std::optional<uiw::harness::DeviceFarm> farm;
  farm.emplace(config, std::vector<std::string>{}, uiw::adb::ServerAddress::local(adb_port),
               std::cerr);
  const std::string serial = farm->devices().front().serial;

  const fs::path run_dir = work / "run";
  const std::vector<std::string> env = {"ANDROID_ADB_SERVER_PORT=" + std::to_string(adb_port),
                                        "OMP_THREAD_LIMIT=1"};
  uiw::bench::SpawnedProcess harness(
      {(self_dir / "uiwitness").string(), "run", (work / "scenarios").string(), "--device", serial,
       "--out", run_dir.string()},
      env, work / "run.log");
  const size_t warm_up_steps = std::max<size_t>(1, total_steps / 10);
  std::vector<ProcSample> after_warm_up;
  size_t done = 0;
  std::ofstream samples(work / "samples.tsv");
  samples << "seconds\tsteps\trss_mb\tfds\tchildren\n";
  const auto start = std::chrono::steady_clock::now();
  while (::kill(harness.pid(), 0) == 0) {
    const ProcSample s = uiw::bench::sample_proc(harness.pid());
    if (s.rss_mb == 0) break;  // exited between the check and the sample (a zombie has no RSS)
    done = steps_done(run_dir);
    samples << fmt::format(
                   "{:.0f}\t{}\t{:.1f}\t{}\t{}\n",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                   done, s.rss_mb, s.fds, s.children)
            << std::flush;
    // The steps only: writing the reports at the end is another phase with its own peak.
    if (done >= warm_up_steps && done < total_steps) after_warm_up.push_back(s);
    std::this_thread::sleep_for(2s);
  }
  const uiw::bench::ProcessUsage usage = harness.wait();
  done = steps_done(run_dir);
  const auto verified =
      uiw::adb::run_process((self_dir / "uiwitness").string(), {"verify", run_dir.string()}, {},
                            uiw::adb::Deadline::after(600s));
  farm.reset();
  client.kill_server(uiw::adb::Deadline::after(5s));

  // A device call holds a socket for a moment, and memory breathes with each frame: compare
  // the floor (descriptors, children) and the median (memory) of the first and last ten samples
  // after warm-up. A leak lifts both.
  const size_t window = std::min<size_t>(10, after_warm_up.size() / 2);
  auto summary = [&](size_t from) {
    std::vector<double> rss;
    ProcSample s{0, std::numeric_limits<int>::max(), std::numeric_limits<int>::max()};
    for (size_t i = from; i < from + window; ++i) {
      rss.push_back(after_warm_up[i].rss_mb);
      s.fds = std::min(s.fds, after_warm_up[i].fds);
      s.children = std::min(s.children, after_warm_up[i].children);
    }
    std::nth_element(rss.begin(), rss.begin() + rss.size() / 2, rss.end());
    s.rss_mb = rss[rss.size() / 2];
    return s;
  };
  const bool measured = window >= 3;
  const ProcSample first = measured ? summary(0) : ProcSample{};
  const ProcSample last = measured ? summary(after_warm_up.size() - window) : ProcSample{};
  const double growth = first.rss_mb > 0 ? 100.0 * (last.rss_mb - first.rss_mb) / first.rss_mb : 0;
  const int fd_growth = last.fds - first.fds;
  const bool ok = usage.exit_code == 0 && done == total_steps && verified.exit_code == 0 &&
                  measured && growth <= 5.0 && fd_growth <= 0 && last.children <= first.children;
  std::cout << fmt::format(
                   "# {} of {} steps in {:.0f} s ({:.0f} ms per step), exit {}, verify {}; "
                   "harness CPU {:.0f} s, peak RSS {:.0f} MB; samples: {}\n",
                   done, total_steps, usage.wall_s, 1000 * usage.wall_s / std::max<size_t>(1, done),
                   usage.exit_code, verified.exit_code, usage.cpu_s, usage.rss_mb,
                   (work / "samples.tsv").string())
            << fmt::format("bench soak_rss_growth_pct: ours={:.1f} baseline=5.0 ratio={:.2f}\n",
                           growth, growth > 0 ? 5.0 / growth : 0.0)
            << fmt::format("bench soak_rss_mb: ours={:.1f} baseline={:.1f} ratio={:.2f}\n",
                           last.rss_mb, first.rss_mb,
                           last.rss_mb > 0 ? first.rss_mb / last.rss_mb : 0.0)
            << fmt::format("bench soak_fd_growth: ours={} baseline=0 ratio=1.00\n", fd_growth)
            << fmt::format("bench soak_child_processes: ours={} baseline={} ratio=1.00\n",
                           last.children, first.children);
  if (!measured)
    std::cout << fmt::format(
        "soak: {} samples after warm-up, 6 needed to compare: run longer "
        "(--steps)\n",
        after_warm_up.size());
  if (!ok) std::cout << "soak: FAILED (see " << (work / "run.log").string() << ")\n";
  if (ok && keep.empty()) fs::remove_all(work);
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "soak: " << e.what() << '\n';
    return 3;
  }
}
