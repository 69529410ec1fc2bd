#include "harness/cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "adb/adb_client.h"
#include "common/error.h"
#include "detectors/ui_tree.h"
#include "harness/demo_command.h"
#include "harness/detect_command.h"
#include "harness/eval_command.h"
#include "harness/merge_command.h"
#include "harness/nightly_summary.h"
#include "harness/pair_eval.h"
#include "harness/report_command.h"
#include "harness/run_command.h"
#include "harness/tree_outline.h"

namespace uiw::harness {

int run_cli(int argc, char** argv) {
  CLI::App app{"uiwitness: drives Android apps over ADB and proves deceptive UI behaviour"};
  app.set_version_flag("--version", std::string("uiwitness ") + UIW_VERSION);
  app.require_subcommand(1);

  std::string tree_file;
  CLI::App* tree = app.add_subcommand("tree", "print a uiautomator dump as an indented outline");
  tree->add_option("DUMP", tree_file, "uiautomator XML file")->required();

  DetectOptions detect_opts;
  int detect_density = 0;
  CLI::App* detect = app.add_subcommand(
      "detect", "run the static rules (POP-01…04, POP-08, CON-01, CON-02) on screenshots");
  detect
      ->add_option("IMAGE", detect_opts.images,
                   "PNG or JPEG screenshots; a .xml or .json dump alone is judged from its tree")
      ->required();
  detect->add_option("--tree", detect_opts.tree,
                     "uiautomator dump (.xml) or DroidBot state (.json) of the same screen");
  detect->add_option("--tree-dir", detect_opts.tree_dir,
                     "folder of trees named like the images (NAME.xml or NAME.json)");
  detect->add_option("--density", detect_density, "screen density in dpi (default: from the size)");
  detect->add_flag("--json", detect_opts.json, "findings and observations as JSON");
  detect->add_option("--annotate", detect_opts.annotate, "write the annotated frame to this PNG");
  detect->add_option("--profile", detect_opts.profile, "rule profile name or YAML file")
      ->capture_default_str();

  EvalOptions eval_opts;
  int eval_density = 0;
  CLI::App* eval =
      app.add_subcommand("eval", "score the static rules on a COCO-labelled folder of screenshots");
  PairEvalOptions pair_opts;
  eval->add_option("--images", eval_opts.images, "folder of the images");
  eval->add_option("--labels", eval_opts.labels, "COCO JSON labels");
  eval->add_option("--folds", eval_opts.folds,
                   "K-fold figures: folds fixed by file name, mean and worst fold per family");
  eval->add_option("--pairs", pair_opts.dirs,
                   "folders of images with same-name .xml/.json trees: pixel elements vs the tree")
      ->excludes("--labels");
  eval->add_flag("--json", eval_opts.json, "figures and per-image predictions as JSON");
  eval->add_option("--profile", eval_opts.profile, "rule profile name or YAML file")
      ->capture_default_str();
  eval->add_option("--density", eval_density,
                   "density in dpi for every image (default: per image)");
  eval->add_option("--limit", eval_opts.limit, "first N images only");
  eval->add_flag("-v,--verbose", eval_opts.verbose, "one line per image");

  RunCommandOptions run_opts;
  std::string run_device, run_devices, run_out;
  std::vector<std::string> run_vars, run_consoles;
  double run_step_timeout_s = 10;
  CLI::App* run = app.add_subcommand("run", "run scenarios on devices and write the evidence");
  run->add_option("SCENARIO", run_opts.inputs, "scenario files or folders")->required();
  run->add_option("--device,-s", run_device, "device serial");
  run->add_option("--devices", run_devices, "several serials, comma-separated");
  run->add_option("--out,-o", run_out, "run directory (default uiwitness-runs/<time>)");
  run->add_option("--profile", run_opts.profile, "rule profile name or YAML file")
      ->capture_default_str();
  run->add_option("--var", run_vars, "K=V, overrides the scenario's vars");
  run->add_option("--console", run_consoles,
                  "SERIAL=HOST:PORT of an emulator console for motion (POP-09)");
  run->add_option("--step-timeout", run_step_timeout_s, "seconds, for steps without a timeout")
      ->capture_default_str();
  run->add_flag("--every-device", run_opts.every_device,
                "each scenario on each device (default: the next free device takes it)");
  run->add_flag("--json", run_opts.json, "print run.json instead of the summary");
  std::string run_shard, run_baseline, run_farm;
  run->add_option("--farm", run_farm,
                  "farm.yaml: emulators to boot, simulators, other hosts' adb servers");
  run->add_option("--attempts", run_opts.attempts,
                  "starts of one scenario before it is given up when devices fail")
      ->capture_default_str()
      ->check(CLI::Range(1, 10));
  run->add_option("--shard", run_shard, "K/N: run only the K-th of N slices of the scenarios");
  run->add_option("--baseline", run_baseline,
                  "an earlier run directory: print new, persisting and resolved findings");

  CLI::App* devices = app.add_subcommand("devices", "list the devices the adb server sees");

  SimCommandOptions sim_opts;
  CLI::App* sim = app.add_subcommand("sim", "start uiwitness-sim with the fixture apps");
  sim->add_option("--app", sim_opts.apps, "fixture app files or folders (default: the bundled)");
  sim->add_option("--port", sim_opts.port, "adb port (default: a free one)");
  sim->add_option("--console-port", sim_opts.console_port, "console port (default: port - 1)");

  std::string verify_dir;
  CLI::App* verify = app.add_subcommand("verify", "recompute every hash of a bundle or run");
  verify->add_option("DIR", verify_dir, "evidence bundle or run directory")->required();

  std::string report_dir;
  CLI::App* report =
      app.add_subcommand("report", "write run.json, junit.xml and report.html for a run");
  report->add_option("DIR", report_dir, "run directory")->required();

  std::vector<std::string> merge_inputs;
  std::string merge_out;
  CLI::App* merge = app.add_subcommand(
      "merge", "join the run directories of shards into one, then write its reports");
  merge->add_option("DIR", merge_inputs, "run directories (uiwitness run --shard K/N --out DIR)")
      ->required();
  merge->add_option("--out,-o", merge_out, "the merged run directory")->required();

  std::string summary_dir, summary_baseline;
  bool summary_json = false;
  CLI::App* summary = app.add_subcommand(
      "summary", "findings per rule and per app, and new / persisting / resolved vs a baseline");
  summary->add_option("RUN", summary_dir, "run directory")->required();
  summary->add_option("--baseline", summary_baseline, "an earlier run directory to compare with");
  summary->add_flag("--json", summary_json, "the summary as JSON (harness/RUN_JSON.md)");

  DemoOptions demo_opts;
  CLI::App* demo = app.add_subcommand("demo", "the example scenarios on a simulated device");
  demo->add_option("--scenarios", demo_opts.scenarios, "scenario folder");
  demo->add_option("--apps", demo_opts.apps, "fixture app folder");
  demo->add_option("--out,-o", demo_opts.out, "run directory");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (tree->parsed()) {
      std::cout << tree_outline(detectors::UiTree::load(tree_file));
      return 0;
    }
    if (detect->parsed()) {
      if (detect_density > 0) detect_opts.density_dpi = detect_density;
      return run_detect(detect_opts, std::cout, std::cerr);
    }
    if (run->parsed()) {
      if (!run_device.empty()) run_opts.devices.push_back(run_device);
      for (auto serial : CLI::detail::split(run_devices, ',')) {
        if (!serial.empty()) run_opts.devices.push_back(serial);
      }
      for (const auto& kv : run_vars) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos) throw Error(ErrorKind::kUsage, "--var wants K=V, not " + kv);
        run_opts.vars[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
      for (const auto& c : run_consoles) {
        const auto eq = c.find('=');
        const auto address = eq == std::string::npos
                                 ? std::nullopt
                                 : adb::ServerAddress::parse(std::string_view(c).substr(eq + 1));
        if (!address || c.find(':', eq) == std::string::npos) {
          throw Error(ErrorKind::kUsage, "--console wants SERIAL=HOST:PORT, not " + c);
        }
        run_opts.consoles[c.substr(0, eq)] = ConsoleAddress{address->host, address->port};
      }
      if (!run_farm.empty()) run_opts.farm = load_farm_config(run_farm);
      run_opts.out = run_out;
      run_opts.step_timeout =
          std::chrono::milliseconds(static_cast<long long>(run_step_timeout_s * 1000));
      run_opts.progress = isatty(STDOUT_FILENO) != 0;
      if (!run_shard.empty()) run_opts.shard = parse_shard(run_shard);
      if (!run_baseline.empty()) run_opts.baseline = run_baseline;
      return run_command(run_opts, std::cout, std::cerr);
    }
    if (devices->parsed()) {
      adb::AdbClient client;
      for (const auto& d : client.devices(adb::Deadline::after(std::chrono::seconds(10)))) {
        std::cout << fmt::format("{}\t{}{}\n", d.serial, d.state,
                                 d.model.empty() ? "" : "\tmodel:" + d.model);
      }
      return 0;
    }
    if (sim->parsed()) return run_sim(sim_opts, std::cout);
    if (verify->parsed()) return run_verify(verify_dir, std::cout);
    if (report->parsed()) return run_report_command(report_dir, std::cout);
    if (merge->parsed()) {
      return run_merge_command({merge_inputs.begin(), merge_inputs.end()}, merge_out, std::cout);
    }
    if (summary->parsed()) {
      std::optional<std::filesystem::path> baseline;
      if (!summary_baseline.empty()) baseline = summary_baseline;
      return run_summary_command(summary_dir, baseline, summary_json, std::cout);
    }
    if (demo->parsed()) {
      demo_opts.progress = isatty(STDOUT_FILENO) != 0;
      return run_demo(demo_opts, std::cout, std::cerr);
    }
    if (eval->parsed()) {
      if (eval_density > 0) eval_opts.density_dpi = pair_opts.density_dpi = eval_density;
      if (!pair_opts.dirs.empty()) {
        pair_opts.json = eval_opts.json;
        pair_opts.verbose = eval_opts.verbose;
        pair_opts.profile = eval_opts.profile;
        return run_pair_eval(pair_opts, std::cout);
      }
      if (eval_opts.images.empty() || eval_opts.labels.empty())
        throw Error(ErrorKind::kUsage, "eval needs --images DIR --labels FILE, or --pairs DIR");
      return run_eval(eval_opts, std::cout);
    }
  } catch (const Error& e) {
    std::cerr << "uiwitness: " << e.what() << '\n';
    switch (e.kind()) {
      case ErrorKind::kUsage:
      case ErrorKind::kConfig:
      case ErrorKind::kParse:
      case ErrorKind::kNotFound:
      case ErrorKind::kIo:
        return 2;
      default:
        return 3;
    }
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "uiwitness: " << e.what() << '\n';
    return 2;
  }
  return 2;
}

}  // namespace uiw::harness
