// The three reports of a run, regenerated from the bundles on disk: run.json for tools, junit.xml
// for CI, report.html for reviewers (rendered in headless Chromium, as a reviewer's browser would).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "common/error.h"
#include "harness/evidence_bundle.h"
#include "harness/html_report.h"
#include "harness/report_command.h"
#include "harness/run_report.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// App text as it arrives: markup characters, quotes, Chinese, and an attempt at script injection.
constexpr const char* kHostileMessage =
    "关闭按钮是假的 <img src=x onerror=\"document.title='pwned'\"> & 'quotes'";

// Renders `page` in headless Chromium (profile in `profile`) and returns the DOM after its
// scripts ran.
std::string render_page(const fs::path& page, const std::string& fragment,
                        const fs::path& profile) {
  std::string chromium;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string probe = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) {
      chromium = name;
      break;
    }
  }
  if (chromium.empty()) {
    ADD_FAILURE() << "chromium is not installed: run scripts/install-deps (as root or with "
                     "sudo); CI installs it, and this test renders report.html with it";
    return {};
  }
  const std::string command = "timeout 120 " + chromium +
                              " --headless --no-sandbox --disable-gpu --no-first-run"
                              " --user-data-dir='" +
                              profile.string() + "' --dump-dom 'file://" + page.string() +
                              fragment + "' 2>/dev/null";
  std::string dom;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot start " << command;
    return {};
  }
  std::array<char, 65536> buffer{};
  for (std::size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
    dom.append(buffer.data(), n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  return dom;
}

class ReportsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "uiw-reports-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    run_ = root_ / "run";
    write_run(run_);
    std::ostringstream out;
    exit_code_ = run_report_command(run_, out);
    output_ = out.str();
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static BundleInfo info(const std::string& scenario, const std::string& serial) {
    BundleInfo i;
    i.scenario_name = scenario;
    i.scenario_file = "/scenarios/" + scenario + ".yaml";
    i.device_serial = serial;
    i.device_model = "Pixel 7";
    i.device_sdk = 34;
    i.device_release = "14";
    i.app_package = "com.example.shop";
    i.app_version = "3.2.1";
    i.tool_version = "0.1.0";
    i.started = iso8601_utc_now();
    return i;
  }

  // A phone-sized frame, so the report has to downscale it.
  static cv::Mat phone_frame() { return cv::Mat(2400, 1080, CV_8UC3, cv::Scalar(230, 230, 230)); }

  static void write_run(const fs::path& run) {
    // Scenario 1 on device A: a fake close (violation) and a small close glyph (warning).
    {
      EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, "popup close", "emulator-5554"),
                                                info("popup close", "emulator-5554"));
      const std::string f1 = b.add_image("frames/001-launch.png", phone_frame());
      b.append_step({{"index", 1},
                     {"name", "launch"},
                     {"kind", "launch"},
                     {"outcome", "passed"},
                     {"duration_ms", 1500},
                     {"frame", f1}});
      // As the runner writes a step: its number as text, lists of frames, timing_ms.
      const std::string f2 = b.add_image("frames/002-probe.png", phone_frame());
      const std::string a2 = b.add_image("annotated/002-probe.png", phone_frame(), "annotated");
      const std::string a2_fake =
          b.add_image("annotated/002-probe-POP-06.png", phone_frame(), "annotated");
      b.append_step({{"index", "2"},
                     {"name", "probe popup"},
                     {"kind", "probe"},
                     {"outcome", "passed"},
                     {"timing_ms", {{"total", 4200}}},
                     {"frames", {f2}},
                     {"annotated", {a2, a2_fake}},
                     {"findings", {"POP-02", "POP-06"}}});
      detectors::Finding fake;
      fake.rule = "POP-06";
      fake.severity = detectors::Severity::kViolation;
      fake.message = kHostileMessage;
      fake.regulation = "MIIT 2023 No. 26";
      fake.boxes = {{980, 120, 1040, 180}};
      fake.frame = f2;
      detectors::Finding small;
      small.rule = "POP-02";
      small.severity = detectors::Severity::kWarning;
      small.message = "close glyph 12.2 dp < 24 dp";
      small.boxes = {{980, 120, 1012, 152}};
      small.value = 12.2;
      small.threshold = 24;
      small.unit = "dp";
      small.frame = "002-probe.png";  // a bare file name is resolved too
      b.add_findings({fake, small});
      b.finish("failed");
    }
    // Scenario 1 on device B: a failed expectation, no findings.
    {
      EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, "popup close", "emulator-5556"),
                                                info("popup close", "emulator-5556"));
      b.append_step(
          {{"index", 1}, {"name", "launch"}, {"outcome", "passed"}, {"duration_ms", 900}});
      b.append_step({{"index", 2},
                     {"name", "assert_visible text \"同意\""},
                     {"outcome", "failed"},
                     {"duration_ms", 5000},
                     {"where", "/scenarios/popup close.yaml:12"},
                     {"error", "not visible after 5 s"}});
      b.finish("failed");
    }
    // Scenario 2: the device dropped (infrastructure error); and one bundle never finished.
    {
      EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, "link check", "emulator-5554"),
                                                info("link check", "emulator-5554"));
      b.append_step({{"index", 1}, {"name", "launch"}, {"outcome", "error"}});
      b.finish("error", "device emulator-5554 went offline");
    }
    {
      EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, "link check", "emulator-5556"),
                                                info("link check", "emulator-5556"));
      b.append_step(
          {{"index", 1}, {"name", "launch"}, {"outcome", "passed"}, {"duration_ms", 2500}});
    }
  }

  static json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
  }

  static const json& bundle(const json& run, const std::string& path) {
    for (const json& b : run["bundles"])
      if (b["path"] == path) return b;
    throw std::runtime_error("no bundle " + path);
  }

  // The run's report.html in headless Chromium.
  static std::string render(const std::string& fragment) {
    return render_page(run_ / "report.html", fragment,
                       root_ / ("chromium-profile" + std::to_string(++renders_)));
  }

  // The opening tag of the rendered finding row for `rule`.
  static std::string finding_row(const std::string& dom, const std::string& rule) {
    const std::size_t at = dom.find("data-rule=\"" + rule + "\"");
    if (at == std::string::npos) return {};
    const std::size_t open = dom.rfind("<tr", at);
    return dom.substr(open, dom.find('>', at) - open + 1);
  }

  static inline fs::path root_, run_;
  static inline int exit_code_ = -1;
  static inline std::string output_;
  static inline int renders_ = 0;
};

