#include "harness/scenario_runner.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "common/error.h"
#include "harness/evidence_bundle.h"

namespace uiw::harness {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

nlohmann::json box_json(const detectors::Rect& r) {
  return {r.left, r.top, r.width(), r.height()};
}

// Device errors that mean the device or the link to it is gone: the run cannot go on and the
// exit code says "infrastructure", not "the app failed".
bool is_infrastructure(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kDeviceOffline:
    case ErrorKind::kTimeout:
    case ErrorKind::kProtocol:
    case ErrorKind::kUnauthorized:
    case ErrorKind::kIo:
    case ErrorKind::kInternal:
      return true;
    default:
      return false;
  }
}

// Whether finding nothing for `s` needs the UI hierarchy to mean anything: a selector on
// tree attributes (text has an OCR fallback, but OCR can miss what the tree would hold) as
// opposed to one on the pixels (`ocr`, `image`).
bool reads_the_tree(const Selector& s) {
  return s.text || s.text_regex || s.id || s.desc || s.class_name || s.xpath ||
         (s.relative && s.relative->anchor && reads_the_tree(*s.relative->anchor));
}

// How far a reused look may lag behind the screen.
constexpr milliseconds kFreshLook{300};
constexpr milliseconds kPollInterval{200};
constexpr milliseconds kProbeTimeout{90'000};

}  // namespace

std::string_view to_string(ScenarioOutcome outcome) {
  switch (outcome) {
    case ScenarioOutcome::kPassed:
      return "passed";
    case ScenarioOutcome::kFailed:
      return "failed";
    case ScenarioOutcome::kError:
      return "error";
  }
  return "error";
}

int ScenarioResult::exit_code() const {
  if (outcome == ScenarioOutcome::kError) return 3;
  return outcome == ScenarioOutcome::kFailed || !findings.empty() ? 1 : 0;
}

// Per-step bookkeeping: the steps.jsonl record and where the time went.
struct ScenarioRunner::StepContext {
  const Step& step;
  nlohmann::json record;
  adb::Deadline deadline;
  milliseconds device{0};    // in device calls (capture, input, am)
  milliseconds settle{0};    // waiting for the screen to stop moving, device calls excluded
  milliseconds detect{0};    // static rules and selector resolution
  milliseconds evidence{0};  // encoding and writing files
  milliseconds waited{0};    // sleeps the scenario asked for, and polling intervals
  int dismissals = 0;

  template <class F>
  auto device_call(F&& f) {
    const auto start = Clock::now();
    struct Add {
      milliseconds& acc;
      Clock::time_point start;
      ~Add() { acc += since(start); }
    } add{device, start};
    return f();
  }
};

ScenarioRunner::ScenarioRunner(adb::Device& device, const adb::DeviceInfo& info,
                               const detectors::RuleProfile& profile,
                               const detectors::StaticRuleSet& rules, detectors::OcrService* ocr,
                               EvidenceBundle& bundle, RunnerOptions options, std::ostream* log)
    : device_(device),
      info_(info),
      profile_(profile),
      rules_(rules),
      bundle_(bundle),
      options_(std::move(options)),
      log_(log),
      screen_(device, info.density > 0 ? info.density : 160),
      resolver_(ocr) {}

std::string ScenarioRunner::package_for(const Step& step) const {
  std::string package = step.text.empty() ? scenario_->app : step.text;
  if (package.empty()) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: {} needs a package: give the scenario an "
                                                "`app:` or the step one",
                                                step.where.str(), to_string(step.kind)));
  }
  return package;
}

