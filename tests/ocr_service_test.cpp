// The detectors' OCR service reads rendered screens the way they read phones: words and their
// boxes in frame pixels, Chinese and English, dark and light themes, faint and small text, from
// several threads sharing a small pool, and a clear error for bad input.
#include "detectors/ocr_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "common/error.h"
#include "simdevice/color.h"
#include "simdevice/scene.h"
#include "simdevice/screen_renderer.h"
#include "tests/support/ocr.h"

namespace {

using uiw::Error;
using uiw::ErrorKind;
using uiw::detectors::OcrLanguages;
using uiw::detectors::OcrOptions;
using uiw::detectors::OcrReading;
using uiw::detectors::OcrService;
using uiw::detectors::OcrWord;
using uiw::detectors::ReadRegion;
using uiw::detectors::Rect;
using uiw::sim::Color;
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

// Shared by the tests: engines are created once per process, as in the harness.
OcrService& service() {
  static OcrService instance(2);
  return instance;
}

SceneNode text_node(Rect bounds, std::string text, double sp, Color color) {
  SceneNode node;
  node.ui.class_name = "android.widget.TextView";
  node.ui.text = std::move(text);
  node.ui.bounds = bounds;
  node.style.font_size_sp = sp;
  node.style.text_color = color;
  node.style.gravity = Gravity::kCenter;
  return node;
}

Scene scene_with(Color background, std::vector<SceneNode> nodes) {
  Scene scene;
  scene.status_bar = false;
  SceneLayer layer;
  layer.package = "com.uiw.test";
  layer.background = background;
  layer.nodes = std::move(nodes);
  scene.layers.push_back(std::move(layer));
  return scene;
}

std::string without_spaces(std::string text) {
  std::erase_if(text, [](char c) { return c == ' ' || c == '\n'; });
  return text;
}

Rect union_of(const std::vector<OcrWord>& words) {
  Rect box = words.front().box;
  for (const OcrWord& w : words) {
    box = Rect{std::min(box.left, w.box.left), std::min(box.top, w.box.top),
               std::max(box.right, w.box.right), std::max(box.bottom, w.box.bottom)};
  }
  return box;
}

// Where the renderer put ink inside `bounds`: pixels that differ from the background colour.
Rect ink_box(const cv::Mat& frame, const Rect& bounds, Color background) {
  const cv::Rect r(bounds.left, bounds.top, bounds.width(), bounds.height());
  cv::Mat diff, grey;
  cv::absdiff(frame(r), cv::Scalar(background.b, background.g, background.r), diff);
  cv::cvtColor(diff, grey, cv::COLOR_BGR2GRAY);
  const cv::Rect ink = cv::boundingRect(grey > 8);
  return Rect{r.x + ink.x, r.y + ink.y, r.x + ink.x + ink.width, r.y + ink.y + ink.height};
}

// Reads each node and checks the text, and that the words' boxes sit on the drawn ink: inside
// the node, covering most of the ink and not much more.
void expect_reads_back(const Scene& scene, Color background, const OcrOptions& options = {}) {
  const cv::Mat frame = renderer().render(scene);
  for (const SceneNode& node : scene.layers.front().nodes) {
    SCOPED_TRACE(node.ui.text);
    const Rect& bounds = node.ui.bounds;
    const uiw::detectors::OcrReading reading = service().read(frame, bounds, options);
    EXPECT_GE(uiw::test::char_accuracy(node.ui.text, reading.text), 0.9)
        << "read \"" << reading.text << "\"";
    ASSERT_FALSE(reading.words.empty());
    for (const OcrWord& word : reading.words) {
      EXPECT_FALSE(word.text.empty());
      EXPECT_GT(word.confidence, 0);
      EXPECT_LE(word.confidence, 100);
      EXPECT_EQ(word.box.intersect(bounds), word.box) << word.text << " outside the node";
      EXPECT_FALSE(word.box.empty());
    }
    const Rect words = union_of(reading.words);
    const Rect ink = ink_box(frame, bounds, background);
    const double covered = static_cast<double>(words.intersect(ink).area()) / ink.area();
    EXPECT_GE(covered, 0.8) << "words " << words.to_bounds_string() << " ink "
                            << ink.to_bounds_string();
    EXPECT_LE(words.area(), ink.area() * 2)
        << "words " << words.to_bounds_string() << " ink " << ink.to_bounds_string();
  }
}

TEST(OcrService, ReadsDarkOnLightChineseAndEnglish) {
  const Color white = parse_color("#FFFFFF"), text = parse_color("#212121");
  expect_reads_back(
      scene_with(white, {text_node({60, 200, 1020, 350}, "同意并继续", 20, text),
                         text_node({60, 400, 1020, 550}, "Privacy Policy", 16, text),
                         text_node({60, 600, 1020, 750}, "开通会员 首月6元", 16, text)}),
      white);
}

TEST(OcrService, ReadsLightOnDark) {
  const Color dark = parse_color("#121212"), white = parse_color("#FFFFFF");
  expect_reads_back(scene_with(dark, {text_node({60, 200, 1020, 350}, "Skip ad", 16, white),
                                      text_node({60, 400, 1020, 550}, "个性化推荐", 18, white)}),
                    dark);
}

TEST(OcrService, ReadsFaintNoThanksWordByWord) {
  const Color white = parse_color("#FFFFFF");
  SceneNode faint = text_node({240, 1600, 840, 1720}, "No thanks", 14, parse_color("#212121"));
  faint.style.opacity = 0.3;
  const Scene scene = scene_with(white, {faint});
  expect_reads_back(scene, white);

  const std::vector<OcrWord> words = service().recognize(renderer().render(scene), faint.ui.bounds);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].text, "No");
  EXPECT_EQ(words[1].text, "thanks");
  EXPECT_LT(words[0].box.right, words[1].box.left);
  EXPECT_EQ(words[0].line, words[1].line);
}

