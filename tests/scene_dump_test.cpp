// `uiautomator dump` on the simulator must show what it shows on a phone: the activity's views
// with view pop-ups joined to them, only the dialog when a dialog window is on top, never what an
// app draws without views, and XML the detectors parse back to the same tree.
#include "simdevice/scene_dump.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace {

using uiw::detectors::Rect;
using uiw::detectors::UiNode;
using uiw::detectors::UiTree;
using uiw::sim::Scene;
using uiw::sim::scene_to_tree;
using uiw::sim::SceneLayer;
using uiw::sim::SceneNode;

constexpr const char* kApp = "com.uiw.fixture.kanpian";

SceneNode node(std::string class_name, Rect bounds, std::string id = "", std::string text = "") {
  SceneNode n;
  n.ui.class_name = std::move(class_name);
  n.ui.bounds = bounds;
  n.ui.resource_id = id.empty() ? "" : std::string(kApp) + ":id/" + id;
  n.ui.text = std::move(text);
  return n;
}

SceneLayer activity_layer() {
  SceneLayer layer;
  layer.package = kApp;
  layer.background = uiw::sim::Color{0x12, 0x12, 0x12, 255};
  SceneNode root = node("android.widget.FrameLayout", Rect{0, 0, 1080, 2400}, "main_root");
  root.children.push_back(
      node("android.widget.TextView", Rect{40, 80, 520, 195}, "tv_title", "看片视频"));
  SceneNode list =
      node("androidx.recyclerview.widget.RecyclerView", Rect{0, 210, 1080, 2232}, "rv_videos");
  list.ui.scrollable = true;
  list.children.push_back(
      node("android.widget.TextView", Rect{40, 790, 1040, 880}, "tv_video_title", "山河万里"));
  root.children.push_back(list);
  layer.nodes.push_back(root);
  return layer;
}

SceneLayer popup_layer(bool dialog_window) {
  SceneLayer layer;
  layer.package = kApp;
  layer.dim = 0.6;
  layer.dialog_window = dialog_window;
  SceneNode dialog = node("android.widget.FrameLayout", Rect{140, 700, 940, 1600}, "dialog_root");
  SceneNode button =
      node("android.widget.Button", Rect{220, 1330, 860, 1480}, "btn_open_vip", "立即开通");
  button.ui.clickable = true;
  dialog.children.push_back(button);
  // The ad SDK's close mark: drawn, not a view.
  SceneNode cross = node("android.widget.ImageView", Rect{888, 720, 920, 752});
  cross.in_tree = false;
  cross.children.push_back(node("android.view.View", Rect{890, 722, 918, 750}, "inner"));
  dialog.children.push_back(cross);
  dialog.children.push_back(
      node("android.widget.TextView", Rect{180, 1150, 900, 1240}, "tv_vip_desc", "海量大片"));
  layer.nodes.push_back(dialog);
  return layer;
}

Scene scene_of(std::vector<SceneLayer> layers) {
  Scene scene;
  scene.layers = std::move(layers);
  return scene;
}

std::vector<std::string> ids(const UiTree& tree) {
  std::vector<std::string> out;
  tree.visit([&](const UiNode& n, int) {
    if (!n.resource_id.empty()) out.push_back(n.resource_id.substr(n.resource_id.find('/') + 1));
  });
  return out;
}

const UiNode* find_id(const UiTree& tree, const std::string& id) {
  return tree.find_first(
      [&](const UiNode& n) { return n.resource_id == std::string(kApp) + ":id/" + id; });
}

TEST(SceneDump, ActivityIsOneFullScreenFrameLayoutWithItsViews) {
  const UiTree tree = scene_to_tree(scene_of({activity_layer()}));
  ASSERT_EQ(tree.roots().size(), 1u);
  const UiNode& root = tree.roots()[0];
  EXPECT_EQ(root.class_name, "android.widget.FrameLayout");
  EXPECT_EQ(root.package, kApp);
  EXPECT_EQ(root.bounds, (Rect{0, 0, 1080, 2400}));
  EXPECT_EQ(ids(tree),
            (std::vector<std::string>{"main_root", "tv_title", "rv_videos", "tv_video_title"}));
  tree.visit([](const UiNode& n, int) { EXPECT_EQ(n.package, kApp) << n.class_name; });
  EXPECT_TRUE(find_id(tree, "rv_videos")->scrollable);
  EXPECT_EQ(find_id(tree, "tv_title")->text, "看片视频");
}

TEST(SceneDump, DialogWindowOnTopIsTheOnlyWindowDumped) {
  const UiTree tree = scene_to_tree(scene_of({activity_layer(), popup_layer(true)}));
  ASSERT_EQ(tree.roots().size(), 1u);
  EXPECT_EQ(tree.roots()[0].bounds, (Rect{140, 700, 940, 1600}));  // the dialog, not the screen
  EXPECT_EQ(find_id(tree, "main_root"), nullptr);
  EXPECT_EQ(find_id(tree, "tv_title"), nullptr);
  EXPECT_NE(find_id(tree, "btn_open_vip"), nullptr);
}

