#include "simdevice/sim_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/error.h"
#include "simdevice/builtin_apps.h"
#include "simdevice/device_commands.h"
#include "simdevice/fixture_loader.h"
#include "simdevice/scene_dump.h"
#include "simdevice/screen_renderer.h"

namespace uiw::sim {

namespace {

void scale_node(detectors::UiNode& n, double sx, double sy) {
  n.bounds = {static_cast<int>(n.bounds.left * sx + 0.5), static_cast<int>(n.bounds.top * sy + 0.5),
              static_cast<int>(n.bounds.right * sx + 0.5),
              static_cast<int>(n.bounds.bottom * sy + 0.5)};
  for (detectors::UiNode& c : n.children) scale_node(c, sx, sy);
}

// A recorded frame is drawn stretched to the screen, so its tree is stretched the same way: the
// dump, the pixels and the taps then agree whatever device the frame was recorded on.
void scale_recorded_tree(ScreenSpec& screen, const DeviceProfile& profile) {
  if (!screen.recorded_tree || screen.recorded_image.empty()) return;
  double sx = static_cast<double>(profile.width) / screen.recorded_image.cols;
  double sy = static_cast<double>(profile.height) / screen.recorded_image.rows;
  if (sx == 1.0 && sy == 1.0) return;
  for (detectors::UiNode& root : screen.recorded_tree->roots()) scale_node(root, sx, sy);
}

using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;

constexpr int kSystemServerPid = 571;
constexpr int kFirstAppUid = 10150;
constexpr double kRestY = 9.81;

Time::duration seconds(double s) {
  return std::chrono::duration_cast<Time::duration>(std::chrono::duration<double>(s));
}
double elapsed_seconds(Time from, Time to) {
  return std::chrono::duration<double>(to - from).count();
}

// A stable, random-looking 7-digit hex like Android's identity hashes.
std::string identity_hash(uint64_t seed) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  return fmt::format("{:07x}", static_cast<uint32_t>(x & 0xFFFFFFF));
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

std::string simple_name(const std::string& cls) {
  size_t dot = cls.rfind('.');
  return dot == std::string::npos ? cls : cls.substr(dot + 1);
}

// Drops the last UTF-8 character.
void pop_utf8(std::string& text) {
  while (!text.empty()) {
    unsigned char c = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((c & 0xC0) != 0x80) break;
  }
}

struct ScreenInstance {
  uint64_t id = 0;
  const ScreenSpec* spec = nullptr;  // null for built-in apps
  Time shown_at;
  std::map<std::string, int> scroll;         // node path → vertical scroll offset (px)
  std::map<std::string, std::string> typed;  // EditText path → text typed into it
  std::map<std::string, bool> checked;       // literal checkboxes the user flipped
  std::string focused;                       // path of the focused EditText
};

struct ActivityRecord {
  uint64_t rid = 0;
  std::string package;
  std::string class_name;
  ScreenInstance screen;
  std::vector<ScreenInstance> overlays;  // bottom first
  std::string url;                       // the browser's page
};

struct Task {
  int id = 0;
  std::string package;
  std::vector<ActivityRecord> activities;  // bottom first
};

struct InstalledApp {
  AppModel model;
  int uid = 0;
  std::string path;
  std::map<std::string, bool> state;
};

// Who runs an action: the activity record and the screen or pop-up instance it came from.
struct Context {
  std::string package;
  uint64_t rid = 0;
  uint64_t instance = 0;
};

struct PendingEvent {
  Time due;
  uint64_t seq = 0;
  Context ctx;
  Action action;
};

// A node as it is on screen now: where it is and whether a tap can reach it.
struct Placed {
  const NodeSpec* spec = nullptr;
  std::string path;
  detectors::Rect bounds;
};

}  // namespace

struct SimDevice::Impl {
  DeviceProfile profile;
  VirtualFs& fs;
  LogcatBuffer logcat;

  mutable std::mutex mutex;
  std::vector<std::string> install_order;
  std::map<std::string, InstalledApp> apps;
  std::map<std::string, int> pids;  // running processes
  std::vector<Task> tasks;          // back() is the front task
  std::vector<PendingEvent> events;
  Time now;
  uint64_t version = 1;  // grows with every change that can alter the screen
  uint64_t next_rid = 1;
  uint64_t next_instance = 1;
  uint64_t next_event_seq = 1;
  int next_task_id = 1;
  int next_pid = 4120;
  std::array<double, 3> accel{0, kRestY, 0};
  double last_deviation = 0;

  std::mutex render_mutex;
  std::unique_ptr<ScreenRenderer> renderer;
  uint64_t cache_version = 0;
  Time cache_valid_until;
  std::shared_ptr<const cv::Mat> cache_bgr;
  std::shared_ptr<const std::string> cache_raw;

  Impl(DeviceProfile p, VirtualFs& f) : profile(std::move(p)), fs(f), now(Clock::now()) { boot(); }

  // ---- logging ----
  const char* atm_tag() const {
    return profile.sdk >= 29 ? "ActivityTaskManager" : "ActivityManager";
  }
  // The wall-clock time of the device's `now` (a timer may fire before the query applying it).
  std::chrono::system_clock::time_point wall_now() const {
    return std::chrono::system_clock::now() -
           std::chrono::duration_cast<std::chrono::system_clock::duration>(Clock::now() - now);
  }
  void log_system(char level, const std::string& tag, const std::string& message) {
    logcat.add(kSystemServerPid, kSystemServerPid + 30 + static_cast<int>(tag.size() % 7), level,
               tag, message, wall_now());
  }
  void log_app(const std::string& package, char level, const std::string& tag,
               const std::string& message) {
    auto it = pids.find(package);
    int pid = it == pids.end() ? kSystemServerPid : it->second;
    logcat.add(pid, pid, level, tag, message, wall_now());
  }

