#pragma once
// `uiwitness detect IMAGE… [--tree XML | --tree-dir DIR] [--density DPI] [--json]
// [--annotate OUT.png]`: the static rules on saved frames, e.g. screenshots a reviewer was sent.
// An IMAGE that is a dump (.xml uiautomator, .json DroidBot state) is judged from its tree alone,
// on a blank frame as large as its windows reach.
// The rule profile and the OCR engines are loaded once for all images (process start and engine
// loading cost far more than checking one frame).
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace uiw::harness {

struct DetectOptions {
  std::vector<std::string> images;      // screenshots, or dumps judged without one
  std::optional<std::string> tree;      // one image only
  std::optional<std::string> tree_dir;  // IMAGE's tree: DIR/NAME.xml, else DIR/NAME.json
  std::optional<int> density_dpi;       // guessed from each image's size when absent
  bool json = false;                    // one image: an object; several: one object per line
  std::optional<std::string> annotate;  // one image only: write the annotated frame here
  std::string profile = "miit-2023";
};

// Prints the findings of each image as it is checked. Returns 1 when any image has warnings or
// violations, else 0; an image that cannot be read is reported on `err` with its name, the
// others are still checked, and the result is then 2. Bad options throw uiw::Error (kUsage).
int run_detect(const DetectOptions& options, std::ostream& out, std::ostream& err);

}  // namespace uiw::harness
