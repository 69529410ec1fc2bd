// PopupSurfaceDetector on what a user would call a pop-up: every catalogue pop-up rendered by
// the simulator over its app, the recorded full-screen install ad, and real screenshots from
// the AidUI set (an install interstitial, a rating dialog, an inline "rate us" banner); and
// silence on plain app screens and on a plain location picker dialog.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "detectors/frame.h"
#include "detectors/ocr_service.h"
#include "detectors/popup_surface_detector.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"
#include "support/paths.h"

namespace uiw::detectors {
namespace {

constexpr int kDensity = 420;  // DeviceProfile's default: 1080×2400 at 420 dpi

struct Screen {
  const char* file;
  const char* package;
  const char* screen;
};

// The catalogue's pop-up screens (fixtures/apps/catalogue.yaml), drawn over their app.
const Screen kPopups[] = {
    {"popup_no_close.yaml", "com.uiw.fixture.pinhaowu", "hongbao-popup"},
    {"popup_tiny_close.yaml", "com.uiw.fixture.kanpian", "vip-popup"},
    {"popup_faint_close.yaml", "com.uiw.fixture.haitao", "gift-popup"},
    {"popup_false_hierarchy.yaml", "com.uiw.fixture.youxuan", "coupon-popup"},
    {"popup_full_link.yaml", "com.uiw.fixture.shuxiang", "game-ad"},
    {"popup_fake_close.yaml", "com.uiw.fixture.duanju", "recharge-popup"},
    {"popup_dead_close.yaml", "com.uiw.fixture.tianqi", "promo-popup"},
    {"popup_reappear.yaml", "com.uiw.fixture.waimai", "red-packet-popup"},
    {"popup_two_taps.yaml", "com.uiw.fixture.lvxing", "hotel-popup"},
    {"popup_two_taps.yaml", "com.uiw.fixture.lvxing", "retain-dialog"},
    {"news_compliant.yaml", "com.uiw.fixture.zaozhidao", "vip-popup"},
};

// Splash screens that open with a full-screen ad (an ad badge, a skip countdown in a corner).
const Screen kSplashAds[] = {
    {"splash_countdown.yaml", "com.uiw.fixture.kuaixun", "splash"},
    {"shake_sensitive.yaml", "com.uiw.fixture.kuaishipin", "splash"},
    {"shake_compliant.yaml", "com.uiw.fixture.kandian", "splash"},
    {"news_compliant.yaml", "com.uiw.fixture.zaozhidao", "splash"},
};

// Plain screens of catalogue apps: no pop-up on them.
const Screen kPlain[] = {
    {"popup_no_close.yaml", "com.uiw.fixture.pinhaowu", "home"},
    {"popup_tiny_close.yaml", "com.uiw.fixture.kanpian", "home"},
    {"popup_faint_close.yaml", "com.uiw.fixture.haitao", "home"},
    {"popup_false_hierarchy.yaml", "com.uiw.fixture.youxuan", "home"},
    {"popup_full_link.yaml", "com.uiw.fixture.shuxiang", "home"},
    {"popup_fake_close.yaml", "com.uiw.fixture.duanju", "home"},
    {"popup_dead_close.yaml", "com.uiw.fixture.tianqi", "home"},
    {"popup_reappear.yaml", "com.uiw.fixture.waimai", "home"},
    {"popup_two_taps.yaml", "com.uiw.fixture.lvxing", "home"},
    {"recorded_interstitial.yaml", "com.uiw.fixture.shoudian", "home"},
    {"news_compliant.yaml", "com.uiw.fixture.zaozhidao", "home"},
    {"news_compliant.yaml", "com.uiw.fixture.zaozhidao", "settings"},
    {"settings_deep.yaml", "com.uiw.fixture.taohaohuo", "home"},
    {"consent_compliant.yaml", "com.uiw.fixture.jizhang", "home"},
    {"im_compliant.yaml", "com.uiw.fixture.changliao", "conversations"},
};

std::string describe(const std::vector<PopupSurface>& found) {
  std::string s;
  for (const auto& p : found) {
    s += std::string(to_string(p.kind)) + " " + p.box.to_bounds_string() + " " +
         std::to_string(p.confidence) + ":";
    for (const auto& c : p.cues) s += " " + c + ";";
    s += "\n";
  }
  return s.empty() ? "nothing" : s;
}

class PopupSurfaceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs_ = std::make_unique<sim::VirtualFs>();
    dev_ = std::make_unique<sim::SimDevice>(sim::DeviceProfile{}, *fs_);
    std::map<std::string, bool> installed;
    auto install = [&](const char* file) {
      if (installed[file]) return;
      dev_->install(test::source_path(std::string("fixtures/apps/") + file));
      installed[file] = true;
    };
    for (const auto& c : kPopups) install(c.file);
    for (const auto& c : kPlain) install(c.file);
    for (const auto& c : kSplashAds) install(c.file);
    renderer_ = std::make_unique<sim::ScreenRenderer>();
    ocr_ = std::make_unique<OcrService>(1);
  }
  static void TearDownTestSuite() {
    ocr_.reset();
    renderer_.reset();
    dev_.reset();
    fs_.reset();
  }