  void boot() {
    log_system('I', "SystemServer", "Entered the Android system server!");
    log_system('I', "ActivityManager", "System now ready");
    Task launcher_task;
    launcher_task.id = next_task_id++;
    launcher_task.package = kLauncherPackage;
    launcher_task.activities.push_back(make_record(kLauncherPackage, kLauncherActivity));
    tasks.push_back(std::move(launcher_task));
    ensure_process(kLauncherPackage, kLauncherActivity);
    log_system(
        'I', atm_tag(),
        fmt::format("Displayed {}: +512ms", short_component(kLauncherPackage, kLauncherActivity)));
  }

  static std::string short_component(const std::string& package, const std::string& cls) {
    return SimDevice::short_component(package, cls);
  }

  // ---- lookups ----
  int uid_of(const std::string& package) const {
    if (auto it = apps.find(package); it != apps.end()) return it->second.uid;
    for (const auto& b : builtin_packages())
      if (b.name == package) return b.uid;
    return 1000;
  }
  const InstalledApp* app(const std::string& package) const {
    auto it = apps.find(package);
    return it == apps.end() ? nullptr : &it->second;
  }
  ActivityRecord& top() { return tasks.back().activities.back(); }
  ActivityRecord* find_record(uint64_t rid) {
    for (Task& t : tasks)
      for (ActivityRecord& r : t.activities)
        if (r.rid == rid) return &r;
    return nullptr;
  }
  Task* find_task(const std::string& package) {
    for (Task& t : tasks)
      if (t.package == package) return &t;
    return nullptr;
  }
  // The screen or pop-up instance, if it is still shown in its activity.
  ScreenInstance* find_instance(ActivityRecord& r, uint64_t instance) {
    if (r.screen.id == instance) return &r.screen;
    for (ScreenInstance& o : r.overlays)
      if (o.id == instance) return &o;
    return nullptr;
  }
  void move_to_front(int task_id) {
    auto it =
        std::find_if(tasks.begin(), tasks.end(), [&](const Task& t) { return t.id == task_id; });
    if (it == tasks.end() || it == tasks.end() - 1) return;
    Task t = std::move(*it);
    tasks.erase(it);
    tasks.push_back(std::move(t));
  }
  bool activity_exists(const std::string& package, const std::string& cls) const {
    if (package == kLauncherPackage) return cls == kLauncherActivity;
    if (package == kBrowserPackage) return cls == kBrowserActivity;
    const InstalledApp* a = app(package);
    return a && a->model.find_activity(cls);
  }

  // ---- time ----
  void touch() { ++version; }

  // Applies, in order, every event due by `until`, each at its own due time.
  void advance(Time until) {
    while (true) {
      auto next = std::min_element(events.begin(), events.end(), [](const auto& a, const auto& b) {
        return a.due != b.due ? a.due < b.due : a.seq < b.seq;
      });
      if (next == events.end() || next->due > until) break;
      PendingEvent ev = std::move(*next);
      events.erase(next);
      now = std::max(now, ev.due);
      apply(ev.action, ev.ctx, /*delayed=*/true);
    }
    now = std::max(now, until);
  }
  void advance_to_now() { advance(Clock::now()); }

  void schedule(const Action& action, const Context& ctx, double after) {
    Action copy = action;
    copy.after = 0;
    events.push_back(PendingEvent{now + seconds(after), next_event_seq++, ctx, std::move(copy)});
  }

  // ---- processes and activities ----
  void ensure_process(const std::string& package, const std::string& cls) {
    if (pids.count(package)) return;
    int pid = next_pid;
    next_pid += 37;
    pids[package] = pid;
    int uid = uid_of(package);
    log_system('I', "ActivityManager",
               fmt::format("Start proc {}:{}/u0a{} for {} {{{}/{}}}", pid, package, uid % 10000,
                           profile.sdk >= 29 ? "top-activity" : "activity", package, cls));
    log_app(package, 'I', "ActivityThread",
            fmt::format("Init compatibility callbacks for {}", package));
  }

  ActivityRecord make_record(const std::string& package, const std::string& cls) {
    ActivityRecord r;
    r.rid = next_rid++;
    r.package = package;
    r.class_name = cls;
    r.screen.id = next_instance++;
    r.screen.shown_at = now;
    return r;
  }

  void log_start(const Intent& intent, const std::string& package, const std::string& cls) {
    std::string parts;
    auto add = [&](const std::string& p) { parts += (parts.empty() ? "" : " ") + p; };
    if (!intent.action.empty()) add("act=" + intent.action);
    if (!intent.categories.empty()) {
      std::string cats;
      for (const auto& c : intent.categories) cats += (cats.empty() ? "" : ",") + c;
      add("cat=[" + cats + "]");
    }
    if (!intent.data.empty()) add("dat=" + intent.data);
    if (intent.flags) add(fmt::format("flg=0x{:x}", intent.flags));
    add("cmp=" + short_component(package, cls));
    log_system('I', atm_tag(),
               fmt::format("START u0 {{{}}} from uid {}", parts, intent.caller_uid));
  }

  // Starts `package/cls`. `caller_rid` (same package, no NEW_TASK semantics) pushes onto the
  // caller's task; otherwise the package's task comes to the front, as with FLAG_ACTIVITY_NEW_TASK.
  StartResult start(const Intent& intent, const std::string& package, const std::string& cls,
                    uint64_t caller_rid, const std::string& screen_override = "",
                    bool reuse_root = true) {
    StartResult result;
    result.component = short_component(package, cls);
    log_start(intent, package, cls);
    result.cold = !pids.count(package);
    ensure_process(package, cls);
    touch();

    Task* task = nullptr;
    if (caller_rid) {
      for (Task& t : tasks)
        for (ActivityRecord& r : t.activities)
          if (r.rid == caller_rid && t.package == package) task = &t;
    }
    if (!task) {
      task = find_task(package);
      if (task && reuse_root && task->activities.front().class_name == cls && intent.data.empty()) {
        move_to_front(task->id);
        result.ok = result.brought_to_front = true;
        return result;
      }
    }
    if (!task) {
      Task t;
      t.id = next_task_id++;
      t.package = package;
      tasks.push_back(std::move(t));
      task = &tasks.back();
    }
    int task_id = task->id;
    task->activities.push_back(make_record(package, cls));
    uint64_t rid = task->activities.back().rid;
    move_to_front(task_id);

    ActivityRecord* rec = find_record(rid);
    if (package == kBrowserPackage) {
      rec->url = intent.data;
    } else if (const InstalledApp* a = app(package)) {
      const std::string screen_id =
          screen_override.empty() ? a->model.find_activity(cls)->screen : screen_override;
      show_screen(rid, a->model.find_screen(screen_id));
    }
    log_system('I', atm_tag(),
               fmt::format("Displayed {}: +{}ms", result.component, result.cold ? 412 : 168));
    result.ok = true;
    return result;
  }

