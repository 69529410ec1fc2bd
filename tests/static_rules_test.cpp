// The static rule set on the fixture catalogue's frames, rendered as the simulator's screencap
// shows them and dumped as its uiautomator does: every seeded violation a single frame can prove
// is found, with the tree and from the pixels alone, and compliant screens give no finding.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <string>

#include "detectors/annotator.h"
#include "detectors/close_control_finder.h"
#include "detectors/contrast.h"
#include "detectors/link_block_recognizer.h"
#include "detectors/ocr_service.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "detectors/topic_control_finder.h"
#include "simdevice/scene_dump.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"
#include "tests/support/catalogue.h"
#include "tests/support/frame_report.h"
#include "tests/support/paths.h"

namespace uiw::detectors {
namespace {

using test::describe;
using test::rules_of;

// Rules one frame can prove; the others need the harness's probes (issue 5).
const std::set<std::string> kStaticRules = {"POP-01", "POP-02", "POP-03", "POP-04",
                                            "POP-08", "CON-01", "CON-02"};

class StaticRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    profile_ = std::make_unique<RuleProfile>(
        RuleProfile::load(test::source_path("profiles/miit-2023.yaml")));
    ocr_ = std::make_unique<OcrService>(1);
    fs_ = std::make_unique<sim::VirtualFs>();
    dev_ = std::make_unique<sim::SimDevice>(sim::DeviceProfile{}, *fs_);
    for (const test::CatalogueEntry& e : test::load_catalogue())
      dev_->install(test::apps_dir() + "/" + e.file);
    renderer_ = std::make_unique<sim::ScreenRenderer>();
  }
  static void TearDownTestSuite() {
    renderer_.reset();
    dev_.reset();
    fs_.reset();
    ocr_.reset();
    profile_.reset();
  }

  // The screen as the phone shows it: an overlay (pop-up) is drawn over the entry's first
  // full-screen screen, dimmed, as it appears after launch.
  static Frame frame_of(const test::CatalogueEntry& e, const std::string& screen) {
    sim::Scene scene = dev_->preview_scene(e.package, screen);
    const sim::SceneLayer& top = scene.layers.back();
    if (!top.background && top.recorded_image.empty()) {
      for (const std::string& base : e.screens) {
        sim::Scene under = dev_->preview_scene(e.package, base);
        if (under.layers.back().background || !under.layers.back().recorded_image.empty()) {
          under.layers.push_back(top);
          scene = std::move(under);
          break;
        }
      }
    }
    Frame f;
    f.image = renderer_->render(scene);
    f.tree = sim::scene_to_tree(scene);
    f.density_dpi = scene.density;
    f.action = "launch";
    if (const char* dir = std::getenv("UIW_SAVE_FRAMES"))  // for looking at a failure
      cv::imwrite(std::string(dir) + "/" + e.package + "-" + screen + ".png", f.image);
    return f;
  }

  static FrameReport check(const Frame& frame) {
    return StaticRuleSet(*profile_, ocr_.get()).check(frame);
  }

  static Frame without_tree(Frame f) {
    f.tree.reset();
    return f;
  }

  static std::unique_ptr<RuleProfile> profile_;
  static std::unique_ptr<OcrService> ocr_;
  static std::unique_ptr<sim::VirtualFs> fs_;
  static std::unique_ptr<sim::SimDevice> dev_;
  static std::unique_ptr<sim::ScreenRenderer> renderer_;
};

std::unique_ptr<RuleProfile> StaticRulesTest::profile_;
std::unique_ptr<OcrService> StaticRulesTest::ocr_;
std::unique_ptr<sim::VirtualFs> StaticRulesTest::fs_;
std::unique_ptr<sim::SimDevice> StaticRulesTest::dev_;
std::unique_ptr<sim::ScreenRenderer> StaticRulesTest::renderer_;

