// uiwitness-widget-patches: the training examples of the selection widget classifier, cut from
// a labelled set of screens in COCO form (what uiwitness-synth writes: a box per drawn widget,
// its category naming kind and state). Every candidate box the runtime search finds on a screen
// becomes an example: labelled with the widget there when they overlap well, "none" when it
// overlaps no widget, left out in between. Each labelled widget also gives its own box and two
// shifted copies, so that the network learns widgets the search finds only roughly.
//
// Out: DIR/patches.u8 (N × 32 × 32 × 3 bytes, BGR) and DIR/patches.tsv (one line per patch:
// class index, class, image index, image, box, origin).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include "common/error.h"
#include "detectors/frame.h"
#include "detectors/image_file.h"
#include "detectors/selection_candidates.h"
#include "detectors/selection_widget_classifier.h"
#include "harness/coco_labels.h"

namespace {

using namespace uiw;
using namespace uiw::detectors;

struct Options {
  std::string coco;
  std::string out;
  double positive_iou = 0.45;
  double negative_iou = 0.15;
  unsigned seed = 1;
};

class PatchWriter {
 public:
  explicit PatchWriter(const std::filesystem::path& dir)
      : pixels_(dir / "patches.u8", std::ios::binary), index_(dir / "patches.tsv") {
    if (!pixels_ || !index_)
      throw Error(ErrorKind::kIo, fmt::format("cannot write patches in {}", dir.string()));
  }

  void add(const cv::Mat& bgr, const Rect& box, WidgetClass label, size_t image_index,
           const std::string& image, const char* origin) {
    const cv::Mat patch = widget_patch(bgr, box);
    pixels_.write(reinterpret_cast<const char*>(patch.data),
                  static_cast<std::streamsize>(patch.total() * patch.elemSize()));
    index_ << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", static_cast<int>(label), to_string(label),
                          image_index, image, box.to_bounds_string(), origin);
    ++counts_[static_cast<int>(label)];
  }

  void report(std::ostream& out) const {
    for (int c = 0; c < kWidgetClassCount; ++c)
      out << fmt::format("{:>14}: {}\n", to_string(static_cast<WidgetClass>(c)), counts_[c]);
  }

 private:
  std::ofstream pixels_;
  std::ofstream index_;
  int counts_[kWidgetClassCount] = {};
};

Rect shifted(const Rect& box, std::mt19937& rng) {
  std::uniform_real_distribution<double> move(-0.12, 0.12), grow(-0.1, 0.15);
  const double w = box.width(), h = box.height();
  const double dx = move(rng) * w, dy = move(rng) * h, g = grow(rng);
  return Rect{
      static_cast<int>(box.left + dx - g * w / 2), static_cast<int>(box.top + dy - g * h / 2),
      static_cast<int>(box.right + dx + g * w / 2), static_cast<int>(box.bottom + dy + g * h / 2)};
}

struct LabelledScreen {
  std::filesystem::path image;
  std::vector<std::pair<Rect, WidgetClass>> widgets;
};

// The screens of a COCO file with their widget boxes (other categories are not widgets).
std::vector<LabelledScreen> read_coco(const std::filesystem::path& file) {
  static const std::map<std::string, WidgetClass> kWidgetCategories = {
      {"switch_on", WidgetClass::kSwitchOn},
      {"switch_off", WidgetClass::kSwitchOff},
      {"checkbox_checked", WidgetClass::kCheckboxOn},
      {"checkbox_unchecked", WidgetClass::kCheckboxOff},
      {"radio_checked", WidgetClass::kRadioOn},
      {"radio_unchecked", WidgetClass::kRadioOff}};
  std::vector<LabelledScreen> screens;
  for (const harness::LabelledImage& image : harness::CocoLabels::load(file.string()).images) {
    LabelledScreen& screen = screens.emplace_back();
    screen.image = file.parent_path() / image.file_name;
    for (const auto& [category, boxes] : image.boxes)
      if (auto c = kWidgetCategories.find(category); c != kWidgetCategories.end())
        for (const Rect& box : boxes) screen.widgets.emplace_back(box, c->second);
  }
  return screens;
}

void cut_screen(const LabelledScreen& screen, size_t index, const Options& options,
                PatchWriter& writer, std::mt19937& rng) {
  Frame frame;
  frame.image = read_image_file(screen.image.string());
  frame.density_dpi = guess_density_dpi(frame.width(), frame.height());
  const cv::Mat bgr = as_bgr(frame.image);
  const std::string name = screen.image.filename().string();

  for (const Rect& box : SelectionCandidateSearch{}.find(bgr, frame.bounds(), frame.density_dpi)) {
    std::optional<WidgetClass> best;
    double best_iou = 0;
    for (const auto& [truth, label] : screen.widgets)
      if (const double v = iou(truth, box); v > best_iou) best_iou = v, best = label;
    if (best && best_iou >= options.positive_iou)
      writer.add(bgr, box, *best, index, name, "candidate");
    else if (best_iou < options.negative_iou)
      writer.add(bgr, box, WidgetClass::kNone, index, name, "candidate");
  }
  for (const auto& [truth, label] : screen.widgets) {
    writer.add(bgr, truth, label, index, name, "truth");
    for (int k = 0; k < 2; ++k) writer.add(bgr, shifted(truth, rng), label, index, name, "shifted");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App cli{"Cut the selection widget classifier's training patches from labelled screens."};
  cli.add_option("coco", options.coco,
                 "COCO labels of the screens (uiwitness-synth's labels.coco.json)")
      ->required();
  cli.add_option("--out", options.out, "output folder")->required();
  cli.add_option("--seed", options.seed, "seed of the shifted copies");
  CLI11_PARSE(cli, argc, argv);
  try {
    std::filesystem::create_directories(options.out);
    PatchWriter writer(options.out);
    std::mt19937 rng(options.seed);
    const std::vector<LabelledScreen> screens = read_coco(options.coco);
    for (size_t i = 0; i < screens.size(); ++i) cut_screen(screens[i], i, options, writer, rng);
    std::cout << fmt::format("{} screens cut into patches in {}\n", screens.size(), options.out);
    writer.report(std::cout);
  } catch (const std::exception& e) {
    std::cerr << "uiwitness-widget-patches: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
