// The figures `uiwitness eval` reports: image- and box-level counts, percentiles, COCO labels.
#include "harness/detection_metrics.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "harness/coco_labels.h"

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

}  // namespace
}  // namespace uiw::harness
