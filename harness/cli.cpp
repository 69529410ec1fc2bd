#include "harness/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/error.h"
#include "detectors/ui_tree.h"
#include "harness/detect_command.h"
#include "harness/eval_command.h"
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
      "detect", "run the static rules (POP-01…04, POP-08, CON-01) on one screenshot");
  detect->add_option("IMAGE", detect_opts.image, "PNG or JPEG screenshot")->required();
  detect->add_option("--tree", detect_opts.tree, "uiautomator dump of the same screen");
  detect->add_option("--density", detect_density, "screen density in dpi (default: from the size)");
  detect->add_flag("--json", detect_opts.json, "findings and observations as JSON");
  detect->add_option("--annotate", detect_opts.annotate, "write the annotated frame to this PNG");
  detect->add_option("--profile", detect_opts.profile, "rule profile name or YAML file")
      ->capture_default_str();

  EvalOptions eval_opts;
  int eval_density = 0;
  CLI::App* eval =
      app.add_subcommand("eval", "score the static rules on a COCO-labelled folder of screenshots");
  eval->add_option("--images", eval_opts.images, "folder of the images")->required();
  eval->add_option("--labels", eval_opts.labels, "COCO JSON labels")->required();
  eval->add_flag("--json", eval_opts.json, "figures and per-image predictions as JSON");
  eval->add_option("--profile", eval_opts.profile, "rule profile name or YAML file")
      ->capture_default_str();
  eval->add_option("--density", eval_density,
                   "density in dpi for every image (default: per image)");
  eval->add_option("--limit", eval_opts.limit, "first N images only");
  eval->add_flag("-v,--verbose", eval_opts.verbose, "one line per image");

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
      return run_detect(detect_opts, std::cout);
    }
    if (eval->parsed()) {
      if (eval_density > 0) eval_opts.density_dpi = eval_density;
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
  }
  return 2;
}

}  // namespace uiw::harness
