// Scenarios as their authors meet them: a file written as scenarios/README.md says loads into the
// steps it describes, and every mistake names FILE:LINE:COL, the step, and what is wrong.
#include "harness/scenario_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace {

namespace fs = std::filesystem;
using uiw::harness::load_scenario;
using uiw::harness::parse_scenario;
using uiw::harness::ProbeSpec;
using uiw::harness::Scenario;
using uiw::harness::Selector;
using uiw::harness::Step;
using uiw::harness::StepKind;
using namespace std::chrono_literals;

Scenario parse(const std::string& yaml, const std::map<std::string, std::string>& vars = {}) {
  return parse_scenario(yaml, "scenario.yaml", vars);
}

// The message of the kConfig error `fn` throws ("" when it does not throw).
template <typename Fn>
std::string error_from(Fn fn) {
  try {
    fn();
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kConfig) << e.what();
    return e.what();
  }
  return "";
}

std::string error_of(const std::string& yaml, const std::map<std::string, std::string>& vars = {}) {
  return error_from([&] { parse(yaml, vars); });
}

#define EXPECT_CONTAINS(haystack, needle)                                                          \
  do {                                                                                             \
    const std::string h_ = (haystack);                                                             \
    EXPECT_NE(h_.find(needle), std::string::npos) << "expected \"" << (needle) << "\" in\n" << h_; \
  } while (0)

// A scenario with `steps` (already indented as list items) under a fixed 3-line head, so step
// lines are 4, 5, ….
std::string with_steps(const std::string& steps) {
  return "name: test\n"         // 1
         "app: com.uiw.demo\n"  // 2
         "steps:\n"             // 3
         + steps;
}

// A fresh directory for scenario files that include each other.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("uiw_scenario_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// ---- good scenarios ----------------------------------------------------------------------------

TEST(ScenarioLoader, LoadsTheHeader) {
  Scenario sc = parse(
      "name: Splash countdown\n"
      "app: com.uiw.fixture.kuaixun\n"
      "tags: [splash, pop-up]\n"
      "rules: [POP-08]\n"
      "steps:\n"
      "  - launch\n");
  EXPECT_EQ(sc.name, "Splash countdown");
  EXPECT_EQ(sc.app, "com.uiw.fixture.kuaixun");
  EXPECT_EQ(sc.tags, (std::vector<std::string>{"splash", "pop-up"}));
  EXPECT_EQ(sc.rules, (std::vector<std::string>{"POP-08"}));
  EXPECT_TRUE(fs::path(sc.file).is_absolute());
  EXPECT_EQ(fs::path(sc.file).filename(), "scenario.yaml");
  ASSERT_EQ(sc.steps.size(), 1u);
  EXPECT_EQ(sc.steps[0].kind, StepKind::kLaunch);
  EXPECT_EQ(sc.steps[0].text, "com.uiw.fixture.kuaixun");  // a bare launch acts on `app`
  EXPECT_EQ(sc.steps[0].where.file, sc.file);
  EXPECT_EQ(sc.steps[0].where.line, 6);
  EXPECT_EQ(sc.steps[0].where.column, 5);
}

TEST(ScenarioLoader, BareWordSteps) {
  Scenario sc = parse(with_steps(
      "  - launch\n  - stop\n  - back\n  - home\n  - check\n  - screenshot\n  - back:\n"));
  std::vector<StepKind> kinds;
  for (const Step& s : sc.steps) kinds.push_back(s.kind);
  EXPECT_EQ(kinds, (std::vector<StepKind>{StepKind::kLaunch, StepKind::kStop, StepKind::kBack,
                                          StepKind::kHome, StepKind::kCheck, StepKind::kScreenshot,
                                          StepKind::kBack}));
  EXPECT_TRUE(sc.steps[4].rules.empty());  // check: every static rule
  EXPECT_EQ(sc.steps[1].text, "com.uiw.demo");
}

