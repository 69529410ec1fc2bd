#include "harness/run_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "adb/adb_client.h"
#include "adb/device.h"
#include "common/error.h"
#include "detectors/ocr_service.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "harness/evidence_bundle.h"
#include "harness/nightly_summary.h"
#include "harness/report_command.h"
#include "harness/run_report.h"
#include "harness/scenario_loader.h"

namespace uiw::harness {

namespace fs = std::filesystem;

namespace {

bool is_yaml(const fs::path& p) {
  return p.extension() == ".yaml" || p.extension() == ".yml";
}

struct Job {
  const Scenario* scenario;
  std::string serial;  // the device it must run on ("": any), then the one it ran on
  ScenarioResult result;
  fs::path bundle;
  bool taken = false;
};

// One device's share of the run: its scenarios one after another, each into its own bundle.
class DeviceWorker {
 public:
  DeviceWorker(adb::AdbClient& client, const RunCommandOptions& options,
               const detectors::RuleProfile& profile, const detectors::StaticRuleSet& rules,
               detectors::OcrService& ocr, const fs::path& run_dir, std::mutex& out_mutex,
               std::ostream& out)
      : client_(client),
        options_(options),
        profile_(profile),
        rules_(rules),
        ocr_(ocr),
        run_dir_(run_dir),
        out_mutex_(out_mutex),
        out_(out) {}

  // Runs jobs from `next` until it returns null.
  void run(const std::string& serial, const std::function<Job*()>& next) {
    adb::Device device(client_, serial);
    std::optional<adb::DeviceInfo> info;
    while (Job* job = next()) {
      job->serial = serial;
      run_one(device, info, *job);
      say(fmt::format("{:<8} {} on {} ({:.1f} s, {} finding{}){}", to_string(job->result.outcome),
                      job->scenario->name, job->serial, job->result.elapsed.count() / 1000.0,
                      job->result.findings.size(), job->result.findings.size() == 1 ? "" : "s",
                      job->result.error.empty() ? "" : ": " + job->result.error));
    }
  }

 private:
  void say(const std::string& line) {
    std::lock_guard lock(out_mutex_);
    out_ << line << '\n' << std::flush;
  }

  void run_one(adb::Device& device, std::optional<adb::DeviceInfo>& info, Job& job) {
    const Scenario& scenario = *job.scenario;
    BundleInfo bundle_info;
    bundle_info.scenario_name = scenario.name;
    bundle_info.scenario_file = scenario.file;
    bundle_info.device_serial = job.serial;
    bundle_info.app_package = scenario.app;
    bundle_info.tool_version = std::string("uiwitness ") + UIW_VERSION;
    bundle_info.started = iso8601_utc_now();
    job.bundle = bundle_dir(run_dir_, scenario.name, job.serial);

    // A device that is gone fails its remaining jobs at once, each with a bundle saying why.
    std::string health_error;
    try {
      if (!info) info = device.info(adb::Deadline::after(std::chrono::seconds(10)));
      if (!scenario.app.empty()) {
        if (auto v = device.package_version(scenario.app,
                                            adb::Deadline::after(std::chrono::seconds(10)))) {
          bundle_info.app_version = fmt::format("{} ({})", v->name, v->code);
        }
      }
    } catch (const Error& e) {
      health_error = e.what();
    }
    if (info) {
      bundle_info.device_model = info->model;
      bundle_info.device_sdk = info->sdk;
      bundle_info.device_release = info->release;
    }
    EvidenceBundle bundle = EvidenceBundle::create(job.bundle, bundle_info);
    if (!health_error.empty()) {
      job.result.outcome = ScenarioOutcome::kError;
      job.result.error = "device not usable: " + health_error;
      bundle.finish("error", job.result.error);
      return;
    }

    RunnerOptions runner_options;
    runner_options.step_timeout = options_.step_timeout;
    runner_options.progress = options_.progress;
    if (auto it = options_.consoles.find(job.serial); it != options_.consoles.end()) {
      runner_options.console = it->second;
    }
    ScenarioRunner runner(device, *info, profile_, rules_, &ocr_, bundle, runner_options, &out_);
    job.result = runner.run(scenario);
  }