TEST_F(StaticRulesTest, EverySeededStaticViolationIsFoundWithTheTreeAndFromPixelsAlone) {
  int checked = 0;
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    if (e.variant != "violating") continue;
    const Frame frame = frame_of(e, e.screens.front());
    for (const bool with_tree : {true, false}) {
      SCOPED_TRACE(e.file + " " + e.screens.front() + (with_tree ? " (tree)" : " (pixels only)"));
      const FrameReport report = check(with_tree ? frame : without_tree(frame));
      const std::set<std::string> found = rules_of(report);
      for (const std::string& rule : e.rules) {
        if (!kStaticRules.count(rule)) continue;
        EXPECT_TRUE(found.count(rule)) << rule << " not found:" << describe(report);
        ++checked;
      }
      for (const std::string& rule : e.complies_with)
        EXPECT_FALSE(found.count(rule))
            << rule << " reported on a screen that complies:" << describe(report);
    }
  }
  EXPECT_GE(checked, 12) << "every static rule has a violating fixture, checked in two modes";
}

TEST_F(StaticRulesTest, CompliantScreensAndPlainHomeScreensGiveNoFinding) {
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    for (const std::string& screen : e.screens) {
      if (e.variant != "compliant" && screen != "home") continue;
      const Frame frame = frame_of(e, screen);
      for (const bool with_tree : {true, false}) {
        SCOPED_TRACE(e.file + " " + screen + (with_tree ? " (tree)" : " (pixels only)"));
        const FrameReport report = check(with_tree ? frame : without_tree(frame));
        EXPECT_TRUE(rules_of(report).empty()) << describe(report);
      }
    }
  }
}

TEST_F(StaticRulesTest, FindingsCarryRegulationMeasuredValueAndThreshold) {
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    if (e.file != "popup_tiny_close.yaml") continue;
    const FrameReport report = check(frame_of(e, e.screens.front()));
    ASSERT_EQ(rules_of(report), std::set<std::string>{"POP-02"}) << describe(report);
    const Finding& f = report.findings.front();
    EXPECT_EQ(f.severity, Severity::kViolation);
    EXPECT_NE(f.regulation.find("SAMR"), std::string::npos);
    ASSERT_TRUE(f.value && f.threshold);
    EXPECT_EQ(*f.threshold, 24);
    EXPECT_GT(*f.value, 6);  // the × is a 12 dp control with ~8 dp of ink
    EXPECT_LT(*f.value, 16);
    EXPECT_EQ(f.unit, "dp");
    ASSERT_EQ(f.boxes.size(), 1u);
    EXPECT_TRUE(Rect({880, 712, 928, 760}).contains(f.boxes[0].center_x(), f.boxes[0].center_y()))
        << f.boxes[0].to_bounds_string();
  }
}

TEST_F(StaticRulesTest, ShakeAndLinkBlockingScreensAreRecognisedForTheProbes) {
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    SCOPED_TRACE(e.file);
    if (e.file == "shake_sensitive.yaml" || e.file == "shake_compliant.yaml") {
      EXPECT_TRUE(check(frame_of(e, "splash")).has("shake_prompt"));
    } else if (e.file == "im_link_blocking.yaml") {
      EXPECT_TRUE(check(frame_of(e, "link-blocked")).has("link_blocking"));
    } else if (e.file == "im_link_stopped.yaml") {
      EXPECT_TRUE(check(frame_of(e, "link-stopped")).has("link_blocking"));
    } else if (e.file == "im_compliant.yaml") {
      EXPECT_FALSE(check(frame_of(e, "chat")).has("link_blocking"));
    }
  }
}