TEST(OcrService, ReadsSmall12SpText) {
  const Color white = parse_color("#FFFFFF"), grey = parse_color("#757575");
  expect_reads_back(
      scene_with(white, {text_node({60, 200, 1020, 300}, "用户协议与隐私政策", 12, grey),
                         text_node({60, 400, 1020, 500}, "Agree and continue", 12, grey)}),
      white);
}

// A rounded orange button: its corners touch the region's edge and must not be read.
TEST(OcrService, ReadsButtonWithRoundedCorners) {
  const Color white = parse_color("#FFFFFF");
  SceneNode button = text_node({140, 1000, 940, 1150}, "立即开通会员", 18, white);
  button.ui.class_name = "android.widget.Button";
  button.style.background = parse_color("#FF5722");
  button.style.corner_radius_dp = 24;
  const cv::Mat frame = renderer().render(scene_with(white, {button}));
  const std::string text = service().read_text(frame, button.ui.bounds);
  EXPECT_EQ(without_spaces(text), "立即开通会员");
}

TEST(OcrService, MapsBoxesOfARegionPartlyOutsideTheFrame) {
  const Color white = parse_color("#FFFFFF");
  const Scene scene =
      scene_with(white, {text_node({700, 300, 1080, 420}, "关闭", 16, parse_color("#212121"))});
  const cv::Mat frame = renderer().render(scene);
  const std::vector<OcrWord> words = service().recognize(frame, Rect{700, 300, 1300, 420});
  ASSERT_FALSE(words.empty());
  const Rect box = union_of(words);
  EXPECT_GE(box.left, 700);
  EXPECT_LE(box.right, 1080);
  EXPECT_GT(box.intersect(ink_box(frame, Rect{700, 300, 1080, 420}, white)).area(), 0);
}

TEST(OcrService, BlankRegionHasNoWords) {
  const cv::Mat frame(400, 400, CV_8UC3, cv::Scalar(240, 240, 240));
  EXPECT_TRUE(service().recognize(frame, Rect{10, 10, 300, 300}).empty());
  EXPECT_EQ(service().read_text(frame, Rect{10, 10, 300, 300}), "");
}

