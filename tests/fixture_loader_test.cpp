// Fixture apps as their authors meet them: a file that follows fixtures/apps/README.md loads
// with everything it says, and every mistake names FILE:LINE:COL and what is wrong.
#include "simdevice/fixture_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "common/error.h"
#include "tests/support/paths.h"

namespace {

using uiw::sim::ActionKind;
using uiw::sim::AppModel;
using uiw::sim::FixtureLoader;
using uiw::sim::LinkHandling;

AppModel load(const std::string& yaml) {
  return FixtureLoader::load_text(yaml, "app.yaml", "/tmp");
}

// The message of the kConfig error loading `yaml` throws ("" when it loads).
std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kConfig) << e.what();
    return e.what();
  }
  return "";
}

const char* kHead =
    "package: com.example.app\n"  // 1
    "activities:\n"               // 2
    "  .Main: {screen: home}\n"   // 3
    "screens:\n"                  // 4
    "  home:\n"                   // 5
    "    nodes:\n";               // 6

TEST(FixtureLoader, LoadsEverythingTheReadmeDescribes) {
  AppModel app = load(R"(package: com.uiw.fixture.splash
label: 开屏广告
version_name: 2.3.1
version_code: 231
launcher: .MainActivity
state:
  personalised: {initial: true, persist: false}
  kept: {initial: false, persist: true}
links:
  - {match: "^https://partner\\.example/", handle: browser}
  - {match: "^https://rival\\.example/", handle: interstitial, screen: blocked}
  - {match: "^https://news\\.example/", handle: webview, activity: .WebActivity, screen: web}
  - {match: ".*", handle: ignore}
deep_links:
  - {match: "^uiwfixture://splash", start: .MainActivity}
motion:
  screens: [splash]
  min_acceleration: 3.0
  action: {open_url: "https://ad.example/landing"}
activities:
  .MainActivity: {screen: splash}
  com.uiw.fixture.splash.WebActivity: {screen: web}
screens:
  splash:
    background: "#000000"
    status_bar: false
    on_show:
      - {overlay: ad-popup, after: 1.5}
    nodes:
      - class: android.widget.Button
        text: "跳过 {n}"
        id: btn_skip
        desc: Skip
        bounds: [90, 1900, 990, 2040]
        checkable: true
        checked: {state: personalised}
        visible_after: 5
        visible_when: {state: kept, is: false}
        countdown: 5
        countdown_done_text: "跳过"
        in_tree: false
        style: {background: "#FF5722", color: "#80FFFFFF", font_size: 18, bold: true,
                corner_radius: 8, opacity: 0.25, gravity: left, border: "#CCCCCC",
                border_width: 1, glyph: circled_cross, glyph_color: "#FFFFFF"}
        on_tap: [{dismiss: true}, {toggle: personalised, after: 2}]
        on_long_press: {set: {personalised: false, kept: true}}
        children:
          - {text: inner, bounds: [100, 1910, 200, 2000], id: "other.pkg:id/x"}
  ad-popup:
    overlay: true
    window: dialog
    dim: 0.6
    reappear_after: 3
    outside_tap: dismiss
    nodes:
      - {bounds: [0, 0, 10, 10], on_tap: {start: .WebActivity}}
      - {bounds: [0, 0, 10, 10], on_tap: {start: "com.other/.Main"}}
      - {bounds: [0, 0, 10, 10], on_tap: [{screen: web}, {back: true}, {finish: true}, {nothing: true}]}
  blocked: {nodes: []}
  web: {}
)");
  EXPECT_EQ(app.package, "com.uiw.fixture.splash");
  EXPECT_EQ(app.label, "开屏广告");
  EXPECT_EQ(app.version_name, "2.3.1");
  EXPECT_EQ(app.version_code, 231);
  EXPECT_EQ(app.launcher, "com.uiw.fixture.splash.MainActivity");
  EXPECT_TRUE(app.states.at("personalised").initial);
  EXPECT_TRUE(app.states.at("kept").persist);
  ASSERT_EQ(app.links.size(), 4u);
  EXPECT_EQ(app.links[1].handle, LinkHandling::kInterstitial);
  EXPECT_EQ(app.links[2].activity, "com.uiw.fixture.splash.WebActivity");
  EXPECT_TRUE(std::regex_search("https://partner.example/x", app.links[0].regex));
  ASSERT_EQ(app.deep_links.size(), 1u);
  ASSERT_TRUE(app.motion);
  EXPECT_DOUBLE_EQ(app.motion->min_acceleration, 3.0);
  EXPECT_EQ(app.motion->actions[0].kind, ActionKind::kOpenUrl);

  const auto* splash = app.find_screen("splash");
  ASSERT_NE(splash, nullptr);
  EXPECT_FALSE(splash->status_bar);
  EXPECT_EQ(splash->background->r, 0);
  ASSERT_EQ(splash->on_show.size(), 1u);
  EXPECT_DOUBLE_EQ(splash->on_show[0].after, 1.5);
  const auto& n = splash->nodes.at(0);
  EXPECT_EQ(n.resource_id, "com.uiw.fixture.splash:id/btn_skip");
  EXPECT_EQ(n.bounds, (uiw::detectors::Rect{90, 1900, 990, 2040}));
  EXPECT_EQ(n.checked_state, "personalised");
  EXPECT_EQ(n.visible_when_state, "kept");
  EXPECT_FALSE(n.visible_when_is);
  EXPECT_EQ(*n.countdown, 5);
  EXPECT_FALSE(n.in_tree);
  EXPECT_TRUE(n.clickable) << "on_tap makes a node clickable by default";
  EXPECT_EQ(n.style.text_color.a, 0x80);
  EXPECT_EQ(n.style.glyph, uiw::sim::Glyph::kCircledCross);
  EXPECT_EQ(n.style.gravity, uiw::sim::Gravity::kLeft);
  ASSERT_EQ(n.on_tap.size(), 2u);
  EXPECT_DOUBLE_EQ(n.on_tap[1].after, 2);
  EXPECT_EQ(n.on_long_press[0].values.at("kept"), true);
  EXPECT_EQ(n.children.at(0).resource_id, "other.pkg:id/x");
  EXPECT_EQ(n.children.at(0).class_name, "android.widget.TextView");

  const auto* popup = app.find_screen("ad-popup");
  EXPECT_TRUE(popup->overlay);
  EXPECT_TRUE(popup->dialog_window);
  EXPECT_DOUBLE_EQ(popup->dim, 0.6);
  EXPECT_DOUBLE_EQ(popup->reappear_after, 3);
  ASSERT_EQ(popup->outside_tap.size(), 1u);
  EXPECT_EQ(popup->nodes[0].class_name, "android.view.View");
  EXPECT_EQ(popup->nodes[0].on_tap[0].target,
            "com.uiw.fixture.splash/com.uiw.fixture.splash.WebActivity");
  EXPECT_EQ(popup->nodes[1].on_tap[0].target, "com.other/com.other.Main");
  EXPECT_EQ(popup->nodes[2].on_tap.size(), 4u);
}

