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
#include "harness/device_farm.h"
#include "harness/evidence_bundle.h"
#include "harness/job_queue.h"
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

// One scenario job of the run and every attempt at it: the last attempt is its result.
struct JobRecord {
  const Scenario* scenario = nullptr;
  struct Run {
    fs::path bundle;
    ScenarioResult result;
  };
  std::vector<Run> runs;
  std::string given_up;  // why the job ended without a result of its own

  ScenarioResult result() const {
    if (!runs.empty()) return runs.back().result;
    ScenarioResult r;
    r.outcome = ScenarioOutcome::kError;
    r.error = given_up;
    return r;
  }
};

// Why the device cannot take a job, or "" when it can: it answers and has finished booting.
std::string health_problem(adb::Device& device) {
  try {
    const std::string booted =
        device.getprop("sys.boot_completed", adb::Deadline::after(std::chrono::seconds(10)));
    return booted == "1" ? std::string() : "it has not finished booting (sys.boot_completed)";
  } catch (const Error& e) {
    return e.what();
  }
}

// One device's share of the run: jobs from the queue one after another, each into its own
// bundle, until the queue has nothing more for it or the device fails its health check.
class DeviceWorker {
 public:
  DeviceWorker(const FarmDevice& farm_device, adb::AdbClient& client,
               const RunCommandOptions& options, const detectors::RuleProfile& profile,
               const detectors::StaticRuleSet& rules, detectors::OcrService& ocr,
               const fs::path& run_dir, std::mutex& out_mutex, std::ostream& out)
      : farm_device_(farm_device),
        device_(client, farm_device.serial),
        options_(options),
        profile_(profile),
        rules_(rules),
        ocr_(ocr),
        run_dir_(run_dir),
        out_mutex_(out_mutex),
        out_(out) {}

  void run(JobQueue& queue, std::vector<JobRecord>& records) {
    const std::string& name = farm_device_.name;
    while (const auto index = queue.take(name)) {
      if (std::string problem = health_problem(device_); !problem.empty()) {
        queue.put_back(*index);
        queue.quarantine(name, problem);
        say(fmt::format("device  {} taken out of service: {}", name, problem));
        return;
      }
      JobRecord& job = records[*index];
      try {
        run_one(job);
      } catch (const std::exception& e) {
        // Not the device's fault (a full disk, a bug): the job ends here with the error, so no
        // other worker waits for it, and the run stops once every worker has.
        if (job.runs.empty()) job.runs.emplace_back();
        job.runs.back().result.outcome = ScenarioOutcome::kError;
        job.runs.back().result.error = e.what();
        queue.done(*index);
        throw;
      }
      const JobRecord::Run& run = job.runs.back();
      say(fmt::format("{:<8} {} on {} ({:.1f} s, {} finding{}){}", to_string(run.result.outcome),
                      job.scenario->name, name, run.result.elapsed.count() / 1000.0,
                      run.result.findings.size(), run.result.findings.size() == 1 ? "" : "s",
                      run.result.error.empty() ? "" : ": " + run.result.error));
      if (run.result.outcome != ScenarioOutcome::kError) {
        queue.done(*index);
        continue;
      }
      // An infrastructure error: another device gets the job, and a device that no longer
      // answers gets no more.
      const std::string problem = health_problem(device_);
      if (!problem.empty()) queue.quarantine(name, problem);
      if (queue.retry(*index, run.result.error)) {
        say(fmt::format("retry    {} goes to another device (attempt {} failed on {})",
                        job.scenario->name, job.runs.size(), name));
      }
      if (!problem.empty()) {
        say(fmt::format("device  {} taken out of service: {}", name, problem));
        return;
      }
    }
  }

 private:
  void say(const std::string& line) {
    std::lock_guard lock(out_mutex_);
    out_ << line << '\n' << std::flush;
  }