std::optional<ConsoleAddress> ScenarioRunner::console_address() const {
  if (options_.console) return options_.console;
  // An emulator's serial names its console port.
  if (device_.serial().starts_with("emulator-")) {
    try {
      return ConsoleAddress{"127.0.0.1", std::stoi(device_.serial().substr(9))};
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

ScenarioResult ScenarioRunner::run(const Scenario& scenario) {
  scenario_ = &scenario;
  recorder_.emplace(bundle_, rules_, scenario.rules, scenario.app);
  current_.reset();
  step_counter_ = 0;
  ScenarioResult result;
  const auto start = Clock::now();
  const std::string log_file = "logcat.txt";
  const fs::path live_log = bundle_.dir() / (log_file + std::string(kTempSuffix));
  try {
    // The device's log from here on is evidence (START intents prove navigation); the capture
    // writes to a temp name that `verify` ignores until it is added whole at the end.
    device_.logcat_clear();
    logcat_ = device_.capture_logcat(live_log.string());
    run_steps(scenario.steps, "");
  } catch (const StepFailure& failure) {
    result.outcome = ScenarioOutcome::kFailed;
    result.error = failure.message;
  } catch (const Error& e) {
    // Configuration mistakes found while running (a step without a package) fail the scenario
    // like a failed expectation; a lost device is an infrastructure error.
    result.outcome =
        is_infrastructure(e.kind()) ? ScenarioOutcome::kError : ScenarioOutcome::kFailed;
    result.error = e.what();
  }
  if (logcat_) {
    try {
      logcat_->stop();
      bundle_.add_file(log_file, logcat_->text(), "logcat");
      logcat_.reset();
      fs::remove(live_log);
    } catch (const Error&) {
      // The log is lost with the device; the steps and frames are not.
    }
  }
  result.findings = recorder_->findings();
  result.steps_run = step_counter_;
  result.elapsed = since(start);
  if (result.outcome == ScenarioOutcome::kPassed && !result.findings.empty()) {
    result.outcome = ScenarioOutcome::kFailed;
  }
  bundle_.finish(to_string(result.outcome), result.error);
  return result;
}

void ScenarioRunner::run_steps(const std::vector<Step>& steps, const std::string& prefix) {
  for (size_t i = 0; i < steps.size(); ++i) {
    run_step(steps[i], prefix + std::to_string(i + 1));
  }
}

void ScenarioRunner::run_step(const Step& step, const std::string& number) {
  if (step.kind == StepKind::kRunFlow) {
    run_steps(step.children, number + ".");
    return;
  }
  if (step.kind == StepKind::kRepeat) {
    for (int round = 1; round <= step.times; ++round) {
      run_steps(step.children, fmt::format("{}.{}.", number, round));
    }
    return;
  }

  ++step_counter_;
  const auto started = Clock::now();
  const std::string started_at = iso8601_utc_now();
  // A probe acts several times and watches for seconds after each action.
  const milliseconds timeout = step.timeout.value_or(
      step.kind == StepKind::kProbe ? std::max(options_.step_timeout, kProbeTimeout)
                                    : options_.step_timeout);
  std::string failure;
  bool infrastructure = false;
  std::optional<StepContext> ctx;
  int attempt = 0;
  for (; attempt <= step.retries; ++attempt) {
    ctx.emplace(StepContext{step, nlohmann::json::object(), adb::Deadline::after(timeout)});
    failure.clear();
    try {
      execute(step, *ctx);
      break;
    } catch (const StepFailure& f) {
      failure = f.message;
    } catch (const Error& e) {
      if (is_infrastructure(e.kind())) {
        failure = e.what();
        infrastructure = true;
        break;
      }
      failure = e.what();
    }
    mark_changed();
  }

  nlohmann::json record = std::move(ctx->record);
  record["index"] = number;
  record["kind"] = std::string(to_string(step.kind));
  record["name"] = step.action();
  record["where"] = step.where.str();
  record["started"] = started_at;
  record["attempts"] = std::min(attempt + 1, step.retries + 1);
  const char* outcome = failure.empty()  ? "passed"
                        : infrastructure ? "error"
                        : step.optional  ? "skipped"
                                         : "failed";
  record["outcome"] = outcome;
  if (!failure.empty()) record["error"] = failure;
  const milliseconds total = since(started);
  // Probes log their own phases; the split below is for the plain steps.
  if (step.kind == StepKind::kProbe) {
    record["timing_ms"] = {{"total", total.count()}};
  } else {
    record["timing_ms"] = {
        {"total", total.count()},
        {"device", ctx->device.count()},
        {"settle", ctx->settle.count()},
        {"detect", ctx->detect.count()},
        {"evidence", ctx->evidence.count()},
        {"waited", ctx->waited.count()},
        {"harness",
         std::max<long long>(0, (total - ctx->device - ctx->waited - ctx->settle).count())}};
  }
  bundle_.append_step(record);

  if (log_ && options_.progress) {
    *log_ << fmt::format("  {:>5} {:<7} {} ({} ms){}\n", number, outcome,
                         record["name"].get<std::string>(), total.count(),
                         failure.empty() ? "" : ": " + failure);
  }
  // A lost device ends the scenario even in an optional step.
  if (infrastructure) throw Error(ErrorKind::kDeviceOffline, failure);
  if (failure.empty() || step.optional) return;
  throw StepFailure{fmt::format("step {} ({}) failed: {}", number, step.where.str(), failure)};
}

const ScreenCapture& ScenarioRunner::look(StepContext& ctx) {
  if (!current_ || Clock::now() - current_->taken > kFreshLook) {
    SettleResult settled = screen_.settle(options_.settle, call_deadline());
    ctx.device += settled.device_time;
    ctx.settle += settled.elapsed - settled.device_time;
    current_ = std::move(settled.capture);
    current_frame_.clear();
  }
  return *current_;
}

std::optional<ElementMatch> ScenarioRunner::find_now(const Selector& selector, StepContext& ctx) {
  const auto start = Clock::now();
  auto match = resolver_.find(selector, current_->frame);
  ctx.detect += since(start);
  return match;
}

bool ScenarioRunner::dismiss_popup(StepContext& ctx) {
  if (!options_.dismiss_popups || ctx.dismissals >= options_.max_dismissals) return false;
  const auto start = Clock::now();
  const detectors::FrameReport report = rules_.check(current_->frame);
  ctx.detect += since(start);
  const auto closes = report.all("close_control");
  if (!report.has("popup") || closes.empty()) return false;

  // The pop-up is evidence before it is an obstacle.
  const auto save_start = Clock::now();
  const SavedFrame saved = recorder_->save(*current_, "popup-in-the-way", report);
  ctx.evidence += since(save_start);
  const detectors::Rect close = closes.front()->box;
  ctx.device_call([&] { device_.tap(close.center_x(), close.center_y(), call_deadline()); });
  ++ctx.dismissals;
  ctx.record["watcher"].push_back({{"dismissed_popup", saved.frame},
                                   {"tapped", box_json(close)},
                                   {"close_control", closes.front()->detail}});
  mark_changed();
  return true;
}

ElementMatch ScenarioRunner::wait_for(const Selector& selector, adb::Deadline deadline,
                                      StepContext& ctx) {
  while (true) {
    look(ctx);
    if (auto match = find_now(selector, ctx)) {
      ctx.record["selector"] = selector.describe();
      ctx.record["bounds"] = box_json(match->bounds);
      ctx.record["source"] = match->source;
      return *match;
    }
    if (dismiss_popup(ctx)) continue;
    if (deadline.left() < kPollInterval) {
      if (!current_->frame.has_tree() && !current_->tree_error.empty()) {
        // Without a hierarchy the element may be there unseen: the device failed, not the app.
        throw Error(
            ErrorKind::kTimeout,
            fmt::format("{} not found on screen within {} ms, and the device gave no UI "
                        "hierarchy to look in: {}",
                        selector.describe(), deadline.budget().count(), current_->tree_error));
      }
      throw StepFailure{fmt::format("{} not found on screen within {} ms", selector.describe(),
                                    deadline.budget().count())};
    }
    std::this_thread::sleep_for(kPollInterval);
    ctx.waited += kPollInterval;
    mark_changed();
  }
}

void ScenarioRunner::observe(const std::string& label, StepContext& ctx, bool check) {
  SettleResult settled = screen_.settle(options_.settle, call_deadline());
  ctx.device += settled.device_time;
  ctx.settle += settled.elapsed - settled.device_time;
  const auto save_start = Clock::now();
  const SavedFrame saved = recorder_->save(settled.capture, label, check);
  ctx.detect += saved.check_time;
  ctx.evidence += since(save_start) - saved.check_time;
  current_ = std::move(settled.capture);
  current_frame_ = saved.frame;

  ctx.record["frames"].push_back(saved.frame);
  if (!saved.tree.empty()) ctx.record["trees"].push_back(saved.tree);
  if (!saved.annotated.empty()) ctx.record["annotated"].push_back(saved.annotated);
  for (const auto& f : saved.findings) ctx.record["findings"].push_back(f.rule);
  ctx.record["activity"] = current_->activity();
  if (!settled.settled) ctx.record["unsettled"] = true;
  // A frame without its tree says why, so a reviewer knows the evidence is pixels only.
  if (!current_->tree_error.empty()) ctx.record["tree_error"] = current_->tree_error;
}

void ScenarioRunner::execute(const Step& step, StepContext& ctx) {
  const std::string label = step.action();
  auto act_on = [&](const Step& s) -> Point {
    if (s.point) return *s.point;
    if (!s.selector) throw StepFailure{"the step names no element and no point"};
    const ElementMatch m = wait_for(*s.selector, ctx.deadline, ctx);
    return m.center();
  };
  auto swipe_for = [&](std::string_view direction) {
    const int w = current_ ? current_->frame.width() : info_.width;
    const int h = current_ ? current_->frame.height() : info_.height;
    // "up" moves the finger up: the content scrolls down.
    if (direction == "up") return std::pair{Point{w / 2, h * 3 / 4}, Point{w / 2, h / 4}};
    if (direction == "down") return std::pair{Point{w / 2, h / 4}, Point{w / 2, h * 3 / 4}};
    if (direction == "left") return std::pair{Point{w * 4 / 5, h / 2}, Point{w / 5, h / 2}};
    if (direction == "right") return std::pair{Point{w / 5, h / 2}, Point{w * 4 / 5, h / 2}};
    throw StepFailure{fmt::format("unknown direction \"{}\" (up, down, left, right)", direction)};
  };

  switch (step.kind) {
    case StepKind::kLaunch: {
      const std::string package = package_for(step);
      ctx.device_call([&] {
        if (step.clear_data) device_.clear_data(package, call_deadline());
        device_.launch(package, call_deadline());
      });
      mark_changed();
      observe(label, ctx);
      return;
    }
    case StepKind::kStop:
      ctx.device_call([&] { device_.force_stop(package_for(step), call_deadline()); });
      mark_changed();
      observe(label, ctx);
      return;
    case StepKind::kTap: {
      const Point p = act_on(step);
      ctx.device_call([&] { device_.tap(p.x, p.y, call_deadline()); });
      ctx.record["tapped"] = {p.x, p.y};
      mark_changed();
      observe(label, ctx);
      return;
    }
    case StepKind::kLongPress: {
      const Point p = act_on(step);
      const int ms = step.duration.count() > 0 ? static_cast<int>(step.duration.count()) : 800;
      ctx.device_call([&] { device_.long_press(p.x, p.y, ms, call_deadline()); });
      ctx.record["pressed"] = {p.x, p.y};
      mark_changed();
      observe(label, ctx);
      return;
    }
    case StepKind::kType: {
      if (step.selector) {
        const Point p = act_on(step);
        ctx.device_call([&] { device_.tap(p.x, p.y, call_deadline()); });
      }
      ctx.device_call([&] { device_.input_text(step.text, call_deadline()); });
      mark_changed();
      observe(label, ctx);
      return;
    }
    case StepKind::kSwipe: {
      look(ctx);
      // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
      const auto path =
          step.from && step.to ? std::pair{*step.from, *step.to} : swipe_for(step.direction);
      const auto& from = path.first;
      const auto& to = path.second;
      const int ms = step.duration.count() > 0 ? static_cast<int>(step.duration.count()) : 300;
      ctx.device_call([&] { device_.swipe(from.x, from.y, to.x, to.y, ms, call_deadline()); });
      mark_changed();
      observe(label, ctx);
      return;
    }
    case StepKind::kScrollTo: {
      // "down" scrolls the content down: the finger moves up.
      const std::string finger = step.direction == "up"      ? "down"
                                 : step.direction == "left"  ? "right"
                                 : step.direction == "right" ? "left"
                                                             : "up";
      for (int swipes = 0;; ++swipes) {
        look(ctx);
        if (auto match = find_now(*step.selector, ctx)) {
          ctx.record["selector"] = step.selector->describe();
          ctx.record["bounds"] = box_json(match->bounds);
          ctx.record["swipes"] = swipes;
          observe(label, ctx, false);
          return;
        }
        if (swipes >= step.max_swipes || ctx.deadline.expired()) {
          throw StepFailure{
              fmt::format("{} not found after {} swipes", step.selector->describe(), swipes)};
        }
        const cv::Mat before = current_->frame.image;
        const auto path = swipe_for(finger);
        const auto& from = path.first;
        const auto& to = path.second;
        ctx.device_call([&] { device_.swipe(from.x, from.y, to.x, to.y, 400, call_deadline()); });
        mark_changed();
        look(ctx);
        if (changed_fraction(before, current_->frame.image, options_.settle.pixel_tolerance) <
            options_.settle.changed_fraction) {
          throw StepFailure{fmt::format("{} not found: the list stopped scrolling after {} swipes",
                                        step.selector->describe(), swipes + 1)};
        }
      }
    }
    case StepKind::kBack:
    case StepKind::kHome:
      ctx.device_call([&] {
        device_.key_event(step.kind == StepKind::kBack ? "KEYCODE_BACK" : "KEYCODE_HOME",
                          call_deadline());
      });
      mark_changed();
      observe(label, ctx);
      return;
    case StepKind::kWait:
      std::this_thread::sleep_for(step.duration);
      ctx.waited += step.duration;
      mark_changed();
      observe(label, ctx);
      return;
    case StepKind::kWaitFor:
    case StepKind::kAssertVisible:
      wait_for(*step.selector, ctx.deadline, ctx);
      if (current_frame_.empty()) observe(label, ctx);
      return;
    case StepKind::kAssertNotVisible:
      while (true) {
        look(ctx);
        auto match = find_now(*step.selector, ctx);
        // Not found in a frame the device gave no hierarchy for is not "not there": look again.
        const bool blind = !match && reads_the_tree(*step.selector) &&
                           !current_->frame.has_tree() && !current_->tree_error.empty();
        if (!match && !blind) {
          if (current_frame_.empty()) observe(label, ctx);
          return;
        }
        if (ctx.deadline.left() < kPollInterval) {
          observe(label, ctx);
          if (blind) {
            throw Error(ErrorKind::kTimeout,
                        fmt::format("cannot tell whether {} is on screen: the device gave no UI "
                                    "hierarchy to look in within {} ms ({}); an `ocr` or "
                                    "`image` selector looks in the pixels",
                                    step.selector->describe(), ctx.deadline.budget().count(),
                                    current_->tree_error));
          }
          throw StepFailure{fmt::format("{} is still on screen at [{}, {}, {}, {}]",
                                        step.selector->describe(), match->bounds.left,
                                        match->bounds.top, match->bounds.width(),
                                        match->bounds.height())};
        }
        std::this_thread::sleep_for(kPollInterval);
        ctx.waited += kPollInterval;
        mark_changed();
      }
    case StepKind::kScreenshot:
      mark_changed();
      observe(step.text.empty() ? label : step.text, ctx);
      return;
    case StepKind::kOpenUrl:
      ctx.device_call([&] { device_.open_url(step.text, call_deadline()); });
      mark_changed();
      observe(label, ctx);
      return;
    case StepKind::kCheck: {
      mark_changed();
      observe(label, ctx);
      return;
    }
    case StepKind::kProbe: {
      ProbeContext probe{device_,
                         screen_,
                         *recorder_,
                         resolver_,
                         rules_,
                         profile_,
                         options_.settle,
                         scenario_->app,
                         console_address(),
                         options_.console_token_file,
                         ctx.deadline,
                         ctx.record,
                         logcat_.get()};
      ctx.record["probe"] = std::string(to_string(step.probe->kind));
      switch (step.probe->kind) {
        case ProbeSpec::Kind::kPopup:
          run_popup_probe(*step.probe, probe);
          break;
        case ProbeSpec::Kind::kPersonalisation:
          run_personalisation_probe(*step.probe, probe);
          break;
        case ProbeSpec::Kind::kLink:
          run_link_probe(*step.probe, probe);
          break;
      }
      mark_changed();
      return;
    }
    case StepKind::kRunFlow:
    case StepKind::kRepeat:
      return;  // expanded by run_step
  }
}

}  // namespace uiw::harness
