#pragma once
// The scenario model: what a test engineer writes in YAML (scenarios/README.md), after loading —
// variables substituted, `run_flow` files included, every step carrying the file and line it came
// from so that any error, at load time or at run time, can name them.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace uiw::harness {

struct SourceLocation {
  std::string file;  // as given on the command line or in run_flow, made absolute by the loader
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  // "FILE:LINE" (":COL" when known).
  std::string str() const;
};

struct Point {
  int x = 0;
  int y = 0;
};

// How a step names an element. Every field that is set must hold; `index` picks among several
// matches in reading order (top to bottom, then left to right).
struct Selector {
  std::optional<std::string> text;  // whole text, exact (tree, then OCR when the tree lacks it)
  std::optional<std::string> text_regex;  // ECMAScript; the whole text must match
  std::optional<std::string> id;          // resource-id, full or the part after ":id/"
  std::optional<std::string> desc;        // content-desc, exact
  std::optional<std::string> class_name;  // full or simple class name
  std::optional<std::string> xpath;       // XPath 1.0 over the uiautomator XML
  std::optional<std::string> image;       // template image file (absolute after loading)
  double image_threshold = 0.85;          // normalised correlation a template match must reach
  std::optional<std::string> ocr;         // text read in the pixels (substring, case-insensitive)
  int index = 0;

  enum class Relation { kBelow, kAbove, kLeftOf, kRightOf, kNear };
  struct Relative {
    Relation relation = Relation::kNear;
    std::shared_ptr<const Selector> anchor;
  };
  std::optional<Relative> relative;

  // One line for logs, steps.jsonl and errors: `text "同意"`, `id btn_close #1 below text "x"`.
  std::string describe() const;
};

enum class StepKind {
  kLaunch,            // text: package (default: the scenario's app); clear_data
  kStop,              // text: package (default: the scenario's app)
  kTap,               // selector or point
  kLongPress,         // selector or point; duration
  kType,              // text typed; selector (optional) tapped first
  kSwipe,             // from/to points, or direction ("up", "down", "left", "right")
  kScrollTo,          // selector; direction; max_swipes
  kBack,              //
  kHome,              //
  kWait,              // duration
  kWaitFor,           // selector (until visible or timeout)
  kAssertVisible,     // selector
  kAssertNotVisible,  // selector
  kScreenshot,        // text: a name for the frame
  kOpenUrl,           // text: URL
  kCheck,             // rules: the static rules to run on the current frame (empty: all)
  kProbe,             // probe
  kRunFlow,           // children: the included file's steps; text: that file
  kRepeat,            // children, times
};

// "launch", "tap", "assert_not_visible", … as written in YAML.
std::string_view to_string(StepKind kind);

struct ProbeSpec {
  enum class Kind { kPopup, kPersonalisation, kLink };
  Kind kind = Kind::kPopup;

  // popup: POP-05 … POP-09. Unset selectors and points come from the detectors.
  std::optional<Selector> close;  // the close control to tap (POP-06, POP-07)
  std::optional<Point> blank;     // a blank spot inside the pop-up to tap (POP-05)
  // How long to watch for the pop-up coming back (POP-07); unset: the profile's watch_seconds.
  std::optional<std::chrono::milliseconds> watch;
  // The weak motion injected for POP-09, m/s²; unset: a fifth of the profile's threshold.
  std::optional<double> shake_ms2;

  // personalisation: PER-01 … PER-03
  int max_depth = 8;  // taps from home before giving up (PER-01)

  // link: LNK-01, LNK-02. The link to test (a selector to tap, or a URL to open) and optionally
  // a control link of the same kind that must end the same way (LNK-02).
  std::optional<Selector> link;
  std::optional<std::string> url;
  std::optional<Selector> control_link;
  std::optional<std::string> control_url;
};

std::string_view to_string(ProbeSpec::Kind kind);

struct Step {
  StepKind kind = StepKind::kWait;
  SourceLocation where;
  std::string name;  // optional label from `name:`; empty → derived from kind and selector

  std::optional<Selector> selector;
  std::optional<Point> point;             // tap / long_press at coordinates
  std::optional<Point> from, to;          // swipe
  std::string direction;                  // swipe / scroll_to: up | down | left | right
  int max_swipes = 10;                    // scroll_to
  std::string text;                       // see StepKind
  bool clear_data = false;                // launch
  std::chrono::milliseconds duration{0};  // wait, long_press, swipe
  std::vector<std::string> rules;         // check
  std::optional<ProbeSpec> probe;         // probe
  int times = 1;                          // repeat
  std::vector<Step> children;             // repeat, run_flow

  std::optional<std::chrono::milliseconds> timeout;  // per step; default from the runner
  int retries = 0;                                   // extra attempts after a failure
  bool optional = false;                             // a failure is recorded, the scenario goes on

  // `tap text "同意"` (or `"name": tap text "同意"`), for step records and frame names.
  std::string action() const;
  // action() and where it is written: `tap text "同意" (flows/login.yaml:12)`, for errors.
  std::string describe() const;
};

struct Scenario {
  std::string file;  // absolute path
  std::string name;
  std::string app;  // package
  std::vector<std::string> tags;
  std::vector<std::string> rules;  // rule IDs this scenario is about (empty: every rule)
  std::vector<std::pair<std::string, std::string>> vars;  // after substitution, in file order
  std::vector<Step> steps;
};

}  // namespace uiw::harness