  static cv::Mat screen(const std::string& package, const std::string& id) {
    return renderer_->render(dev_->preview_scene(package, id));
  }
  // The pop-up over its app's home screen, dimmed, as the phone shows it after launch.
  static cv::Mat popup_over_home(const std::string& package, const std::string& popup) {
    sim::Scene scene = dev_->preview_scene(package, "home");
    const sim::Scene overlay = dev_->preview_scene(package, popup);
    scene.layers.push_back(overlay.layers.back());
    return renderer_->render(scene);
  }
  static cv::Mat recorded(const std::string& name) {
    const cv::Mat image =
        cv::imread(test::source_path("fixtures/recorded/aidui/" + name), cv::IMREAD_COLOR);
    EXPECT_FALSE(image.empty()) << name;
    return image;
  }

  static std::unique_ptr<sim::VirtualFs> fs_;
  static std::unique_ptr<sim::SimDevice> dev_;
  static std::unique_ptr<sim::ScreenRenderer> renderer_;
  static std::unique_ptr<OcrService> ocr_;
};

std::unique_ptr<sim::VirtualFs> PopupSurfaceTest::fs_;
std::unique_ptr<sim::SimDevice> PopupSurfaceTest::dev_;
std::unique_ptr<sim::ScreenRenderer> PopupSurfaceTest::renderer_;
std::unique_ptr<OcrService> PopupSurfaceTest::ocr_;

TEST_F(PopupSurfaceTest, FindsEveryCataloguePopupOverItsApp) {
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  for (const auto& c : kPopups) {
    SCOPED_TRACE(std::string(c.package) + " " + c.screen);
    const auto found = detector.detect(popup_over_home(c.package, c.screen));
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().kind, PopupSurface::Kind::kDimmedCard) << describe(found);
    EXPECT_GE(found.front().confidence, detector.min_confidence);
    // The surface is the card, not the screen.
    EXPECT_LT(found.front().box.area(), 1080L * 2400 * 3 / 4);
  }
}

TEST_F(PopupSurfaceTest, FindsCataloguePopupsFromPixelsAlone) {
  const PopupSurfaceDetector detector(kDensity, nullptr);
  for (const auto& c : kPopups) {
    SCOPED_TRACE(std::string(c.package) + " " + c.screen);
    const auto found = detector.detect(popup_over_home(c.package, c.screen));
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().kind, PopupSurface::Kind::kDimmedCard);
  }
}

TEST_F(PopupSurfaceTest, StaysSilentOnPlainAppScreens) {
  const PopupSurfaceDetector with_ocr(kDensity, ocr_.get());
  const PopupSurfaceDetector pixels_only(kDensity, nullptr);
  for (const auto& c : kPlain) {
    SCOPED_TRACE(std::string(c.package) + " " + c.screen);
    const cv::Mat frame = screen(c.package, c.screen);
    EXPECT_TRUE(with_ocr.detect(frame).empty()) << describe(with_ocr.detect(frame));
    EXPECT_TRUE(pixels_only.detect(frame).empty()) << describe(pixels_only.detect(frame));
  }
}

TEST_F(PopupSurfaceTest, FindsSplashAdsAsFullScreen) {
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  for (const auto& c : kSplashAds) {
    SCOPED_TRACE(std::string(c.package) + " " + c.screen);
    const auto found = detector.detect(screen(c.package, c.screen));
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().kind, PopupSurface::Kind::kFullScreen) << describe(found);
  }
}

TEST_F(PopupSurfaceTest, FindsRecordedFullScreenInstallAd) {
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto found = detector.detect(screen("com.uiw.fixture.shoudian", "install-ad"));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, PopupSurface::Kind::kFullScreen) << describe(found);
}