  // Where the system sends a VIEW intent: the first app whose deep_links claims the URL, else
  // the browser.
  std::pair<std::string, std::string> resolve_view(const std::string& url) const {
    for (const std::string& pkg : install_order) {
      const AppModel& m = apps.at(pkg).model;
      for (const DeepLink& d : m.deep_links)
        if (std::regex_search(url, d.regex)) return {pkg, d.activity};
    }
    return {kBrowserPackage, kBrowserActivity};
  }

  StartResult view_url(const std::string& url, int caller_uid) {
    Intent intent;
    intent.action = "android.intent.action.VIEW";
    intent.data = url;
    intent.caller_uid = caller_uid;
    auto [pkg, cls] = resolve_view(url);
    return start(intent, pkg, cls, 0, "", false);
  }

  void finish(uint64_t rid) {
    for (auto t = tasks.begin(); t != tasks.end(); ++t) {
      auto r = std::find_if(t->activities.begin(), t->activities.end(),
                            [&](const ActivityRecord& a) { return a.rid == rid; });
      if (r == t->activities.end()) continue;
      if (r->package == kLauncherPackage) return;  // the home screen never finishes
      t->activities.erase(r);
      if (t->activities.empty()) tasks.erase(t);
      touch();
      return;
    }
  }

  void go_home() {
    Intent intent;
    intent.action = "android.intent.action.MAIN";
    intent.categories = {"android.intent.category.HOME"};
    intent.flags = 0x10200000;
    intent.caller_uid = 1000;
    log_start(intent, kLauncherPackage, kLauncherActivity);
    for (const Task& t : tasks)
      if (t.package == kLauncherPackage) {
        move_to_front(t.id);
        break;
      }
    touch();
  }

  void back() {
    ActivityRecord& r = top();
    if (!r.overlays.empty()) {
      dismiss(r.rid);
    } else {
      finish(r.rid);
    }
    touch();
  }

  bool stop_package(const std::string& package, bool clear) {
    InstalledApp* a = apps.count(package) ? &apps.at(package) : nullptr;
    bool builtin = std::any_of(builtin_packages().begin(), builtin_packages().end(),
                               [&](const BuiltinPackage& b) { return b.name == package; });
    if (!a && !builtin) return false;
    if (package == kLauncherPackage) return true;  // the home app restarts at once
    log_system('I', "ActivityManager",
               fmt::format("Force stopping {} appid={} user=0: {}", package, uid_of(package),
                           clear ? "clear data" : "from pid 4321"));
    if (auto p = pids.find(package); p != pids.end()) {
      log_system('I', "ActivityManager",
                 fmt::format("Killing {}:{}/u0a{} (adj 0): stop {}", p->second, package,
                             uid_of(package) % 10000, package));
      pids.erase(p);
    }
    tasks.erase(std::remove_if(tasks.begin(), tasks.end(),
                               [&](const Task& t) { return t.package == package; }),
                tasks.end());
    events.erase(std::remove_if(events.begin(), events.end(),
                                [&](const PendingEvent& e) { return e.ctx.package == package; }),
                 events.end());
    if (a) {
      for (const auto& [name, var] : a->model.states)
        if (!var.persist || clear) a->state[name] = var.initial;
    }
    touch();
    return true;
  }

  // ---- screens and pop-ups ----
  void show_screen(uint64_t rid, const ScreenSpec* spec) {
    ActivityRecord* r = find_record(rid);
    if (!r || !spec) return;
    r->overlays.clear();
    r->screen = ScreenInstance{};
    r->screen.id = next_instance++;
    r->screen.spec = spec;
    r->screen.shown_at = now;
    touch();
    log_app(r->package, 'D', simple_name(r->class_name), fmt::format("show screen {}", spec->id));
    run(spec->on_show, Context{r->package, rid, r->screen.id});
  }

  void show_overlay(uint64_t rid, const ScreenSpec* spec) {
    ActivityRecord* r = find_record(rid);
    if (!r || !spec) return;
    ScreenInstance o;
    o.id = next_instance++;
    o.spec = spec;
    o.shown_at = now;
    r->overlays.push_back(o);
    touch();
    log_app(r->package, 'D', simple_name(r->class_name), fmt::format("show pop-up {}", spec->id));
    run(spec->on_show, Context{r->package, rid, o.id});
  }

  void dismiss(uint64_t rid) {
    ActivityRecord* r = find_record(rid);
    if (!r || r->overlays.empty()) return;
    const ScreenSpec* spec = r->overlays.back().spec;
    r->overlays.pop_back();
    touch();
    if (spec && spec->reappear_after > 0) {
      Action again;
      again.kind = ActionKind::kOverlay;
      again.target = spec->id;
      schedule(again, Context{r->package, rid, r->screen.id}, spec->reappear_after);
    }
  }

  void run(const std::vector<Action>& actions, const Context& ctx) {
    for (const Action& a : actions) {
      if (a.after > 0) {
        schedule(a, ctx, a.after);
      } else {
        apply(a, ctx, false);
      }
    }
  }

