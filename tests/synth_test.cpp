// uiwitness-synth as a user relies on it: a seed reproduces the same set byte for byte (whatever
// the thread count), another seed gives another set, every checkable view in a screen's dump has
// a widget box of the same state where it is drawn, labels lie inside their images, screen
// recordings carry their boxes into the canvas, and bad options are named.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <string>
#include <vector>

#include "adb/adb_process.h"
#include "detectors/ui_tree.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/synth/category.h"
#include "simdevice/synth/screen_synthesizer.h"
#include "simdevice/synth/synth_set_writer.h"
#include "tests/support/paths.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using uiw::detectors::Rect;
using uiw::detectors::UiNode;
using uiw::detectors::UiTree;
using uiw::sim::ScreenRenderer;
using uiw::sim::synth::ScreenSynthesizer;
using uiw::sim::synth::SynthSetOptions;
using uiw::sim::synth::write_synth_set;

constexpr int kScreens = 20;

const ScreenRenderer& renderer() {
  static const ScreenRenderer instance;
  return instance;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::path(testing::TempDir()) / ("synth-" + name);
  fs::remove_all(dir);
  return dir;
}

// Writes a set; recordings are made common so a small set has several.
fs::path write_set(const std::string& name, uint64_t seed, int jobs, int count = kScreens) {
  SynthSetOptions options;
  options.out = temp_dir(name);
  options.count = count;
  options.seed = seed;
  options.jobs = jobs;
  options.shares.recording = 0.3;
  write_synth_set(options, renderer());
  return options.out;
}

struct LabelledBox {
  std::string category;
  Rect box;
};

struct LabelledImage {
  std::string file_name;
  int width = 0;
  int height = 0;
  std::vector<LabelledBox> boxes;
};

std::vector<LabelledImage> read_labels(const fs::path& dir) {
  const nlohmann::json coco = nlohmann::json::parse(read_bytes(dir / "labels.coco.json"));
  std::map<int, std::string> categories;
  for (const auto& c : coco.at("categories")) categories[c.at("id")] = c.at("name");
  std::vector<LabelledImage> images;
  std::map<int, size_t> index;
  for (const auto& i : coco.at("images")) {
    index[i.at("id")] = images.size();
    images.push_back({i.at("file_name"), i.at("width"), i.at("height"), {}});
  }
  for (const auto& a : coco.at("annotations")) {
    const auto& b = a.at("bbox");
    const int x = b.at(0), y = b.at(1), w = b.at(2), h = b.at(3);
    images.at(index.at(a.at("image_id")))
        .boxes.push_back({categories.at(a.at("category_id")), Rect{x, y, x + w, y + h}});
  }
  return images;
}

fs::path dump_of(const fs::path& dir, const LabelledImage& image) {
  return (dir / image.file_name).replace_extension(".xml");
}

// The on and off category of each checkable view class.
struct WidgetCategories {
  std::string_view on, off;
};

WidgetCategories categories_of(const std::string& class_name) {
  namespace c = uiw::sim::synth::category;
  if (class_name == "android.widget.Switch") return {c::kSwitchOn, c::kSwitchOff};
  if (class_name == "android.widget.RadioButton") return {c::kRadioChecked, c::kRadioUnchecked};
  return {c::kCheckboxChecked, c::kCheckboxUnchecked};
}

bool is_widget_category(const std::string& name) {
  namespace c = uiw::sim::synth::category;
  for (std::string_view w : {c::kSwitchOn, c::kSwitchOff, c::kCheckboxChecked,
                             c::kCheckboxUnchecked, c::kRadioChecked, c::kRadioUnchecked}) {
    if (name == w) return true;
  }
  return false;
}

bool inside(const Rect& inner, const Rect& outer) {
  return inner.left >= outer.left && inner.top >= outer.top && inner.right <= outer.right &&
         inner.bottom <= outer.bottom;
}

struct LineFit {
  double scale = 0, offset = 0, worst_residual = 0;
};

