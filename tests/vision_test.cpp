// Vision primitives on real frames from the simulator: the fixture apps' pop-ups rendered as
// screencap would return them, with the expected boxes taken from the apps' YAML.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "detectors/close_glyph_detector.h"
#include "detectors/connected_regions.h"
#include "detectors/contrast.h"
#include "detectors/frame.h"
#include "detectors/modal_detector.h"
#include "detectors/prominence.h"
#include "detectors/selection_mark_detector.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"
#include "support/paths.h"

namespace uiw::detectors {
namespace {

constexpr int kDensity = 420;  // DeviceProfile's default: 1080×2400 at 420 dpi

struct PopupCase {
  const char* file;
  const char* package;
  const char* screen;
  Rect card;  // the card node's bounds in the YAML
};

// Every pop-up fixture and its card.
const PopupCase kPopups[] = {
    {"popup_tiny_close.yaml", "com.uiw.fixture.kanpian", "vip-popup", {140, 700, 940, 1600}},
    {"popup_faint_close.yaml", "com.uiw.fixture.haitao", "gift-popup", {120, 680, 960, 1560}},
    {"popup_false_hierarchy.yaml",
     "com.uiw.fixture.youxuan",
     "coupon-popup",
     {120, 640, 960, 1660}},
    {"popup_no_close.yaml", "com.uiw.fixture.pinhaowu", "hongbao-popup", {150, 640, 930, 1700}},
    {"popup_dead_close.yaml", "com.uiw.fixture.tianqi", "promo-popup", {120, 720, 960, 1560}},
    {"popup_full_link.yaml", "com.uiw.fixture.shuxiang", "game-ad", {120, 560, 960, 1620}},
    {"popup_fake_close.yaml", "com.uiw.fixture.duanju", "recharge-popup", {120, 700, 960, 1560}},
    {"popup_reappear.yaml", "com.uiw.fixture.waimai", "red-packet-popup", {150, 680, 930, 1600}},
    {"popup_two_taps.yaml", "com.uiw.fixture.lvxing", "hotel-popup", {120, 700, 960, 1560}},
    {"popup_two_taps.yaml", "com.uiw.fixture.lvxing", "retain-dialog", {120, 860, 960, 1420}},
    {"news_compliant.yaml", "com.uiw.fixture.zaozhidao", "vip-popup", {120, 760, 960, 1640}},
};

// One simulated phone with every fixture used here installed, and one renderer (font loading
// is the slow part), shared by the whole suite.
class VisionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs_ = std::make_unique<sim::VirtualFs>();
    dev_ = std::make_unique<sim::SimDevice>(sim::DeviceProfile{}, *fs_);
    std::map<std::string, bool> installed;
    for (const auto& c : kPopups) {
      if (installed[c.file]) continue;
      dev_->install(test::source_path(std::string("fixtures/apps/") + c.file));
      installed[c.file] = true;
    }
    renderer_ = std::make_unique<sim::ScreenRenderer>();
  }
  static void TearDownTestSuite() {
    renderer_.reset();
    dev_.reset();
    fs_.reset();
  }

  static Frame frame(const std::string& package, const std::string& screen) {
    Frame f;
    f.image = renderer_->render(dev_->preview_scene(package, screen));
    f.density_dpi = kDensity;
    f.action = "preview " + screen;
    return f;
  }

  // The pop-up over its app's home screen, dimmed, as the phone shows it 1.5 s after launch
  // (preview_scene alone draws the pop-up over a blank window).
  static Frame popup_over_home(const std::string& package, const std::string& popup) {
    sim::Scene scene = dev_->preview_scene(package, "home");
    const sim::Scene overlay = dev_->preview_scene(package, popup);
    scene.layers.push_back(overlay.layers.back());
    Frame f;
    f.image = renderer_->render(scene);
    f.density_dpi = kDensity;
    f.action = "launch";
    return f;
  }

  static std::unique_ptr<sim::VirtualFs> fs_;
  static std::unique_ptr<sim::SimDevice> dev_;
  static std::unique_ptr<sim::ScreenRenderer> renderer_;
};