TEST(FixtureLoader, YamlSyntaxErrorNamesTheLine) {
  std::string e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1]\n");
  EXPECT_EQ(e.rfind("app.yaml:8:1: YAML syntax error", 0), 0u) << e;
}

TEST(FixtureLoader, UnknownKeyIsNamedWithTheAllowedOnes) {
  std::string e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1], colour: red}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:32: unknown key `colour` in a node; allowed: class, text, id", 0),
            0u)
      << e;
  e = error_of("package: com.example.app\npackge: x\n");
  EXPECT_EQ(e.rfind("app.yaml:2:1: unknown key `packge`", 0), 0u) << e;
}

TEST(FixtureLoader, BadColourIsRejectedWhereItIsWritten) {
  std::string e = error_of(std::string(kHead) +
                           "      - bounds: [0, 0, 1, 1]\n"
                           "        style: {background: \"#GG0000\"}\n");
  EXPECT_EQ(e.rfind("app.yaml:8:29: `background`: ", 0), 0u) << e;
}

TEST(FixtureLoader, BoundsMustBeFourIntegers) {
  std::string e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1]}\n");
  EXPECT_EQ(e, "app.yaml:7:18: `bounds` must be 4 integers: [left, top, right, bottom]");
  e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1.5, 4]}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:25: `bounds` must be 4 integers", 0), 0u) << e;
  e = error_of(std::string(kHead) + "      - {text: hi}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:9: a node needs `bounds:", 0), 0u) << e;
}