TEST_F(ReportsTest, ReportCommandWritesThreeReportsAndReturnsTheRunsExitCode) {
  EXPECT_TRUE(fs::exists(run_ / "run.json"));
  EXPECT_TRUE(fs::exists(run_ / "junit.xml"));
  EXPECT_TRUE(fs::exists(run_ / "report.html"));
  // An infrastructure error and an interrupted bundle: CI must see a broken farm (3), not just
  // a non-compliant app (1).
  EXPECT_EQ(exit_code_, 3) << output_;
  EXPECT_NE(output_.find("4 bundle(s)"), std::string::npos) << output_;
}

TEST_F(ReportsTest, RunJsonHasCountsBundlesStepsAndFindings) {
  const json run = read_json(run_ / "run.json");
  EXPECT_EQ(run["format"], "uiwitness-run/1");
  EXPECT_EQ(run["outcome"], "error");
  EXPECT_EQ(run["exit_code"], 3);
  const json& c = run["counts"];
  EXPECT_EQ(c["bundles"], 4);
  EXPECT_EQ(c["scenarios"], 2);
  EXPECT_EQ(c["devices"], 2);
  EXPECT_EQ(c["failed"], 2);
  EXPECT_EQ(c["error"], 1);
  EXPECT_EQ(c["incomplete"], 1);
  EXPECT_EQ(c["steps"], 6);
  EXPECT_EQ(c["steps_failed"], 1);
  EXPECT_EQ(c["findings"], 2);
  EXPECT_EQ(c["by_rule"]["POP-06"], 1);
  EXPECT_EQ(c["by_severity"]["warning"], 1);
  EXPECT_EQ(c["not_intact"], 0);

  const json& a = bundle(run, "popup-close/emulator-5554");
  EXPECT_EQ(a["scenario"]["name"], "popup close");
  EXPECT_EQ(a["device"]["serial"], "emulator-5554");
  EXPECT_EQ(a["device"]["sdk"], 34);
  EXPECT_EQ(a["app"]["package"], "com.example.shop");
  EXPECT_EQ(a["outcome"], "failed");
  EXPECT_TRUE(a["intact"].get<bool>());
  EXPECT_TRUE(a["duration_s"].is_number());
  ASSERT_EQ(a["steps"].size(), 2u);
  EXPECT_EQ(a["steps"][1]["outcome"], "passed");
  EXPECT_DOUBLE_EQ(a["steps"][1]["duration_s"].get<double>(), 4.2);
  ASSERT_EQ(a["findings"].size(), 2u);
  const json& fake = a["findings"][0];
  EXPECT_EQ(fake["rule"], "POP-06");
  EXPECT_EQ(fake["severity"], "violation");
  EXPECT_EQ(fake["message"], kHostileMessage);
  EXPECT_EQ(fake["boxes"], json::parse("[[980, 120, 60, 60]]"));
  EXPECT_EQ(fake["frame"], "frames/002-probe.png");
  EXPECT_EQ(fake["annotated"], "annotated/002-probe-POP-06.png");  // drawn for this rule
  EXPECT_EQ(fake["step"], 2);
  const json& small = a["findings"][1];
  EXPECT_EQ(small["value"], 12.2);
  EXPECT_EQ(small["threshold"], 24.0);
  EXPECT_EQ(small["frame"], "frames/002-probe.png");
  EXPECT_EQ(small["annotated"], "annotated/002-probe.png");
  EXPECT_EQ(a["steps"][1]["number"], "2");
  EXPECT_EQ(a["steps"][1]["frames"], json::array({"frames/002-probe.png"}));

  const json& b = bundle(run, "popup-close/emulator-5556");
  EXPECT_EQ(b["steps"][1]["outcome"], "failed");
  EXPECT_EQ(b["steps"][1]["message"], "not visible after 5 s");
  const json& err = bundle(run, "link-check/emulator-5554");
  EXPECT_EQ(err["outcome"], "error");
  EXPECT_EQ(err["error"], "device emulator-5554 went offline");
  const json& cut = bundle(run, "link-check/emulator-5556");
  EXPECT_EQ(cut["outcome"], "incomplete");
  EXPECT_TRUE(cut["ended"].is_null());
  EXPECT_EQ(cut["steps"].size(), 1u);
}