TEST(OcrService, SeveralThreadsShareAPoolOfTwo) {
  const Color white = parse_color("#FFFFFF"), text = parse_color("#212121");
  const std::vector<std::string> texts = {"同意并继续", "Skip ad",    "关闭",
                                          "No thanks",  "个性化推荐", "Privacy Policy"};
  std::vector<SceneNode> nodes;
  for (size_t i = 0; i < texts.size(); ++i) {
    const int top = 100 + static_cast<int>(i) * 200;
    nodes.push_back(text_node({60, top, 1020, top + 150}, texts[i], 18, text));
  }
  const Scene scene = scene_with(white, nodes);
  const cv::Mat frame = renderer().render(scene);
  OcrService pool(2);
  // One thread first: what the others must reproduce exactly, whatever engine they get.
  std::vector<std::string> expected;
  for (const SceneNode& node : nodes) {
    expected.push_back(pool.read_text(frame, node.ui.bounds));
    EXPECT_GE(uiw::test::char_accuracy(node.ui.text, expected.back()), 0.5) << expected.back();
  }
  std::vector<std::future<std::vector<std::string>>> workers;
  for (int t = 0; t < 4; ++t) {
    workers.push_back(std::async(std::launch::async, [&, t] {
      std::vector<std::string> got;
      for (size_t k = 0; k < nodes.size(); ++k) {
        got.push_back(pool.read_text(frame, nodes[(k + t) % nodes.size()].ui.bounds));
      }
      return got;
    }));
  }
  for (int t = 0; t < 4; ++t) {
    const std::vector<std::string> got = workers[t].get();
    for (size_t k = 0; k < nodes.size(); ++k) {
      EXPECT_EQ(got[k], expected[(k + t) % nodes.size()]) << "thread " << t;
    }
  }
  EXPECT_LE(pool.engines_created(), 2u);
  EXPECT_GE(pool.engines_created(), 1u);
}

// A white frame 540 px wide (at least 300 tall) with dark lines of text at 16 sp, line i in
// {40, 40 + 120 i, 500, 140 + 120 i}.
cv::Mat lines_frame(const std::vector<std::string>& lines) {
  std::vector<SceneNode> nodes;
  for (size_t i = 0; i < lines.size(); ++i) {
    const int top = 40 + 120 * static_cast<int>(i);
    nodes.push_back(text_node({40, top, 500, top + 100}, lines[i], 16, parse_color("#212121")));
  }
  Scene scene = scene_with(parse_color("#FFFFFF"), std::move(nodes));
  scene.width = 540;
  scene.height = std::max(300, 40 + 120 * static_cast<int>(lines.size()) + 40);
  return renderer().render(scene);
}

TEST(OcrService, FullFrameOnlyOnRequest) {
  const cv::Mat frame = lines_frame({"Agree and continue"});
  OcrOptions options;
  options.languages = OcrLanguages::kEnglishChinese;
  const uiw::detectors::OcrReading reading = service().recognize_full_frame(frame, options);
  EXPECT_EQ(without_spaces(reading.text), "Agreeandcontinue");
  EXPECT_EQ(reading.languages, "eng+chi_sim");
  ASSERT_EQ(reading.words.size(), 3u);
  EXPECT_GT(reading.words[0].box.intersect(Rect{40, 40, 500, 140}).area(), 0);
}