// canvas = scale × phone + offset, least squares.
LineFit fit_line(const std::vector<std::pair<double, double>>& points) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& [x, y] : points) {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double n = static_cast<double>(points.size());
  LineFit fit;
  fit.scale = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  fit.offset = (sy - fit.scale * sx) / n;
  for (const auto& [x, y] : points) {
    fit.worst_residual = std::max(fit.worst_residual, std::abs(y - (fit.scale * x + fit.offset)));
  }
  return fit;
}

class SynthSet : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(write_set("shared", 17, 2, 30));
    labels_ = new std::vector<LabelledImage>(read_labels(*dir_));
  }
  static void TearDownTestSuite() {
    delete labels_;
    delete dir_;
  }

  static fs::path* dir_;
  static std::vector<LabelledImage>* labels_;
};

fs::path* SynthSet::dir_ = nullptr;
std::vector<LabelledImage>* SynthSet::labels_ = nullptr;

TEST(Synth, TheSameSeedWritesTheSameBytesWhateverTheThreadCount) {
  const fs::path a = write_set("same-a", 17, 1);
  const fs::path b = write_set("same-b", 17, 2);
  EXPECT_EQ(read_bytes(a / "labels.coco.json"), read_bytes(b / "labels.coco.json"));
  int files = 0;
  for (const auto& entry : fs::directory_iterator(a / "images")) {
    const fs::path twin = b / "images" / entry.path().filename();
    ASSERT_TRUE(fs::exists(twin)) << twin;
    EXPECT_EQ(read_bytes(entry.path()), read_bytes(twin)) << entry.path().filename();
    ++files;
  }
  EXPECT_EQ(files, 2 * kScreens);  // an image and its dump each
}

TEST(Synth, DifferentSeedsWriteDifferentSets) {
  const fs::path a = write_set("seed-17", 17, 2);
  const fs::path b = write_set("seed-18", 18, 2);
  EXPECT_NE(read_bytes(a / "labels.coco.json"), read_bytes(b / "labels.coco.json"));
  const auto la = read_labels(a), lb = read_labels(b);
  int differing = 0;
  for (size_t i = 0; i < la.size(); ++i) {
    differing += read_bytes(a / la[i].file_name) != read_bytes(b / lb[i].file_name);
  }
  EXPECT_GT(differing, kScreens * 9 / 10);
}

TEST_F(SynthSet, EveryImageHasItsSameNameDumpAndItsLabelsInside) {
  ASSERT_EQ(labels_->size(), 30u);
  for (const LabelledImage& image : *labels_) {
    SCOPED_TRACE(image.file_name);
    const cv::Mat pixels = cv::imread((*dir_ / image.file_name).string(), cv::IMREAD_COLOR);
    ASSERT_FALSE(pixels.empty());
    EXPECT_EQ(pixels.cols, image.width);
    EXPECT_EQ(pixels.rows, image.height);
    EXPECT_TRUE(fs::exists(dump_of(*dir_, image)));
    ASSERT_FALSE(image.boxes.empty());
    const Rect frame{0, 0, image.width, image.height};
    bool dark_pattern = false, no_dark_pattern = false;
    for (const LabelledBox& l : image.boxes) {
      EXPECT_FALSE(l.box.empty()) << l.category;
      EXPECT_TRUE(inside(l.box, frame)) << l.category << " " << l.box.to_bounds_string();
      dark_pattern |= l.category == "DEFAULT CHOICE" || l.category == "NAGGING";
      no_dark_pattern |= l.category == "NO DP";
    }
    EXPECT_NE(dark_pattern, no_dark_pattern) << "NO DP exactly on images without a dark pattern";
  }
}

