// Tree queries on a real dump (fixtures/real-dumps): text, regex, id, desc, class, XPath, geometry.
#include "detectors/ui_query.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/support/paths.h"

namespace uiw::detectors {
namespace {

UiTree youtube() {
  return UiTree::load(test::source_path("fixtures/real-dumps/youtube-1.xml"));
}

TEST(UiQueryTest, XPathSelectsTheSameNodesAsTheTreeHolds) {
  const UiTree tree = youtube();
  const std::vector<const UiNode*> all = select_xpath(tree, "//node");
  EXPECT_EQ(all.size(), tree.size());
  const std::vector<const UiNode*> clickable = select_xpath(tree, "//node[@clickable='true']");
  ASSERT_FALSE(clickable.empty());
  for (const UiNode* n : clickable) EXPECT_TRUE(n->clickable);
  EXPECT_EQ(clickable.size(), tree.find_all([](const UiNode& n) { return n.clickable; }).size());
  EXPECT_TRUE(select_xpath(tree, "//node[@text='no such text anywhere']").empty());
  EXPECT_THROW(select_xpath(tree, "//node[@text="), Error);
}

TEST(UiQueryTest, MatchesByTextRegexIdDescClassAndGeometry) {
  UiNode button;
  button.text = "Skip Ad";
  button.resource_id = "com.app:id/btn_skip";
  button.class_name = "android.widget.Button";
  button.content_desc = "skip";
  button.clickable = true;
  button.bounds = Rect{900, 100, 1060, 190};
  UiNode root;
  root.class_name = "android.widget.FrameLayout";
  root.bounds = Rect{0, 0, 1080, 2400};
  root.children = {button};
  const UiTree tree(0, {root});

  NodeQuery q;
  q.resource_id = "btn_skip";
  EXPECT_EQ(find_nodes(tree, q).size(), 1u);
  q.resource_id = "com.app:id/btn_skip";
  EXPECT_EQ(find_nodes(tree, q).size(), 1u);
  q = {};
  q.class_name = "Button";
  EXPECT_EQ(find_nodes(tree, q).size(), 1u);
  q.class_name = "ton";
  EXPECT_TRUE(find_nodes(tree, q).empty()) << "a simple class name matches after a dot only";
  q = {};
  q.text_regex = std::regex("Skip.*");
  EXPECT_EQ(find_nodes(tree, q).size(), 1u);
  q = {};
  q.text = "Skip";
  EXPECT_TRUE(find_nodes(tree, q).empty()) << "exact text";
  q = {};
  q.content_desc = "skip";
  q.within = Rect{800, 0, 1080, 300};
  EXPECT_EQ(find_nodes(tree, q).size(), 1u);
  q.within = Rect{0, 0, 540, 300};
  EXPECT_TRUE(find_nodes(tree, q).empty());
  q = {};
  q.clickable_only = true;
  q.density_dpi = 420;
  q.min_size_dp = 24;  // 90 px = 34 dp
  EXPECT_EQ(find_nodes(tree, q).size(), 1u);
  q.min_size_dp = 48;
  EXPECT_TRUE(find_nodes(tree, q).empty());
  const UiNode* at = smallest_node_at(tree, 950, 150, [](const UiNode&) { return true; });
  ASSERT_NE(at, nullptr);
  EXPECT_EQ(at->text, "Skip Ad");
}

}  // namespace
}  // namespace uiw::detectors