  void apply(const Action& a, const Context& ctx, bool delayed) {
    ActivityRecord* rec = find_record(ctx.rid);
    if (delayed) {
      // Dropped when the screen it was queued on is gone; a background app may not start
      // activities (as Android 10+ blocks background activity starts).
      if (!rec || !find_instance(*rec, ctx.instance)) return;
      bool needs_front = a.kind == ActionKind::kStart || a.kind == ActionKind::kOpenUrl ||
                         a.kind == ActionKind::kBack;
      if (needs_front && top().rid != rec->rid) return;
    }
    InstalledApp* owner = apps.count(ctx.package) ? &apps.at(ctx.package) : nullptr;
    switch (a.kind) {
      case ActionKind::kNothing:
        return;
      case ActionKind::kBack:
        back();
        return;
      case ActionKind::kFinish:
        if (rec) finish(rec->rid);
        return;
      case ActionKind::kDismiss:
        if (rec) dismiss(rec->rid);
        return;
      case ActionKind::kScreen:
        if (rec && owner) show_screen(rec->rid, owner->model.find_screen(a.target));
        return;
      case ActionKind::kOverlay:
        if (rec && owner) show_overlay(rec->rid, owner->model.find_screen(a.target));
        return;
      case ActionKind::kToggle:
        if (owner) owner->state[a.target] = !owner->state[a.target];
        touch();
        return;
      case ActionKind::kSet:
        if (owner)
          for (const auto& [k, v] : a.values) owner->state[k] = v;
        touch();
        return;
      case ActionKind::kStart: {
        size_t slash = a.target.find('/');
        std::string pkg = a.target.substr(0, slash);
        std::string cls = a.target.substr(slash + 1);
        if (!activity_exists(pkg, cls)) {
          log_app(ctx.package, 'E', "AndroidRuntime",
                  fmt::format("android.content.ActivityNotFoundException: Unable to find explicit "
                              "activity class {{{}/{}}}",
                              pkg, cls));
          return;
        }
        Intent intent;
        intent.flags = pkg == ctx.package ? 0 : 0x10000000;
        intent.caller_uid = uid_of(ctx.package);
        start(intent, pkg, cls, pkg == ctx.package && rec ? rec->rid : 0, "", false);
        return;
      }
      case ActionKind::kOpenUrl:
        open_url(a.target, ctx, rec);
        return;
    }
  }

  void open_url(const std::string& url, const Context& ctx, ActivityRecord* rec) {
    InstalledApp* owner = apps.count(ctx.package) ? &apps.at(ctx.package) : nullptr;
    log_app(ctx.package, 'I', rec ? simple_name(rec->class_name) : "App",
            fmt::format("open url {}", url));
    const LinkRule* rule = nullptr;
    if (owner)
      for (const LinkRule& r : owner->model.links)
        if (std::regex_search(url, r.regex)) {
          rule = &r;
          break;
        }
    LinkHandling handle = rule ? rule->handle : LinkHandling::kBrowser;
    switch (handle) {
      case LinkHandling::kIgnore:
        return;
      case LinkHandling::kBrowser:
        view_url(url, uid_of(ctx.package));
        return;
      case LinkHandling::kInterstitial: {
        if (!rec || !owner) return;
        const ScreenSpec* spec = owner->model.find_screen(rule->screen);
        if (spec->overlay) {
          show_overlay(rec->rid, spec);
        } else {
          show_screen(rec->rid, spec);
        }
        return;
      }
      case LinkHandling::kWebview: {
        Intent intent;
        intent.action = "android.intent.action.VIEW";
        intent.data = url;
        intent.flags = 0;
        intent.caller_uid = uid_of(ctx.package);
        start(intent, ctx.package, rule->activity, rec ? rec->rid : 0, rule->screen, false);
        return;
      }
    }
  }

  // ---- nodes on screen ----
  bool node_visible(const NodeSpec& n, const ScreenInstance& inst, const InstalledApp& a) const {
    if (n.visible_after > 0 && elapsed_seconds(inst.shown_at, now) < n.visible_after) return false;
    if (!n.visible_when_state.empty()) {
      auto it = a.state.find(n.visible_when_state);
      bool v = it != a.state.end() && it->second;
      if (v != n.visible_when_is) return false;
    }
    return true;
  }

  // Visits the visible nodes in drawing order with their on-screen bounds (scrolled, clipped).
  template <typename Fn>
  void place(const std::vector<NodeSpec>& nodes, const ScreenInstance& inst, const InstalledApp& a,
             const std::string& prefix, int dy, const std::optional<detectors::Rect>& clip,
             Fn&& fn) const {
    for (size_t i = 0; i < nodes.size(); ++i) {
      const NodeSpec& n = nodes[i];
      if (!node_visible(n, inst, a)) continue;
      std::string path = prefix + std::to_string(i);
      detectors::Rect b = n.bounds;
      b.top += dy;
      b.bottom += dy;
      if (clip) {
        if (b.intersect(*clip).empty() && !n.bounds.empty()) continue;
        b = b.intersect(*clip);
      }
      fn(n, path, b);
      int child_dy = dy;
      std::optional<detectors::Rect> child_clip = clip;
      if (n.scrollable) {
        auto s = inst.scroll.find(path);
        child_dy -= s == inst.scroll.end() ? 0 : s->second;
        child_clip = b;
      }
      place(n.children, inst, a, path + "/", child_dy, child_clip, fn);
    }
  }

  std::optional<Placed> hit(const ScreenInstance& inst, const InstalledApp& a, int x, int y,
                            bool long_press) const {
    std::optional<Placed> found;
    place(inst.spec->nodes, inst, a, "", 0, std::nullopt,
          [&](const NodeSpec& n, const std::string& path, const detectors::Rect& b) {
            bool target = long_press ? !n.on_long_press.empty()
                                     : !n.on_tap.empty() || n.is_edit_text() ||
                                           (n.checkable && n.clickable && n.checked_state.empty());
            if (target && n.enabled && b.contains(x, y)) found = Placed{&n, path, b};
          });
    return found;
  }

  detectors::Rect overlay_area(const ScreenInstance& o, const InstalledApp& a) const {
    std::optional<detectors::Rect> area;
    for (const NodeSpec& n : o.spec->nodes) {
      if (!node_visible(n, o, a)) continue;
      if (!area) {
        area = n.bounds;
      } else {
        area = detectors::Rect{
            std::min(area->left, n.bounds.left), std::min(area->top, n.bounds.top),
            std::max(area->right, n.bounds.right), std::max(area->bottom, n.bounds.bottom)};
      }
    }
    return area.value_or(detectors::Rect{});
  }

