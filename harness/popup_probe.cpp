// The `popup` probe: proves what a single frame cannot about the pop-up on screen (RULES.md).
//   POP-08  no close at first display, one appears later (watched, timed)
//   POP-09  a shake prompt, and a motion well below the threshold opens something
//   POP-05  a tap on blank space inside the pop-up opens something
//   POP-06  the close control opens something, or does nothing
//   POP-07  closing takes more than one tap, or the pop-up comes back on the same page
// Every action is framed by saved before/after frames; navigation is read from Android (START
// intents, resumed activity), never guessed from pixels.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <set>
#include <thread>

#include "adb/emulator_console.h"
#include "common/error.h"
#include "harness/navigation_watch.h"
#include "harness/probe_context.h"

namespace uiw::harness {

namespace {

using Clock = std::chrono::steady_clock;
using detectors::Rect;
using std::chrono::milliseconds;

constexpr milliseconds kPoll{250};

struct Look {
  ScreenCapture capture;
  detectors::FrameReport report;
};

Look look_now(ProbeContext& ctx) {
  Look l{ctx.screen.capture(ctx.deadline), {}};
  l.report = ctx.rules.check(l.capture.frame);
  return l;
}

Look look_settled(ProbeContext& ctx) {
  Look l{ctx.screen.settle(ctx.settle, ctx.deadline).capture, {}};
  l.report = ctx.rules.check(l.capture.frame);
  return l;
}

// The pop-up's box: a modal surface, or for a splash ad (full screen, no card) the countdown's
// screen.
std::optional<Rect> popup_box(const Look& l) {
  if (auto popups = l.report.all("popup"); !popups.empty()) return popups.front()->box;
  if (l.report.has("countdown") || l.report.has("shake_prompt")) return l.capture.frame.app_area();
  return std::nullopt;
}

std::optional<Rect> close_box(const ProbeSpec& spec, ProbeContext& ctx, const Look& l) {
  if (spec.close) {
    if (auto m = ctx.resolver.find(*spec.close, l.capture.frame)) return m->bounds;
    return std::nullopt;
  }
  if (auto closes = l.report.all("close_control"); !closes.empty()) return closes.front()->box;
  return std::nullopt;
}

double seconds(milliseconds ms) {
  return std::round(ms.count() / 100.0) / 10.0;
}

void note(ProbeContext& ctx, const std::string& what, nlohmann::json value) {
  ctx.record["probe_log"].push_back({{what, std::move(value)}});
}

// The spot inside the pop-up farthest from anything that looks tappable or readable: text,
// buttons, the close control. Tapping it must do nothing on an honest pop-up.
std::optional<Point> blank_spot(const Look& l, const Rect& card) {
  std::vector<Rect> busy;
  for (const auto& o : l.report.observations) {
    if (o.kind != "popup") busy.push_back(o.box);
  }
  if (l.capture.frame.tree) {
    l.capture.frame.tree->visit([&](const detectors::UiNode& n, int) {
      const bool labelled = !n.text.empty() || !n.content_desc.empty();
      // A clickable node as big as the card is the card itself (the very hotspot POP-05 is
      // about), not a button to avoid.
      const bool small_button = n.clickable && n.bounds.area() * 10 < card.area() * 3;
      if ((labelled || small_button) && !n.bounds.empty() && n.bounds.intersect(card).area() > 0 &&
          n.bounds.area() * 10 < card.area() * 9) {
        busy.push_back(n.bounds);
      }
    });
  }
  const int margin_x = card.width() / 12;
  const int margin_y = card.height() / 12;
  std::optional<Point> best;
  double best_distance = -1;
  for (int gy = 0; gy <= 10; ++gy) {
    for (int gx = 0; gx <= 8; ++gx) {
      const Point p{card.left + margin_x + (card.width() - 2 * margin_x) * gx / 8,
                    card.top + margin_y + (card.height() - 2 * margin_y) * gy / 10};
      double nearest = 1e9;
      for (const Rect& b : busy) {
        const double dx = std::max({b.left - p.x, 0, p.x - b.right});
        const double dy = std::max({b.top - p.y, 0, p.y - b.bottom});
        nearest = std::min(nearest, std::hypot(dx, dy));
      }
      if (nearest > best_distance) {
        best_distance = nearest;
        best = p;
      }
    }
  }
  // Nothing blank enough to tap without hitting a control.
  if (best_distance < l.capture.frame.to_px(8)) return std::nullopt;
  return best;
}

// After an action took the app away (or closed the pop-up): BACK, and if the pop-up is not back
// in front, relaunch the app and wait for it. Returns the pop-up look, or nullopt.
std::optional<Look> bring_back(ProbeContext& ctx, const std::string& activity) {
  for (int i = 0; i < 2; ++i) {
    Look l = look_settled(ctx);
    if (l.capture.activity() == activity && popup_box(l)) return l;
    if (l.capture.activity() == activity) break;
    ctx.device.key_event("KEYCODE_BACK", ctx.deadline);
  }
  Look l = look_settled(ctx);
  if (l.capture.activity() == activity && popup_box(l)) return l;
  ctx.device.force_stop(ctx.app, ctx.deadline);
  ctx.device.launch(ctx.app, ctx.deadline);
  const adb::Deadline until = ctx.deadline.capped(milliseconds(8000));
  while (!until.expired()) {
    l = look_now(ctx);
    if (popup_box(l)) return look_settled(ctx);
    std::this_thread::sleep_for(kPoll);
  }
  return std::nullopt;
}

// Taps and watches: the look after the screen settled, and what Android says happened.
std::pair<Look, Navigation> tap_and_watch(ProbeContext& ctx, const Look& before, Point p) {
  NavigationWatch watch(ctx.device, ctx.logcat, before.capture, ctx.deadline);
  ctx.device.tap(p.x, p.y, ctx.deadline);
  Look after = look_settled(ctx);
  Navigation nav = watch.result(after.capture, ctx.deadline);
  return {std::move(after), std::move(nav)};
}

// What a pop-up says: the tree's texts inside its box, or a small grey image of it when there is
// no tree. A pop-up that "comes back" must be this one, not the next one the app shows.
struct PopupSignature {
  Rect box;
  std::set<std::string> texts;
  cv::Mat thumb;
};

PopupSignature signature(const Look& l) {
  PopupSignature sig;
  sig.box = popup_box(l).value_or(Rect{});
  if (l.capture.frame.tree) {
    l.capture.frame.tree->visit([&](const detectors::UiNode& n, int) {
      if (!n.text.empty() && sig.box.intersect(n.bounds).area() * 2 > n.bounds.area()) {
        sig.texts.insert(n.text);
      }
    });
  }
  const cv::Rect r = detectors::to_cv(sig.box.intersect(l.capture.frame.bounds()));
  if (r.area() > 0) {
    cv::Mat grey;
    cv::cvtColor(l.capture.frame.image(r), grey, cv::COLOR_BGR2GRAY);
    cv::resize(grey, sig.thumb, cv::Size(24, 24), 0, 0, cv::INTER_AREA);
  }
  return sig;
}

bool same_popup_content(const PopupSignature& a, const PopupSignature& b) {
  if (detectors::iou(a.box, b.box) < 0.5) return false;
  if (!a.texts.empty() && !b.texts.empty()) {
    size_t common = 0;
    for (const auto& t : a.texts) common += b.texts.count(t);
    return common * 2 >= std::max(a.texts.size(), b.texts.size());
  }
  if (a.thumb.empty() || b.thumb.empty()) return false;
  cv::Mat score;
  cv::matchTemplate(a.thumb, b.thumb, score, cv::TM_CCOEFF_NORMED);
  return score.at<float>(0, 0) > 0.9f;
}

// The same pop-up, unchanged: layout and the card's pixels agree.
bool same_popup(const Look& a, const Look& b, const Rect& card) {
  if (!popup_box(b)) return false;
  if (a.capture.frame.tree && b.capture.frame.tree &&
      !same_layout(*a.capture.frame.tree, *b.capture.frame.tree)) {
    return false;
  }
  const cv::Rect r = detectors::to_cv(card.intersect(a.capture.frame.bounds()));
  if (r.area() == 0 || a.capture.frame.image.size() != b.capture.frame.image.size()) return false;
  return changed_fraction(a.capture.frame.image(r), b.capture.frame.image(r), 24) < 0.02;
}

// POP-08: no close at first display; watch for one to appear.
std::optional<std::pair<Look, SavedFrame>> watch_for_close(const ProbeSpec& spec, ProbeContext& ctx,
                                                           const Look& first,
                                                           const SavedFrame& first_saved) {
  const auto start = first.capture.taken;
  const adb::Deadline until = ctx.deadline.capped(milliseconds(15'000));
  while (!until.expired()) {
    std::this_thread::sleep_for(kPoll);
    Look l = look_now(ctx);
    if (!popup_box(l)) {
      note(ctx, "pop-up went away by itself", l.capture.activity());
      return std::nullopt;
    }
    if (close_box(spec, ctx, l)) {
      // Judge the control on a settled screen: a capture can hold a dump that already lists it
      // and a screenshot taken a moment before it was drawn.
      const auto after = std::chrono::duration_cast<milliseconds>(l.capture.taken - start);
      l = look_settled(ctx);
      const auto close = close_box(spec, ctx, l);
      if (!close) continue;
      const SavedFrame saved = ctx.recorder.save(l.capture, "close-appeared", l.report);
      auto f = ctx.profile.make_finding(
          "POP-08", fmt::format("no close or skip control at first display ({}); one appeared "
                                "{:.1f} s later",
                                first_saved.frame, seconds(after)));
      f.boxes = {*close};
      f.value = seconds(after);
      f.threshold = 0;
      f.unit = "s";
      ctx.prove(std::move(f), saved.frame, l.capture.frame.image);
      return std::pair{std::move(l), saved};
    }
  }
  note(ctx, "no close control appeared", seconds(until.budget()));
  return std::nullopt;
}

// POP-09: motions well below the threshold, weakest first; the first that navigates is the
// finding.
void shake(const ProbeSpec& spec, ProbeContext& ctx, const Look& before) {
  if (!ctx.console) {
    note(ctx, "POP-09 not tested",
         "no emulator console for this device (give the runner its console address)");
    return;
  }
  const double threshold = ctx.profile.param("POP-09", "min_acceleration_ms2");
  std::vector<double> ladder =
      spec.shake_ms2 ? std::vector<double>{*spec.shake_ms2}
                     : std::vector<double>{threshold * 0.2, threshold * 0.4, threshold * 2 / 3};
  auto console = adb::EmulatorConsole::connect(
      ctx.console->host, ctx.console->port, ctx.deadline,
      ctx.console_token_file.empty() ? std::nullopt : std::optional(ctx.console_token_file));
  // Motion is added to what the sensor reads at rest (gravity on the device's axes).
  double rest[3] = {0, 9.81, 0};
  const std::string reading = console.command("sensor get acceleration", ctx.deadline);
  if (auto eq = reading.find('='); eq != std::string::npos) {
    std::sscanf(reading.c_str() + eq + 1, " %lf:%lf:%lf", &rest[0], &rest[1], &rest[2]);
  }
  for (double a : ladder) {
    NavigationWatch watch(ctx.device, ctx.logcat, before.capture, ctx.deadline);
    console.set_acceleration(rest[0] + a, rest[1], rest[2], ctx.deadline);
    std::this_thread::sleep_for(milliseconds(500));
    console.set_acceleration(rest[0], rest[1], rest[2], ctx.deadline);
    Look after = look_settled(ctx);
    Navigation nav = watch.result(after.capture, ctx.deadline);
    note(ctx, "motion", {{"m/s2", a}, {"navigated", nav.navigated}, {"reason", nav.reason}});
    if (!nav.navigated) continue;
    const SavedFrame saved =
        ctx.recorder.save(after.capture, fmt::format("after-motion-{:.0f}", a), after.report);
    auto f = ctx.profile.make_finding(
        "POP-09", fmt::format("a motion of {:.1f} m/s² (threshold {:.0f}) opened something: {}", a,
                              threshold, nav.reason));
    if (auto prompts = before.report.all("shake_prompt"); !prompts.empty()) {
      f.boxes = {prompts.front()->box};
    }
    f.value = a;
    f.threshold = threshold;
    f.unit = "m/s²";
    // The prompt is on the frame before the motion; the proof is where it led.
    ctx.prove(std::move(f), saved.frame, after.capture.frame.image);
    return;
  }
}

}  // namespace

void run_popup_probe(const ProbeSpec& spec, ProbeContext& ctx) {
  // The pop-up, as soon as it shows.
  std::optional<Look> first;
  while (true) {
    Look l = look_now(ctx);
    if (popup_box(l)) {
      // Judged on a settled screen: a pop-up caught while it animates in has a faint close.
      first = look_settled(ctx);
      if (popup_box(*first)) break;
      continue;
    }
    if (ctx.deadline.left() < kPoll) {
      ctx.recorder.save(l.capture, "no-popup", l.report);
      throw StepFailure{"no pop-up appeared on screen (nothing to probe)"};
    }
    std::this_thread::sleep_for(kPoll);
  }
  const SavedFrame first_saved =
      ctx.recorder.save(first->capture, "popup-first-display", first->report);
  const std::string activity = first->capture.activity();
  note(ctx, "pop-up", {{"frame", first_saved.frame}, {"activity", activity}});

  Look current = *first;
  SavedFrame current_saved = first_saved;
  // The pop-up is in front again after an action took it away: a new "before" frame.
  auto resume = [&](const char* after_what) {
    auto back = bring_back(ctx, activity);
    if (!back) {
      note(ctx, "stopped", fmt::format("the pop-up did not come back after {}", after_what));
      return false;
    }
    current = std::move(*back);
    current_saved = ctx.recorder.save(current.capture, "popup-again", current.report);
    return true;
  };
  if (!close_box(spec, ctx, current)) {
    auto later = watch_for_close(spec, ctx, *first, first_saved);
    if (!later) return;  // POP-01 is the static rules' finding on the first frame
    current = std::move(later->first);
    current_saved = std::move(later->second);
  }

  if (first->report.has("shake_prompt") || spec.shake_ms2) {
    shake(spec, ctx, current);
    if (!resume("the motion test")) return;
  }

  // POP-05: blank space inside the pop-up.
  const Rect card = *popup_box(current);
  const std::optional<Point> blank = spec.blank ? spec.blank : blank_spot(current, card);
  if (blank) {
    auto [after, nav] = tap_and_watch(ctx, current, *blank);
    note(ctx, "blank tap",
         {{"at", {blank->x, blank->y}}, {"navigated", nav.navigated}, {"reason", nav.reason}});
    if (nav.navigated) {
      const SavedFrame saved = ctx.recorder.save(after.capture, "after-blank-tap", after.report);
      auto f = ctx.profile.make_finding(
          "POP-05", fmt::format("tapping blank space inside the pop-up at ({}, {}) navigated: {}",
                                blank->x, blank->y, nav.reason));
      f.boxes = {card, Rect{blank->x - 20, blank->y - 20, blank->x + 20, blank->y + 20}};
      // The boxes are on the pop-up frame; the frame after the tap is in the log.
      ctx.prove(std::move(f), current_saved.frame, current.capture.frame.image);
      note(ctx, "after blank tap", saved.frame);
    }
    if ((nav.navigated || !same_popup(current, after, card)) && !resume("the blank tap")) return;
  } else {
    note(ctx, "blank tap", "no blank spot inside the pop-up");
  }

  // POP-06 / POP-07: the close control.
  const auto close = close_box(spec, ctx, current);
  if (!close) {
    note(ctx, "stopped", "the close control is gone");
    return;
  }
  const int max_taps = static_cast<int>(ctx.profile.param("POP-07", "max_close_taps"));
  const SavedFrame& before_close = current_saved;
  auto [after, nav] = tap_and_watch(ctx, current, Point{close->center_x(), close->center_y()});
  const SavedFrame after_close = ctx.recorder.save(after.capture, "after-close", after.report);
  note(ctx, "close tap",
       {{"box", {close->left, close->top, close->width(), close->height()}},
        {"navigated", nav.navigated},
        {"reason", nav.reason}});
  if (nav.navigated) {
    auto f = ctx.profile.make_finding(
        "POP-06",
        fmt::format("the close control opened something instead of closing: {}", nav.reason));
    f.boxes = {*close};
    ctx.prove(std::move(f), before_close.frame, current.capture.frame.image);
    return;
  }
  if (same_popup(current, after, card)) {
    auto f = ctx.profile.make_finding(
        "POP-06", "tapping the close control did nothing: the pop-up is still there");
    f.boxes = {*close};
    ctx.prove(std::move(f), before_close.frame, current.capture.frame.image);
    return;
  }

  // Another pop-up in its place ("are you sure?"): count the taps it takes.
  int taps = 1;
  Look now = std::move(after);
  while (popup_box(now) && now.capture.activity() == activity && taps <= max_taps + 2) {
    auto next = close_box(ProbeSpec{}, ctx, now);
    if (!next) {
      const auto declines = now.report.all("decline");
      if (declines.empty()) break;
      next = declines.front()->box;
    }
    ++taps;
    auto [again, again_nav] = tap_and_watch(ctx, now, Point{next->center_x(), next->center_y()});
    ctx.recorder.save(again.capture, fmt::format("after-close-tap-{}", taps), again.report);
    now = std::move(again);
    if (again_nav.navigated) break;
  }
  if (taps > max_taps) {
    auto f = ctx.profile.make_finding(
        "POP-07", fmt::format("closing the pop-up took {} taps: the first close brought up "
                              "another pop-up ({})",
                              taps, after_close.frame));
    f.boxes = {*close};
    f.value = taps;
    f.threshold = max_taps;
    f.unit = "taps";
    ctx.prove(std::move(f), before_close.frame, current.capture.frame.image);
    return;
  }

  // Closed in one tap: does it come back on the same page?
  const PopupSignature closed = signature(current);
  const milliseconds watch = spec.watch.value_or(
      milliseconds(static_cast<long long>(ctx.profile.param("POP-07", "watch_seconds") * 1000)));
  const auto closed_at = Clock::now();
  const adb::Deadline until = adb::Deadline::after(watch);
  while (!until.expired()) {
    std::this_thread::sleep_for(std::min(milliseconds(500), until.left()));
    Look l = look_now(ctx);
    if (l.capture.activity() != activity) break;  // the user left the page
    if (popup_box(l) && same_popup_content(closed, signature(l))) {
      l = look_settled(ctx);
      const auto after_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - closed_at);
      const SavedFrame saved = ctx.recorder.save(l.capture, "popup-came-back", l.report);
      auto f = ctx.profile.make_finding(
          "POP-07", fmt::format("the pop-up came back {:.1f} s after it was closed, on the same "
                                "page",
                                seconds(after_ms)));
      if (auto box = popup_box(l)) f.boxes = {*box};
      f.value = seconds(after_ms);
      f.threshold = seconds(watch);
      f.unit = "s";
      ctx.prove(std::move(f), saved.frame, l.capture.frame.image);
      return;
    }
  }
  note(ctx, "stayed closed", seconds(watch));
}

}  // namespace uiw::harness
