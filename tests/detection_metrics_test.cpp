// The figures `uiwitness eval` reports: image- and box-level counts, percentiles, COCO labels,
// and the command itself on a labelled folder.
#include "harness/detection_metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "adb/adb_process.h"
#include "common/error.h"
#include "harness/coco_labels.h"
#include "tests/support/paths.h"

namespace uiw::harness {
namespace {

using detectors::Rect;

TEST(DetectionMetricsTest, ImageLevelCounts) {
  Counts c;
  c += image_level(true, true);
  c += image_level(true, false);
  c += image_level(false, true);
  c += image_level(false, false);
  EXPECT_EQ(c.tp, 1);
  EXPECT_EQ(c.fp, 1);
  EXPECT_EQ(c.fn, 1);
  EXPECT_DOUBLE_EQ(c.precision(), 0.5);
  EXPECT_DOUBLE_EQ(c.recall(), 0.5);
  EXPECT_DOUBLE_EQ(c.f1(), 0.5);
  EXPECT_EQ(Counts{}.f1(), 0);
}

TEST(DetectionMetricsTest, BoxesMatchOneToOneAtIouHalf) {
  const std::vector<Rect> truth = {{0, 0, 100, 100}, {200, 200, 300, 300}};
  // Two predictions on the first box (only one counts), one that overlaps the second too little.
  const std::vector<Rect> pred = {{0, 0, 100, 100}, {5, 5, 100, 100}, {250, 250, 350, 350}};
  const Counts c = box_level(pred, truth);
  EXPECT_EQ(c.tp, 1);
  EXPECT_EQ(c.fp, 2);
  EXPECT_EQ(c.fn, 1);
}

TEST(DetectionMetricsTest, Percentiles) {
  EXPECT_EQ(percentile({}, 50), 0);
  EXPECT_EQ(percentile({5, 1, 3}, 50), 3);
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(percentile(v, 95), 95);
  EXPECT_EQ(percentile(v, 100), 100);
}

TEST(DetectionMetricsTest, FoldsAreFixedByTheFileNameAlone) {
  // FNV-1a of "a" is 0xe40c292c; the folder does not count, so a relabelled copy keeps its folds.
  EXPECT_EQ(fold_of("a", 1000), static_cast<int>(0xe40c292cu % 1000));
  EXPECT_EQ(fold_of("images/123_abc.jpg", 5), fold_of("123_abc.jpg", 5));
  EXPECT_EQ(fold_of("other/dir/123_abc.jpg", 5), fold_of("123_abc.jpg", 5));
  std::map<int, int> sizes;
  for (int i = 0; i < 500; ++i) ++sizes[fold_of(std::to_string(i) + ".jpg", 5)];
  ASSERT_EQ(sizes.size(), 5u);
  for (const auto& [fold, n] : sizes) EXPECT_GT(n, 60) << "fold " << fold;
}

TEST(CocoLabelsTest, LoadsBoxesPerCategoryAndRejectsBrokenFiles) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string good = (dir / "uiw-labels.json").string();
  std::ofstream(good) << R"({"images": [{"id": 1, "file_name": "images/a.jpg", "width": 1080,
      "height": 1920}, {"id": 2, "file_name": "images/b.jpg"}],
    "categories": [{"id": 0, "name": "NO DP"}, {"id": 2, "name": "NAGGING"}],
    "annotations": [{"id": 7, "image_id": 1, "category_id": 2, "bbox": [10, 20, 100, 50]}]})";
  const CocoLabels labels = CocoLabels::load(good);
  ASSERT_EQ(labels.images.size(), 2u);
  EXPECT_EQ(labels.categories, (std::vector<std::string>{"NO DP", "NAGGING"}));
  ASSERT_EQ(labels.images[0].boxes.at("NAGGING").size(), 1u);
  EXPECT_EQ(labels.images[0].boxes.at("NAGGING")[0], (Rect{10, 20, 110, 70}));
  EXPECT_TRUE(labels.images[1].boxes.empty());

  const std::string bad = (dir / "uiw-labels-bad.json").string();
  std::ofstream(bad) << R"({"images": [], "categories": [], "annotations": [{"image_id": 3,
      "category_id": 1, "bbox": [0, 0, 1, 1]}]})";
  try {
    CocoLabels::load(bad);
    ADD_FAILURE() << "dangling annotation accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("uiw-labels-bad.json"), std::string::npos);
  }
  std::ofstream(bad) << "{not json";
  EXPECT_THROW(CocoLabels::load(bad), Error);
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
}