TEST_F(SynthSet, EveryCheckableViewInTheDumpHasAWidgetBoxOfItsState) {
  int checked_views = 0, unchecked_views = 0;
  for (const LabelledImage& image : *labels_) {
    SCOPED_TRACE(image.file_name);
    const UiTree tree = UiTree::load(dump_of(*dir_, image).string());
    for (const UiNode* node : tree.find_all([](const UiNode& n) { return n.checkable; })) {
      const WidgetCategories wanted = categories_of(node->class_name);
      std::vector<std::string> found;
      for (const LabelledBox& l : image.boxes) {
        if (is_widget_category(l.category) &&
            node->bounds.contains(l.box.center_x(), l.box.center_y()))
          found.push_back(l.category);
      }
      // A trailing check (CheckedTextView) draws nothing when off, and nothing is boxed there.
      if (node->class_name == "android.widget.CheckedTextView" && !node->checked) {
        EXPECT_TRUE(found.empty()) << node->bounds.to_bounds_string();
        continue;
      }
      ASSERT_EQ(found.size(), 1u) << node->class_name << " " << node->bounds.to_bounds_string();
      EXPECT_EQ(found[0], node->checked ? wanted.on : wanted.off)
          << node->class_name << " " << node->bounds.to_bounds_string();
      (node->checked ? checked_views : unchecked_views)++;
    }
  }
  EXPECT_GT(checked_views, 10);
  EXPECT_GT(unchecked_views, 10);
}

TEST_F(SynthSet, AScreenRecordingCarriesItsBoxesIntoTheCanvas) {
  const ScreenSynthesizer synthesizer(renderer(), 17, {.jpeg = 0.5, .recording = 0.3});
  int recordings = 0;
  for (size_t i = 0; i < labels_->size(); ++i) {
    const LabelledImage& image = (*labels_)[i];
    if (image.width <= image.height) continue;  // phones are portrait, recordings landscape
    SCOPED_TRACE(image.file_name);
    ++recordings;
    const auto phone = synthesizer.build(static_cast<int>(i));
    ASSERT_EQ(phone.annotations.size(), image.boxes.size());
    // One scale and one offset take every phone box to its canvas box: fitted by least squares
    // on the box edges, each edge within 2 px of the fit.
    std::vector<std::pair<double, double>> xs, ys;  // (phone, canvas)
    for (size_t k = 0; k < image.boxes.size(); ++k) {
      EXPECT_EQ(image.boxes[k].category, phone.annotations[k].category);
      const Rect& p = phone.annotations[k].box;
      const Rect& c = image.boxes[k].box;
      xs.insert(xs.end(), {{p.left, c.left}, {p.right, c.right}});
      ys.insert(ys.end(), {{p.top, c.top}, {p.bottom, c.bottom}});
    }
    const LineFit fx = fit_line(xs), fy = fit_line(ys);
    EXPECT_LT(fx.scale, 1.0);
    EXPECT_NEAR(fx.scale, fy.scale, 0.01);
    EXPECT_TRUE(fx.offset > 0 || fy.offset > 0) << "boxes moved into the canvas";
    EXPECT_LE(fx.worst_residual, 2.0);
    EXPECT_LE(fy.worst_residual, 2.0);
  }
  EXPECT_GE(recordings, 3);
}

TEST(SynthCli, BadOptionsAreRefusedNamingTheOption) {
  const std::string out = temp_dir("cli").string();
  const auto run = [&](std::vector<std::string> args) {
    return uiw::adb::run_process(uiw::test::bin_path("uiwitness-synth"), args, {},
                                 uiw::adb::Deadline::after(60s));
  };
  const auto zero = run({"--out", out, "--count", "0", "--seed", "1"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--count"), std::string::npos) << zero.err;
  const auto share = run({"--out", out, "--count", "3", "--seed", "1", "--jpeg-share", "1.5"});
  EXPECT_EQ(share.exit_code, 2);
  EXPECT_NE(share.err.find("--jpeg-share"), std::string::npos) << share.err;
  const auto seed = run({"--out", out, "--count", "3", "--seed", "abc"});
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_NE(seed.err.find("--seed"), std::string::npos) << seed.err;
  const auto missing = run({"--count", "3", "--seed", "1"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--out"), std::string::npos) << missing.err;
  const auto ok = run({"--out", out, "--count", "3", "--seed", "1", "--quiet"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(fs::path(out) / "labels.coco.json"));
}

}  // namespace