TEST_F(StaticRulesTest, LinkBlockingPagesAreRecognisedFromTreeAndPixels) {
  const LinkBlockRecognizer recognizer(*profile_, ocr_.get());
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    std::string blocked;
    if (e.file == "im_link_blocking.yaml") blocked = "link-blocked";
    if (e.file == "im_link_stopped.yaml") blocked = "link-stopped";
    if (blocked.empty()) continue;
    SCOPED_TRACE(e.file);
    const Frame frame = frame_of(e, blocked);
    EXPECT_TRUE(recognizer.recognize(frame));
    EXPECT_TRUE(recognizer.recognize(without_tree(frame)));
    EXPECT_FALSE(recognizer.recognize(frame_of(e, "chat")));
    EXPECT_FALSE(recognizer.recognize(without_tree(frame_of(e, "chat"))));
  }
}

// The personalisation switch or checkbox of the settings and consent fixtures, with its state,
// in the tree and in the pixels; screens without one give none.
TEST_F(StaticRulesTest, FindsThePersonalisationControlAndItsState) {
  const std::map<std::pair<std::string, std::string>, bool> expected = {
      {{"settings_not_persisted.yaml", "settings"}, true},
      {{"settings_deep.yaml", "feed-settings"}, true},
      {{"news_compliant.yaml", "settings"}, true},
      {{"consent_preticked.yaml", "consent"}, true},
      {{"consent_compliant.yaml", "consent"}, false},
      {{"settings_default_on.yaml", "settings"}, true},
      {{"settings_default_off.yaml", "settings"}, false},
  };
  const TopicControlFinder finder(*profile_, profile_->vocabulary("personalisation"), ocr_.get());
  int found = 0;
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    for (const std::string& screen : e.screens) {
      const Frame frame = frame_of(e, screen);
      const auto want = expected.find({e.file, screen});
      // Pixels only on the screens with a control and on the home screens (full-page OCR of
      // every screen would make this test slow, not stricter).
      const bool pixels_too = want != expected.end() || screen == "home";
      for (const bool with_tree : {true, false}) {
        if (!with_tree && !pixels_too) continue;
        SCOPED_TRACE(e.file + " " + screen + (with_tree ? " (tree)" : " (pixels only)"));
        const std::optional<TopicControl> c = finder.find(with_tree ? frame : without_tree(frame));
        if (want == expected.end()) {
          EXPECT_FALSE(c && c->checkable) << c->label;
          continue;
        }
        ASSERT_TRUE(c);
        EXPECT_TRUE(c->checkable) << c->label;
        EXPECT_EQ(c->checked, std::optional<bool>(want->second)) << c->label;
        found += c->checkable;
      }
    }
  }
  EXPECT_EQ(found, 14);
}

TEST_F(StaticRulesTest, AnnotatedFrameMarksEachFindingAndLeavesTheRawFrameAlone) {
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    if (e.file != "popup_tiny_close.yaml") continue;
    const Frame frame = frame_of(e, e.screens.front());
    const cv::Mat raw = frame.image.clone();
    const FrameReport report = check(frame);
    ASSERT_EQ(report.findings.size(), 1u);
    const cv::Mat annotated = annotate(frame.image, report.findings);
    EXPECT_EQ(cv::norm(raw, frame.image, cv::NORM_INF), 0) << "the raw frame is untouched";
    ASSERT_EQ(annotated.size(), raw.size());
    const Rect box = report.findings[0].boxes[0];
    // The outline is drawn around the box; far from it nothing changes.
    const cv::Rect around(box.left - 8, box.top - 60, box.width() + 16, box.height() + 68);
    EXPECT_GT(cv::norm(raw(around), annotated(around), cv::NORM_L1), 1000);
    const cv::Rect far(0, 1800, 1080, 400);
    EXPECT_EQ(cv::norm(raw(far), annotated(far), cv::NORM_INF), 0);
    EXPECT_EQ(short_label(report.findings[0]).rfind("POP-02 ", 0), 0u);
  }
}

