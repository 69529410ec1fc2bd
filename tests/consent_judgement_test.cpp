// What makes a pre-set choice a CON-01 or CON-02 finding and what does not, on the kinds of real
// screens that were misjudged: a plain confirmation (filled OK over a plain Cancel), a settings
// page's own options, a page titled by its topic, a system dialog whose decline is written with
// a typographic apostrophe.
#include <gtest/gtest.h>

#include <memory>
#include <opencv2/imgproc.hpp>
#include <set>
#include <string>

#include "detectors/ocr_service.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "tests/support/frame_report.h"
#include "tests/support/paths.h"

namespace uiw::detectors {
namespace {

using test::describe;
using test::rules_of;
using test::tree_frame;

class ConsentJudgementTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    profile_ = std::make_unique<RuleProfile>(
        RuleProfile::load(test::source_path("profiles/miit-2023.yaml")));
    ocr_ = std::make_unique<OcrService>(1);
  }
  static void TearDownTestSuite() {
    ocr_.reset();
    profile_.reset();
  }
  static FrameReport check(const Frame& frame) {
    return StaticRuleSet(*profile_, ocr_.get()).check(frame);
  }

  // A 1080×1920 screenshot (480 dpi) of a dialog card over a dimmed page: `ask` on two lines,
  // a filled blue "OK" and a plain grey "Cancel" under it.
  static Frame confirmation_dialog(const std::string& line1, const std::string& line2) {
    Frame f;
    f.density_dpi = 480;
    f.image = cv::Mat(1920, 1080, CV_8UC3, cv::Scalar(70, 70, 70));
    for (int y = 200; y < 1800; y += 160)  // the dimmed page's rows
      cv::rectangle(f.image, cv::Rect(60, y, 960, 110), cv::Scalar(95, 95, 95), cv::FILLED);
    cv::rectangle(f.image, cv::Rect(140, 560, 800, 720), cv::Scalar(255, 255, 255), cv::FILLED);
    auto text = [&](const std::string& s, int x, int y, double size, cv::Scalar colour) {
      cv::putText(f.image, s, {x, y}, cv::FONT_HERSHEY_SIMPLEX, size, colour, 4, cv::LINE_AA);
    };
    text(line1, 200, 700, 1.5, cv::Scalar(30, 30, 30));
    text(line2, 200, 790, 1.5, cv::Scalar(30, 30, 30));
    cv::rectangle(f.image, cv::Rect(240, 960, 600, 140), cv::Scalar(230, 120, 30), cv::FILLED);
    text("OK", 495, 1055, 2.0, cv::Scalar(255, 255, 255));
    text("Cancel", 425, 1195, 1.6, cv::Scalar(140, 140, 140));
    return f;
  }

  static std::unique_ptr<RuleProfile> profile_;
  static std::unique_ptr<OcrService> ocr_;
};

std::unique_ptr<RuleProfile> ConsentJudgementTest::profile_;
std::unique_ptr<OcrService> ConsentJudgementTest::ocr_;

TEST_F(ConsentJudgementTest, AFilledOkOverCancelIsConsentOnlyWhenTheAskNamesATopic) {
  const FrameReport confirm =
      check(confirmation_dialog("Delete this file?", "It cannot be undone."));
  // The pair itself was seen and read: it is the judgement that keeps it out.
  const std::vector<const Observation*> declines = confirm.all("decline");
  ASSERT_TRUE(std::any_of(declines.begin(), declines.end(), [](const Observation* o) {
    return o->detail == "Cancel";
  })) << describe(confirm);
  EXPECT_FALSE(rules_of(confirm).count("CON-01")) << describe(confirm);

  const FrameReport ask =
      check(confirmation_dialog("Turn on notifications", "for offers near you?"));
  EXPECT_TRUE(rules_of(ask).count("CON-01")) << describe(ask);
  EXPECT_TRUE(ask.has("ask")) << "the words that made it an ask are evidence" << describe(ask);
}

TEST_F(ConsentJudgementTest, ASystemDialogsTypographicDontAllowIsItsDecline) {
  const Frame f = tree_frame(R"(<hierarchy rotation="0">
    <node index="0" class="android.widget.FrameLayout" package="com.google.android.permissioncontroller" bounds="[27,339][1053,1875]">
      <node index="0" text="Allow Camera to access this device’s location?" class="android.widget.TextView" package="com.google.android.permissioncontroller" bounds="[137,570][943,708]"/>
      <node index="1" text="While using the app" class="android.widget.Button" clickable="true" package="com.google.android.permissioncontroller" bounds="[137,1278][943,1432]"/>
      <node index="2" text="Only this time" class="android.widget.Button" clickable="true" package="com.google.android.permissioncontroller" bounds="[137,1444][943,1598]"/>
      <node index="3" text="Don’t allow" class="android.widget.Button" clickable="true" package="com.google.android.permissioncontroller" bounds="[137,1610][943,1764]"/>
    </node></hierarchy>)");
  const FrameReport report = check(f);
  ASSERT_TRUE(report.has("popup")) << describe(report);
  EXPECT_FALSE(rules_of(report).count("POP-01")) << describe(report);
  const std::vector<const Observation*> declines = report.all("decline");
  EXPECT_TRUE(std::any_of(declines.begin(), declines.end(), [](const Observation* o) {
    return o->detail.find("Don’t allow") != std::string::npos;
  })) << describe(report);
}

