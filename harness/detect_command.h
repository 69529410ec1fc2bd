#pragma once
// `uiwitness detect IMAGE [--tree XML] [--density DPI] [--json] [--annotate OUT.png]`: the
// static rules on one saved frame, e.g. a screenshot a reviewer was sent.
#include <iosfwd>
#include <optional>
#include <string>

namespace uiw::harness {

struct DetectOptions {
  std::string image;
  std::optional<std::string> tree;
  std::optional<int> density_dpi;  // guessed from the image size when absent
  bool json = false;
  std::optional<std::string> annotate;  // write the annotated frame here
  std::string profile = "miit-2023";
};

// Prints the findings; returns 1 when there are warnings or violations, else 0. Bad input
// throws uiw::Error (the CLI turns it into exit code 2).
int run_detect(const DetectOptions& options, std::ostream& out);

}  // namespace uiw::harness