TEST(ScenarioLoader, LaunchAndStopArguments) {
  Scenario sc =
      parse(with_steps("  - launch: {app: com.other.app, clear_data: true}\n"
                       "  - launch: com.third.app\n"
                       "  - stop: {app: com.other.app}\n"));
  EXPECT_EQ(sc.steps[0].text, "com.other.app");
  EXPECT_TRUE(sc.steps[0].clear_data);
  EXPECT_EQ(sc.steps[1].text, "com.third.app");
  EXPECT_FALSE(sc.steps[1].clear_data);
  EXPECT_EQ(sc.steps[2].kind, StepKind::kStop);
  EXPECT_EQ(sc.steps[2].text, "com.other.app");
}

TEST(ScenarioLoader, TapForms) {
  Scenario sc =
      parse(with_steps("  - tap: \"同意\"\n"
                       "  - tap: {id: btn_close}\n"
                       "  - tap: {point: [540, 1200]}\n"
                       "  - tap: {text: \"跳过\", timeout: 8s, retries: 2, optional: true}\n"
                       "  - tap: [10, 20]\n"));
  ASSERT_EQ(sc.steps.size(), 5u);
  EXPECT_EQ(sc.steps[0].selector->text, "同意");
  EXPECT_EQ(sc.steps[1].selector->id, "btn_close");
  EXPECT_FALSE(sc.steps[1].selector->text);
  EXPECT_FALSE(sc.steps[2].selector);
  EXPECT_EQ(sc.steps[2].point->x, 540);
  EXPECT_EQ(sc.steps[2].point->y, 1200);
  const Step& skip = sc.steps[3];
  EXPECT_EQ(skip.selector->text, "跳过");
  EXPECT_EQ(skip.timeout, 8s);
  EXPECT_EQ(skip.retries, 2);
  EXPECT_TRUE(skip.optional);
  EXPECT_EQ(sc.steps[4].point->y, 20);
}

TEST(ScenarioLoader, StepLevelNameAndOptions) {
  Scenario sc =
      parse(with_steps("  - {name: \"close the pop-up\", tap: {id: iv_close}}\n"
                       "  - name: wait a bit\n"
                       "    wait: 1.5s\n"
                       "    optional: yes\n"
                       "    timeout: 2m\n"));
  EXPECT_EQ(sc.steps[0].name, "close the pop-up");
  EXPECT_EQ(sc.steps[0].kind, StepKind::kTap);
  EXPECT_EQ(sc.steps[1].name, "wait a bit");
  EXPECT_EQ(sc.steps[1].kind, StepKind::kWait);
  EXPECT_EQ(sc.steps[1].duration, 1500ms);
  EXPECT_TRUE(sc.steps[1].optional);
  EXPECT_EQ(sc.steps[1].timeout, 120s);
  EXPECT_EQ(sc.steps[1].where.line, 5);
}

TEST(ScenarioLoader, GestureSteps) {
  Scenario sc =
      parse(with_steps("  - long_press: {desc: 头像, duration: 1s}\n"
                       "  - type: {text: \"hello\", into: {id: et_message}}\n"
                       "  - type: plain words\n"
                       "  - swipe: {from: [540, 1800], to: [540, 600], duration: 300ms}\n"
                       "  - swipe: up\n"
                       "  - scroll_to: {text: 个性化推荐, direction: down, max_swipes: 8}\n"
                       "  - scroll_to: 关于\n"));
  EXPECT_EQ(sc.steps[0].selector->desc, "头像");
  EXPECT_EQ(sc.steps[0].duration, 1s);
  EXPECT_EQ(sc.steps[1].text, "hello");
  EXPECT_EQ(sc.steps[1].selector->id, "et_message");
  EXPECT_EQ(sc.steps[2].text, "plain words");
  EXPECT_FALSE(sc.steps[2].selector);
  EXPECT_EQ(sc.steps[3].from->y, 1800);
  EXPECT_EQ(sc.steps[3].to->y, 600);
  EXPECT_EQ(sc.steps[3].duration, 300ms);
  EXPECT_EQ(sc.steps[4].direction, "up");
  EXPECT_EQ(sc.steps[5].selector->text, "个性化推荐");
  EXPECT_EQ(sc.steps[5].direction, "down");
  EXPECT_EQ(sc.steps[5].max_swipes, 8);
  EXPECT_EQ(sc.steps[6].direction, "down");  // the default
}

