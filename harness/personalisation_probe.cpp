// The personalisation probe (PER-01, PER-02, PER-03; RULES.md): from the app's home, explore
// depth-first towards settings until the personalisation switch shows up, count the taps it
// took, then switch it off, relaunch, walk the same path and read it again.
//
// Exploration taps only clickable tree nodes with a label, entries that lead towards settings
// first (profile vocabulary `settings_path`), never destructive ones (`never_tap`) and never
// switches (toggling an unrelated setting would change the app under test). Pop-ups and splash
// skips met on the way are interruptions, not navigation: they are dismissed and do not count
// as taps.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "detectors/topic_control_finder.h"
#include "harness/probe_context.h"

namespace uiw::harness {

namespace {

using Clock = std::chrono::steady_clock;
using detectors::Rect;
using detectors::UiNode;
using std::chrono::milliseconds;

// Bounds on what one probe may cost: taps spent exploring, frames encoded as evidence (a PNG is
// ~100 ms), one device call.
constexpr int kTapBudget = 60;
constexpr int kFrameBudget = 24;
constexpr milliseconds kCallCap{20'000};
// Interruptions (pop-ups, splash skips) handled per look, and how long a splash whose skip does
// not answer yet is waited out.
constexpr int kMaxInterruptionTaps = 3;
constexpr milliseconds kSplashWait{8'000};
constexpr milliseconds kSplashPoll{400};
// Relaunch-and-replay attempts before the probe gives up on getting back to a page.
constexpr int kReplayAttempts = 2;

milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

nlohmann::json box_json(const Rect& r) {
  return {r.left, r.top, r.width(), r.height()};
}

bool has_digit(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

std::string short_id(const std::string& id) {
  const auto p = id.find(":id/");
  return p == std::string::npos ? id : id.substr(p + 4);
}

// What a clickable node says: its own text or description, else the first text inside it (a
// settings row is a clickable layout around a TextView).
std::string node_label(const UiNode& node) {
  if (!node.text.empty()) return node.text;
  if (!node.content_desc.empty()) return node.content_desc;
  for (const UiNode& c : node.children) {
    std::string l = node_label(c);
    if (!l.empty()) return l;
  }
  return {};
}

void all_text(const UiNode& node, std::string& out) {
  for (const std::string* s : {&node.text, &node.content_desc})
    if (!s->empty()) out += (out.empty() ? "" : " ") + *s;
  for (const UiNode& c : node.children) all_text(c, out);
}

// One tap of the path, as recorded to find the same element again after a relaunch.
struct Target {
  std::string label;
  std::string id;  // short resource-id
  std::string class_name;
  Rect bounds;
  std::optional<std::string> term;  // settings_path term it matched
  bool whole_label = false;  // the label is the term (设置), not contains it (我的收藏)
  int term_rank = 0;         // position of the term in settings_path

  std::string describe() const {
    std::string s = fmt::format("\"{}\"", label);
    if (!id.empty()) s += " id " + id;
    return s;
  }
  nlohmann::json json() const {
    nlohmann::json j = {{"label", label}, {"bounds", box_json(bounds)}};
    if (!id.empty()) j["id"] = id;
    if (!class_name.empty()) j["class"] = class_name;
    return j;
  }
};

struct Screen {
  ScreenCapture capture;
  std::string signature;
  bool interrupted = false;  // a pop-up or splash was dismissed to get here
};

std::string path_text(const std::vector<Target>& path) {
  if (path.empty()) return "home";
  std::string s;
  for (const Target& t : path) s += (s.empty() ? "" : " → ") + t.label;
  return s;
}

class PersonalisationProbe {
 public:
  PersonalisationProbe(const ProbeSpec& spec, ProbeContext& ctx)
      : ctx_(ctx),
        settings_words_(ctx.profile.vocabulary("settings_path")),
        never_words_(ctx.profile.vocabulary("never_tap")),
        finder_(ctx.profile, ctx.profile.vocabulary("personalisation"), nullptr),
        max_taps_(static_cast<int>(ctx.profile.param("PER-03", "max_taps"))) {
    // The scenario's depth when it set one, else the profile's.
    const int profile_depth = static_cast<int>(ctx.profile.param("PER-01", "max_depth"));
    max_depth_ = spec.max_depth > 0 && spec.max_depth != ProbeSpec{}.max_depth ? spec.max_depth
                                                                               : profile_depth;
  }

  void run();

 private:
  adb::Deadline call_deadline() const {
    if (ctx_.deadline.left() < milliseconds(500))
      throw StepFailure{fmt::format(
          "personalisation probe: out of time after {} taps and {} pages ({}); give the step a "
          "longer timeout",
          taps_, pages_.size(), pages_text())};
    return ctx_.deadline.capped(kCallCap);
  }

  std::string signature(const ScreenCapture& c) const;
  std::vector<Target> candidates(const ScreenCapture& c) const;
  std::optional<Target> locate(const Target& recorded, const ScreenCapture& c) const;
  std::optional<detectors::TopicControl> find_switch(const ScreenCapture& c) const;

  Screen look();
  Screen settle_once();
  void tap(const Rect& box) { ctx_.device.tap(box.center_x(), box.center_y(), call_deadline()); }
  Screen tap_and_look(const Target& t, const Screen& from);
  Screen relaunch();
  std::optional<Screen> replay(const std::vector<Target>& path, const std::string& expected);
  Screen return_to(const Screen& parent);

  bool explore(const Screen& here, int depth);
  std::string save(const ScreenCapture& c, const std::string& label, bool always = false);
  std::string pages_text() const;

  void explore_and_judge();
  void check_persistence(const detectors::TopicControl& control);

  ProbeContext& ctx_;
  const detectors::Vocabulary& settings_words_;
  const detectors::Vocabulary& never_words_;
  detectors::TopicControlFinder finder_;
  int max_taps_ = 4;
  int max_depth_ = 8;

  std::vector<Target> path_;                            // from home to the current page
  std::set<std::string> visited_;                       // page signatures
  std::map<std::string, std::set<std::string>> tried_;  // per page: targets tapped
  std::vector<std::string> pages_;                      // explored pages, as paths from home
  int taps_ = 0;
  int relaunches_ = 0;
  int interruptions_ = 0;
  int deepest_ = 0;
  int frames_ = 0;
  std::string last_frame_, last_settings_frame_, found_frame_;
  bool budget_spent_ = false;

  std::optional<Screen> found_;
  std::optional<detectors::TopicControl> control_;
  std::vector<Target> found_path_;
};

std::string PersonalisationProbe::signature(const ScreenCapture& c) const {
  // Structure and the words on it, without text holding digits: a countdown, a clock or a
  // "3 小时前" must not make a page new. Checked states are left out so toggling a switch
  // stays on the same page.
  std::string sig = c.activity();
  if (!c.frame.tree) return sig + "|no-tree";
  c.frame.tree->visit([&](const UiNode& n, int depth) {
    sig += fmt::format("|{}:{}:{}:{}", depth, n.class_name, short_id(n.resource_id),
                       n.bounds.to_bounds_string());
    if (!n.text.empty() && !has_digit(n.text)) sig += ":" + n.text;
  });
  return sig;
}

std::vector<Target> PersonalisationProbe::candidates(const ScreenCapture& c) const {
  std::vector<Target> out;
  if (!c.frame.tree) return out;
  const Rect app = c.frame.app_area();
  c.frame.tree->visit([&](const UiNode& n, int) {
    if (!n.clickable || !n.enabled || n.checkable) return;
    if (n.class_name.find("EditText") != std::string::npos || n.bounds.empty()) return;
    // The app's own nodes only: the package says so when the dump has it; else the system bars'
    // strips are left out (gesture navigation puts app tabs where a navigation bar would be).
    if (!n.package.empty() ? n.package != ctx_.app
                           : !app.contains(n.bounds.center_x(), n.bounds.center_y()))
      return;
    const std::string label = node_label(n);
    if (label.empty()) return;
    std::string text;
    all_text(n, text);
    if (never_words_.find_in(text)) return;
    Target t{label, short_id(n.resource_id), n.class_name, n.bounds, std::nullopt, false, 0};
    if ((t.term = settings_words_.find_in(label))) {
      const auto& terms = settings_words_.terms();
      t.term_rank =
          static_cast<int>(std::find(terms.begin(), terms.end(), *t.term) - terms.begin());
      t.whole_label = settings_words_.match_label(label).has_value();
    }
    out.push_back(std::move(t));
  });
  // Entries towards settings first: whole-label matches (设置) before labels that merely contain
  // a term (我的收藏), earlier terms first; the rest in reading order.
  std::stable_sort(out.begin(), out.end(), [](const Target& a, const Target& b) {
    if (a.term.has_value() != b.term.has_value()) return a.term.has_value();
    if (!a.term) return false;
    if (a.whole_label != b.whole_label) return a.whole_label;
    return a.term_rank < b.term_rank;
  });
  return out;
}

std::optional<Target> PersonalisationProbe::locate(const Target& recorded,
                                                   const ScreenCapture& c) const {
  std::optional<Target> best;
  int best_score = -1;
  for (const Target& t : candidates(c)) {
    if (t.label != recorded.label) continue;
    // Same id and place beat same id beat label only.
    const int score = (t.id == recorded.id ? 2 : 0) + (t.bounds == recorded.bounds ? 1 : 0);
    if (score > best_score) best = t, best_score = score;
  }
  if (best) return best;
  // No tree, or a tree without the label: the pixels (OCR through the resolver, when it has it).
  Selector s;
  s.text = recorded.label;
  if (const auto m = ctx_.resolver.find(s, c.frame)) {
    Target t = recorded;
    t.bounds = m->bounds;
    return t;
  }
  return std::nullopt;
}

std::optional<detectors::TopicControl> PersonalisationProbe::find_switch(
    const ScreenCapture& c) const {
  for (detectors::TopicControl& control : finder_.find_all(c.frame))
    if (control.checkable) return std::move(control);
  return std::nullopt;
}

Screen PersonalisationProbe::settle_once() {
  SettleResult s = ctx_.screen.settle(ctx_.settle, call_deadline());
  Screen screen{std::move(s.capture), {}, false};
  screen.signature = signature(screen.capture);
  return screen;
}

Screen PersonalisationProbe::look() {
  Screen screen = settle_once();
  // Pop-ups and splash screens in the way: close them (the static rules find their close
  // control, or the skip of a countdown), as a user would before going on.
  int taps = 0;
  const auto started = Clock::now();
  while (taps < kMaxInterruptionTaps) {
    const detectors::FrameReport report = ctx_.rules.check(screen.capture.frame);
    const bool popup = report.has("popup") || report.has("countdown");
    if (!popup) break;
    std::optional<Rect> close;
    if (const auto closes = report.all("close_control"); !closes.empty())
      close = closes.front()->box;
    else if (const auto counts = report.all("countdown"); !counts.empty())
      close = counts.front()->box;
    if (!close) break;  // nothing to close it with: explore what is under it
    const std::string before = screen.signature;
    if (frames_ < kFrameBudget) save(screen.capture, "per-interruption");
    tap(*close);
    ++taps;
    ++interruptions_;
    ctx_.record["per_interruptions"].push_back(
        {{"tapped", box_json(*close)}, {"after_taps", taps_}});
    screen = settle_once();
    screen.interrupted = true;
    // A skip that does not answer yet (a splash counting down): wait it out, bounded.
    while (screen.signature == before && since(started) < kSplashWait) {
      std::this_thread::sleep_for(kSplashPoll);
      screen = settle_once();
      screen.interrupted = true;
    }
  }
  return screen;
}

Screen PersonalisationProbe::tap_and_look(const Target& t, const Screen& from) {
  tap(t.bounds);
  ++taps_;
  Screen after = look();
  // A pop-up that came up just before the tap swallowed it: tap again now that it is gone.
  if (after.interrupted && after.signature == from.signature) {
    tap(t.bounds);
    after = look();
  }
  return after;
}

Screen PersonalisationProbe::relaunch() {
  ++relaunches_;
  ctx_.device.force_stop(ctx_.app, call_deadline());
  ctx_.device.launch(ctx_.app, call_deadline());
  return look();
}

std::optional<Screen> PersonalisationProbe::replay(const std::vector<Target>& path,
                                                   const std::string& expected) {
  Screen screen = relaunch();
  for (const Target& step : path) {
    const std::optional<Target> t = locate(step, screen.capture);
    if (!t) return std::nullopt;
    screen = tap_and_look(*t, screen);
    --taps_;  // replays are not exploration
  }
  if (!expected.empty() && screen.signature != expected) return std::nullopt;
  return screen;
}

Screen PersonalisationProbe::return_to(const Screen& parent) {
  ctx_.device.key_event("KEYCODE_BACK", call_deadline());
  Screen back = look();
  if (back.signature == parent.signature) return back;
  // BACK left the app or landed elsewhere (a tab page has no back stack): start again from
  // home and walk the path.
  for (int attempt = 0; attempt < kReplayAttempts; ++attempt)
    if (auto s = replay(path_, parent.signature)) return *s;
  throw StepFailure{fmt::format(
      "personalisation probe: cannot get back to \"{}\": relaunching and replaying the path "
      "ends on another page",
      path_text(path_))};
}

std::string PersonalisationProbe::save(const ScreenCapture& c, const std::string& label,
                                       bool always) {
  if (!always && frames_ >= kFrameBudget) return {};
  ++frames_;
  // Exploration frames are evidence of where the probe went; the static rules run on the
  // scenario's own steps.
  const SavedFrame saved = ctx_.recorder.save(c, label, false);
  ctx_.record["frames"].push_back(saved.frame);
  last_frame_ = saved.frame;
  return saved.frame;
}

std::string PersonalisationProbe::pages_text() const {
  std::string s;
  for (const std::string& p : pages_) s += (s.empty() ? "" : "; ") + p;
  return s;
}

bool PersonalisationProbe::explore(const Screen& here, int depth) {
  deepest_ = std::max(deepest_, depth);
  if (depth >= max_depth_) return false;
  Screen current = here;
  for (const Target& t : candidates(current.capture)) {
    if (taps_ >= kTapBudget) {
      budget_spent_ = true;
      return false;
    }
    const std::string key = t.label + "#" + t.id + "#" + t.bounds.to_bounds_string();
    if (!tried_[here.signature].insert(key).second) continue;
    // The page may have been left and re-entered since `candidates` ran: find it again.
    const std::optional<Target> now = locate(t, current.capture);
    if (!now) continue;
    Screen next = tap_and_look(*now, current);
    if (next.signature == current.signature) continue;  // nothing happened
    const bool in_app = next.capture.foreground.resumed_activity &&
                        next.capture.foreground.resumed_activity->package == ctx_.app;
    if (in_app && visited_.insert(next.signature).second) {
      path_.push_back(t);
      pages_.push_back(path_text(path_));
      const std::string frame =
          save(next.capture, "per-" + std::to_string(path_.size()) + "-" + t.label);
      // A settings page: reached through an entry towards settings.
      if (!frame.empty() &&
          std::any_of(path_.begin(), path_.end(), [](const Target& p) { return p.term; }))
        last_settings_frame_ = frame;
      if (const auto control = find_switch(next.capture)) {
        found_ = next;
        found_frame_ = frame;
        control_ = *control;
        found_path_ = path_;
        deepest_ = std::max(deepest_, depth + 1);
        return true;
      }
      if (explore(next, depth + 1)) return true;
      if (budget_spent_) return false;
      path_.pop_back();
    }
    // Back to this page to try its next entry.
    current = return_to(here);
  }
  return false;
}

void PersonalisationProbe::check_persistence(const detectors::TopicControl& control) {
  nlohmann::json& states = ctx_.record["per_states"];
  states.push_back({{"when", "found"}, {"checked", control.checked.value_or(false)}});
  if (!control.checked) {
    ctx_.record["per_persistence"] = "switch state unreadable";
    return;
  }
  const bool initially_on = *control.checked;
  std::string off_frame;
  detectors::TopicControl switched = control;
  if (initially_on) {
    // Switch it off; this tap is the test, not part of the path to the switch.
    tap(control.control_box);
    Screen after = settle_once();
    const auto read = find_switch(after.capture);
    off_frame = save(after.capture, "per-switched-off", true);
    states.push_back({{"when", "after switching off"},
                      {"checked", read && read->checked ? nlohmann::json(*read->checked)
                                                        : nlohmann::json(nullptr)}});
    if (!read || !read->checked) {
      ctx_.record["per_persistence"] = "switch unreadable after the tap";
      return;
    }
    if (*read->checked) {
      detectors::Finding f = ctx_.profile.make_finding(
          "PER-02", fmt::format("the personalisation switch \"{}\" does not respond: tapped "
                                "off, it still reads on",
                                control.label));
      f.boxes = {control.control_box};
      f.frame = off_frame;
      ctx_.recorder.record(f, after.capture.frame.image);
      ctx_.record["per_persistence"] = "switch does not respond";
      return;
    }
    switched = *read;
  } else {
    ctx_.record["per_initial"] = "already off";
  }

  // Relaunch from cold and walk the same path: off must still be off.
  std::optional<Screen> again;
  for (int attempt = 0; attempt < kReplayAttempts && !again; ++attempt)
    again = replay(found_path_, {});
  std::optional<detectors::TopicControl> reread;
  if (again) reread = find_switch(again->capture);
  if (!again || !reread) {
    ctx_.record["per_persistence"] = "switch not found after relaunch";
    throw StepFailure{fmt::format(
        "personalisation probe: after force-stop and relaunch, \"{}\" no longer leads to the "
        "switch",
        path_text(found_path_))};
  }
  const std::string relaunch_frame = save(again->capture, "per-after-relaunch", true);
  states.push_back(
      {{"when", "after relaunch"},
       {"checked", reread->checked ? nlohmann::json(*reread->checked) : nlohmann::json(nullptr)}});
  if (reread->checked.value_or(false)) {
    detectors::Finding f = ctx_.profile.make_finding(
        "PER-02",
        initially_on
            ? fmt::format("switching \"{}\" off does not stick: off after the tap ({}), on "
                          "again after force-stop and relaunch ({})",
                          control.label, off_frame, relaunch_frame)
            : fmt::format("\"{}\" was off, yet reads on after force-stop and relaunch ({})",
                          control.label, relaunch_frame));
    f.boxes = {reread->control_box};
    f.frame = relaunch_frame;
    ctx_.recorder.record(f, again->capture.frame.image);
    ctx_.record["per_persistence"] = "reverted after relaunch";
    return;
  }
  ctx_.record["per_persistence"] = "persisted";
  if (initially_on) {
    // Leave the app as it was found: one tap.
    tap(reread->control_box);
    const auto restored = find_switch(settle_once().capture);
    ctx_.record["per_restored"] = restored && restored->checked.value_or(false);
  }
}

void PersonalisationProbe::run() {
  const auto started = Clock::now();
  // What it cost, in the record however the probe ends.
  const auto totals = [&] {
    ctx_.record["per_launches"] = relaunches_;
    ctx_.record["per_interruptions_dismissed"] = interruptions_;
    ctx_.record["per_ms"] = since(started).count();
  };
  try {
    explore_and_judge();
  } catch (...) {
    totals();
    throw;
  }
  totals();
}

void PersonalisationProbe::explore_and_judge() {
  Screen home = relaunch();
  visited_.insert(home.signature);
  pages_.push_back("home");
  const std::string home_frame = save(home.capture, "per-home", true);
  if (!home.capture.frame.tree)
    ctx_.record["per_note"] = "no UI tree on home: exploration needs the tree";

  if (auto control = find_switch(home.capture)) {
    found_ = home;
    found_frame_ = home_frame;
    control_ = *control;
  } else {
    explore(home, 0);
  }

  nlohmann::json& r = ctx_.record;
  r["per_max_depth"] = max_depth_;
  r["per_max_taps"] = max_taps_;
  r["per_exploration_taps"] = taps_;
  r["per_pages"] = pages_;
  r["per_deepest"] = deepest_;
  if (budget_spent_) r["per_tap_budget_spent"] = kTapBudget;

  if (!found_) {
    r["per_found"] = false;
    detectors::Finding f = ctx_.profile.make_finding(
        "PER-01",
        fmt::format("no personalisation switch within {} taps of home ({} pages explored, {} "
                    "taps deep{}): {}",
                    max_depth_, pages_.size(), deepest_,
                    budget_spent_ ? fmt::format(", tap budget {} spent", kTapBudget) : "",
                    pages_text()));
    f.value = deepest_;
    f.threshold = max_depth_;
    f.unit = "taps";
    f.frame = !last_settings_frame_.empty() ? last_settings_frame_
              : !last_frame_.empty()        ? last_frame_
                                            : home_frame;
    ctx_.recorder.record(f);
    return;
  }

  const int n = static_cast<int>(found_path_.size());
  r["per_found"] = true;
  r["per_path"] = nlohmann::json::array();
  for (const Target& t : found_path_) r["per_path"].push_back(t.json());
  r["per_taps"] = n;
  r["per_control"] = {
      {"label", control_->label},
      {"term", control_->term},
      {"box", box_json(control_->control_box)},
      {"source", control_->source == detectors::TopicControl::Source::kTree ? "tree" : "pixels"}};
  // The control's page was saved when the exploration got there, unless the frame budget ran
  // out.
  const std::string control_frame =
      !found_frame_.empty() ? found_frame_ : save(found_->capture, "per-control", true);
  if (n > max_taps_) {
    detectors::Finding f = ctx_.profile.make_finding(
        "PER-03", fmt::format("the personalisation switch \"{}\" is {} taps from home (> {}): {}",
                              control_->label, n, max_taps_, path_text(found_path_)));
    f.value = n;
    f.threshold = max_taps_;
    f.unit = "taps";
    f.boxes = {control_->control_box};
    f.frame = control_frame;
    ctx_.recorder.record(f, found_->capture.frame.image);
  }
  check_persistence(*control_);
}

}  // namespace

void run_personalisation_probe(const ProbeSpec& spec, ProbeContext& ctx) {
  PersonalisationProbe(spec, ctx).run();
}

}  // namespace uiw::harness
