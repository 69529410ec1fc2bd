#include "detectors/screen_element.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace uiw::detectors {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The last part of a dotted class name: "android.widget.Switch" → "Switch".
std::string_view simple_name(std::string_view class_name) {
  const size_t dot = class_name.rfind('.');
  return dot == std::string_view::npos ? class_name : class_name.substr(dot + 1);
}

// A close control's id or description: the name alone, or the name ending in "close" / 关闭.
bool names_close(const UiNode& n) {
  const std::string id = lower(n.resource_id.substr(n.resource_id.rfind('/') + 1));
  const std::string desc = lower(n.content_desc);
  for (const std::string& s : {id, desc})
    if (contains(s, "close") || contains(s, "dismiss") || contains(s, "关闭")) return true;
  return false;
}

}  // namespace

const char* to_string(ScreenElement::Kind kind) {
  switch (kind) {
    case ScreenElement::Kind::kSwitch:
      return "switch";
    case ScreenElement::Kind::kCheckbox:
      return "checkbox";
    case ScreenElement::Kind::kRadio:
      return "radio";
    case ScreenElement::Kind::kDialog:
      return "dialog";
    case ScreenElement::Kind::kCloseMark:
      return "close_mark";
  }
  return "?";
}

bool is_selection(ScreenElement::Kind kind) {
  return kind == ScreenElement::Kind::kSwitch || kind == ScreenElement::Kind::kCheckbox ||
         kind == ScreenElement::Kind::kRadio;
}

std::optional<ScreenElement::Kind> selection_kind_of(const UiNode& node) {
  using Kind = ScreenElement::Kind;
  struct ClassKind {
    std::string_view name_part;
    Kind kind;
  };
  // Matched on the simple class name, first hit wins ("SwitchCompat", "SwitchMaterial",
  // "AppCompatCheckBox", "MaterialRadioButton" included). A ToggleButton has no shape of its
  // own (an "ON"/"OFF" button, or any icon an app gives it: a bookmark, a heart).
  static constexpr std::array<ClassKind, 4> kTable{{{"Switch", Kind::kSwitch},
                                                    {"RadioButton", Kind::kRadio},
                                                    {"CheckBox", Kind::kCheckbox},
                                                    {"CheckedTextView", Kind::kCheckbox}}};
  const std::string_view name = simple_name(node.class_name);
  for (const ClassKind& ck : kTable)
    if (contains(name, ck.name_part)) return ck.kind;
  return std::nullopt;
}

std::optional<Rect> dialog_window(const UiTree& tree, const Rect& screen) {
  for (const UiNode& root : tree.roots()) {
    const double share = static_cast<double>(root.bounds.area()) / std::max(1L, screen.area());
    if (share >= 0.06 && share < 0.85) return root.bounds;
  }
  return std::nullopt;
}

std::vector<ScreenElement> tree_elements(const UiTree& tree, const Rect& screen, int max_close_px) {
  std::vector<ScreenElement> out;
  if (auto window = dialog_window(tree, screen))
    out.push_back({ScreenElement::Kind::kDialog, *window, std::nullopt, "dialog window"});
  tree.visit([&](const UiNode& n, int) {
    const Rect box = n.bounds.intersect(screen);
    if (box.empty() || !(box == n.bounds)) return;  // off screen or cut by its edge
    const std::string detail =
        std::string(simple_name(n.class_name)) + (n.resource_id.empty() ? "" : " " + n.resource_id);
    if (auto kind = selection_kind_of(n)) {
      out.push_back({*kind, box, n.checked, detail});
    } else if (names_close(n) && std::max(box.width(), box.height()) <= max_close_px) {
      out.push_back({ScreenElement::Kind::kCloseMark, box, std::nullopt, detail});
    }
  });
  return out;
}

}  // namespace uiw::detectors
