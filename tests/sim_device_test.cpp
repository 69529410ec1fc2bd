// The simulated phone through its shell, as adb's users see it: taps do what the fixture says,
// links end where the app's rules send them (and show up in logcat and dumpsys), pop-ups count
// down and come back, state resets or persists, shaking opens what it should, and screencap and
// uiautomator answer in Android's formats.
#include "simdevice/sim_device.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <thread>

#include "common/error.h"
#include "detectors/ui_tree.h"
#include "simdevice/basic_commands.h"
#include "simdevice/shell.h"
#include "simdevice/virtual_fs.h"
#include "tests/support/paths.h"

namespace {

using namespace std::chrono_literals;
using uiw::detectors::Rect;
using uiw::detectors::UiNode;
using uiw::detectors::UiTree;
using uiw::sim::DeviceProfile;
using uiw::sim::Shell;
using uiw::sim::ShellIo;
using uiw::sim::SimDevice;
using uiw::sim::VirtualFs;

constexpr const char* kPkg = "com.uiw.test.device";

class CapturedIo : public ShellIo {
 public:
  bool write_out(std::string_view b) override {
    std::lock_guard lock(mutex_);
    out_.append(b);
    return !gone;
  }
  bool write_err(std::string_view b) override {
    std::lock_guard lock(mutex_);
    err_.append(b);
    return !gone;
  }
  bool read_in(std::string&) override { return false; }
  bool cancelled() const override { return gone; }
  bool sleep_for(std::chrono::milliseconds d) override {
    for (auto end = std::chrono::steady_clock::now() + d;
         !gone && std::chrono::steady_clock::now() < end;)
      std::this_thread::sleep_for(5ms);
    return !gone;
  }
  std::string out() const {
    std::lock_guard lock(mutex_);
    return out_;
  }
  std::string err() const {
    std::lock_guard lock(mutex_);
    return err_;
  }
  std::atomic<bool> gone{false};

 private:
  mutable std::mutex mutex_;
  std::string out_, err_;
};

struct Result {
  int status;
  std::string out, err;
};

class SimDeviceTest : public ::testing::Test {
 protected:
  explicit SimDeviceTest(DeviceProfile profile = {}) : device_(profile, fs_) {
    device_.install(uiw::test::source_path("fixtures/apps/test/device_test.yaml"));
    uiw::sim::register_basic_commands(shell_, fs_, device_.profile());
    device_.register_commands(shell_);
  }

  Result run(std::string_view line) {
    CapturedIo io;
    int status = shell_.run(line, io);
    return {status, io.out(), io.err()};
  }
  Result ok(std::string_view line) {
    Result r = run(line);
    EXPECT_EQ(r.status, 0) << line << "\nstdout: " << r.out << "\nstderr: " << r.err;
    return r;
  }

  // The resumed activity as `dumpsys activity activities` reports it: "pkg/.Act".
  std::string resumed() {
    std::string dump = ok("dumpsys activity activities").out;
    std::smatch m;
    static const std::regex re(R"(\n  ResumedActivity: ActivityRecord\{[0-9a-f]+ u0 (\S+) t\d+\})");
    if (!std::regex_search(dump, m, re)) return "none in:\n" + dump;
    return m[1];
  }

  UiTree dump() {
    std::string out = ok("uiautomator dump /dev/tty").out;
    const std::string tail = "UI hierchary dumped to: /dev/tty\n";
    EXPECT_GE(out.size(), tail.size());
    EXPECT_EQ(out.substr(out.size() - tail.size()), tail);
    return UiTree::parse(out.substr(0, out.size() - tail.size()), "uiautomator dump");
  }
  static const UiNode* by_id(const UiTree& tree, const std::string& id) {
    std::string full = id.find(':') == std::string::npos ? std::string(kPkg) + ":id/" + id : id;
    return tree.find_first([&](const UiNode& n) { return n.resource_id == full; });
  }
  static const UiNode* by_text(const UiTree& tree, const std::string& text) {
    return tree.find_first([&](const UiNode& n) { return n.text == text; });
  }
  void tap(const UiNode* node) {
    ASSERT_NE(node, nullptr);
    ok(fmt_tap(node->bounds.center_x(), node->bounds.center_y()));
  }
  static std::string fmt_tap(int x, int y) {
    return "input tap " + std::to_string(x) + " " + std::to_string(y);
  }
  void launch() {
    ok("am force-stop com.uiw.test.device");
    ok("am start -n com.uiw.test.device/.MainActivity");
    ASSERT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  }