TEST(ScenarioLoader, WaitingAndAsserting) {
  Scenario sc =
      parse(with_steps("  - wait: 2\n"
                       "  - wait_for: {text_regex: \"跳过.*\", timeout: 10s}\n"
                       "  - assert_visible: {ocr: \"No thanks\"}\n"
                       "  - assert_not_visible: {id: dialog_root}\n"
                       "  - screenshot: after-close\n"
                       "  - open_url: \"https://v.doupai.example/s/8FkP\"\n"
                       "  - check: [POP-02, POP-03]\n"
                       "  - check: CON-01\n"));
  EXPECT_EQ(sc.steps[0].duration, 2s);
  EXPECT_EQ(sc.steps[1].selector->text_regex, "跳过.*");
  EXPECT_EQ(sc.steps[1].timeout, 10s);
  EXPECT_EQ(sc.steps[2].selector->ocr, "No thanks");
  EXPECT_EQ(sc.steps[3].kind, StepKind::kAssertNotVisible);
  EXPECT_EQ(sc.steps[4].text, "after-close");
  EXPECT_EQ(sc.steps[5].text, "https://v.doupai.example/s/8FkP");
  EXPECT_EQ(sc.steps[6].rules, (std::vector<std::string>{"POP-02", "POP-03"}));
  EXPECT_EQ(sc.steps[7].rules, (std::vector<std::string>{"CON-01"}));
}

TEST(ScenarioLoader, SelectorKeysAndRelations) {
  Scenario sc = parse(with_steps(
      "  - tap: {text: \"开关\", right_of: {text: 个性化推荐}}\n"
      "  - tap: {class: android.widget.Switch, index: 2, below: 设置}\n"
      "  - tap: {xpath: \"//node[@text='OK']\", near: {desc: logo, above: {id: footer}}}\n"));
  const Selector& a = *sc.steps[0].selector;
  EXPECT_EQ(a.text, "开关");
  ASSERT_TRUE(a.relative);
  EXPECT_EQ(a.relative->relation, Selector::Relation::kRightOf);
  EXPECT_EQ(a.relative->anchor->text, "个性化推荐");
  EXPECT_EQ(a.describe(), "text \"开关\" right_of text \"个性化推荐\"");
  const Selector& b = *sc.steps[1].selector;
  EXPECT_EQ(b.class_name, "android.widget.Switch");
  EXPECT_EQ(b.index, 2);
  EXPECT_EQ(b.relative->relation, Selector::Relation::kBelow);
  EXPECT_EQ(b.relative->anchor->text, "设置");
  const Selector& c = *sc.steps[2].selector;
  EXPECT_EQ(c.xpath, "//node[@text='OK']");
  EXPECT_EQ(c.relative->relation, Selector::Relation::kNear);
  EXPECT_EQ(c.relative->anchor->relative->relation, Selector::Relation::kAbove);
  EXPECT_EQ(c.relative->anchor->relative->anchor->id, "footer");
}

TEST(ScenarioLoader, ImageSelectorIsResolvedAgainstTheScenarioFile) {
  TempDir dir;
  dir.write("img/close.png", "not really a png");
  std::string file = dir.write("s.yaml", with_steps("  - tap: {image: img/close.png, "
                                                    "image_threshold: 0.9}\n"));
  Scenario sc = load_scenario(file);
  EXPECT_EQ(sc.steps[0].selector->image, (dir.path() / "img/close.png").string());
  EXPECT_DOUBLE_EQ(sc.steps[0].selector->image_threshold, 0.9);

  std::string missing = dir.write("m.yaml", with_steps("  - tap: {image: img/gone.png}\n"));
  std::string msg = error_from([&] { load_scenario(missing); });
  EXPECT_CONTAINS(msg, "m.yaml:4:18: step 1 (tap): `image`: file ");
  EXPECT_CONTAINS(msg, "gone.png does not exist");
}

