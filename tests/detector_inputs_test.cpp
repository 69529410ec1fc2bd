// Hostile and broken input to the detectors and `uiwitness detect`: truncated, empty, huge or
// foreign images, deeply nested or non-UTF-8 dumps, broken rule profiles. Each must give a clear
// error naming the file and the problem — never a crash, a hang or gigabytes of memory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <string>

#include "adb/adb_process.h"
#include "common/error.h"
#include "detectors/image_file.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "detectors/ui_tree.h"
#include "tests/support/paths.h"

namespace uiw::detectors {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string png_bytes(int w, int h) {
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(200, 100, 50));
  cv::putText(img, "Skip", cv::Point(5, h / 2), cv::FONT_HERSHEY_SIMPLEX, 1, cv::Scalar(0, 0, 0));
  std::vector<uchar> buf;
  cv::imencode(".png", img, buf);
  return std::string(buf.begin(), buf.end());
}

std::string jpeg_bytes(int w, int h) {
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(30, 60, 90));
  cv::circle(img, cv::Point(w / 2, h / 2), h / 4, cv::Scalar(255, 255, 255), -1);
  std::vector<uchar> buf;
  cv::imencode(".jpg", img, buf);
  return std::string(buf.begin(), buf.end());
}

// A PNG whose header claims w×h (the pixel data stays tiny: the guard must refuse it before
// decoding anything).
std::string png_claiming(uint32_t w, uint32_t h) {
  std::string b = png_bytes(16, 16);
  for (int i = 0; i < 4; ++i) {
    b[16 + i] = static_cast<char>((w >> (24 - 8 * i)) & 0xFF);
    b[20 + i] = static_cast<char>((h >> (24 - 8 * i)) & 0xFF);
  }
  return b;
}

std::string error_of(const std::function<void()>& fn, ErrorKind expected) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(ImageFileTest, DecodesGoodPngAndJpeg) {
  EXPECT_EQ(decode_image(png_bytes(300, 200), "a.png").size(), cv::Size(300, 200));
  EXPECT_EQ(decode_image(jpeg_bytes(320, 240), "a.jpg").size(), cv::Size(320, 240));
}

TEST(ImageFileTest, EmptyTruncatedForeignAndHugeImagesGiveClearErrors) {
  EXPECT_NE(
      error_of([] { decode_image("", "empty.png"); }, ErrorKind::kParse).find("empty.png: empty"),
      std::string::npos);
  const std::string png = png_bytes(600, 400);
  EXPECT_NE(
      error_of([&] { decode_image(png.substr(0, png.size() / 2), "half.png"); }, ErrorKind::kParse)
          .find("half.png"),
      std::string::npos);
  EXPECT_NE(error_of([&] { decode_image(png.substr(0, 20), "head.png"); }, ErrorKind::kParse)
                .find("truncated PNG header"),
            std::string::npos);
  const std::string jpg = jpeg_bytes(640, 480);
  EXPECT_NE(error_of([&] { decode_image(jpg.substr(0, jpg.size() * 2 / 3), "cut.jpg"); },
                     ErrorKind::kParse)
                .find("truncated JPEG"),
            std::string::npos);
  EXPECT_NE(
      error_of([] { decode_image("GIF89a not an image we read", "x.gif"); }, ErrorKind::kParse)
          .find("not a PNG or JPEG"),
      std::string::npos);
  const std::string huge =
      error_of([] { decode_image(png_claiming(20000, 20000), "huge.png"); }, ErrorKind::kParse);
  EXPECT_NE(huge.find("20000×20000"), std::string::npos) << huge;
  error_of([] { decode_image(png_claiming(0, 100), "zero.png"); }, ErrorKind::kParse);
  error_of([] { read_image_file("/nonexistent/frame.png"); }, ErrorKind::kNotFound);
}

