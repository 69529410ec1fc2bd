// Selection controls found in pixels with their state (CON-01: a consent option pre-selected),
// the text line that labels each, and pre-highlighted choice pairs: on controls drawn the way
// Material and iOS draw them, at two densities, and on real screenshots from the AidUI set.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "detectors/choice_label.h"
#include "detectors/frame.h"
#include "detectors/highlighted_choice_detector.h"
#include "detectors/selection_mark_detector.h"
#include "detectors/selection_widget_finder.h"
#include "support/paths.h"

namespace uiw::detectors {
namespace {

using Kind = SelectionMark::Kind;

const cv::Scalar kWhite(255, 255, 255);
const cv::Scalar kIndigo(181, 81, 63);         // Material indigo 500, BGR
const cv::Scalar kLightIndigo(218, 168, 159);  // the same at 50 % over white (M2 track)
const cv::Scalar kGrey(117, 117, 117);         // unchecked outline
const cv::Scalar kTrackGrey(189, 189, 189);
const cv::Scalar kIosGreen(89, 199, 52);
const cv::Scalar kIosOff(234, 233, 233);

// A canvas of one settings row: `w_dp` × 64 dp of white.
struct Canvas {
  int density;
  cv::Mat image;
  double px(double dp) const { return dp * density / 160.0; }
  cv::Point at(double x_dp, double y_dp) const {
    return {static_cast<int>(std::lround(px(x_dp))), static_cast<int>(std::lround(px(y_dp)))};
  }
};

Canvas canvas(int density, double w_dp = 360, double h_dp = 64) {
  Canvas c{density, {}};
  c.image = cv::Mat(static_cast<int>(c.px(h_dp)), static_cast<int>(c.px(w_dp)), CV_8UC3, kWhite);
  return c;
}

void round_rect(cv::Mat& img, cv::Rect r, int radius, const cv::Scalar& colour, int thickness) {
  radius = std::min({radius, r.width / 2, r.height / 2});
  if (thickness < 0) {
    cv::rectangle(img, {r.x + radius, r.y, r.width - 2 * radius, r.height}, colour, cv::FILLED,
                  cv::LINE_AA);
    cv::rectangle(img, {r.x, r.y + radius, r.width, r.height - 2 * radius}, colour, cv::FILLED,
                  cv::LINE_AA);
    for (const auto& c : {cv::Point(r.x + radius, r.y + radius),
                          cv::Point(r.x + r.width - 1 - radius, r.y + radius),
                          cv::Point(r.x + radius, r.y + r.height - 1 - radius),
                          cv::Point(r.x + r.width - 1 - radius, r.y + r.height - 1 - radius)})
      cv::circle(img, c, radius, colour, cv::FILLED, cv::LINE_AA);
    return;
  }
  // Outline: the filled shape minus the inset filled shape in white.
  round_rect(img, r, radius, colour, -1);
  const cv::Rect inner(r.x + thickness, r.y + thickness, r.width - 2 * thickness,
                       r.height - 2 * thickness);
  round_rect(img, inner, std::max(1, radius - thickness), kWhite, -1);
}

void label(Canvas& c, const std::string& text, double x_dp) {
  cv::putText(c.image, text, c.at(x_dp, 38), cv::FONT_HERSHEY_SIMPLEX, c.px(16) / 28.0,
              cv::Scalar(33, 33, 33), std::max(1, static_cast<int>(c.px(1.2))), cv::LINE_AA);
}

// Material checkbox: 18 dp box at (16, 23) dp, label to its right. Returns the box in px.
Rect material_checkbox(Canvas& c, bool checked) {
  const cv::Rect box(c.at(16, 23),
                     cv::Size(static_cast<int>(c.px(18)), static_cast<int>(c.px(18))));
  if (checked) {
    round_rect(c.image, box, static_cast<int>(c.px(2)), kIndigo, -1);
    auto p = [&](double fx, double fy) {
      return cv::Point(box.x + static_cast<int>(fx * box.width),
                       box.y + static_cast<int>(fy * box.height));
    };
    const std::vector<cv::Point> tick{p(0.2, 0.52), p(0.42, 0.72), p(0.8, 0.3)};
    cv::polylines(c.image, tick, false, kWhite, std::max(2, static_cast<int>(c.px(2))),
                  cv::LINE_AA);
  } else {
    round_rect(c.image, box, static_cast<int>(c.px(2)), kGrey,
               std::max(2, static_cast<int>(c.px(2))));
  }
  label(c, "Share my usage data", 52);
  return from_cv(box);
}

// Material radio: 20 dp ring at (14, 22) dp, label to its right.
Rect material_radio(Canvas& c, bool selected) {
  const cv::Point centre = c.at(24, 32);
  const int r = static_cast<int>(c.px(10));
  const int stroke = std::max(2, static_cast<int>(c.px(2)));
  cv::circle(c.image, centre, r - stroke / 2, selected ? kIndigo : kGrey, stroke, cv::LINE_AA);
  if (selected)
    cv::circle(c.image, centre, static_cast<int>(c.px(5)), kIndigo, cv::FILLED, cv::LINE_AA);
  label(c, "Personalised ads", 52);
  return Rect{centre.x - r, centre.y - r, centre.x + r, centre.y + r};
}

// Material 2 switch at the row's end: 34×14 dp track, 20 dp thumb; label at the left.
Rect material_switch(Canvas& c, bool on) {
  const double x = 360 - 16 - 37;  // dp
  const cv::Rect track(c.at(x + 1.5, 25),
                       cv::Size(static_cast<int>(c.px(34)), static_cast<int>(c.px(14))));
  round_rect(c.image, track, track.height / 2, on ? kLightIndigo : kTrackGrey, -1);
  const cv::Point thumb = c.at(on ? x + 27 : x + 10, 32);
  const int r = static_cast<int>(c.px(10));
  // The thumb's elevation shadow (a grey rim all round, deeper below), then the thumb.
  cv::circle(c.image, thumb + cv::Point(0, static_cast<int>(c.px(0.5))),
             r + std::max(1, static_cast<int>(c.px(1))), cv::Scalar(190, 190, 190), cv::FILLED,
             cv::LINE_AA);
  cv::circle(c.image, thumb, r, on ? kIndigo : cv::Scalar(250, 250, 250), cv::FILLED, cv::LINE_AA);
  label(c, "Marketing emails", 16);
  return Rect{static_cast<int>(c.px(x)), thumb.y - r, static_cast<int>(c.px(x + 37)), thumb.y + r};
}

// iOS switch at the row's end: 51×31 pt stadium, 27 pt white thumb.
Rect ios_switch(Canvas& c, bool on) {
  const double x = 360 - 16 - 51;
  const cv::Rect track(c.at(x, 16.5),
                       cv::Size(static_cast<int>(c.px(51)), static_cast<int>(c.px(31))));
  round_rect(c.image, track, track.height / 2, on ? kIosGreen : kIosOff, -1);
  const cv::Point thumb = c.at(on ? x + 51 - 15.5 : x + 15.5, 32);
  const int r = static_cast<int>(c.px(13.5));
  cv::circle(c.image, thumb + cv::Point(0, static_cast<int>(c.px(1))), r, cv::Scalar(200, 200, 200),
             cv::FILLED, cv::LINE_AA);
  cv::circle(c.image, thumb, r, kWhite, cv::FILLED, cv::LINE_AA);
  label(c, "Share analytics", 16);
  return from_cv(track);
}

// The one mark overlapping `drawn`, or a failure.
::testing::AssertionResult found(const std::vector<SelectionMark>& marks, const Rect& drawn,
                                 Kind kind, bool checked, SelectionMark* out = nullptr) {
  for (const auto& m : marks) {
    if (m.box.intersect(drawn).area() < 0.3 * std::min(m.box.area(), drawn.area())) continue;
    if (m.kind != kind || m.checked != checked)
      return ::testing::AssertionFailure()
             << "found " << to_string(m.kind) << (m.checked ? " checked" : " unchecked") << " at "
             << m.box.to_bounds_string();
    if (out) *out = m;
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "nothing found at " << drawn.to_bounds_string() << " ("
                                       << marks.size() << " marks elsewhere)";
}

bool any_checked(const std::vector<SelectionMark>& marks) {
  return std::any_of(marks.begin(), marks.end(), [](const auto& m) { return m.checked; });
}

// Both ways of finding selection widgets are held to the same cases: the learned classifier the
// rules use, and the hand-set shape rules kept as its baseline.
enum class Finder { kLearned, kShapes };

std::vector<SelectionMark> widgets(Finder finder, const cv::Mat& image, int density) {
  const Rect all{0, 0, image.cols, image.rows};
  if (finder == Finder::kShapes) return SelectionMarkDetector(density).detect(image, all);
  return SelectionWidgetFinder(density).find(image, all);
}

std::string finder_name(Finder finder) {
  return finder == Finder::kShapes ? "shapes" : "learned";
}

class SyntheticMarks : public ::testing::TestWithParam<std::tuple<int, Finder>> {
 protected:
  int density() const { return std::get<0>(GetParam()); }
  std::vector<SelectionMark> marks_in(const Canvas& c) const {
    return widgets(std::get<1>(GetParam()), c.image, c.density);
  }
};

TEST_P(SyntheticMarks, TickedCheckboxIsCheckedAndLabelledOnItsRight) {
  Canvas c = canvas(density());
  const Rect box = material_checkbox(c, true);
  const auto marks = marks_in(c);
  SelectionMark m;
  ASSERT_TRUE(found(marks, box, Kind::kCheckbox, true, &m));
  const auto text = find_choice_label(c.image, m.box, c.density);
  ASSERT_TRUE(text.has_value());
  EXPECT_GT(text->left, box.right);
  EXPECT_GT(text->width(), c.px(100));
  EXPECT_LT(text->top, box.bottom);
  EXPECT_GT(text->bottom, box.top);
}

TEST_P(SyntheticMarks, EmptyCheckboxIsNotChecked) {
  Canvas c = canvas(density());
  const Rect box = material_checkbox(c, false);
  const auto marks = marks_in(c);
  EXPECT_FALSE(any_checked(marks));
  EXPECT_TRUE(found(marks, box, Kind::kCheckbox, false));
}

TEST_P(SyntheticMarks, SelectedRadioIsChecked) {
  Canvas c = canvas(density());
  const Rect ring = material_radio(c, true);
  const auto marks = marks_in(c);
  EXPECT_TRUE(found(marks, ring, Kind::kRadio, true));
}

TEST_P(SyntheticMarks, EmptyRadioIsNotChecked) {
  Canvas c = canvas(density());
  const Rect ring = material_radio(c, false);
  const auto marks = marks_in(c);
  EXPECT_FALSE(any_checked(marks));
  EXPECT_TRUE(found(marks, ring, Kind::kRadio, false));
}

TEST_P(SyntheticMarks, MaterialSwitchOnAndOff) {
  for (bool on : {true, false}) {
    Canvas c = canvas(density());
    const Rect sw = material_switch(c, on);
    const auto marks = marks_in(c);
    SelectionMark m;
    ASSERT_TRUE(found(marks, sw, Kind::kSwitch, on, &m)) << (on ? "on" : "off");
    EXPECT_EQ(any_checked(marks), on);
    // The label of a switch at the row's end is on its left.
    const auto text = find_choice_label(c.image, m.box, c.density);
    ASSERT_TRUE(text.has_value());
    EXPECT_LT(text->right, m.box.left);
    EXPECT_LT(text->left, c.px(24));
  }
}

TEST_P(SyntheticMarks, IosSwitchOnAndOff) {
  for (bool on : {true, false}) {
    Canvas c = canvas(density());
    const Rect sw = ios_switch(c, on);
    const auto marks = marks_in(c);
    EXPECT_TRUE(found(marks, sw, Kind::kSwitch, on)) << (on ? "on" : "off");
    EXPECT_EQ(any_checked(marks), on);
  }
}

TEST_P(SyntheticMarks, PlainTextRowHasNoMark) {
  Canvas c = canvas(density());
  label(c, "Do not sell my personal information", 16);
  const auto marks = marks_in(c);
  EXPECT_FALSE(any_checked(marks));
}

INSTANTIATE_TEST_SUITE_P(DensitiesAndFinders, SyntheticMarks,
                         ::testing::Combine(::testing::Values(240, 480),
                                            ::testing::Values(Finder::kLearned, Finder::kShapes)),
                         [](const auto& test) {
                           return "dpi" + std::to_string(std::get<0>(test.param)) + "_" +
                                  finder_name(std::get<1>(test.param));
                         });

// A portrait screen's top app bar (the 64 dp under the status bar) holds actions: the same
// checkbox row is an option below it and nothing inside it ("done" ticks, avatars look alike).
TEST(LearnedMarks, ACheckboxInTheTopAppBarIsAnActionNotAnOption) {
  const int density = 480;
  Canvas row = canvas(density);
  const Rect drawn = material_checkbox(row, true);
  cv::Mat screen(static_cast<int>(row.px(640)), row.image.cols, CV_8UC3, kWhite);
  const int bar_y = static_cast<int>(row.px(24)), list_y = static_cast<int>(row.px(300));
  row.image.copyTo(screen(cv::Rect(0, bar_y, row.image.cols, row.image.rows)));
  row.image.copyTo(screen(cv::Rect(0, list_y, row.image.cols, row.image.rows)));
  const auto marks =
      SelectionWidgetFinder(density).find(screen, Rect{0, 0, screen.cols, screen.rows});
  auto moved = [&](int dy) {
    return Rect{drawn.left, drawn.top + dy, drawn.right, drawn.bottom + dy};
  };
  EXPECT_TRUE(found(marks, moved(list_y), Kind::kCheckbox, true));
  EXPECT_FALSE(found(marks, moved(bar_y), Kind::kCheckbox, true));
}

// Real screenshots (AidUI, fixtures/recorded/aidui/README.md).
cv::Mat recorded(const std::string& name) {
  cv::Mat image = cv::imread(test::source_path("fixtures/recorded/aidui/" + name));
  EXPECT_FALSE(image.empty()) << name;
  return image;
}

class RecordedMarks : public ::testing::TestWithParam<Finder> {};

TEST_P(RecordedMarks, NavionicsShareDataTickedOthersNot) {
  const cv::Mat image = recorded("10779_TpFqdCn.jpg");
  ASSERT_FALSE(image.empty());
  const int density = 480;
  const auto marks = widgets(GetParam(), image, density);
  SelectionMark share;
  ASSERT_TRUE(found(marks, Rect{973, 1303, 1037, 1368}, Kind::kCheckbox, true, &share));
  // "Screen On", "Sync my data", "Sonar Logs Notification": empty boxes.
  for (const Rect& empty :
       {Rect{973, 907, 1037, 972}, Rect{973, 1066, 1037, 1131}, Rect{973, 1542, 1037, 1607}})
    EXPECT_TRUE(found(marks, empty, Kind::kCheckbox, false)) << empty.to_bounds_string();
  // Its label is "Share data" at the row's left edge.
  const auto text = find_choice_label(image, share.box, density);
  ASSERT_TRUE(text.has_value());
  EXPECT_LT(text->left, 60);
  EXPECT_GT(text->right, 200);
  EXPECT_LT(text->right, 400);
  EXPECT_LT(text->top, share.box.center_y());
  EXPECT_GT(text->bottom, share.box.center_y());
}

TEST_P(RecordedMarks, MaterialCheckboxesTickedAndEmpty) {
  const cv::Mat image = recorded("1211_FIlYrck.jpg");
  ASSERT_FALSE(image.empty());
  const auto marks = widgets(GetParam(), image, 480);
  // "Block pop-ups", "Text wrap", "Send usage reports", "News and promotion notifications".
  for (int top : {264, 411, 1033, 1327})
    EXPECT_TRUE(found(marks, Rect{973, top, 1019, top + 44}, Kind::kCheckbox, true)) << top;
  // "Force enable zoom", "Copy and search", "Set instant view as default".
  for (int top : {562, 709, 1185})
    EXPECT_TRUE(found(marks, Rect{978, top, 1014, top + 35}, Kind::kCheckbox, false)) << top;
}

TEST_P(RecordedMarks, OneSwitchOnAmongFour) {
  const cv::Mat image = recorded("12814_ZTYnBV1.jpg");
  ASSERT_FALSE(image.empty());
  const auto marks = widgets(GetParam(), image, 240);
  EXPECT_TRUE(found(marks, Rect{422, 334, 475, 364}, Kind::kSwitch, true));
  for (int top : {177, 255, 467})
    EXPECT_TRUE(found(marks, Rect{422, top, 475, top + 30}, Kind::kSwitch, false)) << top;
}

INSTANTIATE_TEST_SUITE_P(Finders, RecordedMarks,
                         ::testing::Values(Finder::kLearned, Finder::kShapes),
                         [](const auto& test) { return finder_name(test.param); });

TEST(RecordedChoices, FilledYesOverOutlinedNo) {
  const cv::Mat image = recorded("12247_Lb9PIqo.jpg");
  ASSERT_FALSE(image.empty());
  const auto pairs =
      HighlightedChoiceDetector(480).detect(image, Rect{0, 0, image.cols, image.rows});
  ASSERT_FALSE(pairs.empty());
  const Rect yes{40, 1429, 1041, 1557}, no{37, 1597, 1044, 1731};
  const bool seen = std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) {
    return iou(p.primary, yes) > 0.7 && iou(p.secondary, no) > 0.7;
  });
  EXPECT_TRUE(seen);
}

TEST(SyntheticChoices, TwoFilledButtonsAreAnEvenChoice) {
  Canvas c = canvas(480, 360, 200);
  round_rect(c.image, {c.at(16, 120), c.at(172, 160)}, static_cast<int>(c.px(4)), kIndigo, -1);
  round_rect(c.image, {c.at(188, 120), c.at(344, 160)}, static_cast<int>(c.px(4)),
             cv::Scalar(60, 60, 220), -1);
  cv::putText(c.image, "Decline", c.at(60, 146), cv::FONT_HERSHEY_SIMPLEX, 1.2, kWhite, 3,
              cv::LINE_AA);
  cv::putText(c.image, "Accept", c.at(232, 146), cv::FONT_HERSHEY_SIMPLEX, 1.2, kWhite, 3,
              cv::LINE_AA);
  EXPECT_TRUE(HighlightedChoiceDetector(480)
                  .detect(c.image, Rect{0, 0, c.image.cols, c.image.rows})
                  .empty());
}

TEST(SyntheticChoices, FilledButtonOverPlainText) {
  Canvas c = canvas(480, 360, 200);
  round_rect(c.image, {c.at(24, 100), c.at(336, 148)}, static_cast<int>(c.px(24)), kIndigo, -1);
  cv::putText(c.image, "Accept all", c.at(130, 130), cv::FONT_HERSHEY_SIMPLEX, 1.4, kWhite, 3,
              cv::LINE_AA);
  cv::putText(c.image, "Not now", c.at(148, 176), cv::FONT_HERSHEY_SIMPLEX, 1.0,
              cv::Scalar(120, 120, 120), 2, cv::LINE_AA);
  const auto pairs =
      HighlightedChoiceDetector(480).detect(c.image, Rect{0, 0, c.image.cols, c.image.rows});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_GT(pairs[0].secondary.top, pairs[0].primary.bottom);
  EXPECT_LT(pairs[0].secondary.width(), pairs[0].primary.width() / 2);
}

// Older apps' banners put a white "Sure" beside an outlined "No thanks" on the banner's brand
// colour: the white button is that surface's accent. A white button with no outlined twin is
// just a card on colour.
TEST(SyntheticChoices, WhiteButtonBesideOutlinedTwinOnABrandBanner) {
  const cv::Scalar green(60, 150, 20);
  auto banner = [&](bool with_twin) {
    Canvas c = canvas(480, 360, 200);
    cv::rectangle(c.image, {c.at(0, 40), c.at(360, 150)}, green, cv::FILLED);
    const cv::Rect sure(c.at(190, 100), c.at(290, 124));
    cv::rectangle(c.image, sure, kWhite, cv::FILLED);
    cv::putText(c.image, "Sure", c.at(222, 117), cv::FONT_HERSHEY_SIMPLEX, 1.1, green, 2,
                cv::LINE_AA);
    if (with_twin) {
      const cv::Rect no(c.at(70, 100), c.at(170, 124));
      cv::rectangle(c.image, no, kWhite, cv::FILLED);
      const int t = static_cast<int>(c.px(1));
      cv::rectangle(c.image, {no.x + t, no.y + t, no.width - 2 * t, no.height - 2 * t}, green,
                    cv::FILLED);
      cv::putText(c.image, "No thanks", c.at(82, 117), cv::FONT_HERSHEY_SIMPLEX, 1.1, kWhite, 2,
                  cv::LINE_AA);
    }
    return c.image;
  };
  const cv::Mat with_twin = banner(true);
  const auto pairs =
      HighlightedChoiceDetector(480).detect(with_twin, Rect{0, 0, with_twin.cols, with_twin.rows});
  const Rect sure{570, 300, 870, 372}, no{210, 300, 510, 372};
  const bool seen = std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) {
    return iou(p.primary, sure) > 0.7 && iou(p.secondary, no) > 0.7;
  });
  EXPECT_TRUE(seen);
  const cv::Mat alone = banner(false);
  EXPECT_TRUE(
      HighlightedChoiceDetector(480).detect(alone, Rect{0, 0, alone.cols, alone.rows}).empty());
}