  VirtualFs fs_;
  SimDevice device_;
  Shell shell_;
};

TEST_F(SimDeviceTest, BootsToTheLauncherAndItsIconLaunchesTheApp) {
  EXPECT_EQ(resumed(), "com.android.launcher3/.Launcher");
  UiTree home = dump();
  const UiNode* icon = by_text(home, "Device Test");
  ASSERT_NE(icon, nullptr) << home.to_xml();
  EXPECT_EQ(icon->package, "com.android.launcher3");
  EXPECT_TRUE(icon->clickable);
  tap(icon);
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  std::string log = ok("logcat -d").out;
  EXPECT_NE(log.find("START u0 {act=android.intent.action.MAIN "
                     "cat=[android.intent.category.LAUNCHER] flg=0x10200000 "
                     "cmp=com.uiw.test.device/.MainActivity}"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Start proc "), std::string::npos);
}

TEST_F(SimDeviceTest, TapStartsTheActivityTheFixtureNamesAndBackAndHomeLeaveIt) {
  launch();
  tap(by_id(dump(), "btn_settings"));
  EXPECT_EQ(resumed(), "com.uiw.test.device/.SettingsActivity");
  EXPECT_NE(by_id(dump(), "personalised_switch"), nullptr);
  ok("input keyevent KEYCODE_BACK");
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  ok("input keyevent 3");
  EXPECT_EQ(resumed(), "com.android.launcher3/.Launcher");
  ok("input keyevent BACK");  // the launcher never finishes
  EXPECT_EQ(resumed(), "com.android.launcher3/.Launcher");
  // Back to the app's task as it was left.
  ok("monkey -p com.uiw.test.device -c android.intent.category.LAUNCHER 1");
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
}

TEST_F(SimDeviceTest, TappingNothingDoesNothing) {
  launch();
  ok("input tap 5 2000000");
  ok("input tap 1050 300");
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
}

TEST_F(SimDeviceTest, AmStartAnswersLikeAndroid) {
  Result r = ok("am start -W -n com.uiw.test.device/.MainActivity");
  EXPECT_NE(r.out.find("Starting: Intent { cmp=com.uiw.test.device/.MainActivity }"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Status: ok"), std::string::npos);
  EXPECT_NE(r.out.find("Complete"), std::string::npos);

  Result bad = run("am start -n com.uiw.test.device/.Nope");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("Error type 3\nError: Activity class "
                         "{com.uiw.test.device/com.uiw.test.device.Nope} does not exist."),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
}

TEST_F(SimDeviceTest, ViewIntentOpensTheBrowserAndShowsInLogcatAndDumpsys) {
  ok("am start -a android.intent.action.VIEW -d https://example.org/page?id=7");
  std::string log = ok("logcat -d").out;
  EXPECT_NE(log.find(" I ActivityTaskManager: START u0 {act=android.intent.action.VIEW "
                     "dat=https://example.org/page?id=7 flg=0x10000000 "
                     "cmp=com.android.chrome/com.google.android.apps.chrome.Main} from uid 2000"),
            std::string::npos)
      << log;
  EXPECT_EQ(resumed(), "com.android.chrome/com.google.android.apps.chrome.Main");
  std::string activities = ok("dumpsys activity activities").out;
  EXPECT_NE(activities.find("\n  topResumedActivity=ActivityRecord{"), std::string::npos)
      << activities;
  std::string windows = ok("dumpsys window windows").out;
  EXPECT_NE(windows.find("  mCurrentFocus=Window{"), std::string::npos);
  EXPECT_NE(windows.find(" u0 com.android.chrome/com.google.android.apps.chrome.Main}"),
            std::string::npos)
      << windows;
  const UiTree browser = dump();
  const UiNode* url = by_id(browser, "com.android.chrome:id/url_bar");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->text, "https://example.org/page?id=7");
}

TEST_F(SimDeviceTest, DeepLinkOpensTheClaimingApp) {
  ok("am start -a android.intent.action.VIEW -d uiwdevice://settings/privacy");
  EXPECT_EQ(resumed(), "com.uiw.test.device/.SettingsActivity");
}

TEST_F(SimDeviceTest, LinksFollowTheAppsRules) {
  launch();
  ok("logcat -c");
  tap(by_id(dump(), "btn_partner"));  // browser
  EXPECT_EQ(resumed(), "com.android.chrome/com.google.android.apps.chrome.Main");
  EXPECT_NE(ok("logcat -d")
                .out.find("act=android.intent.action.VIEW "
                          "dat=https://partner.example/offer"),
            std::string::npos);
  ok("input keyevent KEYCODE_BACK");
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");

  ok("logcat -c");
  tap(by_id(dump(), "btn_other"));  // ignore: nothing at all
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  EXPECT_EQ(ok("logcat -d ActivityTaskManager:I *:S").out, "");

  tap(by_id(dump(), "btn_news"));  // webview: the app's own activity
  EXPECT_EQ(resumed(), "com.uiw.test.device/.WebActivity");
  EXPECT_NE(by_id(dump(), "web_title"), nullptr);
  ok("input keyevent 4");

  tap(by_id(dump(), "btn_rival"));  // interstitial: stays in the app, no VIEW intent
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  const UiTree blocked = dump();
  const UiNode* msg = by_id(blocked, "blocked_msg");
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->text, "如需浏览，请长按网址复制后使用浏览器访问");
  EXPECT_EQ(ok("logcat -d").out.find("dat=https://rival.example"), std::string::npos);
}

TEST_F(SimDeviceTest, PopupCountsDownShowsItsCloseLateAndComesBack) {
  launch();
  tap(by_id(dump(), "btn_ad"));
  UiTree first = dump();
  // A dialog window: the dump shows only the pop-up.
  EXPECT_EQ(by_id(first, "btn_settings"), nullptr);
  ASSERT_NE(by_id(first, "skip"), nullptr);
  EXPECT_EQ(by_id(first, "skip")->text, "跳过 2");
  EXPECT_EQ(by_id(first, "iv_close"), nullptr);
  // While the pop-up is up, taps outside it reach nothing.
  ok("input tap 540 450");
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");

  std::this_thread::sleep_for(1100ms);
  const UiTree later = dump();
  const UiNode* close = by_id(later, "iv_close");
  ASSERT_NE(close, nullptr) << "the close button appears after visible_after: 1";
  EXPECT_EQ(close->bounds, (Rect{840, 700, 940, 800}));
  std::this_thread::sleep_for(1000ms);
  EXPECT_EQ(by_id(dump(), "skip")->text, "跳过");

  tap(close);
  EXPECT_NE(by_id(dump(), "btn_settings"), nullptr) << "dismissed";
  std::this_thread::sleep_for(1200ms);
  UiTree again = dump();
  EXPECT_NE(by_id(again, "ad_card"), nullptr) << "reappear_after: 1 brings it back";
  EXPECT_EQ(by_id(again, "skip")->text, "跳过 2") << "a new pop-up counts down again";

  ok("input keyevent KEYCODE_BACK");  // BACK closes the pop-up, not the activity
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  EXPECT_NE(by_id(dump(), "btn_settings"), nullptr);
}

TEST_F(SimDeviceTest, TapOnBlankPartOfThePopupFollowsItsLink) {
  launch();
  tap(by_id(dump(), "btn_ad"));
  ok("input tap 300 1000");
  EXPECT_EQ(resumed(), "com.android.chrome/com.google.android.apps.chrome.Main");
  EXPECT_NE(ok("logcat -d -s ActivityTaskManager").out.find("dat=https://partner.example/ad"),
            std::string::npos);
}

TEST_F(SimDeviceTest, ToggleResetsOnForceStopUnlessPersistedAndPmClearResetsAll) {
  ok("am start -n com.uiw.test.device/.SettingsActivity");
  UiTree before = dump();
  EXPECT_TRUE(by_id(before, "personalised_switch")->checked);
  EXPECT_TRUE(by_id(before, "notifications_switch")->checked);
  EXPECT_NE(by_id(before, "recommended"), nullptr);
  tap(by_id(before, "personalised_switch"));
  tap(by_id(before, "notifications_switch"));
  UiTree after = dump();
  EXPECT_FALSE(by_id(after, "personalised_switch")->checked);
  EXPECT_FALSE(by_id(after, "notifications_switch")->checked);
  EXPECT_EQ(by_id(after, "recommended"), nullptr) << "visible_when follows the state";

  ok("am force-stop com.uiw.test.device");
  EXPECT_EQ(resumed(), "com.android.launcher3/.Launcher");
  ok("am start -n com.uiw.test.device/.SettingsActivity");
  UiTree relaunched = dump();
  EXPECT_TRUE(by_id(relaunched, "personalised_switch")->checked) << "persist: false resets";
  EXPECT_FALSE(by_id(relaunched, "notifications_switch")->checked) << "persist: true keeps";

  EXPECT_EQ(ok("pm clear com.uiw.test.device").out, "Success\n");
  ok("am start -n com.uiw.test.device/.SettingsActivity");
  EXPECT_TRUE(by_id(dump(), "notifications_switch")->checked) << "pm clear resets everything";
}

TEST_F(SimDeviceTest, ShakeAboveTheThresholdOnTheShakeScreenOpensTheLink) {
  launch();
  device_.set_acceleration(0, 9.81 + 3.5, 0);  // not on a motion screen: nothing
  device_.set_acceleration(0, 9.81, 0);
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  tap(by_id(dump(), "btn_shake"));
  device_.set_acceleration(1.0, 9.81 + 1.0, 0);  // below 3 m/s²
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  device_.set_acceleration(0, 9.81 + 3.5, 0);
  EXPECT_EQ(resumed(), "com.android.chrome/com.google.android.apps.chrome.Main");
  auto a = device_.acceleration();
  EXPECT_DOUBLE_EQ(a[1], 9.81 + 3.5);
  EXPECT_NE(ok("logcat -d").out.find("dat=https://partner.example/shake"), std::string::npos);
}

TEST_F(SimDeviceTest, DelayedOnShowOverlayAppearsAndOutsideTapDismissesIt) {
  launch();
  tap(by_id(dump(), "btn_shake"));
  EXPECT_EQ(by_id(dump(), "tip"), nullptr);
  std::this_thread::sleep_for(600ms);
  UiTree shown = dump();
  ASSERT_NE(by_id(shown, "tip"), nullptr) << shown.to_xml();
  EXPECT_NE(by_id(shown, "shake_prompt"), nullptr) << "a view pop-up joins the activity's dump";
  ok("input tap 540 100");  // outside the tip
  EXPECT_EQ(by_id(dump(), "tip"), nullptr);
}

TEST_F(SimDeviceTest, TypedTextGoesIntoTheFocusedField) {
  launch();
  ok("input text nothing%sfocused");
  EXPECT_EQ(by_id(dump(), "search")->text, "Search");
  tap(by_id(dump(), "search"));
  ok("input text hello%sworld");
  const UiTree tree = dump();
  EXPECT_EQ(by_id(tree, "search")->text, "hello world");
  EXPECT_TRUE(by_id(tree, "search")->focused);
  ok("input keyevent KEYCODE_DEL");
  EXPECT_EQ(by_id(dump(), "search")->text, "hello worl");
}

TEST_F(SimDeviceTest, SwipeScrollsTheScrollableNode) {
  launch();
  EXPECT_EQ(by_id(dump(), "item0")->bounds, (Rect{0, 1800, 1080, 2100}));
  EXPECT_EQ(by_id(dump(), "item2"), nullptr) << "below the list's bounds";
  ok("input swipe 540 2300 540 1900 100");
  UiTree tree = dump();
  EXPECT_EQ(by_id(tree, "item0"), nullptr) << "scrolled out of the list";
  ASSERT_NE(by_id(tree, "item1"), nullptr) << tree.to_xml();
  EXPECT_EQ(by_id(tree, "item1")->bounds, (Rect{0, 1800, 1080, 2000})) << "clipped to the list";
  ASSERT_NE(by_id(tree, "item2"), nullptr);
  EXPECT_EQ(by_id(tree, "item2")->bounds, (Rect{0, 2000, 1080, 2300}));
  ok("input swipe 540 1900 540 2400 100");  // back to the top, and no further
  EXPECT_EQ(by_id(dump(), "item0")->bounds, (Rect{0, 1800, 1080, 2100}));
}

TEST_F(SimDeviceTest, InputRejectsWhatAndroidRejects) {
  Result r = run("input frobnicate 1 2");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("Usage: input"), std::string::npos);
  EXPECT_EQ(run("input tap 1").status, 1);
  EXPECT_EQ(run("input keyevent KEYCODE_NOPE").status, 1);
  EXPECT_EQ(run("input").status, 1);
}

TEST_F(SimDeviceTest, RawScreencapHasTheAndroidHeader) {
  Result raw = ok("screencap");
  ASSERT_GE(raw.out.size(), 16u);
  uint32_t header[4];
  std::memcpy(header, raw.out.data(), 16);
  EXPECT_EQ(header[0], 1080u);
  EXPECT_EQ(header[1], 2400u);
  EXPECT_EQ(header[2], 1u);  // RGBA_8888
  EXPECT_EQ(header[3], 0u);  // colour space (sdk ≥ 28)
  EXPECT_EQ(raw.out.size(), 16u + 1080u * 2400u * 4u);

  Result png = ok("screencap -p");
  ASSERT_GT(png.out.size(), 8u);
  EXPECT_EQ(png.out.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  cv::Mat img = cv::imdecode(std::vector<uchar>(png.out.begin(), png.out.end()), cv::IMREAD_COLOR);
  EXPECT_EQ(img.cols, 1080);
  EXPECT_EQ(img.rows, 2400);

  ok("screencap -p /sdcard/shot.png");
  auto file = fs_.read("/sdcard/shot.png");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->substr(0, 4), "\x89PNG");
}

TEST_F(SimDeviceTest, ScreencapShowsWhatTheFixtureDraws) {
  launch();
  tap(by_id(dump(), "btn_ad"));
  Result png = ok("screencap -p");
  cv::Mat img = cv::imdecode(std::vector<uchar>(png.out.begin(), png.out.end()), cv::IMREAD_COLOR);
  ASSERT_FALSE(img.empty());
  // The ad card is #FF5722 (BGR 22,57,FF) under no dim of its own.
  cv::Vec3b px = img.at<cv::Vec3b>(1100, 300);
  EXPECT_NEAR(px[2], 0xFF, 12);
  EXPECT_NEAR(px[1], 0x57, 12);
  EXPECT_NEAR(px[0], 0x22, 12);
}

TEST_F(SimDeviceTest, UiautomatorDumpWritesTheFileWithTheFixturesBounds) {
  launch();
  Result r = ok("uiautomator dump");
  EXPECT_EQ(r.out, "UI hierchary dumped to: /sdcard/window_dump.xml\n");
  auto xml = fs_.read("/sdcard/window_dump.xml");
  ASSERT_NE(xml, nullptr);
  UiTree tree = UiTree::parse(*xml, "window_dump.xml");
  const UiNode* settings = by_id(tree, "btn_settings");
  ASSERT_NE(settings, nullptr);
  EXPECT_EQ(settings->bounds, (Rect{90, 400, 990, 540}));
  EXPECT_EQ(settings->class_name, "android.widget.Button");
  EXPECT_EQ(settings->package, kPkg);
  EXPECT_TRUE(settings->clickable);
  EXPECT_EQ(settings->text, "Settings");

  ok("uiautomator dump /sdcard/other.xml");
  EXPECT_NE(fs_.read("/sdcard/other.xml"), nullptr);
}

TEST_F(SimDeviceTest, PackageManagerListsAndDescribesPackages) {
  std::string all = ok("pm list packages").out;
  EXPECT_NE(all.find("package:com.uiw.test.device\n"), std::string::npos);
  EXPECT_NE(all.find("package:com.android.chrome\n"), std::string::npos);
  EXPECT_NE(all.find("package:com.android.launcher3\n"), std::string::npos);
  EXPECT_EQ(ok("pm list packages -3").out, "package:com.uiw.test.device\n");
  EXPECT_EQ(ok("pm path com.uiw.test.device").out.rfind("package:/data/app/", 0), 0u);
  EXPECT_EQ(run("pm path com.nope.nope").status, 1);
  std::string pkg = ok("dumpsys package com.uiw.test.device").out;
  EXPECT_NE(pkg.find("    versionCode=314 minSdk=21 targetSdk=34\n"), std::string::npos) << pkg;
  EXPECT_NE(pkg.find("    versionName=3.1.4\n"), std::string::npos);
}

TEST_F(SimDeviceTest, MonkeyLaunchesLikeTheRealOne) {
  Result r = ok("monkey -p com.uiw.test.device -c android.intent.category.LAUNCHER 1");
  EXPECT_NE(r.out.find("  bash arg: -p\n"), std::string::npos);
  EXPECT_NE(r.out.find("Events injected: 1\n"), std::string::npos);
  EXPECT_EQ(resumed(), "com.uiw.test.device/.MainActivity");
  Result missing = run("monkey -p com.nope.nope -c android.intent.category.LAUNCHER 1");
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.out.find("** No activities found to run, monkey aborted."), std::string::npos);
}

TEST_F(SimDeviceTest, LogcatFiltersTailsAndClears) {
  launch();
  std::string atm = ok("logcat -d -v threadtime ActivityTaskManager:I *:S").out;
  ASSERT_FALSE(atm.empty());
  static const std::regex line(
      R"(\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ [VDIWEF] ActivityTaskManager: .*)");
  size_t lines = 0;
  std::istringstream in(atm);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("--------- beginning of", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(l, line)) << l;
    ++lines;
  }
  EXPECT_GE(lines, 2u);
  std::string one = ok("logcat -t 1").out;
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 2) << one;  // header + one line
  ok("logcat -c");
  EXPECT_EQ(ok("logcat -d").out, "");
}