TEST(ImageFileTest, RuleSetGivesNothingOnDegenerateImages) {
  const RuleProfile profile = RuleProfile::load(test::source_path("profiles/miit-2023.yaml"));
  StaticRuleSet rules(profile, nullptr);
  for (const cv::Mat& m : {cv::Mat(), cv::Mat(1, 1, CV_8UC3, cv::Scalar::all(0)),
                           cv::Mat(100, 100, CV_16UC1, cv::Scalar::all(7)),
                           cv::Mat(2400, 4, CV_8UC3, cv::Scalar::all(255))}) {
    Frame f;
    f.image = m;
    const FrameReport r = rules.check(f);
    EXPECT_TRUE(r.findings.empty());
  }
}

TEST(UiTreeInputTest, DeepNestingIsRefusedNotAStackOverflow) {
  std::string xml = "<?xml version='1.0'?><hierarchy rotation=\"0\">";
  const int depth = 200000;
  for (int i = 0; i < depth; ++i) xml += "<node bounds=\"[0,0][1,1]\">";
  for (int i = 0; i < depth; ++i) xml += "</node>";
  xml += "</hierarchy>";
  const std::string msg = error_of([&] { UiTree::parse(xml, "deep.xml"); }, ErrorKind::kParse);
  EXPECT_NE(msg.find("deep.xml: nodes nested deeper than"), std::string::npos) << msg;
}

TEST(UiTreeInputTest, InvalidUtf8EntitiesAndGarbageGiveClearErrors) {
  const std::string bad_utf8 =
      "<hierarchy rotation=\"0\"><node text=\"\xC3\x28\xFF\" bounds=\"[0,0][10,10]\"/></hierarchy>";
  EXPECT_NE(error_of([&] { UiTree::parse(bad_utf8, "utf8.xml"); }, ErrorKind::kParse)
                .find("attribute text is not valid UTF-8"),
            std::string::npos);
  // Entity expansion ("billion laughs") is not a thing: pugixml does not expand DTD entities.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">";
  for (int i = 1; i < 10; ++i)
    laughs += "<!ENTITY " + std::string(1, char('a' + i)) + " \"" + std::string(10, '&') +
              "\">";  // malformed on purpose as well
  laughs += "]><hierarchy><node text=\"&j;\" bounds=\"[0,0][1,1]\"/></hierarchy>";
  try {
    const UiTree t = UiTree::parse(laughs, "laughs.xml");
    ASSERT_EQ(t.roots().size(), 1u);
    EXPECT_LT(t.roots()[0].text.size(), 100u);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kParse);
  }
  error_of([] { UiTree::parse("\x89PNG\r\n\x1a\n binary", "dump.xml"); }, ErrorKind::kParse);
  error_of([] { UiTree::parse("", "empty.xml"); }, ErrorKind::kParse);
  error_of([] { UiTree::parse("<hierarchy><node bounds=\"[0,0][oops]\"/></hierarchy>", "b.xml"); },
           ErrorKind::kParse);
}

TEST(RuleProfileTest, LoadsTheDefaultProfileWithEveryRule) {
  const RuleProfile p = RuleProfile::load(test::source_path("profiles/miit-2023.yaml"));
  EXPECT_EQ(p.name(), "miit-2023");
  for (const std::string& id : RuleProfile::rule_ids()) EXPECT_TRUE(p.enabled(id)) << id;
  EXPECT_EQ(p.param("POP-02", "min_size_dp"), 24);
  EXPECT_EQ(p.param("POP-03", "min_contrast"), 3.0);
  EXPECT_EQ(p.param("POP-04", "min_prominence_ratio"), 0.25);
  EXPECT_EQ(p.rule("PER-03").severity, Severity::kWarning);
  EXPECT_TRUE(p.vocabulary("close").match_label("跳 过"));
}