// What a detector spent in OCR: region reads that reached Tesseract and their time; a blank
// region costs a little time but no read, and a whole-frame read is not counted.
TEST(OcrService, UsageCountsRegionReadsAndTheirTime) {
  const cv::Mat frame = lines_frame({"No thanks"});
  OcrService pool(1);
  EXPECT_EQ(pool.usage().region_reads, 0u);
  pool.read(frame, Rect{40, 40, 500, 140});
  pool.recognize(frame, Rect{40, 40, 500, 140});
  const OcrService::Usage two = pool.usage();
  EXPECT_EQ(two.region_reads, 2u);
  EXPECT_GT(two.region_time.count(), 0);
  pool.read(frame, Rect{40, 180, 500, 280});  // blank
  EXPECT_EQ(pool.usage().region_reads, 2u);
  EXPECT_GE(pool.usage().region_time, two.region_time);
  const OcrService::Usage before_full = pool.usage();
  pool.recognize_full_frame(frame);
  EXPECT_EQ(pool.usage().region_reads, before_full.region_reads);
  EXPECT_EQ(pool.usage().region_time, before_full.region_time);
}

// A frame's checks often read the same text twice (a line, then the button around it): with the
// frame's reads passed along, ink already read with confidence is taken from there. Ink beyond
// every region read is read.
TEST(OcrService, AFrameReadsTheSameInkOnce) {
  const cv::Mat frame = lines_frame({"Agree and continue", "No thanks"});
  OcrService pool(1);
  std::vector<ReadRegion> reads;
  const OcrReading line = pool.read(frame, Rect{40, 40, 500, 140}, {}, &reads);
  EXPECT_EQ(without_spaces(line.text), "Agreeandcontinue");
  EXPECT_EQ(pool.usage().region_reads, 1u);
  ASSERT_EQ(reads.size(), 1u);

  const Rect button{20, 30, 520, 150};  // the same ink, a wider window
  const OcrReading again = pool.read(frame, button, {}, &reads);
  EXPECT_EQ(pool.usage().region_reads, 1u);
  EXPECT_EQ(again.text, line.text);
  EXPECT_GE(again.confidence, 70);
  ASSERT_EQ(again.words.size(), line.words.size());
  for (const OcrWord& w : again.words) EXPECT_EQ(w.box.intersect(button), w.box);

  // Both lines: the second one's ink was never read.
  const OcrReading both = pool.read(frame, Rect{20, 20, 520, 280}, {}, &reads);
  EXPECT_EQ(pool.usage().region_reads, 2u);
  EXPECT_EQ(without_spaces(both.text), "AgreeandcontinueNothanks");
  // Now it was, inside the region read last.
  const OcrReading second = pool.read(frame, Rect{40, 160, 500, 260}, {}, &reads);
  EXPECT_EQ(pool.usage().region_reads, 2u);
  EXPECT_EQ(without_spaces(second.text), "Nothanks");
  EXPECT_EQ(second.words.front().line, 0);
  // Without the frame's reads every call reads.
  pool.read(frame, Rect{40, 160, 500, 260});
  EXPECT_EQ(pool.usage().region_reads, 3u);
}

