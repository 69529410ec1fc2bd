// Scenario selectors resolved on real frames: fixture screens rendered as the simulator's
// screencap shows them (with the tree its uiautomator dumps) and a recorded real screenshot.
// Every kind of selector finds the element a tester means, with bounds a tap can use, from the
// tree when it has the element and from the pixels when it does not.
#include "harness/selector_resolver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "common/error.h"
#include "detectors/ocr_service.h"
#include "simdevice/scene_dump.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"
#include "tests/support/catalogue.h"
#include "tests/support/paths.h"

namespace uiw::harness {
namespace {

using detectors::Frame;
using detectors::Rect;

constexpr char kNews[] = "com.uiw.fixture.zaozhidao";  // news_compliant.yaml
constexpr char kRedian[] = "com.uiw.fixture.redian";   // settings_no_personalisation.yaml
constexpr char kNewsPkgId[] = "com.uiw.fixture.zaozhidao:id/";

Selector by_text(const std::string& t) {
  Selector s;
  s.text = t;
  return s;
}

Selector relative(Selector s, Selector::Relation r, Selector anchor) {
  s.relative = Selector::Relative{r, std::make_shared<const Selector>(std::move(anchor))};
  return s;
}

Selector switch_class() {
  Selector s;
  s.class_name = "Switch";
  return s;
}

std::vector<std::string> texts_of(const std::vector<ElementMatch>& matches) {
  std::vector<std::string> out;
  for (const ElementMatch& m : matches) out.push_back(m.text);
  return out;
}

bool inside(const Rect& inner, const Rect& outer, int slack = 0) {
  return inner.left >= outer.left - slack && inner.top >= outer.top - slack &&
         inner.right <= outer.right + slack && inner.bottom <= outer.bottom + slack;
}

// Every edge within `slack` px.
void expect_near(const Rect& got, const Rect& want, int slack) {
  EXPECT_NEAR(got.left, want.left, slack)
      << got.to_bounds_string() << " vs " << want.to_bounds_string();
  EXPECT_NEAR(got.top, want.top, slack)
      << got.to_bounds_string() << " vs " << want.to_bounds_string();
  EXPECT_NEAR(got.right, want.right, slack)
      << got.to_bounds_string() << " vs " << want.to_bounds_string();
  EXPECT_NEAR(got.bottom, want.bottom, slack)
      << got.to_bounds_string() << " vs " << want.to_bounds_string();
}

class SelectorResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ocr_ = std::make_unique<detectors::OcrService>(1);
    fs_ = std::make_unique<sim::VirtualFs>();
    dev_ = std::make_unique<sim::SimDevice>(sim::DeviceProfile{}, *fs_);
    for (const char* file : {"news_compliant.yaml", "settings_no_personalisation.yaml"})
      dev_->install(test::apps_dir() + "/" + file);
    renderer_ = std::make_unique<sim::ScreenRenderer>();
    tmp_ = std::filesystem::temp_directory_path() /
           ("uiw-selector-resolver-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp_);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(tmp_);
    renderer_.reset();
    dev_.reset();
    fs_.reset();
    ocr_.reset();
  }

  // A fixture screen as screencap shows it, with its uiautomator dump.
  static Frame screen(const std::string& package, const std::string& screen_id) {
    const sim::Scene scene = dev_->preview_scene(package, screen_id);
    Frame f;
    f.image = renderer_->render(scene);
    f.tree = sim::scene_to_tree(scene);
    f.density_dpi = scene.density;
    return f;
  }

  // The recorded real screenshot (fixtures/recorded: an install ad, 1080×2400) and its dump.
  static Frame recorded() {
    Frame f;
    f.image = cv::imread(test::source_path("fixtures/recorded/letgo-interstitial.jpg"));
    f.tree = detectors::UiTree::load(test::source_path("fixtures/recorded/letgo-interstitial.xml"));
    f.density_dpi = 420;
    return f;
  }

  static Frame without_tree(Frame f) {
    f.tree.reset();
    return f;
  }