// White "Skip" on a dark pill over a bright orange ad: the pill against the orange is under 3:1,
// the label against the pill is not, and the label is what the user reads.
TEST_F(StaticRulesTest, ALabelOnItsOwnDarkPillIsNotFaint) {
  Frame f;
  f.image = cv::Mat(2400, 1080, CV_8UC3, cv::Scalar(0, 0x6F, 0xFF));
  const Rect pill{860, 100, 1040, 190};
  cv::rectangle(f.image, to_cv(pill), cv::Scalar(0, 0x2C, 0x66), cv::FILLED);
  cv::putText(f.image, "Skip", cv::Point(890, 162), cv::FONT_HERSHEY_SIMPLEX, 1.6,
              cv::Scalar(255, 255, 255), 3);
  UiNode skip;
  skip.text = "Skip";
  skip.resource_id = "com.app:id/btn_skip";
  skip.clickable = true;
  skip.bounds = pill;
  UiNode root;
  root.bounds = f.bounds();
  root.children = {skip};
  f.tree = UiTree(0, {root});
  f.density_dpi = 420;
  const std::vector<CloseControl> closes =
      CloseControlFinder(*profile_).find(f, f.bounds(), tree_text(*f.tree, f.bounds()));
  ASSERT_FALSE(closes.empty());
  EXPECT_GT(closes.front().contrast, 4.5);
  EXPECT_LT(element_contrast(f.image, pill).ratio, 3.0) << "the pill alone is faint";
}

TEST_F(StaticRulesTest, AThresholdComesFromTheProfileNotTheCode) {
  std::string yaml;
  {
    std::ifstream in(test::source_path("profiles/miit-2023.yaml"));
    yaml.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string from = "params: {min_size_dp: 24}";
  ASSERT_NE(yaml.find(from), std::string::npos);
  yaml.replace(yaml.find(from), from.size(), "params: {min_size_dp: 8}");
  const RuleProfile lenient = RuleProfile::parse(yaml, "lenient.yaml");
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    if (e.file != "popup_tiny_close.yaml") continue;
    const Frame frame = frame_of(e, e.screens.front());
    EXPECT_TRUE(rules_of(StaticRuleSet(lenient, ocr_.get()).check(frame)).empty());
  }
}

// A screenshot that is a screen recording of the phone: the phone's image, scaled down, in the
// middle of a dark desktop with another window beside it. The rules run on the phone's screen at
// the density its width implies, and the boxes come back in the recording's pixels.
TEST_F(StaticRulesTest, PreselectedConsentIsFoundInAScreenRecordingOfThePhone) {
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    if (e.file != "consent_preticked.yaml") continue;
    const Frame phone = frame_of(e, e.screens.front());
    cv::Mat recording(1080, 1920, CV_8UC3, cv::Scalar(8, 8, 8));
    cv::Mat scaled;
    const double f = 1000.0 / phone.image.rows;
    cv::resize(phone.image, scaled, {}, f, f, cv::INTER_AREA);
    const Rect at{(1920 - scaled.cols) / 2, 40, (1920 + scaled.cols) / 2, 40 + scaled.rows};
    scaled.copyTo(recording(to_cv(at)));
    cv::rectangle(recording, {1500, 200, 240, 300}, cv::Scalar(70, 60, 60), cv::FILLED);
    Frame frame;
    frame.image = recording;
    frame.density_dpi = guess_density_dpi(recording.cols, recording.rows);
    const FrameReport report = check(frame);
    ASSERT_TRUE(rules_of(report).count("CON-01")) << describe(report);
    for (const Finding& finding : report.findings)
      for (const Rect& b : finding.boxes)
        EXPECT_EQ(b.intersect(at), b) << finding.rule << " box " << b.to_bounds_string();
    return;
  }
  FAIL() << "consent_preticked.yaml is not in the catalogue";
}