TEST(ScenarioLoader, Probes) {
  Scenario sc = parse(with_steps(
      "  - probe: popup\n"
      "  - probe: {popup: {close: {id: iv_close}, blank: [540, 1400], watch: 10s, shake: 3}}\n"
      "  - probe: {personalisation: {max_depth: 5}}\n"
      "  - probe: {link: {tap: {text: \"https://v.doupai.example/s/8FkP\"}, control: {tap: "
      "{text_regex: \".*xgkk.*\"}}}}\n"
      "  - probe: {link: {url: \"https://a.example\", control_url: \"https://b.example\"}}\n"));
  const ProbeSpec& bare = *sc.steps[0].probe;
  EXPECT_EQ(bare.kind, ProbeSpec::Kind::kPopup);
  EXPECT_FALSE(bare.close);
  EXPECT_FALSE(bare.watch);  // the profile decides
  const ProbeSpec& popup = *sc.steps[1].probe;
  EXPECT_EQ(popup.close->id, "iv_close");
  EXPECT_EQ(popup.blank->x, 540);
  EXPECT_EQ(popup.watch, 10s);
  ASSERT_TRUE(popup.shake_ms2);
  EXPECT_DOUBLE_EQ(*popup.shake_ms2, 3.0);
  EXPECT_EQ(sc.steps[2].probe->kind, ProbeSpec::Kind::kPersonalisation);
  EXPECT_EQ(sc.steps[2].probe->max_depth, 5);
  const ProbeSpec& link = *sc.steps[3].probe;
  EXPECT_EQ(link.kind, ProbeSpec::Kind::kLink);
  EXPECT_EQ(link.link->text, "https://v.doupai.example/s/8FkP");
  EXPECT_EQ(link.control_link->text_regex, ".*xgkk.*");
  const ProbeSpec& urls = *sc.steps[4].probe;
  EXPECT_EQ(urls.url, "https://a.example");
  EXPECT_EQ(urls.control_url, "https://b.example");
}

TEST(ScenarioLoader, RepeatNestsSteps) {
  Scenario sc =
      parse(with_steps("  - repeat:\n"
                       "      times: 3\n"
                       "      steps:\n"
                       "        - back\n"
                       "        - wait: 300ms\n"));
  ASSERT_EQ(sc.steps.size(), 1u);
  EXPECT_EQ(sc.steps[0].kind, StepKind::kRepeat);
  EXPECT_EQ(sc.steps[0].times, 3);
  ASSERT_EQ(sc.steps[0].children.size(), 2u);
  EXPECT_EQ(sc.steps[0].children[1].duration, 300ms);
  EXPECT_EQ(sc.steps[0].children[1].where.line, 8);
}

// ---- variables ---------------------------------------------------------------------------------

TEST(ScenarioLoader, VariablesAreSubstitutedEverywhere) {
  ::setenv("UIW_TEST_FROM_ENV", "env-value", 1);
  Scenario sc = parse(
      "name: ${PKG} run\n"
      "app: ${PKG}\n"
      "vars: {PKG: com.example, WAIT: 2s, LABEL: \"${PKG}-label\"}\n"
      "steps:\n"
      "  - launch: {app: \"${PKG}\"}\n"
      "  - wait: ${WAIT}\n"
      "  - tap: \"${LABEL} ${UIW_TEST_FROM_ENV}\"\n"
      "  - tap: \"literal $${PKG}\"\n");
  EXPECT_EQ(sc.name, "com.example run");
  EXPECT_EQ(sc.app, "com.example");
  EXPECT_EQ(sc.steps[0].text, "com.example");
  EXPECT_EQ(sc.steps[1].duration, 2s);
  EXPECT_EQ(sc.steps[2].selector->text, "com.example-label env-value");
  EXPECT_EQ(sc.steps[3].selector->text, "literal ${PKG}");
  EXPECT_EQ(sc.vars, (std::vector<std::pair<std::string, std::string>>{
                         {"PKG", "com.example"}, {"WAIT", "2s"}, {"LABEL", "com.example-label"}}));
}