TEST(SceneDump, ViewPopUpJoinsTheActivityWindow) {
  const UiTree tree = scene_to_tree(scene_of({activity_layer(), popup_layer(false)}));
  ASSERT_EQ(tree.roots().size(), 1u);
  const UiNode& root = tree.roots()[0];
  EXPECT_EQ(root.bounds, (Rect{0, 0, 1080, 2400}));
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].resource_id, std::string(kApp) + ":id/main_root");
  EXPECT_EQ(root.children[1].resource_id, std::string(kApp) + ":id/dialog_root");
  EXPECT_EQ(root.children[1].index, 1);  // added after the activity's content
  EXPECT_TRUE(find_id(tree, "btn_open_vip")->clickable);
}

TEST(SceneDump, NodesOutsideTheTreeAreOmittedWithTheirChildren) {
  const UiTree tree = scene_to_tree(scene_of({activity_layer(), popup_layer(true)}));
  EXPECT_EQ(
      tree.find_first([](const UiNode& n) { return n.class_name == "android.widget.ImageView"; }),
      nullptr);
  EXPECT_EQ(find_id(tree, "inner"), nullptr);
  // Indexes count only what is dumped: the description follows the button directly.
  const UiNode& dialog = tree.roots()[0].children[0];
  ASSERT_EQ(dialog.children.size(), 2u);
  EXPECT_EQ(dialog.children[0].index, 0);
  EXPECT_EQ(dialog.children[1].index, 1);
  EXPECT_EQ(dialog.children[1].text, "海量大片");
}

TEST(SceneDump, RecordedFrameDumpsItsRecordedTreeAsIs) {
  UiNode recorded_root;
  recorded_root.class_name = "android.widget.FrameLayout";
  recorded_root.package = "com.ss.android.ugc.aweme";
  recorded_root.bounds = Rect{0, 0, 1080, 2400};
  UiNode back;
  back.index = 3;
  back.class_name = "android.widget.ImageView";
  back.package = "com.ss.android.ugc.aweme";
  back.resource_id = "com.ss.android.ugc.aweme:id/back";
  back.bounds = Rect{0, 100, 120, 220};
  recorded_root.children.push_back(back);
  SceneLayer layer;
  layer.package = "com.uiw.fixture.recorded";
  layer.recorded_tree = UiTree(0, {recorded_root});
  const UiTree tree = scene_to_tree(scene_of({layer}));
  EXPECT_EQ(tree.to_xml(), UiTree(0, {recorded_root}).to_xml());
}

TEST(SceneDump, RoundTripsThroughUiautomatorXml) {
  for (bool dialog : {false, true}) {
    Scene scene = scene_of({activity_layer(), popup_layer(dialog)});
    SceneNode toggle = node("android.widget.Switch", Rect{800, 1000, 1000, 1100}, "sw_personal");
    toggle.ui.checkable = true;
    toggle.ui.checked = true;
    toggle.ui.content_desc = "个性化推荐 \"on\" & <more>";
    scene.layers[0].nodes[0].children.push_back(toggle);
    const UiTree tree = scene_to_tree(scene);
    const UiTree parsed = UiTree::parse(tree.to_xml());
    EXPECT_EQ(parsed.to_xml(), tree.to_xml());
    ASSERT_EQ(parsed.size(), tree.size());
    std::vector<const UiNode*> a, b;
    tree.visit([&](const UiNode& n, int) { a.push_back(&n); });
    parsed.visit([&](const UiNode& n, int) { b.push_back(&n); });
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i]->index, b[i]->index);
      EXPECT_EQ(a[i]->class_name, b[i]->class_name);
      EXPECT_EQ(a[i]->resource_id, b[i]->resource_id);
      EXPECT_EQ(a[i]->text, b[i]->text);
      EXPECT_EQ(a[i]->content_desc, b[i]->content_desc);
      EXPECT_EQ(a[i]->package, b[i]->package);
      EXPECT_EQ(a[i]->bounds, b[i]->bounds);
      EXPECT_EQ(a[i]->checkable, b[i]->checkable);
      EXPECT_EQ(a[i]->checked, b[i]->checked);
      EXPECT_EQ(a[i]->clickable, b[i]->clickable);
      EXPECT_EQ(a[i]->scrollable, b[i]->scrollable);
    }
  }
}

TEST(SceneDump, StatusBarNeverAppears) {
  Scene scene = scene_of({activity_layer()});
  scene.status_bar = true;
  const UiTree tree = scene_to_tree(scene);
  EXPECT_EQ(tree.find_first([](const UiNode& n) { return n.package == "com.android.systemui"; }),
            nullptr);
  EXPECT_EQ(tree.size(), 5u);  // root + main_root, tv_title, rv_videos, tv_video_title
}

}  // namespace