std::unique_ptr<sim::VirtualFs> VisionTest::fs_;
std::unique_ptr<sim::SimDevice> VisionTest::dev_;
std::unique_ptr<sim::ScreenRenderer> VisionTest::renderer_;

TEST(FrameTest, ConvertsBetweenPxAndDp) {
  Frame f;
  f.image = cv::Mat(2400, 1080, CV_8UC3, cv::Scalar(255, 255, 255));
  f.density_dpi = 420;
  EXPECT_NEAR(f.to_dp(32), 12.19, 0.01);
  EXPECT_NEAR(f.to_px(24), 63.0, 1e-9);
  EXPECT_NEAR(f.width_dp(Rect{0, 0, 84, 10}), 32.0, 1e-9);
  EXPECT_EQ(f.bounds(), (Rect{0, 0, 1080, 2400}));
  EXPECT_FALSE(f.has_tree());
  EXPECT_DOUBLE_EQ(iou(Rect{0, 0, 10, 10}, Rect{5, 0, 15, 10}), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(iou(Rect{}, Rect{}), 0.0);
}

TEST(ContrastTest, MatchesWcagReferenceValues) {
  const cv::Vec3b black(0, 0, 0), white(255, 255, 255), grey(0x88, 0x88, 0x88);
  EXPECT_NEAR(relative_luminance(white), 1.0, 1e-9);
  EXPECT_NEAR(relative_luminance(black), 0.0, 1e-9);
  EXPECT_NEAR(contrast_ratio(black, white), 21.0, 1e-9);
  EXPECT_NEAR(contrast_ratio(white, black), 21.0, 1e-9);
  EXPECT_NEAR(contrast_ratio(grey, white), 3.54, 0.01);  // #888888 on white, WebAIM's value
  // Pure red on white: 4.0:1.
  EXPECT_NEAR(contrast_ratio(cv::Vec3b(0, 0, 255), white), 4.0, 0.01);
}

TEST(ContrastTest, UniformOrEmptyElementHasRatioOne) {
  cv::Mat img(100, 100, CV_8UC3, cv::Scalar(40, 80, 120));
  EXPECT_DOUBLE_EQ(element_contrast(img, Rect{20, 20, 60, 60}).ratio, 1.0);
  EXPECT_DOUBLE_EQ(element_contrast(img, Rect{200, 200, 300, 300}).ratio, 1.0);
  EXPECT_DOUBLE_EQ(element_contrast(cv::Mat(), Rect{0, 0, 10, 10}).ratio, 1.0);
}

// connected_regions gives cv::connectedComponentsWithStats' labels and boxes, 4- and
// 8-connected, on noise (many small regions, some touching the border) and on a real frame's
// flat regions.
TEST_F(VisionTest, ConnectedRegionsMatchOpenCvLabelsAndStats) {
  cv::Mat noise(240, 320, CV_8U);
  cv::RNG rng(7);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  cv::Mat edges;
  cv::Canny(popup_over_home(kPopups[0].package, kPopups[0].screen).image, edges, 40, 100);
  for (const cv::Mat& mask : {cv::Mat(noise > 128), cv::Mat(edges == 0)})
    for (const int connectivity : {4, 8}) {
      cv::Mat labels, stats, centroids, want_labels, want_stats;
      const int n = connected_regions(mask, connectivity, labels, stats);
      ASSERT_EQ(n, cv::connectedComponentsWithStats(mask, want_labels, want_stats, centroids,
                                                    connectivity, CV_32S));
      EXPECT_EQ(cv::countNonZero(labels != want_labels), 0);
      EXPECT_EQ(cv::countNonZero(stats.rowRange(1, n) != want_stats.rowRange(1, n)), 0);
    }
}

// colour_edge_map converts each flat stretch's colour once: the edges are those of converting
// every pixel, on a flat rendered frame and on noise.
TEST_F(VisionTest, ColourEdgeMapMatchesPerPixelConversion) {
  cv::Mat noise(240, 320, CV_8UC3);
  cv::RNG rng(11);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  for (const cv::Mat& bgr : {popup_over_home(kPopups[0].package, kPopups[0].screen).image, noise}) {
    cv::Mat blurred, lab, edges, e;
    cv::GaussianBlur(bgr, blurred, {3, 3}, 0);
    cv::cvtColor(blurred, lab, cv::COLOR_BGR2Lab);
    std::vector<cv::Mat> channels;
    cv::split(lab, channels);
    edges = cv::Mat::zeros(bgr.size(), CV_8U);
    for (const cv::Mat& c : channels) {
      cv::Canny(c, e, 24, 60, 3, true);
      edges |= e;
    }
    EXPECT_EQ(cv::countNonZero(colour_edge_map(bgr, 24, 60) != edges), 0);
  }
}

// The detector finds the card at the fixture's bounds on the frame `make_frame` draws.
template <class MakeFrame>
void expect_cards_found(MakeFrame make_frame) {
  ModalDetector detector;
  for (const auto& c : kPopups) {
    SCOPED_TRACE(std::string(c.package) + " " + c.screen);
    const auto modal = detector.detect(make_frame(c.package, c.screen).image);
    ASSERT_TRUE(modal.has_value());
    EXPECT_GE(iou(modal->card, c.card), 0.8)
        << "found " << modal->card.to_bounds_string() << " want " << c.card.to_bounds_string();
    EXPECT_GT(modal->confidence, 0.5);
  }
}

TEST_F(VisionTest, FindsTheCardOnEveryPopupScreen) {
  expect_cards_found(
      [&](const char* package, const char* screen) { return frame(package, screen); });
}

TEST_F(VisionTest, FindsTheCardOverTheDimmedApp) {
  expect_cards_found(
      [&](const char* package, const char* screen) { return popup_over_home(package, screen); });
}

TEST_F(VisionTest, FindsNoCardOnPlainHomeScreens) {
  ModalDetector detector;
  for (const auto& c : kPopups) {
    SCOPED_TRACE(c.package);
    const auto modal = detector.detect(frame(c.package, "home").image);
    EXPECT_FALSE(modal.has_value()) << "found " << modal->card.to_bounds_string();
  }
}

TEST_F(VisionTest, FindsNoCardOnBlankOrTinyImages) {
  ModalDetector detector;
  EXPECT_FALSE(detector.detect(cv::Mat()).has_value());
  EXPECT_FALSE(detector.detect(cv::Mat(8, 8, CV_8UC3, cv::Scalar(0, 0, 0))).has_value());
  EXPECT_FALSE(
      detector.detect(cv::Mat(2400, 1080, CV_8UC3, cv::Scalar(255, 255, 255))).has_value());
  EXPECT_FALSE(detector.detect(cv::Mat(2400, 1080, CV_8UC3, cv::Scalar(18, 18, 18))).has_value());
}

TEST_F(VisionTest, FindsTheTinyPixelOnlyCloseAndMeasuresItUnder24Dp) {
  const Frame f = popup_over_home("com.uiw.fixture.kanpian", "vip-popup");
  const auto modal = ModalDetector().detect(f.image);
  ASSERT_TRUE(modal.has_value());
  const auto glyphs = CloseGlyphDetector(f.density_dpi).detect_near_card(f.image, modal->card);
  ASSERT_FALSE(glyphs.empty());
  // The SDK's × is drawn at [888,720][920,752] (12 dp), not in the dump.
  const Rect target{888, 720, 920, 752};
  const CloseGlyph& best = glyphs.front();
  EXPECT_TRUE(target.contains(best.ink.center_x(), best.ink.center_y()))
      << best.ink.to_bounds_string();
  EXPECT_LT(f.width_dp(best.ink), 24.0);
  EXPECT_LT(f.height_dp(best.ink), 24.0);
  EXPECT_FALSE(best.circled);
}

TEST_F(VisionTest, FindsTheTinyCloseInAWholeScreenSearchAndOnBgraInput) {
  const Frame f = popup_over_home("com.uiw.fixture.kanpian", "vip-popup");
  const Rect target{888, 720, 920, 752};
  const auto glyphs = CloseGlyphDetector(f.density_dpi).detect_in(f.image, f.bounds());
  ASSERT_FALSE(glyphs.empty());
  EXPECT_TRUE(target.contains(glyphs.front().ink.center_x(), glyphs.front().ink.center_y()))
      << glyphs.front().ink.to_bounds_string();

  cv::Mat bgra;
  cv::cvtColor(f.image, bgra, cv::COLOR_BGR2BGRA);
  const auto modal = ModalDetector().detect(bgra);
  ASSERT_TRUE(modal.has_value());
  const auto again = CloseGlyphDetector(f.density_dpi).detect_near_card(bgra, modal->card);
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again.front().ink, glyphs.front().ink);
}