// Screenshot only, nothing else on the page: what the top corners say decides. An ad disclosure
// there ("Ad") makes the screen a full-screen ad; a store's "Google Play" title does not, and
// neither does the stub of a word that the corner's edge cuts ("Upload" cut before "ad").
TEST_F(StaticRulesTest, AnAdDisclosureAtATopCornerMakesAFullScreenAd) {
  auto page = [](const std::string& text, int x) {
    Frame f;
    f.image = cv::Mat(1920, 1080, CV_8UC3, cv::Scalar(250, 250, 250));
    cv::putText(f.image, text, {x, 170}, cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(40, 40, 40), 4,
                cv::LINE_AA);
    f.density_dpi = 480;
    return f;
  };
  auto full_screen_ad = [](const FrameReport& r) {
    for (const Observation* o : r.all("popup"))
      if (o->detail.find("ad disclosure") != std::string::npos) return true;
    return false;
  };
  const FrameReport ad = check(page("Ad", 900));
  EXPECT_TRUE(full_screen_ad(ad)) << describe(ad);
  const FrameReport store = check(page("Google Play", 40));
  EXPECT_FALSE(full_screen_ad(store)) << describe(store);
  // The top-right corner is read from x = 702 (13/20 of the width): "Uplo" falls left of it.
  int baseline = 0;
  const int uplo = cv::getTextSize("Uplo", cv::FONT_HERSHEY_SIMPLEX, 2.0, 4, &baseline).width;
  const FrameReport cut = check(page("Upload", 702 - uplo + 4));
  EXPECT_FALSE(full_screen_ad(cut)) << describe(cut);
}

// Splash ads put their skip and countdown in a top corner or low on the right, on the logo strip.
// Screenshot only, "SKIP 3s" there makes the screen a full-screen ad with a skip control, and the
// skip being there means no POP-08 at this moment. The same on a real splash (StarMaker, a
// screen recording of the phone: fixtures/recorded/aidui/README.md).
TEST_F(StaticRulesTest, ASkipCountdownAtTheBottomRightMakesASplashAd) {
  Frame splash;
  splash.image = cv::Mat(2400, 1080, CV_8UC3, cv::Scalar(180, 120, 250));
  cv::rectangle(splash.image, cv::Rect(0, 2080, 1080, 320), cv::Scalar(255, 255, 255), cv::FILLED);
  cv::putText(splash.image, "MEGA SALE", {200, 1000}, cv::FONT_HERSHEY_SIMPLEX, 4.0,
              cv::Scalar(255, 255, 255), 10, cv::LINE_AA);
  cv::rectangle(splash.image, cv::Rect(800, 2250, 240, 90), cv::Scalar(200, 200, 200), 3,
                cv::LINE_AA);
  cv::putText(splash.image, "SKIP 3s", {828, 2310}, cv::FONT_HERSHEY_SIMPLEX, 1.4,
              cv::Scalar(40, 40, 40), 3, cv::LINE_AA);
  splash.density_dpi = 420;
  Frame recording;
  recording.image = cv::imread(
      test::source_path("fixtures/recorded/aidui/starmaker-splash-skip.jpg"), cv::IMREAD_COLOR);
  ASSERT_FALSE(recording.image.empty());
  recording.density_dpi = guess_density_dpi(recording.image.cols, recording.image.rows);
  for (const Frame& frame : {splash, recording}) {
    const FrameReport report = check(frame);
    const auto popups = report.all("popup");
    ASSERT_EQ(popups.size(), 1u) << describe(report);
    EXPECT_NE(popups.front()->detail.find("full-screen ad: countdown"), std::string::npos)
        << describe(report);
    const auto countdowns = report.all("countdown");
    ASSERT_EQ(countdowns.size(), 1u) << describe(report);
    EXPECT_GT(countdowns.front()->box.left, frame.image.cols / 2) << describe(report);
    EXPECT_TRUE(report.has("close_control")) << describe(report);
    EXPECT_FALSE(rules_of(report).count("POP-08")) << describe(report);
  }
}