TEST_F(SimDeviceTest, StreamingLogcatFollowsNewLinesUntilTheClientGoes) {
  CapturedIo io;
  std::thread reader([&] { shell_.run("logcat -v threadtime", io); });
  ok("am start -a android.intent.action.VIEW -d https://stream.example/x");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (io.out().find("dat=https://stream.example/x") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  io.gone = true;
  reader.join();
  EXPECT_NE(io.out().find("dat=https://stream.example/x"), std::string::npos);
}

TEST_F(SimDeviceTest, PreviewShowsAnyScreenAloneAtTimeZero) {
  auto ids = device_.screen_ids(kPkg);
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(ids.front(), "home");
  uiw::sim::Scene ad = device_.preview_scene(kPkg, "ad");
  ASSERT_EQ(ad.layers.size(), 1u);
  EXPECT_TRUE(ad.layers[0].dialog_window);
  EXPECT_DOUBLE_EQ(ad.layers[0].dim, 0.6);
  ASSERT_EQ(ad.layers[0].nodes.size(), 2u) << "the close waits for visible_after";
  EXPECT_EQ(ad.layers[0].nodes[1].ui.text, "跳过 2");
  EXPECT_THROW(device_.preview_scene(kPkg, "nope"), uiw::Error);
  EXPECT_THROW(device_.preview_scene("com.nope", "home"), uiw::Error);
  EXPECT_EQ(resumed(), "com.android.launcher3/.Launcher") << "the device state is untouched";
}

TEST_F(SimDeviceTest, InstallingTheSamePackageTwiceIsAConfigError) {
  try {
    device_.install(uiw::test::source_path("fixtures/apps/test/device_test.yaml"));
    FAIL() << "no error";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("already installed"), std::string::npos);
  }
}