  void run_one(JobRecord& job) {
    const Scenario& scenario = *job.scenario;
    BundleInfo bundle_info;
    bundle_info.scenario_name = scenario.name;
    bundle_info.scenario_file = scenario.file;
    bundle_info.device_serial = farm_device_.name;
    bundle_info.app_package = scenario.app;
    bundle_info.tool_version = std::string("uiwitness ") + UIW_VERSION;
    bundle_info.started = iso8601_utc_now();
    bundle_info.attempt = static_cast<int>(job.runs.size()) + 1;
    for (const auto& earlier : job.runs)
      bundle_info.retry_of.push_back(earlier.bundle.lexically_relative(run_dir_).generic_string());
    JobRecord::Run& run = job.runs.emplace_back();
    run.bundle = unused_dir(bundle_dir(run_dir_, scenario.name, farm_device_.name));

    std::string health_error;
    try {
      if (!info_) info_ = device_.info(adb::Deadline::after(std::chrono::seconds(10)));
      if (!scenario.app.empty()) {
        if (auto v = device_.package_version(scenario.app,
                                             adb::Deadline::after(std::chrono::seconds(10)))) {
          bundle_info.app_version = fmt::format("{} ({})", v->name, v->code);
        }
      }
    } catch (const Error& e) {
      health_error = e.what();
    }
    if (info_) {
      bundle_info.device_model = info_->model;
      bundle_info.device_sdk = info_->sdk;
      bundle_info.device_release = info_->release;
    }
    EvidenceBundle bundle = EvidenceBundle::create(run.bundle, bundle_info);
    if (!health_error.empty()) {
      run.result.outcome = ScenarioOutcome::kError;
      run.result.error = "device not usable: " + health_error;
      bundle.finish("error", run.result.error);
      return;
    }

    RunnerOptions runner_options;
    runner_options.step_timeout = options_.step_timeout;
    runner_options.progress = options_.progress;
    runner_options.console = farm_device_.console;
    ScenarioRunner runner(device_, *info_, profile_, rules_, &ocr_, bundle, runner_options, &out_);
    run.result = runner.run(scenario);
  }

  // A job retried on a device it already ran on (a flaky device that still answers) keeps both
  // bundles: the second gets "-2".
  static fs::path unused_dir(const fs::path& dir) {
    fs::path candidate = dir;
    for (int n = 2; fs::exists(candidate); ++n)
      candidate = dir.parent_path() / fmt::format("{}-{}", dir.filename().string(), n);
    return candidate;
  }

  const FarmDevice& farm_device_;
  adb::Device device_;
  std::optional<adb::DeviceInfo> info_;
  const RunCommandOptions& options_;
  const detectors::RuleProfile& profile_;
  const detectors::StaticRuleSet& rules_;
  detectors::OcrService& ocr_;
  fs::path run_dir_;
  std::mutex& out_mutex_;
  std::ostream& out_;
};

// Serials to run on when neither --devices nor a farm names any: $ANDROID_SERIAL, else the only
// ready device.
std::vector<std::string> default_serials(const RunCommandOptions& options) {
  if (!options.devices.empty() || options.farm) return options.devices;
  if (const std::string serial = adb::serial_from_environment(); !serial.empty()) return {serial};
  adb::AdbClient client(options.adb_server.value_or(adb::ServerAddress::from_environment()));
  std::vector<std::string> ready;
  for (const auto& d : client.devices(adb::Deadline::after(std::chrono::seconds(10))))
    if (d.state == "device") ready.push_back(d.serial);
  if (ready.empty()) {
    throw Error(ErrorKind::kDeviceOffline,
                "no device is connected (adb devices lists none ready); start one, e.g. "
                "`uiwitness sim`, or name one with --device");
  }
  if (ready.size() > 1) {
    throw Error(ErrorKind::kUsage,
                fmt::format("{} devices are connected ({}); choose with --device, --devices or "
                            "--farm",
                            ready.size(), fmt::join(ready, ", ")));
  }
  return ready;
}

// A job that never ran (every device that could run it was taken out of service) still gets a
// bundle saying so: the reports list every job.
void record_not_run(const fs::path& run_dir, JobRecord& job, const std::string& device) {
  BundleInfo info;
  info.scenario_name = job.scenario->name;
  info.scenario_file = job.scenario->file;
  info.device_serial = device.empty() ? "no-device" : device;
  info.app_package = job.scenario->app;
  info.tool_version = std::string("uiwitness ") + UIW_VERSION;
  info.started = iso8601_utc_now();
  EvidenceBundle bundle =
      EvidenceBundle::create(bundle_dir(run_dir, job.scenario->name, info.device_serial), info);
  bundle.finish("error", job.given_up);
}