// On a frame whose text so far is Latin, eng (about half chi_sim's cost) reads first, and chi_sim
// only when eng is unsure: a Chinese line there still reads as Chinese.
TEST(OcrService, ALatinFrameIsReadInEnglishFirst) {
  const cv::Mat frame = lines_frame({"Rate us", "No thanks", "不同意"});
  OcrService pool(1);
  std::vector<ReadRegion> reads;
  const OcrReading first = pool.read(frame, Rect{40, 40, 500, 140}, {}, &reads);
  EXPECT_EQ(first.languages, "chi_sim");  // nothing read yet: chi_sim reads Latin too
  std::string first_text = without_spaces(first.text);
  for (char& c : first_text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(first_text, "rateus");  // chi_sim's case is loose ("RateUS")
  const OcrReading latin = pool.read(frame, Rect{40, 160, 500, 260}, {}, &reads);
  EXPECT_EQ(latin.text, "No thanks");
  EXPECT_EQ(latin.languages, "eng");
  const OcrReading chinese = pool.read(frame, Rect{40, 280, 500, 380}, {}, &reads);
  EXPECT_EQ(chinese.text, "不同意");
  EXPECT_EQ(chinese.languages, "chi_sim");
}

template <typename F>
ErrorKind error_kind_of(F&& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const Error& e) {
    if (message != nullptr) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "no uiw::Error thrown";
  return ErrorKind::kInternal;
}

TEST(OcrService, BadInputsGiveAClearError) {
  const cv::Mat frame(200, 300, CV_8UC3, cv::Scalar(255, 255, 255));
  std::string message;
  EXPECT_EQ(error_kind_of(
                [&] {
                  service().recognize(cv::Mat(), Rect{0, 0, 10, 10});
                },
                &message),
            ErrorKind::kUsage);
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  EXPECT_EQ(error_kind_of(
                [&] {
                  service().recognize(frame, Rect{400, 0, 500, 100});
                },
                &message),
            ErrorKind::kUsage);
  EXPECT_NE(message.find("[400,0][500,100]"), std::string::npos) << message;
  EXPECT_EQ(error_kind_of([&] {
              service().recognize(frame, Rect{10, 10, 10, 50});
            }),
            ErrorKind::kUsage);
  EXPECT_EQ(error_kind_of([&] { service().recognize_full_frame(cv::Mat()); }), ErrorKind::kUsage);
  const cv::Mat floats(100, 100, CV_32FC1, cv::Scalar(0));
  EXPECT_EQ(error_kind_of([&] {
              service().recognize(floats, Rect{0, 0, 50, 50});
            }),
            ErrorKind::kUsage);
  EXPECT_EQ(error_kind_of([] { OcrService bad(1, "/nonexistent/tessdata"); }, &message),
            ErrorKind::kNotFound);
  EXPECT_NE(message.find("/nonexistent/tessdata"), std::string::npos) << message;
}

// Resident memory of this process in MB, from /proc (Linux).
double resident_mb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb / 1024.0;
}

// Not a check: figures for the report. Run with --gtest_also_run_disabled_tests.
TEST(OcrService, DISABLED_MeasureInitAndLatency) {
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
  };
  const double rss_before = resident_mb();
  auto start = Clock::now();
  OcrService pool(1);
  std::printf("engine init (chi_sim): %.0f ms (reported %lld ms)\n", ms(Clock::now() - start),
              static_cast<long long>(pool.first_engine_init_time().count()));
  const Color white = parse_color("#FFFFFF"), text = parse_color("#212121");
  const std::vector<std::string> texts = {
      "同意并继续", "Skip ad", "关闭", "No thanks", "用户协议与隐私政策", "Privacy Policy"};
  std::vector<SceneNode> nodes;
  for (size_t i = 0; i < texts.size(); ++i) {
    const int top = 100 + static_cast<int>(i) * 200;
    nodes.push_back(text_node({60, top, 1020, top + 150}, texts[i], 16, text));
  }
  const cv::Mat frame = renderer().render(scene_with(white, nodes));
  start = Clock::now();
  OcrOptions mixed;
  mixed.languages = OcrLanguages::kEnglishChinese;
  pool.read_text(frame, nodes[1].ui.bounds, mixed);
  std::printf("first eng+chi_sim use (lazy init + one read): %.0f ms\n", ms(Clock::now() - start));
  std::printf("one engine (chi_sim + eng+chi_sim) resident: %.0f MB\n", resident_mb() - rss_before);
  for (const SceneNode& node : nodes) {
    std::vector<double> times;
    std::string got;
    for (int i = 0; i < 10; ++i) {
      start = Clock::now();
      got = pool.read_text(frame, node.ui.bounds);
      times.push_back(ms(Clock::now() - start));
    }
    std::sort(times.begin(), times.end());
    const uiw::detectors::OcrReading reading = pool.read(frame, node.ui.bounds);
    std::printf("  %-28s median %.1f ms  (read \"%s\" by %s, confidence %d)\n",
                node.ui.text.c_str(), times[5], got.c_str(), reading.languages.c_str(),
                reading.confidence);
  }
  start = Clock::now();
  Scene full = scene_with(white, nodes);
  pool.recognize_full_frame(renderer().render(full), mixed);
  std::printf("full frame 1080x2400 eng+chi_sim: %.0f ms\n", ms(Clock::now() - start));
}

}  // namespace