TEST_F(ReportsTest, JunitHasASuitePerScenarioAndFailuresNamedByRule) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file((run_ / "junit.xml").c_str());
  ASSERT_TRUE(parsed) << parsed.description();
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("tests").as_int(), 4);
  EXPECT_EQ(root.attribute("failures").as_int(), 2);
  EXPECT_EQ(root.attribute("errors").as_int(), 2);

  const pugi::xml_node popup = root.find_child_by_attribute("testsuite", "name", "popup close");
  ASSERT_TRUE(popup);
  EXPECT_EQ(popup.attribute("tests").as_int(), 2);
  EXPECT_EQ(popup.attribute("failures").as_int(), 2);
  const pugi::xml_node a = popup.find_child_by_attribute("testcase", "name", "emulator-5554");
  ASSERT_TRUE(a);
  EXPECT_STREQ(a.attribute("classname").value(), "popup close");
  EXPECT_GE(a.attribute("time").as_double(-1), 0.0);
  std::vector<std::string> messages;
  for (pugi::xml_node f : a.children("failure")) messages.push_back(f.attribute("message").value());
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], std::string("POP-06: ") + kHostileMessage);  // escaped and read back
  EXPECT_EQ(messages[1].rfind("POP-02: close glyph 12.2 dp < 24 dp", 0), 0u) << messages[1];
  EXPECT_NE(std::string(a.child("failure").text().get()).find("frames/002-probe.png"),
            std::string::npos);

  const pugi::xml_node b = popup.find_child_by_attribute("testcase", "name", "emulator-5556");
  const std::string expectation = b.child("failure").attribute("message").value();
  EXPECT_EQ(expectation.rfind("EXPECT: step 2 assert_visible text \"同意\" failed", 0), 0u)
      << expectation;

  const pugi::xml_node link = root.find_child_by_attribute("testsuite", "name", "link check");
  EXPECT_EQ(link.attribute("errors").as_int(), 2);
  const pugi::xml_node offline = link.find_child_by_attribute("testcase", "name", "emulator-5554");
  EXPECT_FALSE(offline.child("failure"));
  EXPECT_NE(std::string(offline.child("error").attribute("message").value()).find("went offline"),
            std::string::npos);
  const pugi::xml_node cut = link.find_child_by_attribute("testcase", "name", "emulator-5556");
  EXPECT_NE(std::string(cut.child("error").attribute("message").value()).find("interrupted"),
            std::string::npos);
  // Seconds: the interrupted bundle lasted as long as its one recorded step, 2500 ms.
  EXPECT_STREQ(cut.attribute("time").value(), "2.500");
}

