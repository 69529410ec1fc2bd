// What the simulator draws must be readable the way the detectors read real phones: Tesseract
// (eng + chi_sim) on each text node's bounds gives back the text the fixture wrote.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "simdevice/color.h"
#include "simdevice/device_profile.h"
#include "simdevice/fixture_loader.h"
#include "simdevice/scene.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"
#include "tests/support/ocr.h"
#include "tests/support/paths.h"

namespace {

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

// One text node's result, kept so a failure can show the worst ones.
struct Reading {
  std::string where;
  std::string expected;
  std::string got;
  uiw::test::CharErrors errors;
  double accuracy() const { return uiw::test::char_accuracy(expected, got); }
};

struct Tally {
  size_t errors = 0;
  size_t length = 0;
  std::vector<Reading> readings;

  void add(Reading r) {
    errors += r.errors.errors;
    length += r.errors.length;
    readings.push_back(std::move(r));
  }
  double accuracy() const { return length == 0 ? 1.0 : 1.0 - static_cast<double>(errors) / length; }
  std::string worst(size_t count) const {
    std::vector<const Reading*> sorted;
    for (const Reading& r : readings) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Reading* a, const Reading* b) {
      return a->errors.errors > b->errors.errors;
    });
    std::string out;
    for (size_t i = 0; i < std::min(count, sorted.size()); ++i) {
      if (sorted[i]->errors.errors == 0) break;
      std::string got = sorted[i]->got;
      std::replace(got.begin(), got.end(), '\n', ' ');
      out += fmt::format("  {:.0f}%  {}: expected \"{}\", read \"{}\"\n",
                         sorted[i]->accuracy() * 100, sorted[i]->where, sorted[i]->expected, got);
    }
    return out;
  }
};

// Reads every node with text in `scene`, in every layer, whether or not it is in the dump.
void read_scene(const Scene& scene, const std::string& label, Tally& tally) {
  const cv::Mat frame = renderer().render(scene);
  std::function<void(const SceneNode&)> visit = [&](const SceneNode& node) {
    if (!node.ui.text.empty() && !node.ui.password) {
      const Rect& b = node.ui.bounds;
      const std::string got =
          uiw::test::recognize_text(frame, cv::Rect(b.left, b.top, b.width(), b.height()));
      tally.add(Reading{fmt::format("{} {}", label, b.to_bounds_string()), node.ui.text, got,
                        uiw::test::count_char_errors(node.ui.text, got)});
    }
    for (const SceneNode& child : node.children) visit(child);
  };
  for (const SceneLayer& layer : scene.layers) {
    for (const SceneNode& node : layer.nodes) visit(node);
  }
}

SceneNode text_node(Rect bounds, std::string text, double sp, Color color, bool bold = false,
                    Gravity gravity = Gravity::kCenter) {
  SceneNode node;
  node.ui.class_name = "android.widget.TextView";
  node.ui.text = std::move(text);
  node.ui.bounds = bounds;
  node.style.font_size_sp = sp;
  node.style.text_color = color;
  node.style.bold = bold;
  node.style.gravity = gravity;
  return node;
}

// Chinese and English, 12–24 sp, regular and bold, on light and dark backgrounds, as the
// fixture apps use them.
TEST(OcrReadback, HandMadeScenesReadBackAtLeast95Percent) {
  struct Theme {
    const char* name;
    Color background;
    Color text;
  };
  const Theme themes[] = {{"light", parse_color("#FFFFFF"), parse_color("#212121")},
                          {"dark", parse_color("#121212"), parse_color("#FFFFFF")},
                          {"orange", parse_color("#FF5722"), parse_color("#FFFFFF")}};
  const std::vector<std::string> texts = {
      "同意并继续",
      "用户协议与隐私政策",
      "跳过 5",
      "立即开通会员",
      "个性化推荐",
      "Skip ad",
      "No thanks",
      "Agree and continue",
      "Privacy Policy",
      "关闭",
      "开通会员 首月6元",
      "我们会根据您的浏览记录为您推荐感兴趣的内容，您可以在设置中关闭个性化推荐。"};
  Tally tally;
  for (const Theme& theme : themes) {
    for (double sp : {12.0, 16.0, 20.0, 24.0}) {
      Scene scene;
      scene.status_bar = false;
      SceneLayer layer;
      layer.package = "com.uiw.test";
      layer.background = theme.background;
      int top = 100;
      for (size_t i = 0; i < texts.size(); ++i) {
        const bool long_text = texts[i].size() > 60;
        const int height = long_text ? 400 : 150;
        layer.nodes.push_back(text_node(Rect{60, top, 1020, top + height}, texts[i], sp, theme.text,
                                        i % 3 == 1,
                                        i % 2 == 0 ? Gravity::kCenter : Gravity::kLeft));
        top += height + 20;
      }
      scene.layers.push_back(std::move(layer));
      read_scene(scene, fmt::format("{} {}sp", theme.name, sp), tally);
    }
  }
  std::printf("hand-made scenes: %.1f%% of %zu characters\n%s", tally.accuracy() * 100,
              tally.length, tally.worst(10).c_str());
  EXPECT_GE(tally.accuracy(), 0.95) << tally.worst(15);
}

// Every screen of every catalogued fixture app, as `screencap` would show it at t=0.
TEST(OcrReadback, CatalogueAppsReadBackAtLeast95Percent) {
  const std::string apps_dir = uiw::test::source_path("fixtures/apps");
  const YAML::Node catalogue = YAML::LoadFile(apps_dir + "/catalogue.yaml");
  ASSERT_TRUE(catalogue.IsSequence()) << apps_dir << "/catalogue.yaml is not a list of apps";
  Tally total;
  std::string summary;
  size_t screens = 0;
  for (const YAML::Node& entry : catalogue) {
    const std::string file = entry["file"].as<std::string>();
    uiw::sim::AppModel app = uiw::sim::FixtureLoader::load_file(apps_dir + "/" + file);
    const std::string package = app.package;
    uiw::sim::VirtualFs fs;
    uiw::sim::SimDevice device(uiw::sim::DeviceProfile{}, fs);
    device.install(std::move(app));
    Tally tally;
    for (const std::string& screen : device.screen_ids(package)) {
      read_scene(device.preview_scene(package, screen), fmt::format("{}#{}", file, screen), tally);
      ++screens;
    }
    summary +=
        fmt::format("  {:5.1f}%  {:4} chars  {}\n", tally.accuracy() * 100, tally.length, file);
    for (Reading& r : tally.readings) total.add(std::move(r));
  }
  std::printf("catalogue: %.1f%% of %zu characters on %zu screens\n%s%s", total.accuracy() * 100,
              total.length, screens, summary.c_str(), total.worst(15).c_str());
  ASSERT_GT(total.length, 0u) << "the catalogue's screens have no text to read";
  EXPECT_GE(total.accuracy(), 0.95) << "worst nodes:\n" << total.worst(25);
}

}  // namespace