  void press(int x, int y, bool long_press) {
    advance_to_now();
    ActivityRecord& r = top();
    if (r.package == kLauncherPackage) {
      if (long_press) return;
      for (const LauncherIcon& icon : launcher_icons())
        if (icon.bounds.contains(x, y)) {
          launch(icon.package, uid_of(kLauncherPackage));
          return;
        }
      return;
    }
    InstalledApp* a = apps.count(r.package) ? &apps.at(r.package) : nullptr;
    if (!a) return;  // the browser page has nothing to tap
    uint64_t rid = r.rid;
    ScreenInstance* inst = r.overlays.empty() ? &r.screen : &r.overlays.back();
    if (!inst->spec) return;
    Context ctx{r.package, rid, inst->id};
    if (std::optional<Placed> p = hit(*inst, *a, x, y, long_press)) {
      const NodeSpec& n = *p->spec;
      if (long_press) {
        run(n.on_long_press, ctx);
        return;
      }
      if (n.is_edit_text()) {
        inst->focused = p->path;
        touch();
      }
      if (n.checkable && n.checked_state.empty() && n.on_tap.empty()) {
        auto it = inst->checked.find(p->path);
        bool current = it == inst->checked.end() ? n.checked : it->second;
        inst->checked[p->path] = !current;
        touch();
      }
      run(n.on_tap, ctx);
      return;
    }
    if (long_press) return;
    if (!r.overlays.empty()) {
      if (!overlay_area(*inst, *a).contains(x, y)) run(inst->spec->outside_tap, ctx);
      return;
    }
    if (inst->spec->recorded_tree) recorded_tap(*inst, x, y, ctx);
  }

  void recorded_tap(const ScreenInstance& inst, int x, int y, const Context& ctx) {
    const ScreenSpec& s = *inst.spec;
    // install() scaled the recorded tree to this screen, so taps and the tree share pixels.
    for (const RecordedTap& t : s.recorded_taps) {
      const detectors::UiNode* node = s.recorded_tree->find_first([&](const detectors::UiNode& n) {
        return (t.resource_id.empty() || n.resource_id == t.resource_id) &&
               (t.text.empty() || n.text == t.text) &&
               (t.content_desc.empty() || n.content_desc == t.content_desc) &&
               (t.class_name.empty() || n.class_name == t.class_name) && n.bounds.contains(x, y);
      });
      if (node) {
        run(t.actions, ctx);
        return;
      }
    }
  }

  void swipe(int x1, int y1, int x2, int y2, int duration_ms) {
    if (std::abs(x2 - x1) < 24 && std::abs(y2 - y1) < 24) {
      press(x1, y1, duration_ms >= 500);
      return;
    }
    advance_to_now();
    ActivityRecord& r = top();
    InstalledApp* a = apps.count(r.package) ? &apps.at(r.package) : nullptr;
    if (!a) return;
    ScreenInstance* inst = r.overlays.empty() ? &r.screen : &r.overlays.back();
    if (!inst->spec) return;
    std::optional<Placed> target;
    place(inst->spec->nodes, *inst, *a, "", 0, std::nullopt,
          [&](const NodeSpec& n, const std::string& path, const detectors::Rect& b) {
            if (n.scrollable && b.contains(x1, y1)) target = Placed{&n, path, b};
          });
    if (!target) return;
    int content_bottom = target->spec->bounds.bottom;
    for (const NodeSpec& c : target->spec->children)
      content_bottom = std::max(content_bottom, c.bounds.bottom);
    int max_offset = content_bottom - target->spec->bounds.bottom;
    int& offset = inst->scroll[target->path];
    int next = std::clamp(offset + (y1 - y2), 0, std::max(0, max_offset));
    if (next != offset) {
      offset = next;
      touch();
    }
  }

  ScreenInstance* focused_edit(ActivityRecord& r) {
    ScreenInstance* inst = r.overlays.empty() ? &r.screen : &r.overlays.back();
    return inst->spec && !inst->focused.empty() ? inst : nullptr;
  }

  // ---- launcher ----
  std::vector<LauncherIcon> launcher_icons() const {
    std::vector<LauncherEntry> entries;
    for (const auto& b : builtin_packages())
      if (!b.launch_activity.empty())
        entries.push_back({b.name, b.name == kBrowserPackage ? "Chrome" : b.name});
    for (const std::string& pkg : install_order) entries.push_back({pkg, apps.at(pkg).model.label});
    return launcher_layout(entries, profile);
  }

  StartResult launch(const std::string& package, int caller_uid) {
    std::string cls;
    if (const InstalledApp* a = app(package)) {
      cls = a->model.launcher;
    } else {
      for (const auto& b : builtin_packages())
        if (b.name == package) cls = b.launch_activity;
    }
    if (cls.empty()) return StartResult{};
    Intent intent;
    intent.action = "android.intent.action.MAIN";
    intent.categories = {"android.intent.category.LAUNCHER"};
    intent.flags = caller_uid == 2000 ? 0x10000000 : 0x10200000;
    intent.caller_uid = caller_uid;
    return start(intent, package, cls, 0, "", true);
  }