// A pre-ticked consent box on the page under a modal pop-up cannot be acted on while the pop-up
// is up: the pop-up (and a margin) is searched, in the pixels and in the tree, so the box is
// neither reported nor observed then; the same page without the pop-up is reported.
TEST_F(StaticRulesTest, ConsentUnderAModalPopupIsLeftForWhenThePopupIsGone) {
  for (const test::CatalogueEntry& e : test::load_catalogue()) {
    if (e.file != "consent_preticked.yaml") continue;
    const Frame with_tree = frame_of(e, e.screens.front());
    const Frame page = without_tree(with_tree);
    ASSERT_TRUE(rules_of(check(page)).count("CON-01")) << describe(check(page));

    Frame modal = page;
    modal.image = page.image * 0.35;
    const Rect card{140, 420, 940, 1200};
    const Rect near_card{card.left - 80, card.top - 80, card.right + 80, card.bottom + 80};
    cv::rectangle(modal.image, to_cv(card), cv::Scalar(255, 255, 255), cv::FILLED);
    cv::putText(modal.image, "Go Premium", {290, 620}, cv::FONT_HERSHEY_SIMPLEX, 2.2,
                cv::Scalar(30, 30, 30), 5);
    cv::rectangle(modal.image, cv::Rect(240, 960, 600, 140), cv::Scalar(40, 80, 240), cv::FILLED);
    cv::putText(modal.image, "Subscribe", {345, 1055}, cv::FONT_HERSHEY_SIMPLEX, 2.0,
                cv::Scalar(255, 255, 255), 5);
    cv::putText(modal.image, "No thanks", {420, 1160}, cv::FONT_HERSHEY_SIMPLEX, 1.3,
                cv::Scalar(150, 150, 150), 3);
    cv::line(modal.image, {860, 460}, {910, 510}, cv::Scalar(120, 120, 120), 5);
    cv::line(modal.image, {910, 460}, {860, 510}, cv::Scalar(120, 120, 120), 5);
    const FrameReport report = check(modal);
    const std::vector<const Observation*> popups = report.all("popup");
    ASSERT_EQ(popups.size(), 1u) << describe(report);
    EXPECT_GE(popups.front()->box.intersect(card).area(), card.area() * 9 / 10)
        << popups.front()->box.to_bounds_string();
    // What the pop-up shows is still checked (its filled "Subscribe" over a plain "No thanks").
    EXPECT_TRUE(rules_of(report).count("CON-01")) << describe(report);
    for (const Finding& f : report.findings)
      for (const Rect& b : f.boxes)
        EXPECT_EQ(b.intersect(near_card), b) << f.rule << ": " << f.message;
    EXPECT_FALSE(report.has("selection_mark")) << describe(report);

    // The same with the page's tree (the pop-up drawn by a window the dump does not show): its
    // checked boxes lie under the pop-up too.
    Frame tree_frame = modal;
    tree_frame.tree = with_tree.tree;
    const FrameReport from_tree = check(tree_frame);
    ASSERT_EQ(from_tree.all("popup").size(), 1u) << describe(from_tree);
    for (const Finding& f : from_tree.findings)
      for (const Rect& b : f.boxes)
        EXPECT_EQ(b.intersect(near_card), b) << f.rule << ": " << f.message;
    return;
  }
  FAIL() << "consent_preticked.yaml is not in the catalogue";
}

// A plain decline under a filled accept, on a real card (AidUI, fixtures/recorded/aidui/
// README.md): the decline's box reaches the card's divider above it and the card's edge below,
// which are not its text; read without them it says "Cancel", and the pair is reported.
TEST_F(StaticRulesTest, APlainDeclineIsReadWithoutTheCardEdgesAroundIt) {
  Frame frame;
  frame.image =
      cv::imread(test::source_path("fixtures/recorded/aidui/music-lockscreen-apply-cancel.jpg"),
                 cv::IMREAD_COLOR);
  ASSERT_FALSE(frame.image.empty());
  frame.density_dpi = guess_density_dpi(frame.image.cols, frame.image.rows);
  const FrameReport report = check(frame);
  const std::vector<const Observation*> declines = report.all("decline");
  EXPECT_TRUE(std::any_of(declines.begin(), declines.end(), [](const Observation* o) {
    return o->detail == "Cancel";
  })) << describe(report);
  ASSERT_TRUE(rules_of(report).count("CON-01")) << describe(report);
  const Rect card{113, 249, 113 + 278, 249 + 427};  // its COCO box
  for (const Finding& f : report.findings) {
    if (f.rule != "CON-01") continue;
    for (const Rect& b : f.boxes) EXPECT_GT(b.intersect(card).area(), 0) << f.message;
  }
}