TEST(ScenarioLoader, CommandLineVarsWinOverTheFile) {
  Scenario sc = parse(
      "name: t\n"
      "vars: {PKG: com.example, WAIT: 2s}\n"
      "app: ${PKG}\n"
      "steps:\n"
      "  - wait: ${WAIT}\n"
      "  - tap: ${EXTRA}\n",
      {{"PKG", "com.override"}, {"EXTRA", "from-cli"}});
  EXPECT_EQ(sc.app, "com.override");
  EXPECT_EQ(sc.steps[0].duration, 2s);
  EXPECT_EQ(sc.steps[1].selector->text, "from-cli");
  EXPECT_EQ(sc.vars, (std::vector<std::pair<std::string, std::string>>{
                         {"PKG", "com.override"}, {"WAIT", "2s"}, {"EXTRA", "from-cli"}}));
}

TEST(ScenarioLoader, UndefinedVariableNamesItsLine) {
  std::string msg = error_of(with_steps("  - wait: 1s\n  - tap: \"${LABLE}\"\n"), {{"LABEL", "x"}});
  EXPECT_CONTAINS(msg,
                  "scenario.yaml:5:10: step 2 (tap): undefined variable 'LABLE' (did you "
                  "mean 'LABEL'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - tap: \"${OOPS\"\n")), "unterminated '${'");
}

// ---- run_flow ----------------------------------------------------------------------------------

TEST(ScenarioLoader, RunFlowIncludesTheFileAsChildren) {
  TempDir dir;
  dir.write("flows/login.yaml",
            "vars: {USER: default-user}\n"
            "steps:\n"
            "  - tap: {id: et_user}\n"
            "  - type: \"${USER}\"\n"
            "  - run_flow: ok.yaml\n");
  dir.write("flows/ok.yaml", "- tap: OK\n");
  std::string file = dir.write("main.yaml",
                               "name: login twice\n"
                               "app: com.uiw.demo\n"
                               "steps:\n"
                               "  - run_flow: flows/login.yaml\n"
                               "  - run_flow: {file: flows/login.yaml, vars: {USER: alice}}\n");
  Scenario sc = load_scenario(file);
  ASSERT_EQ(sc.steps.size(), 2u);
  const Step& first = sc.steps[0];
  EXPECT_EQ(first.kind, StepKind::kRunFlow);
  EXPECT_EQ(first.text, (dir.path() / "flows/login.yaml").string());
  ASSERT_EQ(first.children.size(), 3u);
  EXPECT_EQ(first.children[0].where.file, (dir.path() / "flows/login.yaml").string());
  EXPECT_EQ(first.children[0].where.line, 3);
  EXPECT_EQ(first.children[1].text, "default-user");
  EXPECT_EQ(first.children[2].children[0].selector->text, "OK");  // relative to flows/
  EXPECT_EQ(sc.steps[1].children[1].text, "alice");
}

TEST(ScenarioLoader, RunFlowCycleNamesTheChain) {
  TempDir dir;
  dir.write("a.yaml", "- run_flow: b.yaml\n");
  dir.write("b.yaml", "- back\n- run_flow: a.yaml\n");
  std::string file = dir.write("main.yaml", with_steps("  - run_flow: a.yaml\n"));
  std::string msg = error_from([&] { load_scenario(file); });
  EXPECT_CONTAINS(msg, "b.yaml:2:13: step 2 (run_flow): run_flow cycle: ");
  EXPECT_CONTAINS(msg, "a.yaml → " + (dir.path() / "b.yaml").string() + " → " +
                           (dir.path() / "a.yaml").string());
  EXPECT_CONTAINS(msg, "(in run_flow at " + (dir.path() / "a.yaml").string() + ":1:13)");
}