// "Rules found per app": one row per app, the rule IDs its scenarios produced.
void print_summary(const std::vector<JobRecord>& jobs, std::ostream& out) {
  std::map<std::string, std::set<std::string>> rules_by_app;
  std::map<std::string, std::string> outcome_by_app;
  for (const JobRecord& job : jobs) {
    const std::string app = job.scenario->app.empty() ? job.scenario->name : job.scenario->app;
    const ScenarioResult result = job.result();
    auto& rules = rules_by_app[app];
    for (const auto& f : result.findings) rules.insert(f.rule);
    auto& outcome = outcome_by_app[app];
    if (result.outcome == ScenarioOutcome::kError) {
      outcome = "error";
    } else if (!result.error.empty() && outcome != "error") {
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

  DeviceFarm farm(options.farm, default_serials(options),
                  options.adb_server.value_or(adb::ServerAddress::from_environment()), progress);
  std::vector<FarmDevice> devices = farm.devices();
  for (FarmDevice& d : devices) {
    if (auto it = options.consoles.find(d.name); it != options.consoles.end())
      d.console = it->second;
  }
  std::vector<std::string> names;
  for (const FarmDevice& d : devices) names.push_back(d.name);
  const fs::path run_dir =
      options.out.empty() ? fs::path("uiwitness-runs") / run_stamp() : options.out;
  fs::create_directories(run_dir);

  // Engines are shared by the device workers. Recognition is CPU-bound, so more engines than
  // cores only costs memory: each holds chi_sim and eng+chi_sim, 126 MB resident (bench
  // detect_latency), and three keep the pool within the 400 MB the detectors promise.
  constexpr size_t kMaxDefaultEngines = 3;
  const size_t cores = std::max(1U, std::thread::hardware_concurrency());
  const size_t engines = options.farm && options.farm->ocr_engines
                             ? static_cast<size_t>(*options.farm->ocr_engines)
                             : std::min({devices.size(), cores, kMaxDefaultEngines});
  detectors::OcrService ocr(engines);
  const detectors::StaticRuleSet rules(profile, &ocr);

  // One queue: a device that is free takes the next scenario (every scenario on every device
  // with --every-device).
  std::vector<JobRecord> records;
  std::vector<QueuedJob> queued;
  const size_t copies = options.every_device ? devices.size() : 1;
  for (size_t c = 0; c < copies; ++c) {
    for (size_t i = 0; i < scenarios.size(); ++i) {
      records.push_back(JobRecord{&scenarios[i], {}, {}});
      queued.push_back(
          QueuedJob{i, options.every_device ? names[c] : "", JobState::kWaiting, {}, {}});
    }
  }
  JobQueue queue(std::move(queued), names,
                 options.farm ? options.farm->attempts : options.attempts);
  std::mutex out_mutex;
  progress << fmt::format("uiwitness run: {} scenario{} on {} device{} ({}) → {}\n",
                          scenarios.size(), scenarios.size() == 1 ? "" : "s", devices.size(),
                          devices.size() == 1 ? "" : "s", fmt::join(names, ", "), run_dir.string());
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> failures(devices.size());
  for (size_t d = 0; d < devices.size(); ++d) {
    threads.emplace_back([&, d] {
      try {
        DeviceWorker(devices[d], farm.client(devices[d]), options, profile, rules, ocr, run_dir,
                     out_mutex, progress)
            .run(queue, records);
      } catch (...) {
        // A bug or a full disk, not a device failure: the device takes no more jobs and the
        // error is raised once every worker stopped.
        failures[d] = std::current_exception();
        queue.quarantine(names[d], "its worker failed");
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  const auto final_jobs = queue.jobs();
  for (size_t i = 0; i < records.size(); ++i) {
    if (final_jobs[i].state != JobState::kGivenUp) continue;
    JobRecord& job = records[i];
    if (job.runs.empty()) {
      job.given_up = final_jobs[i].reason;
      record_not_run(run_dir, job, final_jobs[i].pinned);
    }
    progress << fmt::format("given up {}: {}\n", job.scenario->name, final_jobs[i].reason);
  }

  std::ostringstream report_log;
  const int report_code = run_report_command(run_dir, report_log);
  if (options.json) {
    std::ifstream run_json(run_dir / "run.json");
    out << run_json.rdbuf();
  } else {
    print_summary(records, out);
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
  for (const JobRecord& job : records) code = std::max(code, job.result().exit_code());
  return std::max(code, report_code == 3 ? 3 : report_code);
}

}  // namespace uiw::harness