TEST_F(ReportsTest, TamperedEvidenceShowsInTheReports) {
  const fs::path copy = root_ / "tampered";
  fs::copy(run_, copy, fs::copy_options::recursive);
  std::ofstream(copy / "popup-close/emulator-5554/frames/001-launch.png", std::ios::app) << "x";
  std::ostringstream out;
  run_report_command(copy, out);
  EXPECT_NE(out.str().find("fails verification"), std::string::npos) << out.str();
  const json run = read_json(copy / "run.json");
  const json& a = bundle(run, "popup-close/emulator-5554");
  EXPECT_FALSE(a["intact"].get<bool>());
  EXPECT_NE(a["problems"].dump().find("frames/001-launch.png"), std::string::npos);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((copy / "junit.xml").c_str()));
  EXPECT_TRUE(doc.find_node([](pugi::xml_node n) {
    return std::string(n.attribute("message").value()).rfind("EVIDENCE: ", 0) == 0;
  }));
}

TEST_F(ReportsTest, HtmlReportIsSelfContainedAndOffline) {
  std::ifstream in(run_ / "report.html");
  const std::string html((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(html.find("data:image/jpeg;base64,"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos) << "app text reached the markup raw";
  // The full frames are linked relatively, and thumbnails are far smaller than the frames.
  EXPECT_NE(html.find("popup-close/emulator-5554/frames/002-probe.png"), std::string::npos);
  EXPECT_LT(html.size(), 200u * 1000u);
}

TEST_F(ReportsTest, HtmlReportRendersFindingsInChromium) {
  const std::string dom = render("");
  ASSERT_FALSE(dom.empty());
  // Rows the page's script built from the embedded data.
  const std::string pop06 = finding_row(dom, "POP-06");
  const std::string pop02 = finding_row(dom, "POP-02");
  ASSERT_FALSE(pop06.empty()) << dom.substr(0, 2000);
  ASSERT_FALSE(pop02.empty());
  EXPECT_EQ(pop06.find("hidden"), std::string::npos);
  EXPECT_NE(dom.find("Showing 2 of 2 findings"), std::string::npos);
  EXPECT_NE(dom.find("close glyph 12.2 dp &lt; 24 dp"), std::string::npos);
  EXPECT_NE(dom.find("12.2 dp (threshold 24 dp)"), std::string::npos);
  // App text is text: rendered escaped, never as an element, and its "onerror" never ran.
  EXPECT_NE(dom.find("关闭按钮是假的 &lt;img src=x onerror="), std::string::npos);
  EXPECT_EQ(dom.find("<img src=\"x\""), std::string::npos);
  EXPECT_EQ(dom.find("<title>pwned"), std::string::npos);
  // Each scenario × device, the failed expectation and the interrupted bundle are shown.
  EXPECT_NE(dom.find("popup close — emulator-5556"), std::string::npos);
  EXPECT_NE(dom.find("not visible after 5 s"), std::string::npos);
  EXPECT_NE(dom.find("Interrupted: this bundle was never finished."), std::string::npos);
  EXPECT_NE(dom.find("Error: device emulator-5554 went offline"), std::string::npos);
}

TEST_F(ReportsTest, HtmlFiltersFollowTheUrlFragment) {
  const std::string by_rule = render("#rule=POP-02");
  ASSERT_FALSE(by_rule.empty());
  EXPECT_NE(finding_row(by_rule, "POP-06").find("hidden"), std::string::npos);
  EXPECT_EQ(finding_row(by_rule, "POP-02").find("hidden"), std::string::npos);
  EXPECT_NE(by_rule.find("Showing 1 of 2 findings"), std::string::npos);

  const std::string by_severity = render("#severity=violation");
  EXPECT_EQ(finding_row(by_severity, "POP-06").find("hidden"), std::string::npos);
  EXPECT_NE(finding_row(by_severity, "POP-02").find("hidden"), std::string::npos);
  EXPECT_NE(by_severity.find("Showing 1 of 2 findings"), std::string::npos);
}

// A long bundle's page stays small: passing steps beyond the thumbnail budget link their frames
// instead of embedding them; a failed step and a step with findings are always shown.
TEST(HtmlReportTest, LongBundlesEmbedABudgetOfStepThumbnails) {
  std::string pattern = (fs::temp_directory_path() / "uiw-long-report-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path run = fs::path(pattern) / "run";
  {
    BundleInfo info;
    info.scenario_name = "soak";
    info.device_serial = "emulator-5554";
    info.started = iso8601_utc_now();
    EvidenceBundle b = EvidenceBundle::create(bundle_dir(run, "soak", "emulator-5554"), info);
    for (int i = 1; i <= 40; ++i) {
      // Each frame its own grey, so no two thumbnails are alike.
      const std::string frame = b.add_image(fmt::format("frames/{:03}-tap.png", i),
                                            cv::Mat(240, 108, CV_8UC3, cv::Scalar(i, i, i)));
      json step = {{"index", i},
                   {"name", "tap"},
                   {"outcome", i == 20 ? "failed" : "passed"},
                   {"frames", {frame}}};
      if (i == 25) step["findings"] = {"POP-02"};
      b.append_step(step);
    }
    detectors::Finding f;
    f.rule = "POP-02";
    f.message = "close glyph 12 dp";
    f.frame = "frames/025-tap.png";
    b.add_findings({f});
    b.finish("failed");
  }
  const RunSummary summary = read_run(run);
  HtmlReportOptions options;
  options.max_step_thumbnails = 10;
  const std::string html = html_report(summary, run / "report.html", options);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1))
      ++n;
    return n;
  };
  // Steps 1–5 and 36–40, failed step 20, step 25 and its finding's larger thumbnail: 13 images,
  // not 41.
  EXPECT_EQ(count("data:image/jpeg;base64,"), 13u);
  EXPECT_EQ(count("\"linked\":true"), 28u);
  // Every frame is still linked.
  for (int i = 1; i <= 40; ++i)
    EXPECT_NE(html.find(fmt::format("frames/{:03}-tap.png", i)), std::string::npos) << i;
  // The page shows them as links, and says why.
  write_html_report(summary, run / "report.html", options);
  const std::string dom = render_page(run / "report.html", "", fs::path(pattern) / "profile");
  EXPECT_NE(dom.find("28 passing steps link their frames instead of showing them"),
            std::string::npos)
      << dom.substr(0, 2000);
  EXPECT_NE(dom.find("href=\"soak/emulator-5554/frames/010-tap.png\""), std::string::npos);

  options.max_step_thumbnails = 300;
  const std::string all = html_report(summary, run / "report.html", options);
  EXPECT_EQ(all.find("\"linked\":true"), std::string::npos);
  fs::remove_all(pattern);
}

TEST(RunReportTest, SlugsAreSafeDirectoryNames) {
  EXPECT_EQ(slug("Popup Close"), "popup-close");
  EXPECT_EQ(slug("127.0.0.1:5555"), "127.0.0.1-5555");
  EXPECT_EQ(slug("同意 弹窗"), "同意-弹窗");
  EXPECT_EQ(slug("../.."), "unnamed");
  EXPECT_EQ(slug(""), "unnamed");
}

TEST(RunReportTest, MissingRunDirectoryIsAnError) {
  std::ostringstream out;
  EXPECT_THROW(run_report_command("/nonexistent/uiwitness-run", out), Error);
}

}  // namespace
}  // namespace uiw::harness