TEST(ScenarioLoader, ErrorsInAFlowNameTheFlowFileAndWhereItWasIncluded) {
  TempDir dir;
  dir.write("flow.yaml", "- back\n- tap: {txt: x}\n");
  std::string file = dir.write("main.yaml", with_steps("  - home\n  - run_flow: flow.yaml\n"));
  std::string msg = error_from([&] { load_scenario(file); });
  EXPECT_CONTAINS(msg, (dir.path() / "flow.yaml").string() +
                           ":2:9: step 2 (tap): unknown selector key 'txt' (did you mean "
                           "'text'?)");
  EXPECT_CONTAINS(msg, "(in run_flow at " + file + ":5:15)");

  std::string missing = dir.write("m.yaml", with_steps("  - run_flow: nowhere.yaml\n"));
  EXPECT_CONTAINS(error_from([&] { load_scenario(missing); }),
                  "m.yaml:4:15: step 1 (run_flow): run_flow: file ");
}

// ---- mistakes ----------------------------------------------------------------------------------

TEST(ScenarioLoader, UnknownSelectorKeySuggestsTheRightOne) {
  std::string msg = error_of(with_steps("  - back\n  - wait: 1s\n  - tap: {txt: 同意}\n"));
  EXPECT_CONTAINS(msg,
                  "scenario.yaml:6:11: step 3 (tap): unknown selector key 'txt' (did you mean "
                  "'text'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - tap: {text: a, below: {idd: x}}\n")),
                  "step 1 (tap): unknown selector key 'idd' (did you mean 'id'?)");
}

TEST(ScenarioLoader, UnknownStepSuggestsTheRightOne) {
  EXPECT_CONTAINS(error_of(with_steps("  - back\n  - tpa: OK\n")),
                  "scenario.yaml:5:5: step 2: unknown step 'tpa' (did you mean 'tap'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - click: OK\n")), "(did you mean 'tap'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - assertVisible: OK\n")),
                  "(did you mean 'assert_visible'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - {tap: x, retry: 2}\n")),
                  "scenario.yaml:4:14: step 1 (tap): unknown key 'retry' (did you mean "
                  "'retries'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - tap: {resourceId: btn}\n")),
                  "step 1 (tap): unknown selector key 'resourceId' (did you mean 'id'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - long_press: {text: a, duraton: 1s}\n")),
                  "step 1 (long_press): unknown key 'duraton' (did you mean 'duration'?)");
  EXPECT_CONTAINS(error_of(with_steps("  - hom\n")),
                  "scenario.yaml:4:5: step 1: unknown step 'hom' (did you mean 'home'?)");
}

TEST(ScenarioLoader, TwoActionsInOneStep) {
  std::string msg = error_of(with_steps("  - tap: OK\n    wait: 1s\n"));
  EXPECT_CONTAINS(msg,
                  "scenario.yaml:5:5: step 1 (tap): 'wait' starts a second step inside "
                  "this tap step");
}

TEST(ScenarioLoader, ArgumentsNotIndentedUnderTheStep) {
  std::string msg = error_of(with_steps("  - tap:\n    id: btn_close\n"));
  EXPECT_CONTAINS(msg,
                  "scenario.yaml:5:5: step 1 (tap): 'id' belongs to tap: indent it under "
                  "`tap:`");
}

