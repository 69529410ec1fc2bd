// The element layer: trees from uiautomator dumps and DroidBot states become the same typed
// element list as the pixel search makes, and `uiwitness eval --pairs` measures one against the
// other on real screens that carry their own hierarchy.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "adb/adb_process.h"
#include "common/error.h"
#include "detectors/droidbot_state.h"
#include "detectors/image_file.h"
#include "detectors/screen_element.h"
#include "detectors/selection_widget_classifier.h"
#include "detectors/tree_image_match.h"
#include "tests/support/paths.h"

namespace uiw::detectors {
namespace {

// A DroidBot state as DroidBot writes it: views by index, parent and children by index.
const char* kState = R"({"views": [
  {"class": "android.widget.FrameLayout", "bounds": [[0, 0], [1080, 1920]], "parent": -1,
   "children": [1, 2, 3, 4], "visible": true},
  {"class": "android.widget.Switch", "bounds": [[900, 300], [1040, 380]], "parent": 0,
   "children": [], "checkable": true, "checked": true, "text": "Notifications", "visible": true},
  {"class": "androidx.appcompat.widget.AppCompatCheckBox", "bounds": [[40, 500], [120, 580]],
   "parent": 0, "children": [], "checkable": true, "checked": false, "visible": true,
   "resource_id": "com.x:id/cb_terms"},
  {"class": "android.widget.ImageView", "bounds": [[960, 100], [1040, 180]], "parent": 0,
   "children": [], "resource_id": "com.x:id/iv_close", "visible": true},
  {"class": "android.widget.RadioButton", "bounds": [[40, 700], [120, 780]], "parent": 0,
   "children": [], "checkable": true, "checked": true, "visible": false}
], "foreground_activity": "com.x/.Main"})";

TEST(DroidBotStateTest, ReadsViewsAsATreeAndLeavesInvisibleOnesOut) {
  const UiTree tree = parse_droidbot_state(kState, "state.json");
  ASSERT_EQ(tree.roots().size(), 1u);
  const UiNode& root = tree.roots().front();
  EXPECT_EQ(root.bounds, (Rect{0, 0, 1080, 1920}));
  ASSERT_EQ(root.children.size(), 3u) << "the invisible radio is not on screen";
  EXPECT_EQ(root.children[0].text, "Notifications");
  EXPECT_TRUE(root.children[0].checkable);
  EXPECT_TRUE(root.children[0].checked);
  EXPECT_EQ(root.children[1].resource_id, "com.x:id/cb_terms");
  EXPECT_EQ(root.children[2].index, 2);
}

TEST(DroidBotStateTest, BrokenStatesAreRefusedNamingFileAndView) {
  auto message = [](std::string_view json) {
    try {
      parse_droidbot_state(json, "s.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("{").find("s.json: not valid JSON"), std::string::npos);
  EXPECT_NE(message(R"({"nodes": []})").find("no `views` array"), std::string::npos);
  EXPECT_NE(message(R"({"views": [{"class": "A", "parent": -1}]})").find("view 0 has no bounds"),
            std::string::npos);
  EXPECT_NE(message(R"({"views": [{"class": "A", "bounds": [[0,0],[9,9]], "parent": -1,
                                   "children": [7]}]})")
                .find("view 0 names a child that is not a view index"),
            std::string::npos);
  // A view that is its own child would be copied without end.
  EXPECT_NE(message(R"({"views": [{"class": "A", "bounds": [[0,0],[9,9]], "parent": -1,
                                   "children": [0]}]})")
                .find("appears twice"),
            std::string::npos);
}

TEST(ScreenElementTest, TheTreeStatesWidgetsWithTheirStateDialogsAndCloseControls) {
  const UiTree tree = parse_droidbot_state(kState);
  const std::vector<ScreenElement> all = tree_elements(tree, Rect{0, 0, 1080, 1920}, 200);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind, ScreenElement::Kind::kSwitch);
  EXPECT_EQ(all[0].checked, true);
  EXPECT_EQ(all[1].kind, ScreenElement::Kind::kCheckbox) << "AppCompatCheckBox is a checkbox";
  EXPECT_EQ(all[1].checked, false);
  EXPECT_EQ(all[2].kind, ScreenElement::Kind::kCloseMark);

  // A dump whose only window is smaller than the screen is a dialog's.
  UiNode card;
  card.class_name = "android.widget.FrameLayout";
  card.bounds = Rect{90, 600, 990, 1300};
  const std::vector<ScreenElement> dialog =
      tree_elements(UiTree(0, {card}), Rect{0, 0, 1080, 1920}, 200);
  ASSERT_EQ(dialog.size(), 1u);
  EXPECT_EQ(dialog[0].kind, ScreenElement::Kind::kDialog);
  EXPECT_EQ(dialog[0].box, card.bounds);
}

TEST(TreeImageMatchTest, ATreeOfAnotherScreenIsToldApart) {
  const std::string dir = test::source_path("fixtures/recorded/pairs/");
  const cv::Mat album = read_image_file(dir + "droidbot-11.jpg");
  const cv::Mat qq = read_image_file(dir + "DroidbotExp-1.jpg");
  EXPECT_FALSE(tree_mismatch(load_droidbot_state(dir + "droidbot-11.json"), album));
  EXPECT_FALSE(tree_mismatch(load_droidbot_state(dir + "DroidbotExp-1.json"), qq));
  // Another device's tree: its windows reach past the image.
  const std::optional<std::string> size =
      tree_mismatch(load_droidbot_state(dir + "droidbot-11.json"), qq);
  ASSERT_TRUE(size);
  EXPECT_NE(size->find("image is 1080×2280 px"), std::string::npos) << *size;
  // The right size but other pixels: its text lies on blank paper.
  const cv::Mat blank(qq.size(), CV_8UC3, cv::Scalar(255, 255, 255));
  const std::optional<std::string> content =
      tree_mismatch(load_droidbot_state(dir + "DroidbotExp-1.json"), blank);
  ASSERT_TRUE(content);
  EXPECT_NE(content->find("text nodes lie on blank pixels"), std::string::npos) << *content;
}