  // A template cut from `frame` at `box`, rescaled by `factor` and saved as PNG.
  static std::string save_template(const Frame& frame, const Rect& box, double factor,
                                   const std::string& name) {
    cv::Mat crop = frame.image(detectors::to_cv(box)).clone();
    if (factor != 1.0)
      cv::resize(crop, crop, cv::Size(), factor, factor,
                 factor < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    const std::string path = (tmp_ / name).string();
    EXPECT_TRUE(cv::imwrite(path, crop)) << path;
    return path;
  }

  static Selector by_image(const std::string& path) {
    Selector s;
    s.image = path;
    return s;
  }

  SelectorResolver resolver_{ocr_.get()};

  static std::unique_ptr<detectors::OcrService> ocr_;
  static std::unique_ptr<sim::VirtualFs> fs_;
  static std::unique_ptr<sim::SimDevice> dev_;
  static std::unique_ptr<sim::ScreenRenderer> renderer_;
  static std::filesystem::path tmp_;
};

std::unique_ptr<detectors::OcrService> SelectorResolverTest::ocr_;
std::unique_ptr<sim::VirtualFs> SelectorResolverTest::fs_;
std::unique_ptr<sim::SimDevice> SelectorResolverTest::dev_;
std::unique_ptr<sim::ScreenRenderer> SelectorResolverTest::renderer_;
std::filesystem::path SelectorResolverTest::tmp_;

// ---- the tree ----

TEST_F(SelectorResolverTest, TreeFieldsFindTheNodeWithItsOwnBounds) {
  const Frame f = screen(kNews, "settings");

  const auto title = resolver_.find(by_text("个性化推荐"), f);
  ASSERT_TRUE(title);
  EXPECT_EQ(title->source, "tree");
  EXPECT_EQ(title->bounds, (Rect{40, 560, 700, 650}));
  ASSERT_NE(title->node, nullptr);
  EXPECT_EQ(title->node->resource_id, std::string(kNewsPkgId) + "tv_personalized_title");
  EXPECT_EQ(title->center().x, 370);
  EXPECT_EQ(title->center().y, 605);

  const Rect switch_bounds{880, 600, 1040, 690};
  Selector id;
  id.id = "switch_personalized";
  ASSERT_TRUE(resolver_.find(id, f));
  EXPECT_EQ(resolver_.find(id, f)->bounds, switch_bounds);
  id.id = std::string(kNewsPkgId) + "switch_personalized";  // the full resource-id too
  ASSERT_TRUE(resolver_.find(id, f));
  EXPECT_EQ(resolver_.find(id, f)->bounds, switch_bounds);

  // content-desc names the switch, not the text view that shows the same words.
  Selector desc;
  desc.desc = "个性化推荐";
  const auto by_desc = resolver_.find_all(desc, f);
  ASSERT_EQ(by_desc.size(), 1u);
  EXPECT_EQ(by_desc[0].bounds, switch_bounds);

  Selector cls = switch_class();
  ASSERT_EQ(resolver_.find_all(cls, f).size(), 1u);
  EXPECT_EQ(resolver_.find(cls, f)->bounds, switch_bounds);
  cls.class_name = "android.widget.Switch";
  EXPECT_EQ(resolver_.find(cls, f)->bounds, switch_bounds);

  Selector regex;
  regex.text_regex = "关于.*";
  ASSERT_TRUE(resolver_.find(regex, f));
  EXPECT_EQ(resolver_.find(regex, f)->text, "关于新闻早知道");
  EXPECT_EQ(resolver_.find(regex, f)->bounds, (Rect{40, 1083, 900, 1230}));
  regex.text_regex = "关于";  // the whole text must match
  EXPECT_FALSE(resolver_.find(regex, f));
}

TEST_F(SelectorResolverTest, AllSetFieldsMustHoldAndXPathIsIntersectedWithThem) {
  const Frame f = screen(kNews, "settings");
  Selector items;
  items.xpath = std::string("//node[@resource-id='") + kNewsPkgId + "tv_item_title']";
  EXPECT_EQ(texts_of(resolver_.find_all(items, f)),
            (std::vector<std::string>{"账号与安全", "消息通知", "清除缓存", "隐私政策",
                                      "关于新闻早知道"}));

  items.text = "隐私政策";
  ASSERT_EQ(resolver_.find_all(items, f).size(), 1u);
  EXPECT_EQ(resolver_.find(items, f)->bounds, (Rect{40, 933, 900, 1080}));

  Selector mismatch;
  mismatch.id = "switch_personalized";
  mismatch.text = "个性化推荐";  // the switch has it as content-desc, not text
  EXPECT_FALSE(resolver_.find(mismatch, f));
}

TEST_F(SelectorResolverTest, IndexPicksTheNthMatchInReadingOrder) {
  const Frame f = screen(kNews, "home");
  Selector tabs;
  tabs.text_regex = "推荐|热点|科技|财经|体育";
  EXPECT_EQ(texts_of(resolver_.find_all(tabs, f)),
            (std::vector<std::string>{"推荐", "热点", "科技", "财经", "体育"}));
  tabs.index = 3;
  ASSERT_TRUE(resolver_.find(tabs, f));
  EXPECT_EQ(resolver_.find(tabs, f)->text, "财经");
  EXPECT_EQ(resolver_.find(tabs, f)->bounds, (Rect{648, 210, 864, 330}));
  tabs.index = 5;
  EXPECT_FALSE(resolver_.find(tabs, f));
}

TEST_F(SelectorResolverTest, WhatIsNotOnTheScreenIsNotFound) {
  const Frame f = screen(kNews, "settings");
  EXPECT_FALSE(resolver_.find(by_text("不存在的按钮"), f));
  EXPECT_TRUE(resolver_.find_all(by_text("不存在的按钮"), f).empty());
  Selector id;
  id.id = "btn_nowhere";
  EXPECT_FALSE(resolver_.find(id, f));
  // Without a tree, tree-only fields cannot hold.
  EXPECT_FALSE(resolver_.find(id, without_tree(f)));
}

TEST_F(SelectorResolverTest, NodesOffScreenOrWithoutSizeAreNotMatches) {
  Frame f = screen(kNews, "settings");
  detectors::UiNode& root = f.tree->roots().front();
  detectors::UiNode gone;
  gone.text = "已滚出屏幕";
  gone.class_name = "android.widget.TextView";
  gone.bounds = Rect{40, 2500, 900, 2600};  // below the 2400 px screen
  root.children.push_back(gone);
  gone.text = "零尺寸";
  gone.bounds = Rect{40, 1300, 40, 1300};
  root.children.push_back(gone);
  gone.text = "半截";
  gone.bounds = Rect{40, 2300, 900, 2500};  // half on screen: the visible half is tapped
  root.children.push_back(gone);

  EXPECT_FALSE(resolver_.find(by_text("已滚出屏幕"), f));
  EXPECT_FALSE(resolver_.find(by_text("零尺寸"), f));
  ASSERT_TRUE(resolver_.find(by_text("半截"), f));
  EXPECT_EQ(resolver_.find(by_text("半截"), f)->bounds, (Rect{40, 2300, 900, 2400}));
}

// ---- relative selectors ----

TEST_F(SelectorResolverTest, RightOfPicksTheSwitchOnTheLabelsRow) {
  const Frame news = screen(kNews, "settings");
  const auto sw = resolver_.find(
      relative(switch_class(), Selector::Relation::kRightOf, by_text("个性化推荐")), news);
  ASSERT_TRUE(sw);
  EXPECT_EQ(sw->bounds, (Rect{880, 600, 1040, 690}));

  // Two switches on one page: each label gets its own.
  const Frame notif = screen(kRedian, "notification");
  const auto sound = resolver_.find(
      relative(switch_class(), Selector::Relation::kRightOf, by_text("声音提醒")), notif);
  ASSERT_TRUE(sound);
  EXPECT_EQ(sound->bounds, (Rect{880, 550, 1040, 640}));
  EXPECT_EQ(sound->node->resource_id, "com.uiw.fixture.redian:id/switch_sound");
  const auto push = resolver_.find(
      relative(switch_class(), Selector::Relation::kRightOf, by_text("推送通知")), notif);
  ASSERT_TRUE(push);
  EXPECT_EQ(push->bounds, (Rect{880, 300, 1040, 390}));

  // Nothing is right of a switch; the label is left of it.
  Selector sound_switch;
  sound_switch.id = "switch_sound";
  Selector any_text;
  any_text.text_regex = ".+";
  EXPECT_FALSE(
      resolver_.find(relative(any_text, Selector::Relation::kRightOf, sound_switch), notif));
  const auto label =
      resolver_.find(relative(any_text, Selector::Relation::kLeftOf, sound_switch), notif);
  ASSERT_TRUE(label);
  EXPECT_EQ(label->text, "声音提醒");
}

TEST_F(SelectorResolverTest, AboveBelowAndNearSortByDistanceAndIndexPicksTheNthNearest) {
  const Frame notif = screen(kRedian, "notification");
  Selector any_text;
  any_text.text_regex = ".+";

  const auto below = relative(any_text, Selector::Relation::kBelow, by_text("声音提醒"));
  ASSERT_TRUE(resolver_.find(below, notif));
  EXPECT_EQ(resolver_.find(below, notif)->text, "收到通知时播放提示音");

  auto above = relative(any_text, Selector::Relation::kAbove, by_text("收到通知时播放提示音"));
  EXPECT_EQ(texts_of(resolver_.find_all(above, notif)),
            (std::vector<std::string>{"声音提醒", "热点新闻和评论回复将通过通知提醒你", "推送通知",
                                      "消息通知"}));
  above.index = 1;
  ASSERT_TRUE(resolver_.find(above, notif));
  EXPECT_EQ(resolver_.find(above, notif)->text, "热点新闻和评论回复将通过通知提醒你");

  // Both switches are near the label; the one on its row is nearest.
  auto near = relative(switch_class(), Selector::Relation::kNear, by_text("声音提醒"));
  const auto both = resolver_.find_all(near, notif);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].bounds, (Rect{880, 550, 1040, 640}));
  EXPECT_EQ(both[1].bounds, (Rect{880, 300, 1040, 390}));

