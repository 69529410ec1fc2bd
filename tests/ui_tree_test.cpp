// The UI tree model must read what real phones write and write what real phones write.
#include "detectors/ui_tree.h"

#include <gtest/gtest.h>

#include <boost/process.hpp>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "tests/support/paths.h"

namespace {

using uiw::detectors::Rect;
using uiw::detectors::UiNode;
using uiw::detectors::UiTree;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count_substr(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

void expect_same(const UiNode& a, const UiNode& b) {
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.resource_id, b.resource_id);
  EXPECT_EQ(a.class_name, b.class_name);
  EXPECT_EQ(a.package, b.package);
  EXPECT_EQ(a.content_desc, b.content_desc);
  EXPECT_EQ(a.clickable, b.clickable);
  EXPECT_EQ(a.checked, b.checked);
  EXPECT_EQ(a.enabled, b.enabled);
  EXPECT_EQ(a.scrollable, b.scrollable);
  EXPECT_EQ(a.bounds, b.bounds);
  ASSERT_EQ(a.children.size(), b.children.size());
  for (size_t i = 0; i < a.children.size(); ++i) expect_same(a.children[i], b.children[i]);
}

class RealDumps : public testing::TestWithParam<std::string> {};

TEST_P(RealDumps, ParsesEveryNodeAndRoundTrips) {
  const std::string path = uiw::test::source_path("fixtures/real-dumps/" + GetParam());
  const std::string xml = read_file(path);
  UiTree tree = UiTree::parse(xml, path);
  EXPECT_EQ(tree.size(), count_substr(xml, "<node"));

  UiTree again = UiTree::parse(tree.to_xml());
  EXPECT_EQ(again.rotation(), tree.rotation());
  ASSERT_EQ(again.roots().size(), tree.roots().size());
  for (size_t i = 0; i < tree.roots().size(); ++i) expect_same(tree.roots()[i], again.roots()[i]);
}

INSTANTIATE_TEST_SUITE_P(FromRealApps, RealDumps,
                         testing::Values("douyin-1.xml", "damai-1.xml", "playstore-1.xml",
                                         "youtube-1.xml", "futu-1.xml"));

TEST(UiTree, FindsChineseTextWithItsBoundsAndFlags) {
  UiTree tree = UiTree::load(uiw::test::source_path("fixtures/real-dumps/douyin-1.xml"));
  const UiNode* follow = tree.find_first([](const UiNode& n) {
    return n.text == "关注" && n.resource_id == "com.ss.android.ugc.aweme:id/qr";
  });
  ASSERT_NE(follow, nullptr);
  EXPECT_EQ(follow->bounds, (Rect{773, 378, 1032, 468}));
  EXPECT_TRUE(follow->clickable);
  EXPECT_EQ(follow->class_name, "android.widget.TextView");
}

TEST(UiTree, KeepsRotationOfLandscapeDumps) {
  UiTree tree = UiTree::load(uiw::test::source_path("fixtures/real-dumps/playstore-1.xml"));
  EXPECT_EQ(tree.rotation(), 1);
}

TEST(UiTree, WritesTheSingleLineFormatOfUiautomator) {
  UiNode node;
  node.text = "跳过 & <Skip>";
  node.class_name = "android.widget.TextView";
  node.package = "com.example";
  node.bounds = {900, 100, 1040, 180};
  std::string xml = UiTree(0, {node}).to_xml();
  EXPECT_EQ(
      xml.rfind(
          "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">", 0),
      0u);
  EXPECT_EQ(xml.find('\n'), std::string::npos);
  EXPECT_NE(xml.find("text=\"跳过 &amp; &lt;Skip"), std::string::npos) << xml;
  EXPECT_NE(xml.find("bounds=\"[900,100][1040,180]\""), std::string::npos);
  EXPECT_EQ(UiTree::parse(xml).roots().at(0).text, "跳过 & <Skip>");
}

TEST(UiTree, RejectsBrokenXmlNamingTheSource) {
  try {
    UiTree::parse("<hierarchy><node bounds=\"[0,0][10,10]\">", "dump.xml");
    FAIL() << "truncated XML was accepted";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kParse);
    EXPECT_NE(std::string(e.what()).find("dump.xml"), std::string::npos) << e.what();
  }
  try {
    UiTree::parse("<hierarchy><node bounds=\"[0,0][10]\"/></hierarchy>", "bad-bounds.xml");
    FAIL() << "bad bounds were accepted";
  } catch (const uiw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[0,0][10]"), std::string::npos) << e.what();
  }
}

TEST(UiwitnessCli, TreePrintsAnOutlineOfADump) {
  namespace bp = boost::process;
  bp::ipstream out;
  bp::child child(uiw::test::bin_path("uiwitness"), "tree",
                  uiw::test::source_path("fixtures/real-dumps/douyin-1.xml"), bp::std_out > out);
  std::string all, line;
  while (std::getline(out, line)) all += line + "\n";
  child.wait();
  EXPECT_EQ(child.exit_code(), 0);
  EXPECT_NE(all.find("TextView #qr \"关注\" [773,378][1032,468] clickable"), std::string::npos)
      << all;
}

TEST(UiwitnessCli, TreeOfAMissingFileIsAUsageError) {
  namespace bp = boost::process;
  bp::ipstream err;
  bp::child child(uiw::test::bin_path("uiwitness"), "tree", "/nonexistent/dump.xml",
                  bp::std_err > err);
  std::string all, line;
  while (std::getline(err, line)) all += line;
  child.wait();
  EXPECT_EQ(child.exit_code(), 2);
  EXPECT_NE(all.find("/nonexistent/dump.xml"), std::string::npos) << all;
}

}  // namespace