TEST(ScenarioLoader, BadValuesNameTheStep) {
  struct Case {
    std::string steps;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"  - tap: {text_regex: \"跳过(\"}\n",
       "scenario.yaml:4:23: step 1 (tap): `text_regex`: \"跳过(\" is not a valid regular "
       "expression"},
      // Numbers std::regex would overflow on (found by fuzz/scenario_fuzzer).
      {"  - tap: {text_regex: \"(a)\\\\8888888888888888888888\"}\n",
       "step 1 (tap): `text_regex`: \"(a)\\8888888888888888888888\" is not a valid regular "
       "expression: back-reference \"\\8888888888888888888888\" at character 4 is beyond \\999"},
      {"  - tap: {text_regex: \"x{2,99999999999999999999}\"}\n",
       "repetition count at character 2 is beyond 1000"},
      {"  - tap: {index: 1}\n",
       "scenario.yaml:4:10: step 1 (tap): a selector needs at least one "
       "of text, text_regex, id"},
      {"  - tap: {point: [1, 2], text: x}\n",
       "step 1 (tap): give either `point` or a selector, not both"},
      {"  - tap: {point: [1]}\n", "step 1 (tap): `point` must be a point [x, y]"},
      {"  - tap\n", "scenario.yaml:4:5: step 1 (tap): tap needs a value"},
      {"  - wait: soon\n", "scenario.yaml:4:11: step 1 (wait): `wait`: \"soon\" is not a duration"},
      {"  - wait: -1s\n", "step 1 (wait): `wait` must be zero or more"},
      {"  - tap: {text: x, timeout: 0s}\n", "step 1 (tap): `timeout` must be more than zero"},
      {"  - tap: {text: x, retries: many}\n",
       "step 1 (tap): `retries` must be a whole number, not \"many\""},
      {"  - tap: {text: x, optional: perhaps}\n", "step 1 (tap): `optional` must be true or false"},
      {"  - tap: {text: x}\n    timeout: 2s\n    retries: 1\n    name: a\n    name: b\n",
       "step 1 (tap): 'name' is given twice"},
      {"  - tap: {text: x, timeout: 1s}\n    timeout: 2s\n",
       "step 1 (tap): 'timeout' is given twice for this step"},
      {"  - swipe: sideways\n",
       "step 1 (swipe): direction must be one of up, down, left, right, not \"sideways\""},
      {"  - swipe: {from: [1, 2]}\n", "step 1 (swipe): swipe needs `from` and `to` points"},
      {"  - swipe: {direction: up, from: [1, 2]}\n", "give either `direction` or `from`"},
      {"  - scroll_to: {text: x, direction: dwon}\n", "(did you mean 'down'?)"},
      {"  - back: now\n", "step 1 (back): back takes no value"},
      {"  - check: [POP-2]\n",
       "scenario.yaml:4:13: step 1 (check): unknown rule 'POP-2' (did you mean 'POP-02'?)"},
      {"  - check: [POP-05]\n",
       "POP-05 is not a rule one frame can prove, so `check` cannot run "
       "it; it is judged by `probe: popup`"},
      {"  - probe: personalization\n",
       "unknown probe 'personalization' (did you mean "
       "'personalisation'?)"},
      {"  - probe: {popup: {clsoe: {id: x}}}\n",
       "step 1 (probe): unknown popup probe key 'clsoe' (did you mean 'close'?)"},
      {"  - probe: link\n", "step 1 (probe): the link probe needs the link"},
      {"  - probe: {link: {tap: x, url: \"https://a.example\"}}\n",
       "needs exactly one of `tap:` (a selector) or `url:`"},
      {"  - open_url: not a url\n", "step 1 (open_url): \"not a url\" is not a URL"},
      {"  - screenshot: a/b\n", "step 1 (screenshot): screenshot name \"a/b\" must not contain"},
      {"  - launch: Not A Package\n",
       "step 1 (launch): `app`: \"Not A Package\" is not an "
       "Android package name"},
      {"  - repeat: {times: 0, steps: [back]}\n", "step 1 (repeat): `times` must be between 1 and"},
      {"  - repeat: {times: 2, steps: [back, {tap: {txt: a}}]}\n",
       "step 1.2 (tap): unknown selector key 'txt'"},
      {"  - tap: {xpath: \"//node[\"}\n", "step 1 (tap): `xpath`: \"//node[\" is not valid XPath"},
      {"  - tap: {text: a, below: b, above: c}\n", "a selector takes one relation"},
      {"  - tap: {text: a, image_threshold: 0.5}\n", "`image_threshold` only applies with"},
      {"  - {name: x}\n", "scenario.yaml:4:5: step 1: this step has no action"},
      {"  -\n", "step 1: empty step"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.steps);
    EXPECT_CONTAINS(error_of(with_steps(c.steps)), c.expected);
  }
}