  // The anchor's own index picks which anchor.
  Selector second_switch = switch_class();
  second_switch.index = 1;
  const auto left =
      resolver_.find(relative(any_text, Selector::Relation::kLeftOf, second_switch), notif);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->text, "声音提醒");

  // No anchor, no match.
  EXPECT_FALSE(resolver_.find(
      relative(switch_class(), Selector::Relation::kRightOf, by_text("个性化推荐")), notif));
}

// ---- the pixels ----

TEST_F(SelectorResolverTest, TextIsReadFromPixelsWhenThereIsNoTree) {
  // Chinese: the splash's skip button says "跳过 5"; "跳过" is a run of its own in it.
  const Frame splash = without_tree(screen(kNews, "splash"));
  const Rect skip_button{820, 100, 1040, 190};
  const auto skip = resolver_.find(by_text("跳过"), splash);
  ASSERT_TRUE(skip);
  EXPECT_EQ(skip->source, "ocr");
  EXPECT_EQ(skip->node, nullptr);
  EXPECT_TRUE(inside(skip->bounds, skip_button)) << skip->bounds.to_bounds_string();
  EXPECT_TRUE(skip_button.contains(skip->center().x, skip->center().y));
  EXPECT_GT(skip->score, 0.5);
  // The word's box, not the whole "跳过 5" line: its right edge stops before the digit.
  EXPECT_LT(skip->bounds.right, 1000) << skip->bounds.to_bounds_string();

  // A title read whole; part of a CJK run is not a match ("新闻" is inside "新闻早知道").
  const auto name = resolver_.find(by_text("新闻早知道"), splash);
  ASSERT_TRUE(name);
  EXPECT_TRUE(inside(name->bounds, Rect{240, 2050, 840, 2150})) << name->bounds.to_bounds_string();
  EXPECT_FALSE(resolver_.find(by_text("新闻"), splash));

  // English on a recorded real screenshot, case and spacing aside.
  const Frame ad = without_tree(recorded());
  const Rect no_thanks{420, 1912, 660, 2008};
  const auto decline = resolver_.find(by_text("No thanks"), ad);
  ASSERT_TRUE(decline);
  EXPECT_EQ(decline->source, "ocr");
  EXPECT_TRUE(no_thanks.contains(decline->center().x, decline->center().y))
      << decline->bounds.to_bounds_string();
  const auto install = resolver_.find(by_text("Install"), ad);
  ASSERT_TRUE(install);
  EXPECT_TRUE(Rect({246, 1640, 834, 1856}).contains(install->center().x, install->center().y));
  EXPECT_FALSE(resolver_.find(by_text("Uninstall"), ad));

  Selector regex;
  regex.text_regex = "No ?[Tt]hanks";
  ASSERT_TRUE(resolver_.find(regex, ad));
  EXPECT_TRUE(no_thanks.contains(resolver_.find(regex, ad)->center().x,
                                 resolver_.find(regex, ad)->center().y));

  // Without an OCR service there is nothing to read the pixels with.
  const SelectorResolver blind(nullptr);
  EXPECT_FALSE(blind.find(by_text("No thanks"), ad));
}

