// The --faults SPEC of uiwitness-sim: what a user types is parsed as documented, a typo is
// rejected naming the bad part, and each WHEN fires on exactly the events it promises.
#include "simdevice/fault_plan.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "adb/screencap_decoder.h"
#include "common/error.h"

namespace {

using uiw::sim::FaultKind;
using uiw::sim::FaultPlan;
using namespace std::chrono_literals;

std::string usage_error(const std::string& spec) {
  try {
    FaultPlan plan(spec);
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kUsage);
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << spec;
  return "";
}

TEST(FaultPlan, ParsesEveryKindWithValuesCommandsAndWhen) {
  FaultPlan plan(
      "drop-after=200K@first:1, delay=300ms:uiautomator dump, shell-exit=7:am@every:2,"
      "corrupt-png@after:3,truncate-dump@25%,dump-idle-fail,raw-unsupported,seed=42");
  ASSERT_EQ(plan.faults().size(), 7u);
  EXPECT_EQ(plan.faults()[0].kind, FaultKind::kDropAfter);
  EXPECT_EQ(plan.faults()[0].bytes, 200u * 1024);
  EXPECT_EQ(plan.faults()[1].delay, 300ms);
  EXPECT_EQ(plan.faults()[1].command, "uiautomator dump");
  EXPECT_EQ(plan.faults()[2].exit_code, 7);
  EXPECT_EQ(plan.faults()[2].command, "am");
  EXPECT_EQ(plan.faults()[6].kind, FaultKind::kRawUnsupported);
  EXPECT_EQ(plan.seed(), 42u);
}

TEST(FaultPlan, RejectsMalformedPartsByName) {
  EXPECT_NE(usage_error("delay=300").find("'delay=300'"), std::string::npos);
  EXPECT_NE(usage_error("delay=300").find("unit"), std::string::npos);
  EXPECT_NE(usage_error("corrupt-png,bogus=1").find("unknown fault 'bogus'"), std::string::npos);
  EXPECT_NE(usage_error("drop-after").find("byte count"), std::string::npos);
  EXPECT_NE(usage_error("drop-after=12Q").find("'drop-after=12Q'"), std::string::npos);
  EXPECT_NE(usage_error("corrupt-png@first:0").find("needs a count"), std::string::npos);
  EXPECT_NE(usage_error("corrupt-png@sometimes").find("unknown '@sometimes'"), std::string::npos);
  EXPECT_NE(usage_error("dump-idle-fail@150%").find("probability"), std::string::npos);
  EXPECT_NE(usage_error("corrupt-png=3").find("takes no =VALUE"), std::string::npos);
  EXPECT_NE(usage_error("truncate-dump:cat").find("takes no :COMMAND"), std::string::npos);
  EXPECT_NE(usage_error("shell-exit=0:am").find("1 to 255"), std::string::npos);
  EXPECT_NE(usage_error("delay=1s:").find("followed by a command"), std::string::npos);
  EXPECT_NE(usage_error("corrupt-png,,delay=1s").find("empty fault"), std::string::npos);
  EXPECT_NE(usage_error("").find("empty"), std::string::npos);
}

TEST(FaultPlan, WhenCountsEachFaultsOwnEvents) {
  FaultPlan first("dump-idle-fail@first:2");
  EXPECT_TRUE(first.dump_idle_fail());
  EXPECT_TRUE(first.dump_idle_fail());
  EXPECT_FALSE(first.dump_idle_fail());

  FaultPlan after("corrupt-png@after:1");
  EXPECT_FALSE(after.corrupt_png());
  EXPECT_TRUE(after.corrupt_png());
  EXPECT_TRUE(after.corrupt_png());

  FaultPlan every("truncate-dump@every:3");
  std::string fired;
  for (int i = 0; i < 7; ++i) fired += every.truncate_dump() ? '1' : '0';
  EXPECT_EQ(fired, "0010010");

  FaultPlan always("raw-unsupported");
  EXPECT_TRUE(always.raw_unsupported());
  EXPECT_TRUE(always.raw_unsupported());
  EXPECT_FALSE(always.corrupt_png());  // a kind not in the plan never fires
}

TEST(FaultPlan, ProbabilityIsReproducibleForASeed) {
  auto draw = [](const std::string& spec) {
    FaultPlan plan(spec);
    std::string fired;
    for (int i = 0; i < 200; ++i) fired += plan.corrupt_png() ? '1' : '0';
    return fired;
  };
  const std::string a = draw("corrupt-png@30%,seed=7");
  EXPECT_EQ(a, draw("corrupt-png@30%,seed=7"));
  EXPECT_NE(a, draw("corrupt-png@30%,seed=8"));
  const auto ones = std::count(a.begin(), a.end(), '1');
  EXPECT_GT(ones, 30);
  EXPECT_LT(ones, 90);
}

TEST(FaultPlan, CommandsMatchWholeLeadingWords) {
  FaultPlan plan("shell-exit=3:dumpsys activity,delay=250ms:am");
  EXPECT_EQ(plan.exit_for("dumpsys activity activities; echo x; dumpsys window windows"), 3);
  EXPECT_EQ(plan.exit_for("dumpsys window windows"), std::nullopt);
  EXPECT_EQ(plan.exit_for("dumpsys activityx"), std::nullopt);
  EXPECT_EQ(plan.delay_for("am start -W -n a/.B"), 250ms);
  EXPECT_EQ(plan.delay_for("amixer"), 0ms);
  EXPECT_EQ(plan.delay_for("monkey -p x 1"), 0ms);
}

TEST(FaultPlan, DropAfterCountsConnections) {
  FaultPlan plan("drop-after=1M@first:1");
  EXPECT_EQ(plan.drop_after_for_new_connection(), uint64_t{1024 * 1024});
  EXPECT_EQ(plan.drop_after_for_new_connection(), std::nullopt);
}

TEST(FaultPlan, ACorruptedPngIsRejectedByTheClientsDecoder) {
  const cv::Mat image(64, 48, CV_8UC3, cv::Scalar(10, 200, 30));
  std::vector<uchar> encoded;
  ASSERT_TRUE(cv::imencode(".png", image, encoded));
  const std::string png(encoded.begin(), encoded.end());
  EXPECT_FALSE(uiw::adb::decode_png_screencap(png).empty());
  const std::string damaged = uiw::sim::corrupted_png(png);
  EXPECT_EQ(damaged.size(), png.size());
  try {
    uiw::adb::decode_png_screencap(damaged);
    FAIL() << "a damaged PNG decoded";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kParse);
    EXPECT_NE(std::string(e.what()).find("screenshot is not a valid PNG"), std::string::npos)
        << e.what();
  }
}

}  // namespace
