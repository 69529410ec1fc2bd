#pragma once
// The in-memory form of a fixture app (fixtures/apps/README.md): what FixtureLoader reads from
// YAML and SimDevice runs. Every name an app refers to (screens, activities, states) has been
// checked by the loader, so the device can trust these references.
#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "detectors/rect.h"
#include "detectors/ui_tree.h"
#include "simdevice/scene.h"

namespace uiw::sim {

// Where something was written in the fixture file (1-based), for messages.
struct SourceMark {
  int line = 0;
  int column = 0;
};

enum class ActionKind {
  kStart,
  kScreen,
  kOverlay,
  kDismiss,
  kOpenUrl,
  kSet,
  kToggle,
  kBack,
  kFinish,
  kNothing
};

struct Action {
  ActionKind kind = ActionKind::kNothing;
  // start: ".Act", "pkg.Act" or "pkg/.Act"; screen/overlay: a screen id; open_url: the URL;
  // toggle: a state name.
  std::string target;
  std::map<std::string, bool> values;  // set
  double after = 0;                    // seconds; 0 runs at once
  SourceMark mark;
};

struct StateVar {
  bool initial = false;
  bool persist = false;  // survives force-stop (not pm clear)
};

enum class LinkHandling { kBrowser, kInterstitial, kWebview, kIgnore };

struct LinkRule {
  std::string pattern;
  std::regex regex;
  LinkHandling handle = LinkHandling::kBrowser;
  std::string screen;    // interstitial, webview
  std::string activity;  // webview: full class name
};

struct DeepLink {
  std::string pattern;
  std::regex regex;
  std::string activity;  // full class name
};

struct MotionTrigger {
  std::vector<std::string> screens;  // empty: any screen
  double min_acceleration = 0;       // m/s² away from rest (0, 9.81, 0)
  std::vector<Action> actions;
};

struct NodeSpec {
  std::string class_name;
  std::string text;
  std::string resource_id;  // already "PKG:id/name"
  std::string content_desc;
  detectors::Rect bounds;
  bool clickable = false;
  bool checkable = false;
  bool enabled = true;
  bool scrollable = false;
  bool in_tree = true;
  bool checked = false;       // literal value when checked_state is empty
  std::string checked_state;  // checked follows this state
  double visible_after = 0;
  std::string visible_when_state;  // empty: always
  bool visible_when_is = true;
  std::optional<int> countdown;  // seconds; "{n}" in text becomes the seconds left
  std::optional<std::string> countdown_done_text;
  NodeStyle style;
  std::vector<Action> on_tap;
  std::vector<Action> on_long_press;
  std::vector<NodeSpec> children;

  bool is_edit_text() const { return class_name.find("EditText") != std::string::npos; }
};

// A tap target on a recorded frame: a node of the recorded tree chosen by its attributes.
struct RecordedTap {
  std::string resource_id, text, content_desc, class_name;  // empty: any
  std::vector<Action> actions;
};

struct ScreenSpec {
  std::string id;
  bool overlay = false;
  bool dialog_window = false;  // window: dialog
  double dim = 0.5;            // overlays only
  double reappear_after = 0;   // 0: never comes back
  std::optional<Color> background;
  bool status_bar = true;
  std::vector<Action> on_show;
  std::vector<Action> outside_tap;  // taps outside an overlay; empty: nothing
  std::string recorded_image_path;  // absolute; empty when not recorded
  cv::Mat recorded_image;
  std::optional<detectors::UiTree> recorded_tree;
  std::vector<RecordedTap> recorded_taps;
  std::vector<NodeSpec> nodes;
};

struct ActivitySpec {
  std::string class_name;  // full: "com.pkg.MainActivity"
  std::string screen;
};

struct AppModel {
  std::string source_path;  // the YAML file
  std::string package;
  std::string label;
  std::string version_name = "1.0";
  int version_code = 1;
  std::string launcher;  // full class name
  std::map<std::string, StateVar> states;
  std::vector<LinkRule> links;
  std::vector<DeepLink> deep_links;
  std::optional<MotionTrigger> motion;
  std::vector<ActivitySpec> activities;  // file order
  std::vector<ScreenSpec> screens;       // file order

  const ScreenSpec* find_screen(const std::string& id) const {
    for (const auto& s : screens)
      if (s.id == id) return &s;
    return nullptr;
  }
  const ActivitySpec* find_activity(const std::string& full_class) const {
    for (const auto& a : activities)
      if (a.class_name == full_class) return &a;
    return nullptr;
  }
  // ".Main" → "com.pkg.Main"; a full name stays as it is.
  std::string full_class(const std::string& name) const {
    return !name.empty() && name[0] == '.' ? package + name : name;
  }
};

}  // namespace uiw::sim