TEST(FixtureLoader, ActionsMustNameWhatExists) {
  std::string e =
      error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1], on_tap: {screen: nowhere}}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:49: `screen` names screen \"nowhere\", which is not defined", 0),
            0u)
      << e;
  e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1], on_tap: {overlay: home}}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:50: `overlay`: screen \"home\" is not an overlay", 0), 0u) << e;
  e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1], on_tap: {start: .Gone}}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:48: `start` names activity \"com.example.app.Gone\"", 0), 0u) << e;
  e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1], on_tap: {toggle: ghost}}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:49: `toggle` names state \"ghost\"", 0), 0u) << e;
  e = error_of(std::string(kHead) + "      - {bounds: [0, 0, 1, 1], on_tap: {fly: true}}\n");
  EXPECT_EQ(e.rfind("app.yaml:7:41: unknown action `fly`; allowed: start, screen", 0), 0u) << e;
  e = error_of(
      "package: com.example.app\nactivities:\n  .Main: {screen: nope}\nscreens:\n"
      "  home: {}\n");
  EXPECT_EQ(e.rfind("app.yaml:3:19: `screen` names screen \"nope\"", 0), 0u) << e;
}

TEST(FixtureLoader, RegexThatDoesNotCompileIsRejected) {
  std::string e = error_of(std::string(kHead) +
                           "      - {bounds: [0, 0, 1, 1]}\n"
                           "links:\n"
                           "  - {match: \"(unclosed\", handle: browser}\n");
  EXPECT_EQ(e.rfind("app.yaml:9:13: `match`: \"(unclosed\" is not a valid regular expression", 0),
            0u)
      << e;
}

TEST(FixtureLoader, MissingImageIsReportedWithItsResolvedPath) {
  std::string e = error_of(std::string(kHead) +
                           "      - {bounds: [0, 0, 1, 1], style: {image: missing/banner.png}}\n");
  EXPECT_EQ(e, "app.yaml:7:47: `image`: file /tmp/missing/banner.png does not exist");
}

TEST(FixtureLoader, LoadFileResolvesImagesNextToTheYamlAndNamesTheFileInErrors) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(testing::TempDir()) / "fixture_loader_test";
  fs::create_directories(dir / "images");
  cv::imwrite((dir / "images" / "banner.png").string(),
              cv::Mat(4, 4, CV_8UC3, cv::Scalar(0, 0, 255)));
  {
    std::ofstream(dir / "good.yaml")
        << kHead << "      - {bounds: [0, 0, 1, 1], style: {image: images/banner.png}}\n";
    std::ofstream(dir / "bad.yaml") << kHead << "      - {bounds: [0, 0, 1, 1], enabled: maybe}\n";
  }
  AppModel app = FixtureLoader::load_file((dir / "good.yaml").string());
  EXPECT_EQ(app.screens[0].nodes[0].style.image_path, (dir / "images" / "banner.png").string());
  try {
    FixtureLoader::load_file((dir / "bad.yaml").string());
    FAIL() << "no error";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "bad.yaml").string() +
                                         ":7:41: `enabled` must be true or false, not \"maybe\"");
  }
  try {
    FixtureLoader::load_file((dir / "none.yaml").string());
    FAIL() << "no error";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kConfig);
  }
}

TEST(FixtureLoader, EveryCatalogueAppLoads) {
  namespace fs = std::filesystem;
  int loaded = 0;
  for (const fs::path& dir : {fs::path(uiw::test::source_path("fixtures/apps")),
                              fs::path(uiw::test::source_path("fixtures/apps/test"))}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".yaml" || entry.path().filename() == "catalogue.yaml")
        continue;
      EXPECT_NO_THROW(FixtureLoader::load_file(entry.path().string())) << entry.path();
      ++loaded;
    }
  }
  EXPECT_GE(loaded, 1);
}

}  // namespace