// Two filled buttons side by side are an even choice, but not over a grey "Later": then the row
// is the highlighted default and "Later" the way out.
TEST(SyntheticChoices, TwoFilledButtonsOverAGreyOptionMakeTheRowTheDefault) {
  Canvas c = canvas(480, 360, 240);
  const cv::Scalar orange(40, 150, 240);
  round_rect(c.image, {c.at(24, 100), c.at(172, 140)}, static_cast<int>(c.px(4)), orange, -1);
  round_rect(c.image, {c.at(188, 100), c.at(336, 140)}, static_cast<int>(c.px(4)), orange, -1);
  round_rect(c.image, {c.at(24, 156), c.at(336, 196)}, static_cast<int>(c.px(4)),
             cv::Scalar(150, 150, 150), -1);
  cv::putText(c.image, "Sign up", c.at(64, 126), cv::FONT_HERSHEY_SIMPLEX, 1.2, kWhite, 3,
              cv::LINE_AA);
  cv::putText(c.image, "Log in", c.at(232, 126), cv::FONT_HERSHEY_SIMPLEX, 1.2, kWhite, 3,
              cv::LINE_AA);
  cv::putText(c.image, "Later", c.at(156, 182), cv::FONT_HERSHEY_SIMPLEX, 1.2, kWhite, 3,
              cv::LINE_AA);
  const auto pairs =
      HighlightedChoiceDetector(480).detect(c.image, Rect{0, 0, c.image.cols, c.image.rows});
  ASSERT_EQ(pairs.size(), 1u);
  const Rect row{72, 300, 1008, 420}, later{72, 468, 1008, 588};
  EXPECT_GT(iou(pairs[0].primary, row), 0.8) << pairs[0].primary.to_bounds_string();
  EXPECT_GT(iou(pairs[0].secondary, later), 0.8) << pairs[0].secondary.to_bounds_string();
}

}  // namespace
}  // namespace uiw::detectors
