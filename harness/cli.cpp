#include "harness/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/error.h"
#include "detectors/ui_tree.h"
#include "harness/tree_outline.h"

namespace uiw::harness {

int run_cli(int argc, char** argv) {
  CLI::App app{"uiwitness: drives Android apps over ADB and proves deceptive UI behaviour"};
  app.set_version_flag("--version", std::string("uiwitness ") + UIW_VERSION);
  app.require_subcommand(1);

  std::string tree_file;
  CLI::App* tree = app.add_subcommand("tree", "print a uiautomator dump as an indented outline");
  tree->add_option("DUMP", tree_file, "uiautomator XML file")->required();

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