// A light list app dimmed to ~40 % under a white bottom sheet that asks for an upgrade, drawn
// with OpenCV (the simulator has no bottom-sheet fixture yet).
cv::Mat bottom_sheet_frame(bool with_sheet) {
  cv::Mat f(2400, 1080, CV_8UC3, cv::Scalar(250, 250, 250));
  for (int y = 300; y < 2200; y += 220) {
    cv::rectangle(f, cv::Rect(40, y, 160, 160), cv::Scalar(200, 150, 90), cv::FILLED);
    cv::putText(f, "Song title", {240, y + 70}, cv::FONT_HERSHEY_SIMPLEX, 2, cv::Scalar(40, 40, 40),
                4);
    cv::putText(f, "Artist name", {240, y + 140}, cv::FONT_HERSHEY_SIMPLEX, 1.4,
                cv::Scalar(120, 120, 120), 3);
  }
  cv::rectangle(f, cv::Rect(0, 0, 1080, 200), cv::Scalar(180, 120, 30), cv::FILLED);
  if (!with_sheet) return f;
  f *= 0.4;
  const int top = 1500;
  cv::rectangle(f, cv::Rect(0, top, 1080, 2400 - top), cv::Scalar(255, 255, 255), cv::FILLED);
  cv::putText(f, "Go Premium", {250, top + 180}, cv::FONT_HERSHEY_SIMPLEX, 3, cv::Scalar(0, 0, 0),
              7);
  cv::putText(f, "No ads, offline music", {170, top + 320}, cv::FONT_HERSHEY_SIMPLEX, 1.6,
              cv::Scalar(90, 90, 90), 3);
  cv::rectangle(f, cv::Rect(120, top + 450, 840, 150), cv::Scalar(60, 170, 30), cv::FILLED);
  cv::putText(f, "UPGRADE", {370, top + 550}, cv::FONT_HERSHEY_SIMPLEX, 2.2,
              cv::Scalar(255, 255, 255), 6);
  return f;
}

TEST_F(PopupSurfaceTest, FindsBottomSheetOverDimmedApp) {
  for (OcrService* ocr : {ocr_.get(), static_cast<OcrService*>(nullptr)}) {
    SCOPED_TRACE(ocr ? "with OCR" : "pixels only");
    const PopupSurfaceDetector detector(kDensity, ocr);
    const auto found = detector.detect(bottom_sheet_frame(true));
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().kind, PopupSurface::Kind::kBottomSheet) << describe(found);
    EXPECT_GE(iou(found.front().box, Rect{0, 1500, 1080, 2400}), 0.8) << describe(found);
    EXPECT_TRUE(detector.detect(bottom_sheet_frame(false)).empty());
  }
}

// An inline "rate us" banner in a brand colour on a list page, drawn with OpenCV: its only
// button says "Sure" (no call to action, no decline), the ask and the way out (a close mark)
// are the band's own text. Without the close mark the band is page content.
cv::Mat rate_banner_frame(bool with_close) {
  cv::Mat f(1920, 1080, CV_8UC3, cv::Scalar(250, 250, 250));
  cv::rectangle(f, cv::Rect(0, 0, 1080, 200), cv::Scalar(120, 120, 120), cv::FILLED);
  for (int y = 1100; y < 1800; y += 200)
    cv::putText(f, "Appointment reminder", {60, y}, cv::FONT_HERSHEY_SIMPLEX, 1.6,
                cv::Scalar(40, 40, 40), 3);
  const cv::Scalar green(60, 150, 20);
  cv::rectangle(f, cv::Rect(0, 620, 1080, 300), green, cv::FILLED);
  cv::putText(f, "Would you rate us?", {180, 720}, cv::FONT_HERSHEY_SIMPLEX, 2.0,
              cv::Scalar(255, 255, 255), 4);
  cv::rectangle(f, cv::Rect(400, 770, 280, 110), cv::Scalar(255, 255, 255), cv::FILLED);
  cv::putText(f, "Sure", {470, 845}, cv::FONT_HERSHEY_SIMPLEX, 1.8, green, 4);
  if (with_close)
    cv::putText(f, "X", {990, 690}, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(255, 255, 255), 4);
  return f;
}

TEST_F(PopupSurfaceTest, ReadsTheBandAroundAPlainButtonForANagBanner) {
  PopupSurfaceDetector detector(480, ocr_.get());
  detector.close_words = Vocabulary({"close", "x", "×"});  // as the profile's close list has it
  const auto found = detector.detect(rate_banner_frame(true));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, PopupSurface::Kind::kBanner) << describe(found);
  EXPECT_GE(iou(found.front().box, Rect{0, 620, 1080, 920}), 0.8) << describe(found);
  const auto plain = detector.detect(rate_banner_frame(false));
  EXPECT_TRUE(plain.empty()) << describe(plain);
}

