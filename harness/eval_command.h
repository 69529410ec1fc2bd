#pragma once
// `uiwitness eval --images DIR --labels FILE.coco.json [--json]`: the static rules,
// screenshot-only, on a labelled folder of real screens (e.g. AidUI's ContextDP), scored per
// rule family at image level and box level (IoU ≥ 0.5), with latency per frame.
//
// Families: NAGGING ← a pop-up surface or any POP-* finding (boxes: the pop-up surfaces);
// DEFAULT CHOICE ← CON-01 ∪ CON-02 (boxes: the checked control with its label, or the
// highlighted pair). Other label categories are reported as not covered. True positives are
// counted by what made them (the surface kind, the rule), and with `folds` the figures are
// given per fold (folds fixed by file name, see fold_of) with their mean and the worst fold.
#include <iosfwd>
#include <optional>
#include <string>

namespace uiw::harness {

struct EvalOptions {
  std::string images;
  std::string labels;
  bool json = false;
  std::string profile = "miit-2023";
  std::optional<int> density_dpi;  // guessed per image from its size when absent
  int limit = 0;                   // first N images only; 0 = all
  int folds = 0;                   // K-fold figures when ≥ 2
  bool verbose = false;            // one line per image
};

int run_eval(const EvalOptions& options, std::ostream& out);

}  // namespace uiw::harness