TEST(VisionInputTest, UnsupportedOrDegenerateImagesGiveNothing) {
  const cv::Mat floats(100, 100, CV_32FC3, cv::Scalar(0.5, 0.5, 0.5));
  EXPECT_FALSE(ModalDetector().detect(floats).has_value());
  EXPECT_TRUE(CloseGlyphDetector(420).detect_in(floats, Rect{0, 0, 100, 100}).empty());
  EXPECT_DOUBLE_EQ(element_contrast(floats, Rect{10, 10, 20, 20}).ratio, 1.0);
  EXPECT_TRUE(CloseGlyphDetector(420).detect_in(cv::Mat(), Rect{0, 0, 100, 100}).empty());
  const cv::Mat white(100, 100, CV_8UC3, cv::Scalar(255, 255, 255));
  EXPECT_TRUE(CloseGlyphDetector(420).detect_near_card(white, Rect{}).empty());
  EXPECT_TRUE(CloseGlyphDetector(420).detect_near_card(white, Rect{500, 500, 600, 600}).empty());
  EXPECT_DOUBLE_EQ(prominence(cv::Mat(), Rect{0, 0, 10, 10}).score, 0.0);
  EXPECT_DOUBLE_EQ(prominence_ratio(Prominence{}, Prominence{}), 0.0);
}