  // ---- the scene ----
  SceneNode build_node(const NodeSpec& n, const std::string& path, const detectors::Rect& b,
                       const ScreenInstance& inst, const InstalledApp& a, Time& next_change) const {
    SceneNode out;
    detectors::UiNode& ui = out.ui;
    ui.class_name = n.class_name;
    ui.text = n.text;
    ui.resource_id = n.resource_id;
    ui.content_desc = n.content_desc;
    ui.package = a.model.package;
    ui.bounds = b;
    ui.clickable = n.clickable;
    ui.checkable = n.checkable;
    ui.enabled = n.enabled;
    ui.scrollable = n.scrollable;
    ui.long_clickable = !n.on_long_press.empty();
    ui.focusable = n.clickable || n.is_edit_text() || n.scrollable;
    ui.focused = inst.focused == path;
    if (!n.checked_state.empty()) {
      auto it = a.state.find(n.checked_state);
      ui.checked = it != a.state.end() && it->second;
    } else {
      auto it = inst.checked.find(path);
      ui.checked = it == inst.checked.end() ? n.checked : it->second;
    }
    if (n.countdown) {
      double left = *n.countdown - elapsed_seconds(inst.shown_at, now);
      if (left > 0) {
        int shown = static_cast<int>(std::ceil(left));
        ui.text = replace_all(n.text, "{n}", std::to_string(shown));
        next_change = std::min(next_change, inst.shown_at + seconds(*n.countdown - shown + 1));
      } else {
        ui.text = n.countdown_done_text ? *n.countdown_done_text : replace_all(n.text, "{n}", "0");
      }
    }
    if (auto t = inst.typed.find(path); t != inst.typed.end() && !t->second.empty())
      ui.text = t->second;
    out.style = n.style;
    out.in_tree = n.in_tree;
    return out;
  }

  // Rebuilds the node tree from the flat, drawing-ordered placement.
  std::vector<SceneNode> build_nodes(const ScreenInstance& inst, const InstalledApp& a,
                                     Time& next_change) const {
    // Hidden-until nodes decide when the scene changes next.
    std::function<void(const std::vector<NodeSpec>&)> note_hidden =
        [&](const std::vector<NodeSpec>& nodes) {
          for (const NodeSpec& n : nodes) {
            if (n.visible_after > 0 && elapsed_seconds(inst.shown_at, now) < n.visible_after)
              next_change = std::min(next_change, inst.shown_at + seconds(n.visible_after));
            note_hidden(n.children);
          }
        };
    note_hidden(inst.spec->nodes);

    std::vector<SceneNode> roots;
    std::vector<std::pair<std::string, SceneNode>> flat;
    place(inst.spec->nodes, inst, a, "", 0, std::nullopt,
          [&](const NodeSpec& n, const std::string& path, const detectors::Rect& b) {
            flat.emplace_back(path, build_node(n, path, b, inst, a, next_change));
          });
    // Attach children to parents from the deepest paths up, keeping sibling order.
    std::map<std::string, std::vector<SceneNode>> kids;
    for (auto it = flat.rbegin(); it != flat.rend(); ++it) {
      auto& [path, node] = *it;
      if (auto k = kids.find(path + "/"); k != kids.end()) {
        node.children.assign(std::make_move_iterator(k->second.rbegin()),
                             std::make_move_iterator(k->second.rend()));
        kids.erase(k);
      }
      for (size_t i = 0; i < node.children.size(); ++i)
        node.children[i].ui.index = static_cast<int>(i);
      size_t slash = path.rfind('/');
      std::string parent = slash == std::string::npos ? "" : path.substr(0, slash + 1);
      kids[parent].push_back(std::move(node));
    }
    if (auto k = kids.find(""); k != kids.end())
      roots.assign(std::make_move_iterator(k->second.rbegin()),
                   std::make_move_iterator(k->second.rend()));
    for (size_t i = 0; i < roots.size(); ++i) roots[i].ui.index = static_cast<int>(i);
    return roots;
  }

  SceneLayer build_layer(const ScreenInstance& inst, const InstalledApp& a, bool overlay,
                         Time& next_change) const {
    const ScreenSpec& s = *inst.spec;
    SceneLayer layer;
    layer.package = a.model.package;
    layer.dim = overlay ? s.dim : 0;
    layer.background = s.background;
    layer.dialog_window = overlay && s.dialog_window;
    layer.recorded_image = s.recorded_image;
    layer.recorded_tree = s.recorded_tree;
    layer.nodes = build_nodes(inst, a, next_change);
    return layer;
  }

  Scene build_scene(Time& next_change) const {
    Scene scene;
    scene.width = profile.width;
    scene.height = profile.height;
    scene.density = profile.density;
    next_change = Time::max();
    const ActivityRecord& r = tasks.back().activities.back();
    if (r.package == kLauncherPackage) {
      scene.layers.push_back(launcher_layer(launcher_icons(), profile));
      return scene;
    }
    if (r.package == kBrowserPackage) {
      scene.layers.push_back(browser_layer(r.url, profile));
      return scene;
    }
    const InstalledApp& a = apps.at(r.package);
    if (r.screen.spec) {
      scene.status_bar = r.screen.spec->status_bar;
      scene.layers.push_back(build_layer(r.screen, a, false, next_change));
    }
    for (const ScreenInstance& o : r.overlays)
      scene.layers.push_back(build_layer(o, a, true, next_change));
    return scene;
  }