// `uiwitness eval` on a COCO-labelled folder of real screenshots (the AidUI copies kept in
// fixtures, with their labels): per family, the counts agree with the per-image predictions
// and labels, the full-screen ads are found and the plain picker is not, and the region OCR
// each frame cost is reported.
TEST(EvalCommandTest, ScoresALabelledFolderAndSaysWhatOcrCost) {
  using namespace std::chrono_literals;
  const std::string images = test::source_path("fixtures/recorded/aidui");
  const std::string labels = images + "/labels.coco.json";
  const adb::ProcessResult r =
      adb::run_process(test::bin_path("uiwitness"),
                       {"eval", "--images", images, "--labels", labels, "--json", "--folds", "2"},
                       {"OMP_THREAD_LIMIT=1"}, adb::Deadline::after(300s));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const CocoLabels truth = CocoLabels::load(labels);
  ASSERT_EQ(j["images"].get<size_t>(), truth.images.size());
  std::map<std::string, bool> nagging;
  size_t reads = 0;
  for (const auto& row : j["per_image"]) {
    nagging[row["image"].get<std::string>()] = row["NAGGING"]["predicted"].get<bool>();
    reads += row["ocr_reads"].get<size_t>();
    EXPECT_LE(row["ocr_ms"].get<double>(), row["ms"].get<double>()) << row["image"];
  }
  for (const char* family : {"NAGGING", "DEFAULT CHOICE"}) {
    SCOPED_TRACE(family);
    size_t labelled = 0, predicted = 0;
    for (const auto& li : truth.images) labelled += li.boxes.count(family);
    for (const auto& row : j["per_image"]) predicted += row[family]["predicted"].get<bool>();
    const auto& counts = j["families"][family]["image"];
    EXPECT_EQ(counts["tp"].get<size_t>() + counts["fn"].get<size_t>(), labelled);
    EXPECT_EQ(counts["tp"].get<size_t>() + counts["fp"].get<size_t>(), predicted);
  }
  EXPECT_TRUE(nagging.at("images/wish-install-interstitial.jpg"));
  EXPECT_TRUE(nagging.at("images/starmaker-splash-skip.jpg"));
  EXPECT_FALSE(nagging.at("images/select-location-dialog.jpg"));
  EXPECT_GT(reads, 0u);
  EXPECT_DOUBLE_EQ(j["ocr"]["reads_per_frame"].get<double>(),
                   static_cast<double>(reads) / truth.images.size());
  EXPECT_EQ(j["not_covered"].size(), 3u) << j["not_covered"].dump();

  // Two folds by file name: each image in the fold its name gives, the folds adding up to the
  // whole, the mean and the worst fold taken from them, and each true positive's rule named.
  for (const auto& row : j["per_image"])
    EXPECT_EQ(row["fold"].get<int>(), fold_of(row["image"].get<std::string>(), 2)) << row["image"];
  for (const char* family : {"NAGGING", "DEFAULT CHOICE"}) {
    SCOPED_TRACE(family);
    const auto& f = j["families"][family];
    int tp = 0, fp = 0, fn = 0;
    double f1_sum = 0, worst = 2;
    for (const auto& fold : f["folds"]["per_fold"]) {
      tp += fold["image"]["tp"].get<int>();
      fp += fold["image"]["fp"].get<int>();
      fn += fold["image"]["fn"].get<int>();
      f1_sum += fold["image"]["f1"].get<double>();
      worst = std::min(worst, fold["image"]["f1"].get<double>());
    }
    EXPECT_EQ(tp, f["image"]["tp"].get<int>());
    EXPECT_EQ(fp, f["image"]["fp"].get<int>());
    EXPECT_EQ(fn, f["image"]["fn"].get<int>());
    EXPECT_DOUBLE_EQ(f["folds"]["mean_f1"].get<double>(), f1_sum / 2);
    EXPECT_DOUBLE_EQ(f["folds"]["worst_f1"].get<double>(), worst);
    int by_rule = 0;
    for (const auto& [source, n] : f["true_positives_by"].items()) by_rule += n.get<int>();
    EXPECT_GE(by_rule, f["image"]["tp"].get<int>()) << "every true positive says what made it";
  }
  for (const auto& [source, n] : j["families"]["DEFAULT CHOICE"]["true_positives_by"].items())
    EXPECT_TRUE(source == "CON-01" || source == "CON-02") << source;
}

}  // namespace
}  // namespace uiw::harness