TEST(ScenarioLoader, BadScenarioHeader) {
  EXPECT_CONTAINS(error_of("app: com.a.b\nsteps: [back]\n"), "scenario.yaml:1:1: missing `name:`");
  EXPECT_CONTAINS(error_of("name: x\napp: com.a.b\n"), "missing `steps:`");
  EXPECT_CONTAINS(error_of("name: x\nsteps: []\n"), "scenario.yaml:2:8: `steps` is empty");
  EXPECT_CONTAINS(error_of("name: x\nstep: [back]\n"),
                  "scenario.yaml:2:1: unknown top-level key 'step' (did you mean 'steps'?)");
  EXPECT_CONTAINS(error_of("name: x\nrules: [LNK-3]\nsteps: [back]\n"),
                  "scenario.yaml:2:9: unknown rule 'LNK-3'");
  EXPECT_CONTAINS(error_of("name: x\nsteps: [launch]\n"),
                  "scenario.yaml:2:9: step 1 (launch): launch needs an app");
  EXPECT_CONTAINS(error_of(""), "scenario.yaml:1:1: the scenario is empty");
  EXPECT_CONTAINS(error_of("- back\n"), "a scenario is a map: put the list under `steps:`");
  EXPECT_CONTAINS(error_of("name: x\nvars: {1X: a}\nsteps: [back]\n"),
                  "scenario.yaml:2:8: '1X' is not a variable name");
}

TEST(ScenarioLoader, YamlSyntaxErrorsNameFileLineAndColumn) {
  std::string msg = error_of(with_steps("  - tap: {text: \"unclosed}\n  - back\n"));
  EXPECT_CONTAINS(msg, "scenario.yaml:");
  EXPECT_CONTAINS(msg, ": YAML syntax error: ");
  EXPECT_CONTAINS(error_of("name: x\n steps: [back]\n"), "scenario.yaml:2:");
}

TEST(ScenarioLoader, MissingFileIsNotFound) {
  try {
    load_scenario("/nonexistent/dir/scenario.yaml");
    FAIL() << "loaded";
  } catch (const uiw::Error& e) {
    EXPECT_EQ(e.kind(), uiw::ErrorKind::kNotFound);
    EXPECT_CONTAINS(std::string(e.what()), "/nonexistent/dir/scenario.yaml");
  }
}

// ---- describe ----------------------------------------------------------------------------------

TEST(ScenarioLoader, StepsDescribeThemselves) {
  Scenario sc =
      parse(with_steps("  - tap: 同意\n"
                       "  - {name: close, tap: {id: btn_close, index: 1, below: {text: x}}}\n"
                       "  - swipe: {from: [1, 2], to: [3, 4]}\n"
                       "  - wait: 1.5s\n"
                       "  - check\n"
                       "  - probe: popup\n"));
  EXPECT_TRUE(sc.steps[0].describe().starts_with("tap text \"同意\" (")) << sc.steps[0].describe();
  EXPECT_CONTAINS(sc.steps[0].describe(), "scenario.yaml:4)");
  EXPECT_CONTAINS(sc.steps[1].describe(), "\"close\": tap id btn_close #1 below text \"x\"");
  EXPECT_CONTAINS(sc.steps[2].describe(), "swipe (1, 2) → (3, 4)");
  EXPECT_CONTAINS(sc.steps[3].describe(), "wait 1.5s");
  EXPECT_CONTAINS(sc.steps[4].describe(), "check all static rules");
  EXPECT_CONTAINS(sc.steps[5].describe(), "probe popup");
  EXPECT_TRUE(sc.steps[0].where.str().ends_with("/scenario.yaml:4:5")) << sc.steps[0].where.str();
}

}  // namespace
