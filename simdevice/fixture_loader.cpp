#include "simdevice/fixture_loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/user_regex.h"
#include "simdevice/color.h"

namespace uiw::sim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kActionKeys[] = {"start",  "screen", "overlay", "dismiss", "open_url",
                                       "toggle", "set",    "back",    "finish",  "nothing"};

std::string join(std::initializer_list<const char*> items) {
  std::string out;
  for (const char* item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

bool valid_package_name(const std::string& name) {
  int segments = 0;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string seg =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (seg.empty() || !(std::isalpha(static_cast<unsigned char>(seg[0])) || seg[0] == '_'))
      return false;
    for (char c : seg)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    ++segments;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments >= 2;
}

// One pass over one file. Names that may be referenced before they are defined (states,
// activities, screens) are collected first, so each reference is checked where it is written.
class Parser {
 public:
  Parser(std::string source, std::string base_dir)
      : source_(std::move(source)), base_dir_(std::move(base_dir)) {}

  AppModel parse(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      fail(e.mark, "YAML syntax error: " + e.msg);
    }
    if (!root.IsMap())
      fail(root, "a fixture app is a YAML map with at least `package` and `activities`");
    check_keys(root, "the app",
               {"package", "label", "version_name", "version_code", "launcher", "state", "links",
                "deep_links", "motion", "activities", "screens"});
    app_.source_path = source_;
    if (!root["package"]) fail(root, "missing `package` (the app's package name)");
    app_.package = str(root["package"], "package");
    if (!valid_package_name(app_.package))
      fail(root["package"], fmt::format("package \"{}\" is not a valid Android package name "
                                        "(like com.example.app)",
                                        app_.package));
    app_.label = root["label"] ? str(root["label"], "label") : app_.package;
    if (root["version_name"]) app_.version_name = str(root["version_name"], "version_name");
    if (root["version_code"]) app_.version_code = integer(root["version_code"], "version_code");

    collect_names(root);
    if (root["state"]) parse_states(root["state"]);
    if (!root["screens"]) fail(root, "missing `screens`");
    if (!root["activities"]) fail(root, "missing `activities`");
    parse_activities(root["activities"]);
    if (root["launcher"]) {
      app_.launcher = activity_ref(root["launcher"], "launcher");
    } else {
      app_.launcher = app_.activities.front().class_name;
    }
    if (root["links"]) parse_links(root["links"]);
    if (root["deep_links"]) parse_deep_links(root["deep_links"]);
    if (root["motion"]) parse_motion(root["motion"]);
    parse_screens(root["screens"]);
    return std::move(app_);
  }

 private:
  // ---- errors and scalars ----
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    int line = mark.is_null() ? 1 : mark.line + 1;
    int column = mark.is_null() ? 1 : mark.column + 1;
    throw Error(ErrorKind::kConfig, fmt::format("{}:{}:{}: {}", source_, line, column, message));
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    fail(node.Mark(), message);
  }
  static SourceMark mark_of(const YAML::Node& node) {
    YAML::Mark m = node.Mark();
    return m.is_null() ? SourceMark{1, 1} : SourceMark{m.line + 1, m.column + 1};
  }

  void check_keys(const YAML::Node& map, const std::string& what,
                  std::initializer_list<const char*> allowed) const {
    if (!map.IsMap()) fail(map, fmt::format("{} must be a map with keys: {}", what, join(allowed)));
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar())
        fail(it->first, fmt::format("{} has a key that is not a name", what));
      const std::string& key = it->first.Scalar();
      bool ok = false;
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok)
        fail(it->first,
             fmt::format("unknown key `{}` in {}; allowed: {}", key, what, join(allowed)));
    }
  }

  std::string str(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, fmt::format("`{}` must be a text", what));
    return node.Scalar();
  }
  bool boolean(const YAML::Node& node, const std::string& what) const {
    try {
      if (node.IsScalar()) return node.as<bool>();
    } catch (const YAML::Exception&) {
    }
    fail(node, fmt::format("`{}` must be true or false, not \"{}\"", what,
                           node.IsScalar() ? node.Scalar() : std::string("a list or map")));
  }
  int integer(const YAML::Node& node, const std::string& what) const {
    try {
      if (node.IsScalar()) return node.as<int>();
    } catch (const YAML::Exception&) {
    }
    fail(node, fmt::format("`{}` must be an integer, not \"{}\"", what,
                           node.IsScalar() ? node.Scalar() : std::string("a list or map")));
  }
  double number(const YAML::Node& node, const std::string& what, double min = 0,
                double max = 1e9) const {
    double v = 0;
    try {
      if (!node.IsScalar()) throw YAML::Exception(node.Mark(), "");
      v = node.as<double>();
    } catch (const YAML::Exception&) {
      fail(node, fmt::format("`{}` must be a number, not \"{}\"", what,
                             node.IsScalar() ? node.Scalar() : std::string("a list or map")));
    }
    if (v < min || v > max)
      fail(node, fmt::format("`{}` must be between {} and {}, not {}", what, min, max, v));
    return v;
  }
  Color color(const YAML::Node& node, const std::string& what) const {
    std::string text = str(node, what);
    try {
      return parse_color(text);
    } catch (const Error& e) {
      fail(node, fmt::format("`{}`: {}", what, e.what()));
    }
  }
  std::string existing_file(const YAML::Node& node, const std::string& what) const {
    fs::path p(str(node, what));
    if (p.is_relative()) p = fs::path(base_dir_) / p;
    p = p.lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(p, ec))
      fail(node, fmt::format("`{}`: file {} does not exist", what, p.string()));
    return p.string();
  }
  std::regex regex(const YAML::Node& node, const std::string& what) const {
    std::string pattern = str(node, what);
    try {
      return compile_user_regex(pattern);
    } catch (const std::regex_error& e) {
      fail(node, fmt::format("`{}`: \"{}\" is not a valid regular expression: {}", what, pattern,
                             e.what()));
    }
  }

  // ---- names ----
  void collect_names(const YAML::Node& root) {
    if (YAML::Node states = root["state"]; states && states.IsMap())
      for (auto it = states.begin(); it != states.end(); ++it)
        if (it->first.IsScalar()) state_names_.insert(it->first.Scalar());
    if (YAML::Node acts = root["activities"]; acts && acts.IsMap())
      for (auto it = acts.begin(); it != acts.end(); ++it)
        if (it->first.IsScalar()) activity_names_.insert(app_.full_class(it->first.Scalar()));
    if (YAML::Node screens = root["screens"]; screens && screens.IsMap()) {
      for (auto it = screens.begin(); it != screens.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        bool overlay = false;
        YAML::Node v = it->second;
        if (v.IsMap() && v["overlay"] && v["overlay"].IsScalar()) {
          try {
            overlay = v["overlay"].as<bool>();
          } catch (const YAML::Exception&) {
          }
        }
        screen_overlay_[it->first.Scalar()] = overlay;
      }
    }
  }

  std::string known_list(const std::map<std::string, bool>& m, bool overlay) const {
    std::string out;
    for (const auto& [name, is_overlay] : m)
      if (is_overlay == overlay) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "none" : out;
  }
  template <typename Set>
  static std::string list_of(const Set& s) {
    std::string out;
    for (const auto& name : s) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "none" : out;
  }

  std::string screen_ref(const YAML::Node& node, const std::string& what, bool overlay) const {
    std::string id = str(node, what);
    auto it = screen_overlay_.find(id);
    if (it == screen_overlay_.end())
      fail(node, fmt::format("`{}` names screen \"{}\", which is not defined under `screens` "
                             "(defined {}: {})",
                             what, id, overlay ? "overlays" : "screens",
                             known_list(screen_overlay_, overlay)));
    if (it->second != overlay)
      fail(node, overlay ? fmt::format("`{}`: screen \"{}\" is not an overlay (add `overlay: true` "
                                       "or use `screen:`)",
                                       what, id)
                         : fmt::format("`{}`: screen \"{}\" is an overlay; show it with "
                                       "`overlay:`",
                                       what, id));
    return id;
  }
  std::string any_screen_ref(const YAML::Node& node, const std::string& what) const {
    std::string id = str(node, what);
    if (!screen_overlay_.count(id))
      fail(node,
           fmt::format("`{}` names screen \"{}\", which is not defined under `screens`", what, id));
    return id;
  }
  std::string activity_ref(const YAML::Node& node, const std::string& what) const {
    std::string name = app_.full_class(str(node, what));
    if (!activity_names_.count(name))
      fail(node, fmt::format("`{}` names activity \"{}\", which is not listed under `activities` "
                             "(listed: {})",
                             what, name, list_of(activity_names_)));
    return name;
  }
  std::string state_ref(const YAML::Node& node, const std::string& what) const {
    std::string name = str(node, what);
    if (!state_names_.count(name))
      fail(node, fmt::format("`{}` names state \"{}\", which is not defined under `state` "
                             "(defined: {})",
                             what, name, list_of(state_names_)));
    return name;
  }

  // ---- sections ----
  void parse_states(const YAML::Node& node) {
    if (!node.IsMap()) fail(node, "`state` must be a map: name: {initial: true, persist: false}");
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.Scalar();
      StateVar var;
      const YAML::Node v = it->second;
      if (v.IsScalar()) {
        var.initial = boolean(v, name);
      } else {
        check_keys(v, fmt::format("state `{}`", name), {"initial", "persist"});
        if (v["initial"]) var.initial = boolean(v["initial"], "initial");
        if (v["persist"]) var.persist = boolean(v["persist"], "persist");
      }
      app_.states[name] = var;
    }
  }

  void parse_activities(const YAML::Node& node) {
    if (!node.IsMap() || node.size() == 0)
      fail(node,
           "`activities` must be a map of at least one activity: .MainActivity: {screen: "
           "main}");
    for (auto it = node.begin(); it != node.end(); ++it) {
      ActivitySpec act;
      act.class_name = app_.full_class(it->first.Scalar());
      const YAML::Node v = it->second;
      if (v.IsScalar()) {
        act.screen = screen_ref(v, "screen", false);
      } else {
        check_keys(v, fmt::format("activity `{}`", it->first.Scalar()), {"screen"});
        if (!v["screen"]) fail(v, "an activity needs `screen`: the screen it shows first");
        act.screen = screen_ref(v["screen"], "screen", false);
      }
      app_.activities.push_back(act);
    }
  }

  void parse_links(const YAML::Node& node) {
    if (!node.IsSequence()) fail(node, "`links` must be a list of {match, handle} rules");
    for (const YAML::Node& item : node) {
      check_keys(item, "a link rule", {"match", "handle", "screen", "activity"});
      LinkRule rule;
      if (!item["match"]) fail(item, "a link rule needs `match` (a regular expression on the URL)");
      if (!item["handle"])
        fail(item, "a link rule needs `handle`: browser, interstitial, webview or ignore");
      rule.pattern = str(item["match"], "match");
      rule.regex = regex(item["match"], "match");
      std::string handle = str(item["handle"], "handle");
      if (handle == "browser") {
        rule.handle = LinkHandling::kBrowser;
      } else if (handle == "interstitial") {
        rule.handle = LinkHandling::kInterstitial;
      } else if (handle == "webview") {
        rule.handle = LinkHandling::kWebview;
      } else if (handle == "ignore") {
        rule.handle = LinkHandling::kIgnore;
      } else {
        fail(item["handle"], fmt::format("unknown handle \"{}\"; allowed: browser, interstitial, "
                                         "webview, ignore",
                                         handle));
      }
      bool needs_screen =
          rule.handle == LinkHandling::kInterstitial || rule.handle == LinkHandling::kWebview;
      if (needs_screen && !item["screen"])
        fail(item, fmt::format("handle: {} needs `screen`", handle));
      if (!needs_screen && item["screen"])
        fail(item["screen"], "`screen` is only used with handle: interstitial or webview");
      if (rule.handle == LinkHandling::kWebview && !item["activity"])
        fail(item, "handle: webview needs `activity` (the app's own activity that shows the page)");
      if (rule.handle != LinkHandling::kWebview && item["activity"])
        fail(item["activity"], "`activity` is only used with handle: webview");
      if (rule.handle == LinkHandling::kInterstitial)
        rule.screen = any_screen_ref(item["screen"], "screen");
      if (rule.handle == LinkHandling::kWebview) {
        rule.screen = screen_ref(item["screen"], "screen", false);
        rule.activity = activity_ref(item["activity"], "activity");
      }
      app_.links.push_back(std::move(rule));
    }
  }

  void parse_deep_links(const YAML::Node& node) {
    if (!node.IsSequence()) fail(node, "`deep_links` must be a list of {match, start}");
    for (const YAML::Node& item : node) {
      check_keys(item, "a deep link", {"match", "start"});
      if (!item["match"]) fail(item, "a deep link needs `match` (a regular expression on the URL)");
      if (!item["start"]) fail(item, "a deep link needs `start` (the activity that opens it)");
      DeepLink link;
      link.pattern = str(item["match"], "match");
      link.regex = regex(item["match"], "match");
      link.activity = activity_ref(item["start"], "start");
      app_.deep_links.push_back(std::move(link));
    }
  }

  void parse_motion(const YAML::Node& node) {
    check_keys(node, "`motion`", {"screens", "min_acceleration", "action"});
    MotionTrigger m;
    if (YAML::Node s = node["screens"]) {
      if (!s.IsSequence()) fail(s, "`screens` must be a list of screen ids");
      for (const YAML::Node& id : s) m.screens.push_back(any_screen_ref(id, "screens"));
    }
    if (!node["min_acceleration"]) fail(node, "`motion` needs `min_acceleration` (m/s²)");
    m.min_acceleration = number(node["min_acceleration"], "min_acceleration", 0, 1000);
    if (!node["action"]) fail(node, "`motion` needs `action`");
    m.actions = actions(node["action"], "action");
    app_.motion = std::move(m);
  }

  void parse_screens(const YAML::Node& node) {
    if (!node.IsMap() || node.size() == 0) fail(node, "`screens` must be a map of screen ids");
    for (auto it = node.begin(); it != node.end(); ++it)
      app_.screens.push_back(screen(it->first.Scalar(), it->second));
  }

  ScreenSpec screen(const std::string& id, const YAML::Node& v) {
    const std::string what = fmt::format("screen `{}`", id);
    check_keys(v, what,
               {"overlay", "window", "dim", "reappear_after", "on_show", "outside_tap", "recorded",
                "on_tap", "status_bar", "background", "nodes"});
    ScreenSpec s;
    s.id = id;
    if (v["overlay"]) s.overlay = boolean(v["overlay"], "overlay");
    for (const char* key : {"window", "dim", "reappear_after", "outside_tap"})
      if (v[key] && !s.overlay)
        fail(v[key], fmt::format("`{}` only applies to overlays (add `overlay: true`)", key));
    if (v["window"]) {
      std::string w = str(v["window"], "window");
      if (w != "dialog" && w != "view")
        fail(v["window"], fmt::format("unknown window \"{}\"; allowed: dialog, view", w));
      s.dialog_window = w == "dialog";
    }
    if (v["dim"]) s.dim = number(v["dim"], "dim", 0, 1);
    if (!s.overlay) s.dim = 0;
    if (v["reappear_after"]) s.reappear_after = number(v["reappear_after"], "reappear_after");
    if (v["status_bar"]) s.status_bar = boolean(v["status_bar"], "status_bar");
    if (v["background"]) s.background = color(v["background"], "background");
    // Activities are white unless they say otherwise; a recorded frame is its own background.
    if (!s.overlay && !s.background && !v["recorded"]) s.background = Color{255, 255, 255, 255};
    if (v["on_show"]) s.on_show = actions(v["on_show"], "on_show");
    if (YAML::Node o = v["outside_tap"]) {
      if (o.IsScalar() && (o.Scalar() == "dismiss" || o.Scalar() == "nothing")) {
        if (o.Scalar() == "dismiss") {
          Action a;
          a.kind = ActionKind::kDismiss;
          a.mark = mark_of(o);
          s.outside_tap.push_back(a);
        }
      } else if (o.IsScalar()) {
        fail(o, fmt::format("unknown outside_tap \"{}\"; allowed: dismiss, nothing, or an action",
                            o.Scalar()));
      } else {
        s.outside_tap = actions(o, "outside_tap");
      }
    }
    if (YAML::Node r = v["recorded"]) {
      check_keys(r, "`recorded`", {"image", "tree"});
      if (!r["image"]) fail(r, "`recorded` needs `image` (a PNG of the real screen)");
      s.recorded_image_path = existing_file(r["image"], "image");
      s.recorded_image = cv::imread(s.recorded_image_path, cv::IMREAD_COLOR);
      if (s.recorded_image.empty())
        fail(r["image"],
             fmt::format("`image`: {} is not an image OpenCV can read", s.recorded_image_path));
      if (r["tree"]) {
        std::string tree_path = existing_file(r["tree"], "tree");
        try {
          s.recorded_tree = detectors::UiTree::load(tree_path);
        } catch (const Error& e) {
          fail(r["tree"], fmt::format("`tree`: {}", e.what()));
        }
      }
    }
    if (YAML::Node t = v["on_tap"]) {
      if (s.recorded_image_path.empty())
        fail(t, "`on_tap` on a screen is for recorded frames; put `on_tap` on a node instead");
      if (!t.IsSequence()) fail(t, "`on_tap` must be a list of {id|text|desc|class, action}");
      for (const YAML::Node& item : t) {
        check_keys(item, "a recorded tap", {"id", "text", "desc", "class", "action"});
        RecordedTap tap;
        if (item["id"]) tap.resource_id = str(item["id"], "id");
        if (item["text"]) tap.text = str(item["text"], "text");
        if (item["desc"]) tap.content_desc = str(item["desc"], "desc");
        if (item["class"]) tap.class_name = str(item["class"], "class");
        if (!item["action"]) fail(item, "a recorded tap needs `action`");
        if (tap.resource_id.empty() && tap.text.empty() && tap.content_desc.empty() &&
            tap.class_name.empty())
          fail(item, "a recorded tap needs a selector: id, text, desc or class");
        tap.actions = actions(item["action"], "action");
        s.recorded_taps.push_back(std::move(tap));
      }
    }
    if (YAML::Node n = v["nodes"]) s.nodes = nodes(n);
    return s;
  }

  std::vector<NodeSpec> nodes(const YAML::Node& list) {
    if (!list.IsSequence()) fail(list, "`nodes` must be a list of nodes");
    std::vector<NodeSpec> out;
    for (const YAML::Node& item : list) out.push_back(node(item));
    return out;
  }

  NodeSpec node(const YAML::Node& v) {
    check_keys(v, "a node",
               {"class", "text", "id", "desc", "bounds", "clickable", "checkable", "checked",
                "enabled", "scrollable", "in_tree", "visible_after", "visible_when", "countdown",
                "countdown_done_text", "style", "on_tap", "on_long_press", "children"});
    NodeSpec n;
    if (v["text"]) n.text = str(v["text"], "text");
    n.class_name = v["class"]                    ? str(v["class"], "class")
                   : v["text"] || v["countdown"] ? "android.widget.TextView"
                                                 : "android.view.View";
    if (v["id"]) {
      std::string id = str(v["id"], "id");
      n.resource_id = id.find(':') == std::string::npos ? app_.package + ":id/" + id : id;
    }
    if (v["desc"]) n.content_desc = str(v["desc"], "desc");
    if (!v["bounds"]) fail(v, "a node needs `bounds: [left, top, right, bottom]` in px");
    n.bounds = bounds(v["bounds"]);
    if (v["on_tap"]) n.on_tap = actions(v["on_tap"], "on_tap");
    if (v["on_long_press"]) n.on_long_press = actions(v["on_long_press"], "on_long_press");
    n.clickable = v["clickable"] ? boolean(v["clickable"], "clickable") : !n.on_tap.empty();
    if (v["checkable"]) n.checkable = boolean(v["checkable"], "checkable");
    if (YAML::Node c = v["checked"]) {
      if (c.IsMap()) {
        check_keys(c, "`checked`", {"state"});
        if (!c["state"]) fail(c, "`checked` as a map needs `state`");
        n.checked_state = state_ref(c["state"], "state");
      } else {
        n.checked = boolean(c, "checked");
      }
      if (!v["checkable"]) n.checkable = true;
    }
    if (v["enabled"]) n.enabled = boolean(v["enabled"], "enabled");
    if (v["scrollable"]) n.scrollable = boolean(v["scrollable"], "scrollable");
    if (v["in_tree"]) n.in_tree = boolean(v["in_tree"], "in_tree");
    if (v["visible_after"]) n.visible_after = number(v["visible_after"], "visible_after");
    if (YAML::Node w = v["visible_when"]) {
      check_keys(w, "`visible_when`", {"state", "is"});
      if (!w["state"]) fail(w, "`visible_when` needs `state`");
      n.visible_when_state = state_ref(w["state"], "state");
      if (w["is"]) n.visible_when_is = boolean(w["is"], "is");
    }
    if (v["countdown"]) {
      int c = integer(v["countdown"], "countdown");
      if (c < 0) fail(v["countdown"], "`countdown` must be 0 or more seconds");
      n.countdown = c;
    }
    if (v["countdown_done_text"]) {
      if (!n.countdown) fail(v["countdown_done_text"], "`countdown_done_text` needs `countdown`");
      n.countdown_done_text = str(v["countdown_done_text"], "countdown_done_text");
    }
    if (v["style"]) n.style = style(v["style"]);
    if (v["children"]) n.children = nodes(v["children"]);
    return n;
  }

  detectors::Rect bounds(const YAML::Node& b) const {
    const char* msg = "`bounds` must be 4 integers: [left, top, right, bottom]";
    if (!b.IsSequence() || b.size() != 4) fail(b, msg);
    int v[4];
    for (size_t i = 0; i < 4; ++i) {
      try {
        if (!b[i].IsScalar()) fail(b[i], msg);
        v[i] = b[i].as<int>();
      } catch (const YAML::Exception&) {
        fail(b[i], fmt::format("{}; \"{}\" is not an integer", msg, b[i].Scalar()));
      }
    }
    if (v[2] < v[0] || v[3] < v[1])
      fail(b, fmt::format("`bounds` [{}, {}, {}, {}]: right must be ≥ left and bottom ≥ top", v[0],
                          v[1], v[2], v[3]));
    return detectors::Rect{v[0], v[1], v[2], v[3]};
  }

  NodeStyle style(const YAML::Node& v) const {
    check_keys(v, "`style`",
               {"background", "color", "font_size", "bold", "corner_radius", "opacity", "gravity",
                "border", "border_width", "glyph", "glyph_color", "image"});
    NodeStyle s;
    if (v["background"]) s.background = color(v["background"], "background");
    if (v["color"]) s.text_color = color(v["color"], "color");
    if (v["font_size"]) s.font_size_sp = number(v["font_size"], "font_size", 1, 500);
    if (v["bold"]) s.bold = boolean(v["bold"], "bold");
    if (v["corner_radius"]) s.corner_radius_dp = number(v["corner_radius"], "corner_radius");
    if (v["opacity"]) s.opacity = number(v["opacity"], "opacity", 0, 1);
    if (YAML::Node g = v["gravity"]) {
      std::string text = str(g, "gravity");
      if (text == "center") {
        s.gravity = Gravity::kCenter;
      } else if (text == "left") {
        s.gravity = Gravity::kLeft;
      } else if (text == "right") {
        s.gravity = Gravity::kRight;
      } else {
        fail(g, fmt::format("unknown gravity \"{}\"; allowed: center, left, right", text));
      }
    }
    if (v["border"]) s.border = color(v["border"], "border");
    if (v["border_width"]) s.border_width_dp = number(v["border_width"], "border_width");
    if (s.border && s.border_width_dp == 0) s.border_width_dp = 1;
    if (YAML::Node g = v["glyph"]) {
      static const std::map<std::string, Glyph> glyphs = {
          {"cross", Glyph::kCross},       {"circled_cross", Glyph::kCircledCross},
          {"checkbox", Glyph::kCheckbox}, {"switch", Glyph::kSwitch},
          {"radio", Glyph::kRadio},       {"arrow_left", Glyph::kArrowLeft},
          {"none", Glyph::kNone}};
      std::string text = str(g, "glyph");
      auto it = glyphs.find(text);
      if (it == glyphs.end())
        fail(g, fmt::format("unknown glyph \"{}\"; allowed: cross, circled_cross, checkbox, "
                            "switch, radio, arrow_left",
                            text));
      s.glyph = it->second;
    }
    if (v["glyph_color"]) s.glyph_color = color(v["glyph_color"], "glyph_color");
    if (v["image"]) s.image_path = existing_file(v["image"], "image");
    return s;
  }

  std::vector<Action> actions(const YAML::Node& v, const std::string& what) {
    std::vector<Action> out;
    if (v.IsSequence()) {
      for (const YAML::Node& item : v) out.push_back(action(item, what));
    } else {
      out.push_back(action(v, what));
    }
    return out;
  }

  Action action(const YAML::Node& v, const std::string& what) {
    std::string allowed;
    for (const char* k : kActionKeys) allowed += std::string(allowed.empty() ? "" : ", ") + k;
    if (!v.IsMap())
      fail(v, fmt::format("`{}` must be an action such as {{dismiss: true}}; actions: {}", what,
                          allowed));
    Action a;
    a.mark = mark_of(v);
    int found = 0;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      const YAML::Node val = it->second;
      if (key == "after") {
        a.after = number(val, "after");
        continue;
      }
      bool known = false;
      for (const char* k : kActionKeys) known = known || key == k;
      if (!known)
        fail(it->first, fmt::format("unknown action `{}`; allowed: {}, after", key, allowed));
      if (++found > 1)
        fail(it->first, "an action has exactly one kind; use a list to run several in order");
      if (key == "start") {
        a.kind = ActionKind::kStart;
        std::string target = str(val, "start");
        size_t slash = target.find('/');
        if (slash == std::string::npos) {
          a.target = app_.package + "/" + activity_ref(val, "start");
        } else {
          std::string pkg = target.substr(0, slash);
          std::string cls = target.substr(slash + 1);
          if (cls.empty() || pkg.empty())
            fail(val, fmt::format("`start`: \"{}\" is not PKG/ACTIVITY", target));
          if (cls[0] == '.') cls = pkg + cls;
          if (pkg == app_.package && !activity_names_.count(cls))
            fail(val, fmt::format("`start` names activity \"{}\", which is not listed under "
                                  "`activities` (listed: {})",
                                  cls, list_of(activity_names_)));
          a.target = pkg + "/" + cls;
        }
      } else if (key == "screen") {
        a.kind = ActionKind::kScreen;
        a.target = screen_ref(val, "screen", false);
      } else if (key == "overlay") {
        a.kind = ActionKind::kOverlay;
        a.target = screen_ref(val, "overlay", true);
      } else if (key == "open_url") {
        a.kind = ActionKind::kOpenUrl;
        a.target = str(val, "open_url");
        if (a.target.empty()) fail(val, "`open_url` needs a URL");
      } else if (key == "toggle") {
        a.kind = ActionKind::kToggle;
        a.target = state_ref(val, "toggle");
      } else if (key == "set") {
        a.kind = ActionKind::kSet;
        if (!val.IsMap() || val.size() == 0)
          fail(val, "`set` must be a map of states: {set: {personalised: false}}");
        for (auto s = val.begin(); s != val.end(); ++s)
          a.values[state_ref(s->first, "set")] = boolean(s->second, s->first.Scalar());
      } else {
        bool on = boolean(val, key);
        a.kind = !on                ? ActionKind::kNothing
                 : key == "dismiss" ? ActionKind::kDismiss
                 : key == "back"    ? ActionKind::kBack
                 : key == "finish"  ? ActionKind::kFinish
                                    : ActionKind::kNothing;
      }
    }
    if (found == 0) fail(v, fmt::format("`{}` has no action; actions: {}", what, allowed));
    return a;
  }

  std::string source_;
  std::string base_dir_;
  AppModel app_;
  std::set<std::string> state_names_;
  std::set<std::string> activity_names_;
  std::map<std::string, bool> screen_overlay_;  // id → is an overlay
};

}  // namespace

AppModel FixtureLoader::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::kConfig, fmt::format("{}:1:1: cannot read the fixture app file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  fs::path dir = fs::absolute(fs::path(path)).parent_path();
  return load_text(ss.str(), path, dir.string());
}

AppModel FixtureLoader::load_text(const std::string& yaml, const std::string& source,
                                  const std::string& base_dir) {
  Parser parser(source, base_dir);
  return parser.parse(yaml);
}

}  // namespace uiw::sim