TEST(RuleProfileTest, BrokenProfilesNameFileLineAndProblem) {
  std::string yaml;
  {
    std::ifstream in(test::source_path("profiles/miit-2023.yaml"));
    yaml.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto with = [&](const std::string& from, const std::string& to) {
    std::string y = yaml;
    EXPECT_NE(y.find(from), std::string::npos) << from;
    y.replace(y.find(from), from.size(), to);
    return y;
  };
  auto parse_error = [&](const std::string& y) {
    return error_of([&] { RuleProfile::parse(y, "team.yaml"); }, ErrorKind::kConfig);
  };
  EXPECT_NE(
      parse_error(with("    severity: warning\n", "    severity: fatal\n")).find("team.yaml:"),
      std::string::npos);
  EXPECT_NE(parse_error(with("    severity: warning\n", "    severity: fatal\n"))
                .find("severity 'fatal' is not violation, warning or info"),
            std::string::npos);
  EXPECT_NE(parse_error(with("params: {min_size_dp: 24}", "params: {min_size_dp: big}"))
                .find("must be a number"),
            std::string::npos);
  EXPECT_NE(parse_error(with("  POP-01:\n", "  POP-10:\n")).find("unknown key 'POP-10'"),
            std::string::npos);
  EXPECT_NE(parse_error(with("- '^\\d{1,2}s$'", "- '^(\\d'")).find("bad regular expression"),
            std::string::npos);
  EXPECT_NE(parse_error("name: x\nrules: [\n").find("team.yaml:"), std::string::npos);
  error_of([] { RuleProfile::find("no-such-profile", {}); }, ErrorKind::kNotFound);
}

// The CLI turns each of these into exit code 2 with the file named on stderr.
TEST(DetectCliTest, BadInputExitsTwoNamingTheFile) {
  const fs::path dir = fs::temp_directory_path() / ("uiw-detect-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return (dir / name).string();
  };
  const std::string png = png_bytes(400, 300);
  const std::string cases[] = {write("empty.png", ""), write("half.png", png.substr(0, 200)),
                               write("huge.png", png_claiming(20000, 20000)),
                               write("text.png", "hello")};
  for (const std::string& path : cases) {
    const adb::ProcessResult r = adb::run_process(test::bin_path("uiwitness"), {"detect", path}, {},
                                                  adb::Deadline::after(60s));
    EXPECT_EQ(r.exit_code, 2) << path << ": " << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  }
  const std::string good = write("good.png", png);
  const std::string bad_tree = write("bad.xml", "<hierarchy><node text=\"\xFF\"/></hierarchy>");
  const adb::ProcessResult r =
      adb::run_process(test::bin_path("uiwitness"), {"detect", good, "--tree", bad_tree}, {},
                       adb::Deadline::after(60s));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("bad.xml"), std::string::npos) << r.err;

  // Several images in one process: the unreadable ones are named, the others still checked.
  const adb::ProcessResult batch =
      adb::run_process(test::bin_path("uiwitness"), {"detect", cases[0], good, cases[3], "--json"},
                       {"OMP_THREAD_LIMIT=1"}, adb::Deadline::after(120s));
  EXPECT_EQ(batch.exit_code, 2) << batch.err;
  EXPECT_NE(batch.err.find(cases[0]), std::string::npos) << batch.err;
  EXPECT_NE(batch.err.find(cases[3]), std::string::npos) << batch.err;
  EXPECT_EQ(nlohmann::json::parse(batch.out)["image"], good) << batch.out;
  fs::remove_all(dir);
}