  // ---- motion ----
  void motion_changed() {
    double dx = accel[0], dy = accel[1] - kRestY, dz = accel[2];
    double deviation = std::sqrt(dx * dx + dy * dy + dz * dz);
    double previous = last_deviation;
    last_deviation = deviation;
    ActivityRecord& r = top();
    InstalledApp* a = apps.count(r.package) ? &apps.at(r.package) : nullptr;
    if (!a || !a->model.motion) return;
    const MotionTrigger& m = *a->model.motion;
    // Fires when the shake crosses the threshold, not again while it stays above it.
    if (deviation < m.min_acceleration || previous >= m.min_acceleration) return;
    const ScreenInstance* inst = r.overlays.empty() ? &r.screen : &r.overlays.back();
    if (!m.screens.empty()) {
      auto listed = [&](const ScreenInstance& s) {
        return s.spec &&
               std::find(m.screens.begin(), m.screens.end(), s.spec->id) != m.screens.end();
      };
      if (!listed(*inst) && !listed(r.screen)) return;
    }
    log_app(r.package, 'I', "SensorManager",
            fmt::format("motion {:.2f} m/s² ≥ {:.2f}", deviation, m.min_acceleration));
    run(m.actions, Context{r.package, r.rid, inst->id});
  }
};

// ============================================================================================

SimDevice::SimDevice(DeviceProfile profile, VirtualFs& fs)
    : impl_(std::make_unique<Impl>(std::move(profile), fs)) {}

SimDevice::~SimDevice() = default;

std::string SimDevice::short_component(const std::string& package, const std::string& cls) {
  if (cls.size() > package.size() && cls.compare(0, package.size(), package) == 0 &&
      cls[package.size()] == '.')
    return package + "/" + cls.substr(package.size());
  return package + "/" + cls;
}

void SimDevice::install(const std::string& fixture_yaml_path) {
  install(FixtureLoader::load_file(fixture_yaml_path));
}

void SimDevice::install(AppModel model) {
  std::lock_guard lock(impl_->mutex);
  Impl& d = *impl_;
  bool builtin = std::any_of(builtin_packages().begin(), builtin_packages().end(),
                             [&](const BuiltinPackage& b) { return b.name == model.package; });
  if (d.apps.count(model.package) || builtin)
    throw Error(ErrorKind::kConfig,
                fmt::format("{}:1:1: package {} is already installed{}; each app needs its own "
                            "package name",
                            model.source_path, model.package,
                            builtin ? " (a built-in app)"
                                    : " from " + d.apps.at(model.package).model.source_path));
  InstalledApp a;
  a.uid = kFirstAppUid + static_cast<int>(d.install_order.size());
  a.path = fmt::format("/data/app/~~{}==/{}-{}==/base.apk", identity_hash(a.uid) + "Xq3vT1",
                       model.package, identity_hash(a.uid * 7) + "aZ9");
  for (const auto& [name, var] : model.states) a.state[name] = var.initial;
  for (ScreenSpec& screen : model.screens) scale_recorded_tree(screen, d.profile);
  std::string pkg = model.package;
  a.model = std::move(model);
  d.apps.emplace(pkg, std::move(a));
  d.install_order.push_back(pkg);
  d.log_system('I', "PackageManager", fmt::format("Package {} installed", pkg));
  d.touch();
}

void SimDevice::register_commands(Shell& shell) {
  register_device_commands(*this, shell);
}

Scene SimDevice::scene() {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();
  Time next;
  return impl_->build_scene(next);
}

Scene SimDevice::preview_scene(const std::string& package, const std::string& screen_id) {
  std::lock_guard lock(impl_->mutex);
  Impl& d = *impl_;
  const InstalledApp* installed = d.app(package);
  if (!installed)
    throw Error(ErrorKind::kNotFound, fmt::format("package {} is not installed", package));
  const ScreenSpec* spec = installed->model.find_screen(screen_id);
  if (!spec)
    throw Error(ErrorKind::kNotFound, fmt::format("{} has no screen \"{}\"", package, screen_id));
  InstalledApp fresh;
  fresh.model.package = installed->model.package;
  for (const auto& [name, var] : installed->model.states) fresh.state[name] = var.initial;
  d.advance_to_now();
  ScreenInstance inst;
  inst.spec = spec;
  inst.shown_at = d.now;
  Scene scene;
  scene.width = d.profile.width;
  scene.height = d.profile.height;
  scene.density = d.profile.density;
  scene.status_bar = spec->status_bar;
  Time next = Time::max();
  scene.layers.push_back(d.build_layer(inst, fresh, spec->overlay, next));
  return scene;
}

std::vector<std::string> SimDevice::screen_ids(const std::string& package) const {
  std::lock_guard lock(impl_->mutex);
  const InstalledApp* a = impl_->app(package);
  if (!a) throw Error(ErrorKind::kNotFound, fmt::format("package {} is not installed", package));
  std::vector<std::string> ids;
  for (const ScreenSpec& s : a->model.screens) ids.push_back(s.id);
  return ids;
}

void SimDevice::set_acceleration(double x, double y, double z) {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();
  impl_->accel = {x, y, z};
  impl_->motion_changed();
}

std::array<double, 3> SimDevice::acceleration() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accel;
}

const DeviceProfile& SimDevice::profile() const {
  return impl_->profile;
}
VirtualFs& SimDevice::fs() {
  return impl_->fs;
}
LogcatBuffer& SimDevice::logcat() {
  return impl_->logcat;
}

void SimDevice::tap(int x, int y) {
  std::lock_guard lock(impl_->mutex);
  impl_->press(x, y, false);
}

void SimDevice::long_press(int x, int y) {
  std::lock_guard lock(impl_->mutex);
  impl_->press(x, y, true);
}

void SimDevice::swipe(int x1, int y1, int x2, int y2, int duration_ms) {
  std::lock_guard lock(impl_->mutex);
  impl_->swipe(x1, y1, x2, y2, duration_ms);
}

void SimDevice::input_text(const std::string& text) {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();
  if (ScreenInstance* inst = impl_->focused_edit(impl_->top())) {
    inst->typed[inst->focused] += text;
    impl_->touch();
  }
}

void SimDevice::key_event(int keycode) {
  std::lock_guard lock(impl_->mutex);
  Impl& d = *impl_;
  d.advance_to_now();
  switch (keycode) {
    case 3:
      d.go_home();
      break;
    case 4:
      d.back();
      break;
    case 67:
      if (ScreenInstance* inst = d.focused_edit(d.top())) {
        pop_utf8(inst->typed[inst->focused]);
        d.touch();
      }
      break;
    default:
      break;
  }
}

SimDevice::StartResult SimDevice::start_activity(const Intent& intent) {
  std::lock_guard lock(impl_->mutex);
  Impl& d = *impl_;
  d.advance_to_now();
  if (!intent.component.empty()) {
    size_t slash = intent.component.find('/');
    std::string pkg = intent.component.substr(0, slash);
    std::string cls = slash == std::string::npos ? "" : intent.component.substr(slash + 1);
    if (!cls.empty() && cls[0] == '.') cls = pkg + cls;
    if (cls.empty() || !d.activity_exists(pkg, cls)) {
      StartResult r;
      r.error =
          fmt::format("Error type 3\nError: Activity class {{{}/{}}} does not exist.", pkg, cls);
      return r;
    }
    bool launcher_intent = intent.data.empty() &&
                           (intent.action.empty() || intent.action == "android.intent.action.MAIN");
    if (pkg == kLauncherPackage) {
      d.go_home();
      StartResult r;
      r.ok = r.brought_to_front = true;
      r.component = short_component(pkg, cls);
      return r;
    }
    return d.start(intent, pkg, cls, 0, "", launcher_intent);
  }
  if (intent.action == "android.intent.action.VIEW" && !intent.data.empty()) {
    auto [pkg, cls] = d.resolve_view(intent.data);
    return d.start(intent, pkg, cls, 0, "", false);
  }
  StartResult r;
  std::string desc;
  if (!intent.action.empty()) desc += "act=" + intent.action + " ";
  if (!intent.data.empty()) desc += "dat=" + intent.data + " ";
  r.error = fmt::format("Error: Activity not started, unable to resolve Intent {{ {}flg=0x{:x} }}",
                        desc, intent.flags);
  return r;
}

