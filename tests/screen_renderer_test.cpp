// The simulated screen must look like a phone's to the detectors: colours where the fixture put
// them, text inside its view, faint controls measurably faint, pop-up backdrops darker, and
// checked controls visibly different from unchecked ones.
#include "simdevice/screen_renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <future>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "common/error.h"
#include "simdevice/color.h"

namespace {

using uiw::detectors::Rect;
using uiw::sim::Color;
using uiw::sim::Glyph;
using uiw::sim::Gravity;
using uiw::sim::parse_color;
using uiw::sim::Scene;
using uiw::sim::SceneLayer;
using uiw::sim::SceneNode;
using uiw::sim::ScreenRenderer;

const ScreenRenderer& renderer() {
  static const ScreenRenderer instance;
  return instance;
}

Scene blank_scene(Color background = Color{255, 255, 255, 255}) {
  Scene scene;
  scene.status_bar = false;
  SceneLayer layer;
  layer.package = "com.uiw.test";
  layer.background = background;
  scene.layers.push_back(std::move(layer));
  return scene;
}

SceneNode node_at(Rect bounds) {
  SceneNode node;
  node.ui.class_name = "android.view.View";
  node.ui.bounds = bounds;
  return node;
}

SceneNode text_node(Rect bounds, std::string text, double sp = 16) {
  SceneNode node = node_at(bounds);
  node.ui.class_name = "android.widget.TextView";
  node.ui.text = std::move(text);
  node.style.font_size_sp = sp;
  return node;
}

cv::Vec3b bgr(Color c) {
  return cv::Vec3b(c.b, c.g, c.r);
}

cv::Rect to_cv(Rect r) {
  return cv::Rect(r.left, r.top, r.width(), r.height());
}

// Bounding box of the pixels that differ between two frames.
cv::Rect changed_box(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff, grey;
  cv::absdiff(a, b, diff);
  cv::cvtColor(diff, grey, cv::COLOR_BGR2GRAY);
  return cv::boundingRect(grey > 0);
}

int changed_pixels(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff, grey;
  cv::absdiff(a, b, diff);
  cv::cvtColor(diff, grey, cv::COLOR_BGR2GRAY);
  return cv::countNonZero(grey > 8);
}

// WCAG 2 relative luminance and contrast ratio, as accessibility checkers compute them.
double relative_luminance(cv::Vec3b pixel) {
  const auto channel = [](uchar v) {
    const double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(pixel[2]) + 0.7152 * channel(pixel[1]) + 0.0722 * channel(pixel[0]);
}

// Contrast between the darkest and the lightest pixel in `area`: text against its background.
double contrast_ratio(const cv::Mat& frame, cv::Rect area) {
  double lo = 1, hi = 0;
  const cv::Mat region = frame(area);
  for (int y = 0; y < region.rows; ++y) {
    for (int x = 0; x < region.cols; ++x) {
      const double l = relative_luminance(region.at<cv::Vec3b>(y, x));
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
  }
  return (hi + 0.05) / (lo + 0.05);
}

TEST(ScreenRenderer, FrameHasTheScreenSizeAndTheLayerBackground) {
  Scene scene = blank_scene(parse_color("#121212"));
  scene.width = 720;
  scene.height = 1600;
  const cv::Mat frame = renderer().render(scene);
  EXPECT_EQ(frame.type(), CV_8UC3);
  EXPECT_EQ(frame.cols, 720);
  EXPECT_EQ(frame.rows, 1600);
  EXPECT_EQ(frame.at<cv::Vec3b>(800, 360), cv::Vec3b(0x12, 0x12, 0x12));
}

TEST(ScreenRenderer, NodeBackgroundFillsExactlyItsBounds) {
  Scene scene = blank_scene();
  SceneNode node = node_at(Rect{100, 200, 500, 400});
  node.style.background = parse_color("#FF5722");
  scene.layers[0].nodes.push_back(node);
  const cv::Mat frame = renderer().render(scene);
  const cv::Vec3b orange = bgr(parse_color("#FF5722"));
  EXPECT_EQ(frame.at<cv::Vec3b>(200, 100), orange);  // top-left pixel (row, column)
  EXPECT_EQ(frame.at<cv::Vec3b>(399, 499), orange);  // bottom-right: right/bottom exclusive
  EXPECT_EQ(frame.at<cv::Vec3b>(300, 300), orange);
  EXPECT_EQ(frame.at<cv::Vec3b>(199, 100), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(400, 499), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(300, 500), cv::Vec3b(255, 255, 255));
}

TEST(ScreenRenderer, RoundedCornersShowWhatIsBehind) {
  Scene scene = blank_scene();
  SceneNode node = node_at(Rect{100, 200, 500, 400});
  node.style.background = parse_color("#1E88E5");
  node.style.corner_radius_dp = 16;  // 42 px at 420 dpi
  scene.layers[0].nodes.push_back(node);
  const cv::Mat frame = renderer().render(scene);
  EXPECT_EQ(frame.at<cv::Vec3b>(201, 101), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(398, 498), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(200, 300), bgr(parse_color("#1E88E5")));  // straight edge
  EXPECT_EQ(frame.at<cv::Vec3b>(300, 100), bgr(parse_color("#1E88E5")));
}

TEST(ScreenRenderer, BorderIsDrawnOnTheEdgeOnly) {
  Scene scene = blank_scene();
  SceneNode node = node_at(Rect{100, 200, 500, 400});
  node.style.border = parse_color("#000000");
  node.style.border_width_dp = 2;  // ≈ 5 px
  scene.layers[0].nodes.push_back(node);
  const cv::Mat frame = renderer().render(scene);
  EXPECT_EQ(frame.at<cv::Vec3b>(300, 101), cv::Vec3b(0, 0, 0));
  EXPECT_EQ(frame.at<cv::Vec3b>(201, 300), cv::Vec3b(0, 0, 0));
  EXPECT_EQ(frame.at<cv::Vec3b>(300, 300), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(300, 99), cv::Vec3b(255, 255, 255));
}

TEST(ScreenRenderer, TextIsDrawnInsideItsBoundsAndNowhereElse) {
  const Scene empty = blank_scene();
  const cv::Mat before = renderer().render(empty);
  struct Case {
    std::string text;
    Gravity gravity;
    double sp;
  };
  const std::vector<Case> cases = {
      {"同意并继续", Gravity::kCenter, 18},
      {"Skip ad", Gravity::kLeft, 14},
      {"不同意", Gravity::kRight, 16},
      // Too long for one line and, wrapped, too tall for the view: clipped to it.
      {"我们会根据您的浏览记录为您推荐感兴趣的内容，您可以在设置中关闭个性化推荐。Agree to "
       "the terms and the privacy policy to continue using the app.",
       Gravity::kLeft, 20},
  };
  const Rect bounds{200, 600, 700, 720};
  for (const Case& c : cases) {
    Scene scene = blank_scene();
    SceneNode node = text_node(bounds, c.text, c.sp);
    node.style.gravity = c.gravity;
    scene.layers[0].nodes.push_back(node);
    const cv::Rect box = changed_box(before, renderer().render(scene));
    SCOPED_TRACE(c.text);
    ASSERT_FALSE(box.empty()) << "nothing was drawn";
    EXPECT_EQ(box & to_cv(bounds), box) << "ink at " << box << " leaves the bounds";
    const int centre = box.x + box.width / 2;
    if (c.gravity == Gravity::kLeft) {
      EXPECT_LT(box.x, bounds.left + 30);
    } else if (c.gravity == Gravity::kRight) {
      EXPECT_GT(box.x + box.width, bounds.right - 30);
    } else {
      EXPECT_NEAR(centre, bounds.center_x(), 10);
    }
    EXPECT_NEAR(box.y + box.height / 2, bounds.center_y(), 20) << "not vertically centred";
  }
}

TEST(ScreenRenderer, LongTextWrapsOntoSeveralLines) {
  const cv::Mat before = renderer().render(blank_scene());
  Scene one_line = blank_scene();
  one_line.layers[0].nodes.push_back(text_node(Rect{100, 600, 1000, 1000}, "关闭个性化推荐", 16));
  Scene wrapped = blank_scene();
  wrapped.layers[0].nodes.push_back(text_node(
      Rect{100, 600, 400, 1000}, "关闭个性化推荐后，您看到的内容将不再基于您的兴趣。", 16));
  const cv::Rect single = changed_box(before, renderer().render(one_line));
  const cv::Rect several = changed_box(before, renderer().render(wrapped));
  EXPECT_GT(several.height, 2.5 * single.height);
  EXPECT_LE(several.width, 300);
}

TEST(ScreenRenderer, TextSizeFollowsSpAndDensity) {
  const cv::Mat before = renderer().render(blank_scene());
  const auto ink_height = [&](double sp, int density) {
    Scene scene = blank_scene();
    scene.density = density;
    scene.layers[0].nodes.push_back(text_node(Rect{0, 600, 1080, 900}, "口", sp));
    Scene empty = blank_scene();
    empty.density = density;
    return changed_box(renderer().render(empty), renderer().render(scene)).height;
  };
  // 口 fills about 0.8 em; 20 sp at 420 dpi is 52.5 px.
  EXPECT_NEAR(ink_height(20, 420), 0.8 * 52.5, 6);
  EXPECT_NEAR(ink_height(20, 420), 2 * ink_height(10, 420), 4);
  EXPECT_NEAR(ink_height(20, 560), ink_height(20, 420) * 560 / 420, 4);
}

TEST(ScreenRenderer, LowOpacityMakesAControlFainter) {
  const Rect bounds{700, 200, 1000, 330};
  const auto render_with = [&](double opacity) {
    Scene scene = blank_scene();
    SceneNode close = text_node(bounds, "No thanks", 16);
    close.style.text_color = parse_color("#212121");
    close.style.opacity = opacity;
    scene.layers[0].nodes.push_back(close);
    return renderer().render(scene);
  };
  const double solid = contrast_ratio(render_with(1.0), to_cv(bounds));
  const double faint = contrast_ratio(render_with(0.3), to_cv(bounds));
  EXPECT_GT(solid, 12.0);
  EXPECT_LT(faint, 3.0);  // below WCAG's 3:1 for large text and UI components
}

TEST(ScreenRenderer, OpacityBlendsTheWholeSubtree) {
  Scene scene = blank_scene();
  SceneNode parent = node_at(Rect{100, 100, 600, 600});
  parent.style.opacity = 0.5;
  SceneNode child = node_at(Rect{200, 200, 400, 400});
  child.style.background = parse_color("#000000");
  parent.children.push_back(child);
  scene.layers[0].nodes.push_back(parent);
  const cv::Vec3b pixel = renderer().render(scene).at<cv::Vec3b>(300, 300);
  EXPECT_NEAR(pixel[0], 128, 2);
  EXPECT_NEAR(pixel[1], 128, 2);
}

TEST(ScreenRenderer, DimBackdropDarkensWhatIsBelowButNotThePopUp) {
  Scene scene = blank_scene();
  SceneLayer popup;
  popup.package = "com.uiw.test";
  popup.dim = 0.6;
  popup.dialog_window = true;
  SceneNode dialog = node_at(Rect{140, 700, 940, 1600});
  dialog.style.background = parse_color("#FFFFFF");
  popup.nodes.push_back(dialog);
  scene.layers.push_back(popup);
  const cv::Mat frame = renderer().render(scene);
  const cv::Vec3b outside = frame.at<cv::Vec3b>(300, 540);
  EXPECT_NEAR(outside[1], 255 * 0.4, 2);
  EXPECT_EQ(frame.at<cv::Vec3b>(1000, 540), cv::Vec3b(255, 255, 255));
}

TEST(ScreenRenderer, CheckedControlsLookDifferentFromUncheckedOnes) {
  for (Glyph glyph : {Glyph::kCheckbox, Glyph::kSwitch, Glyph::kRadio}) {
    const auto render_with = [&](bool checked) {
      Scene scene = blank_scene();
      SceneNode control = node_at(Rect{800, 500, 1000, 640});
      control.ui.checkable = true;
      control.ui.checked = checked;
      control.style.glyph = glyph;
      control.style.glyph_color = parse_color("#1E88E5");
      scene.layers[0].nodes.push_back(control);
      return renderer().render(scene);
    };
    const cv::Mat off = render_with(false);
    const cv::Mat on = render_with(true);
    SCOPED_TRACE(static_cast<int>(glyph));
    EXPECT_GT(changed_pixels(off, on), 500);
    EXPECT_EQ(changed_box(renderer().render(blank_scene()), on) & cv::Rect(800, 500, 200, 140),
              changed_box(renderer().render(blank_scene()), on));
  }
}

TEST(ScreenRenderer, SwitchThumbMovesRightWhenOn) {
  const auto thumb_x = [&](bool checked) {
    Scene scene = blank_scene();
    SceneNode control = node_at(Rect{700, 500, 1000, 640});
    control.ui.checked = checked;
    control.style.glyph = Glyph::kSwitch;
    control.style.glyph_color = parse_color("#1E88E5");
    scene.layers[0].nodes.push_back(control);
    const cv::Mat frame = renderer().render(scene);
    // The thumb is the darkest part of the control in both states.
    cv::Mat grey;
    cv::cvtColor(frame(cv::Rect(700, 500, 300, 140)), grey, cv::COLOR_BGR2GRAY);
    double lo = 0;
    cv::minMaxLoc(grey, &lo);
    const cv::Moments m = cv::moments(grey < lo + 20, true);
    return m.m10 / m.m00;
  };
  EXPECT_GT(thumb_x(true), thumb_x(false) + 50);
}

TEST(ScreenRenderer, GlyphsAreDrawnInsideTheirBounds) {
  const cv::Mat before = renderer().render(blank_scene());
  for (Glyph glyph : {Glyph::kCross, Glyph::kCircledCross, Glyph::kArrowLeft}) {
    Scene scene = blank_scene();
    SceneNode icon = node_at(Rect{888, 720, 920, 752});  // a 12 dp close mark
    icon.style.glyph = glyph;
    icon.style.glyph_color = parse_color("#555555");
    scene.layers[0].nodes.push_back(icon);
    const cv::Rect box = changed_box(before, renderer().render(scene));
    SCOPED_TRACE(static_cast<int>(glyph));
    ASSERT_FALSE(box.empty());
    EXPECT_EQ(box & cv::Rect(888, 720, 32, 32), box);
    EXPECT_GE(box.width, 12);
  }
}

TEST(ScreenRenderer, ImageIsScaledIntoTheBounds) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "uiw_screen_renderer_test_banner.png").string();
  cv::Mat image(10, 20, CV_8UC3, cv::Scalar(0, 0, 255));        // red left half
  image(cv::Rect(10, 0, 10, 10)).setTo(cv::Scalar(255, 0, 0));  // blue right half
  ASSERT_TRUE(cv::imwrite(path, image));
  Scene scene = blank_scene();
  SceneNode banner = node_at(Rect{100, 300, 900, 700});
  banner.style.image_path = path;
  scene.layers[0].nodes.push_back(banner);
  const cv::Mat frame = renderer().render(scene);
  std::filesystem::remove(path);
  EXPECT_EQ(frame.at<cv::Vec3b>(500, 200), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(500, 800), cv::Vec3b(255, 0, 0));
  EXPECT_EQ(frame.at<cv::Vec3b>(299, 500), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(frame.at<cv::Vec3b>(700, 500), cv::Vec3b(255, 255, 255));
}

TEST(ScreenRenderer, MissingImageIsReportedWithItsPath) {
  Scene scene = blank_scene();
  SceneNode banner = node_at(Rect{100, 300, 900, 700});
  banner.style.image_path = "/nonexistent/uiw/banner.png";
  scene.layers[0].nodes.push_back(banner);
  try {
    renderer().render(scene);
    FAIL() << "no error for a missing image";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/uiw/banner.png"), std::string::npos);
  }
}

TEST(ScreenRenderer, RecordedFrameIsScaledToTheScreen) {
  Scene scene;
  scene.status_bar = false;
  SceneLayer layer;
  layer.recorded_image = cv::Mat(1200, 540, CV_8UC3, cv::Scalar(10, 200, 30));
  scene.layers.push_back(layer);
  const cv::Mat frame = renderer().render(scene);
  ASSERT_EQ(frame.size(), cv::Size(1080, 2400));
  EXPECT_EQ(frame.at<cv::Vec3b>(2399, 1079), cv::Vec3b(10, 200, 30));
}

TEST(ScreenRenderer, StatusBarShowsTheClockInContrastingInk) {
  for (const char* background : {"#FFFFFF", "#121212"}) {
    Scene without = blank_scene(parse_color(background));
    Scene with = without;
    with.status_bar = true;
    const cv::Rect box = changed_box(renderer().render(without), renderer().render(with));
    SCOPED_TRACE(background);
    ASSERT_FALSE(box.empty());
    EXPECT_LE(box.y + box.height, 63);  // 24 dp at 420 dpi
    EXPECT_LT(box.x, 100);              // the clock, left
    EXPECT_GT(box.x + box.width, 980);  // battery, right
  }
}

TEST(ScreenRenderer, RendersTheSameFrameFromSeveralThreads) {
  Scene scene = blank_scene();
  for (int i = 0; i < 10; ++i) {
    scene.layers[0].nodes.push_back(text_node(Rect{60, 100 + i * 150, 1020, 230 + i * 150},
                                              "同意并继续 Agree " + std::to_string(i)));
  }
  const cv::Mat expected = renderer().render(scene);
  std::vector<std::future<cv::Mat>> frames;
  for (int t = 0; t < 4; ++t) {
    frames.push_back(std::async(std::launch::async, [&] { return renderer().render(scene); }));
  }
  for (auto& f : frames) EXPECT_EQ(changed_pixels(expected, f.get()), 0);
}

TEST(Color, ParsesAndroidColoursAlphaFirst) {
  EXPECT_EQ(parse_color("#FF5722"), (Color{0xFF, 0x57, 0x22, 0xFF}));
  EXPECT_EQ(parse_color("#80000000"), (Color{0, 0, 0, 0x80}));
  EXPECT_EQ(parse_color("#ff5722"), (Color{0xFF, 0x57, 0x22, 0xFF}));
  EXPECT_EQ(to_string(parse_color("#1e88e5")), "#1E88E5");
  EXPECT_EQ(to_string(parse_color("#401E88E5")), "#401E88E5");
}

TEST(Color, RejectsMalformedColoursSayingWhy) {
  for (const char* bad : {"FF5722", "#FF572", "#GG5722", "", "#FF5722FF00", "red"}) {
    try {
      parse_color(bad);
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const uiw::Error& e) {
      EXPECT_EQ(e.kind(), uiw::ErrorKind::kConfig);
      EXPECT_NE(std::string(e.what()).find("#RRGGBB"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
