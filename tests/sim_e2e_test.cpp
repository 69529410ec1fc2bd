// The simulator seen through the real adb binary, as a test engineer sees a phone: what the
// dump says is where the pixels are, a tap does what the app says, and an outbound link shows up
// in logcat and dumpsys like on Android.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <thread>

#include "detectors/ui_tree.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

using namespace std::chrono_literals;
using uiw::detectors::UiNode;
using uiw::detectors::UiTree;
using uiw::test::SimSession;

class SimEndToEnd : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = new SimSession();
    sim_ = new SimSession::Sim(
        session_->start_sim({uiw::test::source_path("fixtures/apps/test/e2e_news.yaml")}));
  }
  static void TearDownTestSuite() {
    delete sim_;
    delete session_;
  }

  SimSession::Result adb(std::vector<std::string> args) {
    args.insert(args.begin(), {"-s", sim_->serial});
    return session_->adb(args);
  }
  std::string shell(const std::string& command) {
    auto r = adb({"shell", command});
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    return r.out;
  }
  void launch_news() {
    shell("am force-stop com.uiw.test.news");
    shell("monkey -p com.uiw.test.news -c android.intent.category.LAUNCHER 1");
  }
  cv::Mat screenshot() {
    auto r = adb({"exec-out", "screencap -p"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<uchar> bytes(r.out.begin(), r.out.end());
    return cv::imdecode(bytes, cv::IMREAD_COLOR);
  }
  UiTree dump() {
    std::string out = shell("uiautomator dump /sdcard/window_dump.xml");
    EXPECT_NE(out.find("UI hierchary dumped to: /sdcard/window_dump.xml"), std::string::npos)
        << out;
    std::string local = testing::TempDir() + "/e2e_dump.xml";
    auto r = adb({"pull", "/sdcard/window_dump.xml", local});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return UiTree::load(local);
  }
  // A copy, so a caller may pass a temporary tree.
  UiNode node_with_id(const UiTree& tree, const std::string& short_id) {
    const UiNode* n = tree.find_first(
        [&](const UiNode& x) { return x.resource_id == "com.uiw.test.news:id/" + short_id; });
    if (!n) throw std::runtime_error("no node " + short_id + " in the dump");
    return *n;
  }

  static SimSession* session_;
  static SimSession::Sim* sim_;
};

SimSession* SimEndToEnd::session_ = nullptr;
SimSession::Sim* SimEndToEnd::sim_ = nullptr;

TEST_F(SimEndToEnd, ScreenshotIsAPngOfTheSizeWmReports) {
  std::smatch m;
  std::string size = shell("wm size");
  ASSERT_TRUE(std::regex_search(size, m, std::regex(R"(Physical size: (\d+)x(\d+))"))) << size;
  cv::Mat png = screenshot();
  ASSERT_FALSE(png.empty());
  EXPECT_EQ(png.cols, std::stoi(m[1]));
  EXPECT_EQ(png.rows, std::stoi(m[2]));
}

TEST_F(SimEndToEnd, RawScreencapIsHeaderPlusRgbaPixels) {
  auto r = adb({"exec-out", "screencap"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_GE(r.out.size(), 12u);
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(r.out[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(r.out[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(r.out[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(r.out[at + 3])) << 24;
  };
  uint32_t w = u32(0), h = u32(4), format = u32(8);
  EXPECT_EQ(w, 1080u);
  EXPECT_EQ(h, 2400u);
  EXPECT_EQ(format, 1u);  // RGBA_8888
  // SDK 34 writes a fourth header word (colour space) before the pixels.
  EXPECT_EQ(r.out.size(), 16 + size_t{w} * h * 4);
}

TEST_F(SimEndToEnd, DumpBoundsMatchTheRenderedPixels) {
  launch_news();
  UiTree tree = dump();
  cv::Mat frame = screenshot();
  ASSERT_FALSE(frame.empty());
  struct Expect {
    const char* id;
    cv::Vec3b bgr;
  };
  for (const Expect& e :
       {Expect{"title", {0x2F, 0x2F, 0xD3}}, Expect{"btn_settings", {0xC0, 0x65, 0x15}},
        Expect{"link_article", {0x32, 0x7D, 0x2E}}}) {
    const auto b = node_with_id(tree, e.id).bounds;
    SCOPED_TRACE(e.id);
    // Just inside each corner: the node's background colour; just outside left/right: not.
    for (auto [x, y] : {std::pair{b.left + 2, b.top + 2},
                        {b.right - 3, b.top + 2},
                        {b.left + 2, b.bottom - 3},
                        {b.right - 3, b.bottom - 3}}) {
      EXPECT_EQ(frame.at<cv::Vec3b>(y, x), e.bgr) << "at " << x << "," << y;
    }
    if (b.left >= 2) {
      EXPECT_NE(frame.at<cv::Vec3b>(b.center_y(), b.left - 2), e.bgr);
    }
    if (b.right + 2 < frame.cols) {
      EXPECT_NE(frame.at<cv::Vec3b>(b.center_y(), b.right + 1), e.bgr);
    }
    EXPECT_NE(frame.at<cv::Vec3b>(b.bottom + 1, b.center_x()), e.bgr);
  }
}

TEST_F(SimEndToEnd, TappingAClickableNodeDoesWhatTheAppSays) {
  launch_news();
  const auto b = node_with_id(dump(), "btn_settings").bounds;
  shell("logcat -c");
  shell("input tap " + std::to_string(b.center_x()) + " " + std::to_string(b.center_y()));

  UiTree after = dump();
  EXPECT_EQ(node_with_id(after, "settings_title").text, "设置");
  EXPECT_EQ(after.find_first([](const UiNode& n) { return n.text == "打开设置"; }), nullptr);
  EXPECT_NE(shell("dumpsys activity activities").find("com.uiw.test.news/.SettingsActivity"),
            std::string::npos);
  std::string log = adb({"logcat", "-d"}).out;
  EXPECT_NE(log.find("ActivityTaskManager: START u0 {"), std::string::npos) << log;
  EXPECT_NE(log.find("cmp=com.uiw.test.news/.SettingsActivity"), std::string::npos) << log;

  shell("input keyevent KEYCODE_BACK");
  EXPECT_NE(dump().find_first([](const UiNode& n) { return n.text == "打开设置"; }), nullptr);
}

TEST_F(SimEndToEnd, AnOutboundLinkIsAViewIntentInLogcatAndDumpsys) {
  launch_news();
  const auto b = node_with_id(dump(), "link_article").bounds;
  shell("logcat -c");
  shell("input tap " + std::to_string(b.center_x()) + " " + std::to_string(b.center_y()));

  std::string log = adb({"logcat", "-d"}).out;
  std::regex start(
      R"(\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ I ActivityTaskManager: START u0 \{act=android\.intent\.action\.VIEW dat=https://news\.example/article/42 .*cmp=com\.android\.chrome/)");
  EXPECT_TRUE(std::regex_search(log, start)) << log;
  std::string activities = shell("dumpsys activity activities");
  std::regex resumed(R"(ResumedActivity: ?ActivityRecord\{[0-9a-f]+ u0 com\.android\.chrome/)");
  EXPECT_TRUE(std::regex_search(activities, resumed)) << activities;
  std::string window = shell("dumpsys window");
  EXPECT_NE(window.find("mCurrentFocus=Window{"), std::string::npos);
  EXPECT_NE(window.find("com.android.chrome/"), std::string::npos) << window;
  // The browser shows the URL it was given.
  EXPECT_NE(dump().find_first([](const UiNode& n) {
    return n.text.find("news.example/article/42") != std::string::npos;
  }),
            nullptr);
}

TEST_F(SimEndToEnd, StreamingLogcatSeesAStartAsItHappens) {
  launch_news();
  shell("logcat -c");
  SimSession::Result streamed;
  std::thread reader([&] {
    // adb logcat follows until killed at its deadline: what it printed by then is kept.
    streamed = session_->adb({"-s", sim_->serial, "logcat", "-v", "threadtime"}, 4s);
  });
  std::this_thread::sleep_for(1500ms);
  shell("am start -a android.intent.action.VIEW -d https://example.org/streamed");
  reader.join();
  EXPECT_NE(streamed.out.find("dat=https://example.org/streamed"), std::string::npos)
      << streamed.out;
}

}  // namespace