// A settings list without a toolbar: its rows are the user's current settings. A row about
// something CON-02 names (usage data) that is on is a warning; any other (an installer option
// whose summary mentions updates) is nobody's business, and no row is the page's title.
TEST_F(ConsentJudgementTest, ASettingsPagesOwnOptionsAreSettingsNotConsent) {
  const Frame f = tree_frame(R"(<hierarchy rotation="0">
    <node index="0" class="android.widget.FrameLayout" package="org.example.store" bounds="[0,0][1080,1920]">
      <node index="0" class="androidx.recyclerview.widget.RecyclerView" scrollable="true" package="org.example.store" bounds="[0,72][1080,1776]">
        <node index="0" class="android.widget.LinearLayout" clickable="true" package="org.example.store" bounds="[0,72][1080,262]">
          <node index="0" text="Send usage data" resource-id="android:id/title" class="android.widget.TextView" package="org.example.store" bounds="[48,104][700,150]"/>
          <node index="1" text="Sends anonymous statistics weekly" resource-id="android:id/summary" class="android.widget.TextView" package="org.example.store" bounds="[48,150][900,200]"/>
          <node index="2" class="android.widget.Switch" checkable="true" checked="false" package="org.example.store" bounds="[930,120][1040,210]"/>
        </node>
        <node index="1" class="android.widget.LinearLayout" clickable="true" package="org.example.store" bounds="[0,262][1080,452]">
          <node index="0" text="Force old installer" resource-id="android:id/title" class="android.widget.TextView" package="org.example.store" bounds="[48,294][700,340]"/>
          <node index="1" text="Disable the session installer, including automatic background updates." resource-id="android:id/summary" class="android.widget.TextView" package="org.example.store" bounds="[48,340][900,420]"/>
          <node index="2" class="android.widget.Switch" checkable="true" checked="true" package="org.example.store" bounds="[930,310][1040,400]"/>
        </node>
      </node>
    </node></hierarchy>)");
  EXPECT_TRUE(check(f).findings.empty()) << describe(check(f));

  std::string on = R"(<hierarchy rotation="0">
    <node index="0" class="android.widget.FrameLayout" package="org.example.store" bounds="[0,0][1080,1920]">
      <node index="0" class="androidx.recyclerview.widget.RecyclerView" scrollable="true" package="org.example.store" bounds="[0,72][1080,1776]">
        <node index="0" class="android.widget.LinearLayout" clickable="true" package="org.example.store" bounds="[0,72][1080,262]">
          <node index="0" text="Send usage data" resource-id="android:id/title" class="android.widget.TextView" package="org.example.store" bounds="[48,104][700,150]"/>
          <node index="1" class="android.widget.Switch" checkable="true" checked="true" package="org.example.store" bounds="[930,120][1040,210]"/>
        </node>
      </node>
    </node></hierarchy>)";
  const FrameReport usage = check(tree_frame(on));
  EXPECT_EQ(rules_of(usage), std::set<std::string>{"CON-02"}) << describe(usage);
}

// A row that names no default-on topic itself ("Brave Ads") on a page whose toolbar does
// ("Notifications") is that page's default.
TEST_F(ConsentJudgementTest, ARowIsJudgedByThePageTitleInItsToolbar) {
  const FrameReport report = check(tree_frame(R"(<hierarchy rotation="0">
    <node index="0" class="android.widget.FrameLayout" package="org.example.browser" bounds="[0,0][1080,1920]">
      <node index="0" class="android.widget.Toolbar" package="org.example.browser" bounds="[0,72][1080,240]">
        <node index="0" text="Notifications" class="android.widget.TextView" package="org.example.browser" bounds="[200,120][600,190]"/>
      </node>
      <node index="1" class="android.widget.ListView" scrollable="true" package="org.example.browser" bounds="[0,240][1080,1776]">
        <node index="0" class="android.widget.LinearLayout" clickable="true" package="org.example.browser" bounds="[0,240][1080,400]">
          <node index="0" text="Brave Ads" class="android.widget.TextView" package="org.example.browser" bounds="[48,290][500,350]"/>
          <node index="1" class="android.widget.CheckBox" checkable="true" checked="true" package="org.example.browser" bounds="[930,280][1010,360]"/>
        </node>
      </node>
    </node></hierarchy>)"));
  ASSERT_EQ(rules_of(report), std::set<std::string>{"CON-02"}) << describe(report);
  EXPECT_NE(report.findings.front().message.find("on the page 'Notifications'"), std::string::npos)
      << report.findings.front().message;
}

}  // namespace
}  // namespace uiw::detectors