TEST(PairEvalTest, PixelElementsAreMeasuredAgainstTheTreeOfRealScreens) {
  using namespace std::chrono_literals;
  const adb::ProcessResult r =
      adb::run_process(test::bin_path("uiwitness"),
                       {"eval", "--pairs", test::source_path("fixtures/recorded/pairs"), "--json"},
                       {"OMP_THREAD_LIMIT=1"}, adb::Deadline::after(300s));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["frames"].get<int>(), 3);
  // What the trees say: 4 radios wholly on screen (one checked) in the folder sheet, 2 album
  // checkboxes, 1 consent checkbox on the QQ音乐 login page.
  EXPECT_EQ(j["kinds"]["radio"]["in_tree"].get<int>(), 4);
  EXPECT_EQ(j["kinds"]["checkbox"]["in_tree"].get<int>(), 3);
  EXPECT_EQ(j["kinds"]["selection"]["in_tree"].get<int>(), 7);
  const auto& sel = j["kinds"]["selection"];
  EXPECT_LE(sel["same_state"].get<int>(), sel["found"].get<int>());
  EXPECT_DOUBLE_EQ(sel["state_agreement"].get<double>(), sel["same_state"].get<double>() / 7);
  // The consent checkbox of the login page is found in its state (unticked) from pixels alone.
  for (const auto& frame : j["per_frame"]) {
    if (frame["image"].get<std::string>().find("DroidbotExp-1.jpg") == std::string::npos) continue;
    for (const auto& note : frame["disagreements"])
      EXPECT_EQ(note.get<std::string>().find("checkbox"), std::string::npos) << note;
  }
  EXPECT_EQ(j["dialog"]["frames_with"].get<int>(), 0) << "no dialog window in these dumps";
  EXPECT_EQ(j["per_frame"].size(), 3u);
}

TEST(PairEvalTest, AFolderWithoutPairsIsAClearError) {
  using namespace std::chrono_literals;
  const adb::ProcessResult r = adb::run_process(
      test::bin_path("uiwitness"), {"eval", "--pairs", test::source_path("fixtures/apps")}, {},
      adb::Deadline::after(60s));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no image with a same-name .xml (uiautomator) or .json (DroidBot) dump"),
            std::string::npos)
      << r.err;
}

TEST(SelectionWidgetClassifierTest, AMissingOrBrokenModelIsAClearErrorNamingTheFile) {
  auto failure = [](const std::string& file) -> std::pair<ErrorKind, std::string> {
    try {
      SelectionWidgetClassifier classifier(file);
    } catch (const Error& e) {
      return {e.kind(), e.what()};
    }
    return {ErrorKind::kInternal, "accepted"};
  };
  const auto [missing_kind, missing] = failure("/nonexistent/selection_widget.onnx");
  EXPECT_EQ(missing_kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.find("/nonexistent/selection_widget.onnx"), std::string::npos) << missing;
  // A file that is there but is no ONNX model (here: a YAML fixture).
  const std::string not_a_model = test::source_path("fixtures/apps/splash_countdown.yaml");
  const auto [broken_kind, broken] = failure(not_a_model);
  EXPECT_EQ(broken_kind, ErrorKind::kParse);
  EXPECT_NE(broken.find(not_a_model), std::string::npos) << broken;
}

TEST(SelectionWidgetClassifierTest, TheShippedModelLabelsEveryPatchWithOneOfItsClasses) {
  const SelectionWidgetClassifier& classifier = SelectionWidgetClassifier::shared();
  // A settings row at 480 dpi: an empty Material checkbox at its start (18 dp, 2 dp grey
  // outline), a Material switch, on, at its end (indigo thumb right on a light indigo track).
  cv::Mat row(192, 1080, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::rectangle(row, cv::Rect(69, 69, 54, 54), cv::Scalar(117, 117, 117), 6, cv::LINE_AA);
  cv::rectangle(row, cv::Rect(930, 75, 102, 42), cv::Scalar(218, 168, 159), cv::FILLED,
                cv::LINE_AA);
  cv::circle(row, {1011, 96}, 30, cv::Scalar(181, 81, 63), cv::FILLED, cv::LINE_AA);
  const std::vector<SelectionWidgetClassifier::Prediction> p =
      classifier.classify(row, {Rect{920, 66, 1042, 126}, Rect{66, 66, 126, 126}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].label, WidgetClass::kSwitchOn) << to_string(p[0].label);
  EXPECT_EQ(p[1].label, WidgetClass::kCheckboxOff) << to_string(p[1].label);
  for (const auto& prediction : p) {
    EXPECT_GT(prediction.probability, 0.5);
    EXPECT_LE(prediction.probability, 1.0);
  }
  EXPECT_TRUE(classifier.classify(row, {}).empty());
}

}  // namespace
}  // namespace uiw::detectors