// Android 8.1 answers in the older formats.
class SimDeviceOreoTest : public SimDeviceTest {
 protected:
  static DeviceProfile oreo() {
    DeviceProfile p;
    p.sdk = 27;
    p.release = "8.1.0";
    p.width = 720;
    p.height = 1280;
    p.density = 320;
    return p;
  }
  SimDeviceOreoTest() : SimDeviceTest(oreo()) {}
};

TEST_F(SimDeviceOreoTest, UsesMResumedActivityActivityManagerAndTheShortScreencapHeader) {
  ok("am start -n com.uiw.test.device/.MainActivity");
  std::string dump = ok("dumpsys activity activities").out;
  EXPECT_NE(dump.find("  mResumedActivity: ActivityRecord{"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("topResumedActivity"), std::string::npos);
  Result raw = ok("screencap");
  EXPECT_EQ(raw.out.size(), 12u + 720u * 1280u * 4u);
  EXPECT_NE(ok("logcat -d -s ActivityManager")
                .out.find(" I ActivityManager: START u0 {flg=0x10000000 "
                          "cmp=com.uiw.test.device/.MainActivity}"),
            std::string::npos);
}

}  // namespace

// Every catalogue app launches, and tapping each control it shows (in a fresh device each time)
// leaves a device that still answers: no crash, a dump that parses, a resumed activity.
TEST(SimDeviceCatalogue, EveryAppSurvivesTappingEachOfItsControls) {
  namespace fs = std::filesystem;
  int apps = 0;
  for (const auto& entry : fs::directory_iterator(uiw::test::source_path("fixtures/apps"))) {
    if (entry.path().extension() != ".yaml" || entry.path().filename() == "catalogue.yaml")
      continue;
    ++apps;
    std::string package;
    size_t controls = 1;
    for (size_t i = 0; i < controls; ++i) {
      VirtualFs fs;
      SimDevice device({}, fs);
      device.install(entry.path().string());
      package = device.packages().back().name;
      ASSERT_TRUE(device.launch(package).ok) << entry.path();
      std::this_thread::sleep_for(10ms);
      UiTree tree = device.ui_tree();
      auto clickable = tree.find_all([](const UiNode& n) { return n.clickable; });
      controls = clickable.size();
      if (i >= clickable.size()) break;
      device.tap(clickable[i]->bounds.center_x(), clickable[i]->bounds.center_y());
      device.key_event(4);
      EXPECT_NO_THROW(UiTree::parse(device.ui_tree().to_xml())) << entry.path() << " control " << i;
      EXPECT_FALSE(device.tasks().empty());
    }
  }
  EXPECT_GT(apps, 0);
}