TEST_F(PopupSurfaceTest, ReadsASkipAdLabelThatRunsPastItsFlatFill) {
  // A video ad in a page: a translucent "Skip Ad" box, half over the moving picture (not flat)
  // and half over the player's black bar (flat), its label running across both.
  cv::Mat img(1920, 1080, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::Mat video = img(cv::Rect(60, 600, 720, 500));
  // Smooth shading that changes too fast to be a flat fill, with no edges to pass for letters.
  for (int y = 0; y < video.rows; ++y)
    for (int x = 0; x < video.cols; ++x)
      video.at<cv::Vec3b>(y, x) = cv::Vec3b::all(
          cv::saturate_cast<uchar>(128 + 100 * std::sin(2 * CV_PI * (x + y) / 30.0)));
  img(cv::Rect(780, 600, 300, 500)).setTo(cv::Scalar(0, 0, 0));
  const cv::Rect box(700, 820, 380, 90);
  img(box) *= 0.3;
  cv::rectangle(img, box, cv::Scalar(160, 160, 160), 2);
  cv::putText(img, "Skip Ad", {730, 878}, cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(255, 255, 255),
              4, cv::LINE_AA);
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto found = detector.detect(img);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, PopupSurface::Kind::kFullScreen) << describe(found);
}

TEST_F(PopupSurfaceTest, AnInstallButtonOfAListRowIsNoFullScreenAd) {
  // The same "INSTALL" button: at the side of a page's middle it is a store row's or a feed
  // ad's own action; centred near the bottom it is what a full-screen ad is built around.
  auto page_with_button = [](const cv::Rect& button) {
    cv::Mat img(1920, 1080, CV_8UC3, cv::Scalar(245, 245, 245));
    cv::rectangle(img, button, cv::Scalar(80, 160, 60), cv::FILLED);
    cv::putText(img, "INSTALL", {button.x + 30, button.y + button.height / 2 + 18},
                cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(255, 255, 255), 3, cv::LINE_AA);
    return img;
  };
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto row = detector.detect(page_with_button({780, 560, 260, 110}));
  EXPECT_TRUE(row.empty()) << describe(row);
  const auto ad = detector.detect(page_with_button({410, 1620, 260, 110}));
  ASSERT_FALSE(ad.empty());
  EXPECT_EQ(ad.front().kind, PopupSurface::Kind::kFullScreen) << describe(ad);
}

// AidUI images (fixtures/recorded/aidui/README.md), 1080×1920 at ~420 dpi.
TEST_F(PopupSurfaceTest, FindsRealInstallInterstitial) {
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto found = detector.detect(recorded("wish-install-interstitial.jpg"));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, PopupSurface::Kind::kFullScreen) << describe(found);
  // Labelled [4, 0, 1072, 1794] (x, y, w, h).
  EXPECT_GE(iou(found.front().box, Rect{4, 0, 1076, 1794}), 0.5) << describe(found);
}

TEST_F(PopupSurfaceTest, FindsRealRatingDialog) {
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto found = detector.detect(recorded("daily-pixel-rate-dialog.jpg"));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, PopupSurface::Kind::kDimmedCard) << describe(found);
  // Labelled [208, 759, 666, 411].
  EXPECT_GE(iou(found.front().box, Rect{208, 759, 874, 1170}), 0.5) << describe(found);
}

TEST_F(PopupSurfaceTest, FindsRealRateUsBanner) {
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto found = detector.detect(recorded("followmyhealth-rate-banner.jpg"));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, PopupSurface::Kind::kBanner) << describe(found);
  // Labelled [95, 626, 895, 177]: the banner's text and buttons.
  EXPECT_GE(iou(found.front().box, Rect{95, 626, 990, 803}), 0.5) << describe(found);
}

TEST_F(PopupSurfaceTest, IgnoresRealPlainDialog) {
  // A dimmed "Select Location" picker: a pop-up in pixels, but it asks for nothing.
  const PopupSurfaceDetector detector(kDensity, ocr_.get());
  const auto found = detector.detect(recorded("select-location-dialog.jpg"));
  EXPECT_TRUE(found.empty()) << describe(found);
}

}  // namespace
}  // namespace uiw::detectors