TEST_F(SelectorResolverTest, IncompleteTreeFallsBackToPixelsButACompleteOneIsTrusted) {
  // The dump without the decline text (an ad SDK drawing it as an image).
  Frame ad = recorded();
  detectors::UiNode* container = nullptr;
  ad.tree->visit([&](const detectors::UiNode& n, int) {
    if (n.resource_id.ends_with("interstitial_container"))
      container = const_cast<detectors::UiNode*>(&n);
  });
  ASSERT_NE(container, nullptr);
  for (detectors::UiNode& n : container->children)
    if (n.text == "No Thanks") n.text.clear();
  ASSERT_TRUE(ad.tree_is_complete());
  EXPECT_FALSE(resolver_.find(by_text("No thanks"), ad));

  container->class_name = "android.webkit.WebView";  // what the dump cannot see into
  ASSERT_FALSE(ad.tree_is_complete());
  const auto decline = resolver_.find(by_text("No thanks"), ad);
  ASSERT_TRUE(decline);
  EXPECT_EQ(decline->source, "ocr");
  EXPECT_TRUE(Rect({420, 1912, 660, 2008}).contains(decline->center().x, decline->center().y));
  // What the tree has still comes from the tree.
  const auto install = resolver_.find(by_text("Install"), ad);
  ASSERT_TRUE(install);
  EXPECT_EQ(install->source, "tree");
}