// `detect IMG… --tree-dir DIR`: engines loaded once, one JSON line per image as it is checked,
// each image with its same-name tree, and a warning when a tree is not the image's.
TEST(DetectCliTest, ManyImagesWithTheirTreesAndAWarningForATreeThatDoesNotFit) {
  const std::string pairs = test::source_path("fixtures/recorded/pairs");
  const fs::path trees = fs::temp_directory_path() / ("uiw-trees-" + std::to_string(getpid()));
  fs::create_directories(trees);
  fs::copy_file(pairs + "/droidbot-11.json", trees / "droidbot-11.json");
  fs::copy_file(pairs + "/droidbot-11.json", trees / "DroidbotExp-1.json");  // the wrong one
  const std::string album = pairs + "/droidbot-11.jpg", qq = pairs + "/DroidbotExp-1.jpg";
  const adb::ProcessResult r = adb::run_process(
      test::bin_path("uiwitness"), {"detect", album, qq, "--tree-dir", trees.string(), "--json"},
      {"OMP_THREAD_LIMIT=1"}, adb::Deadline::after(120s));
  fs::remove_all(trees);
  ASSERT_LE(r.exit_code, 1) << r.err;
  std::istringstream lines(r.out);
  std::vector<nlohmann::json> results;
  for (std::string line; std::getline(lines, line);) results.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(results.size(), 2u) << r.out;
  EXPECT_EQ(results[0]["image"], album);
  EXPECT_EQ(results[1]["image"], qq);
  EXPECT_FALSE(results[0].contains("tree_mismatch"));
  EXPECT_NE(results[1]["tree_mismatch"].get<std::string>().find("image is 1080×2280 px"),
            std::string::npos);
  EXPECT_NE(r.err.find("may not be the tree of " + qq), std::string::npos) << r.err;
}

// A dump without its screenshot (what a scenario or DroidBot saved, a dump a reviewer was sent)
// is judged from its tree: a real store page is no ad; a pre-ticked consent dialog is CON-01.
TEST(DetectCliTest, ADumpAloneIsJudgedFromItsTree) {
  const std::string store = test::source_path("fixtures/real-dumps/playstore-1.xml");
  const adb::ProcessResult page = adb::run_process(test::bin_path("uiwitness"), {"detect", store},
                                                   {}, adb::Deadline::after(60s));
  EXPECT_EQ(page.exit_code, 0) << page.out << page.err;
  EXPECT_NE(page.out.find("tree only"), std::string::npos) << page.out;
  EXPECT_NE(page.out.find("no findings"), std::string::npos) << page.out;

  const fs::path dir = fs::temp_directory_path() / ("uiw-dump-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string consent = (dir / "consent.xml").string();
  std::ofstream(consent)
      << R"(<?xml version="1.0" encoding="UTF-8"?><hierarchy rotation="0">)"
         R"(<node index="0" class="android.widget.FrameLayout" package="com.example.shop" bounds="[90,600][990,1400]">)"
         R"(<node index="0" text="个人信息保护指引" class="android.widget.TextView" package="com.example.shop" bounds="[140,640][940,720]"/>)"
         R"(<node index="1" text="我已阅读并同意《隐私政策》" class="android.widget.CheckBox" checkable="true" checked="true" clickable="true" package="com.example.shop" bounds="[140,900][940,980]"/>)"
         R"(<node index="2" text="不同意" class="android.widget.Button" clickable="true" package="com.example.shop" bounds="[140,1240][500,1340]"/>)"
         R"(<node index="3" text="同意" class="android.widget.Button" clickable="true" package="com.example.shop" bounds="[580,1240][940,1340]"/>)"
         R"(</node></hierarchy>)";
  const adb::ProcessResult ticked = adb::run_process(
      test::bin_path("uiwitness"), {"detect", consent, "--json"}, {}, adb::Deadline::after(60s));
  EXPECT_EQ(ticked.exit_code, 1) << ticked.out << ticked.err;
  EXPECT_NE(ticked.out.find("CON-01"), std::string::npos) << ticked.out;

  const adb::ProcessResult mixed =
      adb::run_process(test::bin_path("uiwitness"), {"detect", consent, "--tree", store}, {},
                       adb::Deadline::after(60s));
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;
  EXPECT_NE(mixed.err.find("is a dump"), std::string::npos) << mixed.err;

  const std::string empty = (dir / "empty.xml").string();
  std::ofstream(empty)
      << R"(<hierarchy rotation="0"><node index="0" bounds="[0,0][0,0]"/></hierarchy>)";
  const adb::ProcessResult nothing = adb::run_process(
      test::bin_path("uiwitness"), {"detect", empty}, {}, adb::Deadline::after(60s));
  EXPECT_EQ(nothing.exit_code, 2) << nothing.err;
  EXPECT_NE(nothing.err.find("empty.xml"), std::string::npos) << nothing.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace uiw::detectors