SimDevice::StartResult SimDevice::launch(const std::string& package, int caller_uid) {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();
  return impl_->launch(package, caller_uid);
}

bool SimDevice::force_stop(const std::string& package) {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();
  return impl_->stop_package(package, false);
}

bool SimDevice::uninstall(const std::string& package) {
  std::lock_guard lock(impl_->mutex);
  Impl& d = *impl_;
  d.advance_to_now();
  if (!d.apps.count(package)) return false;
  d.stop_package(package, true);
  d.apps.erase(package);
  d.install_order.erase(std::find(d.install_order.begin(), d.install_order.end(), package));
  d.log_system('I', "PackageManager", fmt::format("Package {} removed", package));
  d.touch();
  return true;
}

bool SimDevice::clear_data(const std::string& package) {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();
  return impl_->stop_package(package, true);
}

std::vector<SimDevice::PackageInfo> SimDevice::packages() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<PackageInfo> out;
  for (const BuiltinPackage& b : builtin_packages())
    out.push_back({b.name, b.path, b.version_name, b.version_code, b.uid, true,
                   b.name == kLauncherPackage ? kLauncherActivity : b.launch_activity});
  for (const std::string& pkg : impl_->install_order) {
    const InstalledApp& a = impl_->apps.at(pkg);
    out.push_back(
        {pkg, a.path, a.model.version_name, a.model.version_code, a.uid, false, a.model.launcher});
  }
  return out;
}

std::optional<SimDevice::PackageInfo> SimDevice::package_info(const std::string& name) const {
  for (PackageInfo& p : packages())
    if (p.name == name) return p;
  return std::nullopt;
}

std::vector<SimDevice::TaskInfo> SimDevice::tasks() const {
  std::lock_guard lock(impl_->mutex);
  impl_->advance_to_now();  // a timer may have started an activity
  std::vector<TaskInfo> out;
  for (auto t = impl_->tasks.rbegin(); t != impl_->tasks.rend(); ++t) {
    TaskInfo info;
    info.id = t->id;
    info.package = t->package;
    info.uid = impl_->uid_of(t->package);
    for (const ActivityRecord& r : t->activities)
      info.activities.push_back(
          {r.package, r.class_name, identity_hash(r.rid), identity_hash(r.rid + 0x5151)});
    out.push_back(std::move(info));
  }
  return out;
}

std::shared_ptr<const cv::Mat> SimDevice::screenshot() {
  Impl& d = *impl_;
  Scene scene;
  uint64_t version = 0;
  Time valid_until;
  {
    std::lock_guard lock(d.mutex);
    d.advance_to_now();
    if (d.cache_bgr && d.cache_version == d.version && d.now < d.cache_valid_until)
      return d.cache_bgr;
    scene = d.build_scene(valid_until);
    version = d.version;
  }
  std::shared_ptr<const cv::Mat> frame;
  {
    std::lock_guard render_lock(d.render_mutex);
    if (!d.renderer) d.renderer = std::make_unique<ScreenRenderer>();
    frame = std::make_shared<const cv::Mat>(d.renderer->render(scene));
  }
  std::lock_guard lock(d.mutex);
  if (version >= d.cache_version) {
    d.cache_version = version;
    d.cache_valid_until = valid_until;
    d.cache_bgr = frame;
    d.cache_raw.reset();
  }
  return frame;
}

std::shared_ptr<const std::string> SimDevice::screenshot_png() {
  std::shared_ptr<const cv::Mat> frame = screenshot();
  // Encoded on every call at zlib's default level, as a phone's `screencap -p` does: the cost of
  // PNG on the device is what makes raw screencap the fast path, and the simulator keeps it.
  std::vector<uchar> buf;
  cv::imencode(".png", *frame, buf, {cv::IMWRITE_PNG_COMPRESSION, 6});
  return std::make_shared<const std::string>(buf.begin(), buf.end());
}

std::shared_ptr<const std::string> SimDevice::screenshot_raw() {
  std::shared_ptr<const cv::Mat> frame = screenshot();
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->cache_bgr == frame && impl_->cache_raw) return impl_->cache_raw;
  }
  cv::Mat rgba;
  cv::cvtColor(*frame, rgba, cv::COLOR_BGR2RGBA);
  auto put = [](std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  std::string raw;
  size_t pixels = static_cast<size_t>(rgba.cols) * rgba.rows * 4;
  raw.reserve(16 + pixels);
  put(raw, static_cast<uint32_t>(rgba.cols));
  put(raw, static_cast<uint32_t>(rgba.rows));
  put(raw, 1);                                // PIXEL_FORMAT_RGBA_8888
  if (impl_->profile.sdk >= 28) put(raw, 0);  // colour space: unknown/sRGB
  for (int y = 0; y < rgba.rows; ++y)
    raw.append(reinterpret_cast<const char*>(rgba.ptr(y)), static_cast<size_t>(rgba.cols) * 4);
  auto shared = std::make_shared<const std::string>(std::move(raw));
  std::lock_guard lock(impl_->mutex);
  if (impl_->cache_bgr == frame) impl_->cache_raw = shared;
  return shared;
}

detectors::UiTree SimDevice::ui_tree() {
  return scene_to_tree(scene());
}

}  // namespace uiw::sim
