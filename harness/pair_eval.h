#pragma once
// `uiwitness eval --pairs DIR`: the pixel element layer measured against the tree. Every image
// in DIR (recursively) with a same-name uiautomator `.xml` dump or DroidBot state `.json` labels
// itself: the tree says which selection widgets are there and whether each is on, whether a
// dialog window is up and where close controls are. The pixels are searched without the tree
// and the two element lists are compared, per kind.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace uiw::harness {

struct PairEvalOptions {
  std::vector<std::string> dirs;
  bool json = false;
  std::string profile = "miit-2023";
  std::optional<int> density_dpi;  // guessed per image from its size when absent
  bool verbose = false;            // every element that disagrees
};

int run_pair_eval(const PairEvalOptions& options, std::ostream& out);

}  // namespace uiw::harness