TEST(VisionInputTest, AnXInsideAWordIsNoCloseGlyphButALoneXIs) {
  // "taxi" on a card, and the same x standing alone to its right, as a close mark would.
  cv::Mat img(300, 900, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::putText(img, "taxi", {60, 180}, cv::FONT_HERSHEY_SIMPLEX, 3.0, cv::Scalar(40, 40, 40), 5,
              cv::LINE_AA);
  cv::putText(img, "x", {700, 180}, cv::FONT_HERSHEY_SIMPLEX, 3.0, cv::Scalar(40, 40, 40), 5,
              cv::LINE_AA);
  const auto glyphs = CloseGlyphDetector(420).detect_in(img, Rect{0, 0, img.cols, img.rows});
  std::string all;
  for (const auto& g : glyphs) all += g.ink.to_bounds_string() + " ";
  ASSERT_EQ(glyphs.size(), 1u) << all;
  EXPECT_GT(glyphs.front().ink.left, 650) << all;
}

// Letters such as "s" touch the midpoints of their box and cross in the middle like a one-stroke
// ⊗: small grey text in the band above a card ("Search by songs or users", in a screen recording
// at ~255 dpi) gives no close glyph.
TEST(VisionInputTest, LettersAboveACardAreNoCircledCloses) {
  const cv::Mat img = cv::imread(
      test::source_path("fixtures/recorded/aidui/starmaker-collab-popup.jpg"), cv::IMREAD_COLOR);
  ASSERT_FALSE(img.empty());
  const Rect card{719, 200, 1148, 898};  // the card, in frame px
  const Rect search_bar{700, 60, 1220, 120};
  for (const auto& g : CloseGlyphDetector(255).detect_near_card(img, card))
    EXPECT_FALSE(g.ink.intersect(search_bar).area() > 0)
        << g.ink.to_bounds_string() << " score " << g.score << (g.circled ? " circled" : "");
}

TEST_F(VisionTest, FindsNormalAndFaintCloses) {
  struct Case {
    const char* package;
    const char* screen;
    Rect close;
  };
  const Case cases[] = {
      {"com.uiw.fixture.zaozhidao", "vip-popup", {866, 770, 950, 854}},
      {"com.uiw.fixture.haitao", "gift-popup", {856, 700, 940, 784}},  // opacity 0.2
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.package);
    const Frame f = popup_over_home(c.package, c.screen);
    const auto modal = ModalDetector().detect(f.image);
    ASSERT_TRUE(modal.has_value());
    const auto glyphs = CloseGlyphDetector(f.density_dpi).detect_near_card(f.image, modal->card);
    ASSERT_FALSE(glyphs.empty());
    EXPECT_TRUE(c.close.contains(glyphs.front().ink.center_x(), glyphs.front().ink.center_y()))
        << glyphs.front().ink.to_bounds_string();
  }
}

