#pragma once
// One element of a screen, in the same shape whether the UI tree or the pixels gave it: what it
// is, where, and for selection widgets whether it is on. Rules and evaluation compare and judge
// elements; the tree and the pixel search are two ways of making the same list.
#include <optional>
#include <string>
#include <vector>

#include "detectors/rect.h"
#include "detectors/ui_tree.h"

namespace uiw::detectors {

struct ScreenElement {
  enum class Kind { kSwitch, kCheckbox, kRadio, kDialog, kCloseMark };
  enum class Source { kTree, kPixels };
  Kind kind = Kind::kCheckbox;
  Rect box;                     // frame px
  std::optional<bool> checked;  // selection widgets: on or off
  std::string detail;           // tree: class and id; pixels: what was measured
  Source source = Source::kTree;
};

// "switch", "checkbox", "radio", "dialog", "close_mark".
const char* to_string(ScreenElement::Kind kind);
bool is_selection(ScreenElement::Kind kind);

// The selection widget a node is drawn as, from its class (Switch, SwitchCompat → switch;
// CheckBox, CheckedTextView → checkbox; RadioButton → radio). A checkable node of any other
// class (a checkable row or tab, a ToggleButton styled as an icon) has no shape of its own: none.
std::optional<ScreenElement::Kind> selection_kind_of(const UiNode& node);

// A dialog window in a dump: a root smaller than the screen (phones dump the focused window,
// and a dialog's window is its card); none when the dump is a full-screen window.
std::optional<Rect> dialog_window(const UiTree& tree, const Rect& screen);

// The elements a tree states: selection widgets with their state (visible on `screen` only),
// the dialog window, and close controls named by `close_words`-like ids or descriptions
// ("iv_close", "close", "关闭") no larger than `max_close_px` on a side.
std::vector<ScreenElement> tree_elements(const UiTree& tree, const Rect& screen, int max_close_px);

}  // namespace uiw::detectors