TEST_F(SelectorResolverTest, OcrFieldReadsPixelsAsACaseInsensitiveSubstring) {
  const Frame ad = recorded();  // the tree has the text, `ocr` reads the pixels anyway
  Selector s;
  s.ocr = "THANKS";
  const auto m = resolver_.find(s, ad);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->source, "ocr");
  EXPECT_TRUE(Rect({420, 1912, 660, 2008}).contains(m->center().x, m->center().y))
      << m->bounds.to_bounds_string();

  // With a tree field, the node holding the read text.
  s.id = "tv_no_thanks";
  ASSERT_TRUE(resolver_.find(s, ad));
  EXPECT_EQ(resolver_.find(s, ad)->source, "tree");
  EXPECT_EQ(resolver_.find(s, ad)->bounds, (Rect{420, 1912, 660, 2008}));
  s.id = "btn_install";
  EXPECT_FALSE(resolver_.find(s, ad));
}

TEST_F(SelectorResolverTest, ImageTemplateIsFoundAtItsOwnAndOtherScales) {
  const Frame ad = recorded();
  const Rect button{246, 1640, 834, 1856};
  for (double factor : {1.0, 0.75, 1.5}) {
    SCOPED_TRACE("template scaled ×" + std::to_string(factor));
    const std::string path = save_template(
        ad, button, factor, "install-" + std::to_string(static_cast<int>(factor * 100)) + ".png");
    const auto all = resolver_.find_all(by_image(path), ad);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].source, "image");
    EXPECT_GE(all[0].score, 0.85);
    expect_near(all[0].bounds, button, 8);
  }

  // A rendered screen: the switch glyph of the settings page.
  const Frame news = screen(kNews, "settings");
  const Rect sw{880, 600, 1040, 690};
  for (double factor : {0.75, 1.5}) {
    SCOPED_TRACE("switch template scaled ×" + std::to_string(factor));
    const std::string path = save_template(
        news, sw, factor, "switch-" + std::to_string(static_cast<int>(factor * 100)) + ".png");
    const auto m = resolver_.find(by_image(path), news);
    ASSERT_TRUE(m);
    expect_near(m->bounds, sw, 6);
  }

  // A small icon (the AdChoices "i", 52×60 px) is found where the app shows it, not among the
  // status bar's look-alike glyphs.
  const Rect ad_choices{8, 2176, 60, 2236};
  const auto icons = resolver_.find_all(by_image(save_template(ad, ad_choices, 1.0, "i.png")), ad);
  ASSERT_EQ(icons.size(), 1u);
  expect_near(icons[0].bounds, ad_choices, 3);

  // What is not on the screen is not found: the ad's button on the settings page.
  EXPECT_FALSE(resolver_.find(by_image(save_template(ad, button, 1.0, "install-again.png")), news));
}

// ---- errors ----

TEST_F(SelectorResolverTest, BadSelectorsAndTemplatesAreConfigErrorsNamingThem) {
  const Frame f = screen(kNews, "settings");
  Selector regex;
  regex.text_regex = "跳过(";
  try {
    resolver_.find(regex, f);
    FAIL() << "no error for a bad regex";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("跳过("), std::string::npos) << e.what();
  }

  const std::string missing = (tmp_ / "no-such-template.png").string();
  try {
    resolver_.find(by_image(missing), f);
    FAIL() << "no error for a missing template";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }

  const std::string garbage = (tmp_ / "not-an-image.png").string();
  std::ofstream(garbage) << "this is not a PNG";
  try {
    resolver_.find(by_image(garbage), f);
    FAIL() << "no error for an unreadable template";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find(garbage), std::string::npos) << e.what();
  }

  Selector xpath;
  xpath.xpath = "//node[@text=";
  try {
    resolver_.find(xpath, f);
    FAIL() << "no error for a bad XPath";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
  }

  EXPECT_THROW(resolver_.find(Selector{}, f), Error);  // names nothing
}

}  // namespace
}  // namespace uiw::harness