// A sheet listing options to pick from (an album picker) closes with the pick: no close mark
// is missing. The same window pushing an offer with no way out is POP-01.
TEST_F(StaticRulesTest, AChooserSheetNeedsNoCloseMarkButAnOfferDoes) {
  auto sheet = [](const std::string& rows) {
    return test::tree_frame(
        R"(<hierarchy rotation="0"><node index="0" class="android.widget.FrameLayout" )"
        R"(package="org.example.gallery" bounds="[0,900][1080,1920]">)" +
        rows + "</node></hierarchy>");
  };
  std::string radios;
  for (int i = 0; i < 3; ++i) {
    const int top = 960 + i * 200;
    radios += fmt::format(
        R"(<node index="{0}" text="Album {0}" class="android.widget.RadioButton" checkable="true" )"
        R"(checked="{1}" clickable="true" package="org.example.gallery" bounds="[0,{2}][1080,{3}]"/>)",
        i, i == 0 ? "true" : "false", top, top + 180);
  }
  const FrameReport chooser = check(sheet(radios));
  EXPECT_FALSE(rules_of(chooser).count("POP-01")) << describe(chooser);
  EXPECT_TRUE(chooser.has("chooser")) << describe(chooser);

  const FrameReport offer = check(sheet(
      R"(<node index="0" text="Go Premium" class="android.widget.TextView" package="org.example.gallery" bounds="[100,1000][980,1100]"/>)"
      R"(<node index="1" text="Subscribe" class="android.widget.Button" clickable="true" package="org.example.gallery" bounds="[100,1600][980,1760]"/>)"));
  EXPECT_TRUE(rules_of(offer).count("POP-01")) << describe(offer);
}

// "广告" on a feed's ad card is that row's disclosure; on a layout of its own it is a splash or
// interstitial ad, and the whole screen is the pop-up.
TEST_F(StaticRulesTest, AnAdBadgeInAFeedRowDoesNotMakeThePageAnAd) {
  auto page = [](bool in_list) {
    const std::string container =
        in_list ? R"(class="androidx.recyclerview.widget.RecyclerView" scrollable="true")"
                : R"(class="android.widget.FrameLayout")";
    return test::tree_frame(
        R"(<hierarchy rotation="0"><node index="0" class="android.widget.FrameLayout" )"
        R"(package="com.example.news" bounds="[0,0][1080,1920]"><node index="0" )" +
        container +
        R"( package="com.example.news" bounds="[0,72][1080,1776]">)"
        R"(<node index="0" text="周末去哪儿玩" class="android.widget.TextView" package="com.example.news" bounds="[40,200][1040,280]"/>)"
        R"(<node index="1" class="android.widget.ImageView" package="com.example.news" bounds="[40,300][1040,900]"/>)"
        R"(<node index="2" text="广告" class="android.widget.TextView" package="com.example.news" bounds="[40,920][140,970]"/>)"
        R"(</node></node></hierarchy>)");
  };
  const FrameReport feed = check(page(true));
  EXPECT_FALSE(feed.has("popup")) << describe(feed);
  EXPECT_TRUE(feed.findings.empty()) << describe(feed);
  const FrameReport splash = check(page(false));
  EXPECT_TRUE(splash.has("popup")) << describe(splash);
}

}  // namespace
}  // namespace uiw::detectors