TEST_F(VisionTest, FindsCircledClosesUnderTheCard) {
  struct Case {
    const char* package;
    const char* screen;
    Rect close;
  };
  const Case cases[] = {
      {"com.uiw.fixture.duanju", "recharge-popup", {498, 1620, 582, 1704}},
      {"com.uiw.fixture.shuxiang", "game-ad", {490, 1680, 590, 1780}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.package);
    const Frame f = popup_over_home(c.package, c.screen);
    const auto modal = ModalDetector().detect(f.image);
    ASSERT_TRUE(modal.has_value());
    const auto glyphs = CloseGlyphDetector(f.density_dpi).detect_near_card(f.image, modal->card);
    ASSERT_FALSE(glyphs.empty());
    const CloseGlyph& best = glyphs.front();
    std::string all;
    for (const auto& g : glyphs)
      all += g.ink.to_bounds_string() + " " + std::to_string(g.score) + (g.circled ? " ⊗; " : "; ");
    EXPECT_TRUE(c.close.contains(best.ink.center_x(), best.ink.center_y())) << all;
    EXPECT_TRUE(best.circled) << all;
  }
}

TEST_F(VisionTest, NoCloseGlyphOnThePopupWithoutOne) {
  const Frame f = popup_over_home("com.uiw.fixture.pinhaowu", "hongbao-popup");
  const auto modal = ModalDetector().detect(f.image);
  ASSERT_TRUE(modal.has_value());
  const auto glyphs = CloseGlyphDetector(f.density_dpi).detect_near_card(f.image, modal->card);
  for (const auto& g : glyphs) ADD_FAILURE() << g.ink.to_bounds_string() << " score " << g.score;
}

TEST_F(VisionTest, FaintCloseIsBelowThreeToOneAndNormalCloseAbove) {
  const Frame faint = popup_over_home("com.uiw.fixture.haitao", "gift-popup");
  const ElementContrast fc = element_contrast(faint.image, Rect{856, 700, 940, 784});
  EXPECT_LT(fc.ratio, 3.0);
  EXPECT_GT(fc.ratio, 1.0);  // it is there, just faint

  const Frame normal = popup_over_home("com.uiw.fixture.zaozhidao", "vip-popup");
  const ElementContrast nc = element_contrast(normal.image, Rect{866, 770, 950, 854});
  EXPECT_GE(nc.ratio, 3.0);
  // The tiny × is small but dark (#555555 on the banner).
  const Frame tiny = popup_over_home("com.uiw.fixture.kanpian", "vip-popup");
  EXPECT_GE(element_contrast(tiny.image, Rect{888, 720, 920, 752}).ratio, 3.0);
}

TEST_F(VisionTest, FalseHierarchyDeclineIsUnderAQuarterOfAccept) {
  const Frame f = popup_over_home("com.uiw.fixture.youxuan", "coupon-popup");
  const Prominence accept = prominence(f.image, Rect{180, 1270, 900, 1440});   // 立即领取
  const Prominence decline = prominence(f.image, Rect{420, 1500, 660, 1570});  // 不了，谢谢
  EXPECT_LT(prominence_ratio(decline, accept), 0.25)
      << "decline " << decline.score << " accept " << accept.score;
  EXPECT_GT(accept.saturation, 0.5);
  EXPECT_LT(decline.saturation, 0.1);
}