  adb::AdbClient& client_;
  const RunCommandOptions& options_;
  const detectors::RuleProfile& profile_;
  const detectors::StaticRuleSet& rules_;
  detectors::OcrService& ocr_;
  fs::path run_dir_;
  std::mutex& out_mutex_;
  std::ostream& out_;
};

std::vector<std::string> choose_devices(adb::AdbClient& client, const RunCommandOptions& options) {
  std::vector<std::string> ready, listed;
  for (const auto& d : client.devices(adb::Deadline::after(std::chrono::seconds(10)))) {
    listed.push_back(d.serial + " (" + d.state + ")");
    if (d.state == "device") ready.push_back(d.serial);
  }
  std::vector<std::string> named = options.devices;
  if (const char* serial = std::getenv("ANDROID_SERIAL"); named.empty() && serial && *serial) {
    named = {serial};
  }
  // A serial the server does not know is a typo, not a device that died.
  for (const auto& serial : named) {
    if (std::find(ready.begin(), ready.end(), serial) == ready.end()) {
      throw Error(
          ErrorKind::kNotFound,
          fmt::format("device {} is not ready; adb devices lists: {}", serial,
                      listed.empty() ? "none" : fmt::format("{}", fmt::join(listed, ", "))));
    }
  }
  if (!named.empty()) return named;
  if (ready.empty()) {
    throw Error(ErrorKind::kDeviceOffline,
                "no device is connected (adb devices lists none ready); start one, e.g. "
                "`uiwitness sim`, or name one with --device");
  }
  if (ready.size() > 1) {
    throw Error(ErrorKind::kUsage,
                fmt::format("{} devices are connected ({}); choose with --device or --devices",
                            ready.size(), fmt::join(ready, ", ")));
  }
  return ready;
}

// "Rules found per app": one row per app, the rule IDs its scenarios produced.
void print_summary(const std::vector<Job>& jobs, std::ostream& out) {
  std::map<std::string, std::set<std::string>> rules_by_app;
  std::map<std::string, std::string> outcome_by_app;
  for (const Job& job : jobs) {
    const std::string app = job.scenario->app.empty() ? job.scenario->name : job.scenario->app;
    auto& rules = rules_by_app[app];
    for (const auto& f : job.result.findings) rules.insert(f.rule);
    auto& outcome = outcome_by_app[app];
    if (job.result.outcome == ScenarioOutcome::kError) {
      outcome = "error";
    } else if (!job.result.error.empty() && outcome != "error") {
      outcome = "failed";
    }
  }
  size_t width = 3;
  for (const auto& [app, _] : rules_by_app) width = std::max(width, app.size());
  out << fmt::format("\n{:<{}}  {}\n", "app", width, "rules found");
  for (const auto& [app, rules] : rules_by_app) {
    std::string cell = rules.empty() ? "—" : fmt::format("{}", fmt::join(rules, " "));
    if (!outcome_by_app[app].empty()) cell += " (" + outcome_by_app[app] + ")";
    out << fmt::format("{:<{}}  {}\n", app, width, cell);
  }
}

}  // namespace

std::string run_stamp() {
  const std::string iso = iso8601_utc_now();  // 2024-05-01T09:30:12.345Z
  std::string out;
  for (char c : iso.substr(0, 19)) {
    if (c != '-' && c != ':') out += c == 'T' ? '-' : c;
  }
  return out;
}

std::vector<fs::path> scenario_files(const std::vector<std::string>& inputs) {
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    const fs::path path(input);
    if (!fs::exists(path)) {
      throw Error(ErrorKind::kNotFound, fmt::format("{}: no such scenario file or folder", input));
    }
    if (!fs::is_directory(path)) {
      files.push_back(path);
      continue;
    }
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(path); it != fs::recursive_directory_iterator();
         ++it) {
      if (it->is_directory() && it->path().filename() == "flows") {
        it.disable_recursion_pending();
      } else if (it->is_regular_file() && is_yaml(it->path())) {
        found.push_back(it->path());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (files.empty()) throw Error(ErrorKind::kConfig, "no scenario files (*.yaml) found");
  return files;
}

int run_command(const RunCommandOptions& options, std::ostream& out, std::ostream& err) {
  // Every scenario loads before a device is touched: a typo in the tenth file is exit 2 now,
  // not an hour into a run.
  std::vector<Scenario> scenarios;
  for (const auto& file : scenario_files(options.inputs)) {
    scenarios.push_back(load_scenario(file.string(), options.vars));
  }
  // --shard K/N keeps this worker's slice, chosen after every file loaded so each shard rejects
  // a broken scenario alike. Keyed by scenario name + file name: the same on every machine,
  // whatever the checkout path or listing order (harness/shard.h).
  std::ostream& progress = options.json ? err : out;
  if (options.shard) {
    std::vector<std::string> keys;
    for (const auto& s : scenarios)
      keys.push_back(s.name + '\n' + fs::path(s.file).filename().string());
    std::vector<Scenario> mine;
    for (size_t i : shard_indices(keys, options.shard->k, options.shard->n))
      mine.push_back(std::move(scenarios[i]));
    progress << fmt::format("shard {}: {} of {} scenario(s)\n", options.shard->to_string(),
                            mine.size(), scenarios.size());
    scenarios = std::move(mine);
  }
  // The baseline is read at the end, but a wrong path is a usage error now, not after the run.
  if (options.baseline) (void)read_run_with_bundles(*options.baseline);
  const auto profile = detectors::RuleProfile::find(options.profile);
  if (scenarios.empty()) {
    // More shards than scenarios leave this worker nothing to do: not a failure, and an empty
    // run directory for `uiwitness merge`.
    if (!options.out.empty()) fs::create_directories(options.out);
    progress << "nothing to run in this shard\n";
    return 0;
  }

  adb::AdbClient client(options.adb_server.value_or(adb::ServerAddress::from_environment()));
  const std::vector<std::string> serials = choose_devices(client, options);
  const fs::path run_dir =
      options.out.empty() ? fs::path("uiwitness-runs") / run_stamp() : options.out;
  fs::create_directories(run_dir);

  detectors::OcrService ocr(serials.size());
  const detectors::StaticRuleSet rules(profile, &ocr);

  // One queue: a device that is free takes the next scenario (every scenario on every device
  // with --every-device).
  std::vector<Job> jobs;
  const size_t copies = options.every_device ? serials.size() : 1;
  for (size_t c = 0; c < copies; ++c) {
    for (const auto& scenario : scenarios) {
      jobs.push_back(Job{&scenario, options.every_device ? serials[c] : "", {}, {}, false});
    }
  }
  std::mutex queue_mutex;
  std::mutex out_mutex;
  progress << fmt::format("uiwitness run: {} scenario{} on {} → {}\n", scenarios.size(),
                          scenarios.size() == 1 ? "" : "s", fmt::join(serials, ", "),
                          run_dir.string());
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> failures(serials.size());
  for (size_t d = 0; d < serials.size(); ++d) {
    auto next = [&, d]() -> Job* {
      std::lock_guard lock(queue_mutex);
      for (auto& job : jobs) {
        if (!job.taken && (job.serial.empty() || job.serial == serials[d])) {
          job.taken = true;
          return &job;
        }
      }
      return nullptr;
    };
    threads.emplace_back([&, d, next] {
      try {
        DeviceWorker(client, options, profile, rules, ocr, run_dir, out_mutex, progress)
            .run(serials[d], next);
      } catch (...) {
        failures[d] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }

  std::ostringstream report_log;
  const int report_code = run_report_command(run_dir, report_log);
  if (options.json) {
    std::ifstream run_json(run_dir / "run.json");
    out << run_json.rdbuf();
  } else {
    print_summary(jobs, out);
    out << fmt::format("\nevidence: {}\nreport:   {}\n", run_dir.string(),
                       (run_dir / "report.html").string());
  }

  // The nightly summary against --baseline.
  if (options.baseline) {
    const RunSummary tonight = read_run(run_dir);
    const RunSummary before = read_run_with_bundles(*options.baseline);
    progress << '\n';
    print_nightly_summary(summarise(tonight, &before), progress);
  }

  int code = 0;
  for (const Job& job : jobs) code = std::max(code, job.result.exit_code());
  return std::max(code, report_code == 3 ? 3 : report_code);
}

}  // namespace uiw::harness