TEST_F(VisionTest, CompliantDeclineIsAtLeastAQuarterOfAccept) {
  const Frame f = popup_over_home("com.uiw.fixture.zaozhidao", "vip-popup");
  const Prominence decline = prominence(f.image, Rect{160, 1380, 530, 1510});  // 暂不需要
  const Prominence accept = prominence(f.image, Rect{550, 1380, 920, 1510});   // 免费领取
  EXPECT_GE(prominence_ratio(decline, accept), 0.25)
      << "decline " << decline.score << " accept " << accept.score;
}

// Local report of measured figures and latency, not part of the suite's assertions:
//   vision_test --gtest_also_run_disabled_tests --gtest_filter='*Report*'
TEST_F(VisionTest, DISABLED_Report) {
  const Frame f = popup_over_home("com.uiw.fixture.kanpian", "vip-popup");
  const Frame home = frame("com.uiw.fixture.kanpian", "home");
  ModalDetector modal_detector;
  CloseGlyphDetector glyphs(f.density_dpi);
  constexpr int kRuns = 50;
  auto time_ms = [&](auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kRuns; ++i) fn();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
               .count() /
           kRuns;
  };
  for (const auto& c : kPopups) {
    const auto m = modal_detector.detect(frame(c.package, c.screen).image);
    std::printf("%-26s %-16s IoU %.3f conf %.2f\n", c.package, c.screen,
                m ? iou(m->card, c.card) : 0.0, m ? m->confidence : 0.0);
  }
  const auto tiny = glyphs.detect_near_card(f.image, modal_detector.detect(f.image)->card);
  std::printf("tiny close %s = %.1f x %.1f dp score %.2f\n", tiny[0].ink.to_bounds_string().c_str(),
              f.width_dp(tiny[0].ink), f.height_dp(tiny[0].ink), tiny[0].score);
  std::printf("contrast faint %.2f normal %.2f tiny %.2f\n",
              element_contrast(popup_over_home("com.uiw.fixture.haitao", "gift-popup").image,
                               Rect{856, 700, 940, 784})
                  .ratio,
              element_contrast(popup_over_home("com.uiw.fixture.zaozhidao", "vip-popup").image,
                               Rect{866, 770, 950, 854})
                  .ratio,
              element_contrast(f.image, Rect{888, 720, 920, 752}).ratio);
  const cv::Mat fh = popup_over_home("com.uiw.fixture.youxuan", "coupon-popup").image;
  const cv::Mat nc = popup_over_home("com.uiw.fixture.zaozhidao", "vip-popup").image;
  std::printf("prominence ratio false-hierarchy %.3f compliant %.3f\n",
              prominence_ratio(prominence(fh, Rect{420, 1500, 660, 1570}),
                               prominence(fh, Rect{180, 1270, 900, 1440})),
              prominence_ratio(prominence(nc, Rect{160, 1380, 530, 1510}),
                               prominence(nc, Rect{550, 1380, 920, 1510})));
  const auto card = modal_detector.detect(f.image)->card;
  std::printf("modal (popup)  %.2f ms\n", time_ms([&] { (void)modal_detector.detect(f.image); }));
  std::printf("modal (home)   %.2f ms\n",
              time_ms([&] { (void)modal_detector.detect(home.image); }));
  std::printf("close glyphs   %.2f ms\n",
              time_ms([&] { (void)glyphs.detect_near_card(f.image, card); }));
  std::printf("contrast       %.3f ms\n", time_ms([&] {
                (void)element_contrast(f.image, Rect{888, 720, 920, 752});
              }));
  std::printf("prominence x2  %.3f ms\n", time_ms([&] {
                (void)prominence(f.image, Rect{220, 1330, 860, 1480});
                (void)prominence(f.image, Rect{888, 720, 920, 752});
              }));
  std::printf("whole frame    %.2f ms\n", time_ms([&] {
                const auto m = modal_detector.detect(f.image);
                if (m) (void)glyphs.detect_near_card(f.image, m->card);
              }));
}

}  // namespace
}  // namespace uiw::detectors
