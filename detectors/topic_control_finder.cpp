#include "detectors/topic_control_finder.h"

#include <algorithm>

#include "detectors/choice_label.h"
#include "detectors/ocr_service.h"
#include "detectors/profile_detectors.h"
#include "detectors/screen_text.h"
#include "detectors/ui_query.h"

namespace uiw::detectors {
namespace {

// Share of the smaller height that two boxes have in common vertically.
int horizontal_gap(const Rect& a, const Rect& b) {
  if (a.right <= b.left) return b.left - a.right;
  if (b.right <= a.left) return a.left - b.right;
  return 0;
}

void order(std::vector<TopicControl>& found) {
  std::stable_sort(found.begin(), found.end(), [](const TopicControl& a, const TopicControl& b) {
    if (a.checkable != b.checkable) return a.checkable;
    return a.label_box.top < b.label_box.top;
  });
}

}  // namespace

std::vector<TopicControl> TopicControlFinder::from_tree(const Frame& frame) const {
  std::vector<TopicControl> found;
  const UiTree& tree = *frame.tree;
  const std::vector<const UiNode*> checkables =
      tree.find_all([](const UiNode& n) { return n.checkable; });
  tree.visit([&](const UiNode& node, int) {
    const std::string& label = !node.text.empty() ? node.text : node.content_desc;
    if (label.empty()) return;
    const std::optional<std::string> term = topic_.find_in(label);
    if (!term) return;
    TopicControl c{
        label, *term, node.bounds, node.bounds, false, std::nullopt, TopicControl::Source::kTree};
    const UiNode* control = node.checkable ? &node : nullptr;
    // Else the switch on the label's row: the nearest checkable node sharing the row.
    for (const UiNode* s : checkables) {
      if (row_overlap(s->bounds, node.bounds) < 0.5) continue;
      if (!control ||
          horizontal_gap(s->bounds, node.bounds) < horizontal_gap(control->bounds, node.bounds))
        control = s;
    }
    if (control) {
      c.control_box = control->bounds;
      c.checkable = true;
      c.checked = control->checked;
    } else if (const UiNode* row =
                   smallest_node_at(tree, node.bounds.center_x(), node.bounds.center_y(),
                                    [](const UiNode& n) { return n.clickable; })) {
      c.control_box = row->bounds;
    }
    found.push_back(std::move(c));
  });
  return found;
}

std::vector<TopicControl> TopicControlFinder::from_pixels(const Frame& frame) const {
  std::vector<TopicControl> found;
  if (!ocr_) return found;
  // Switches and checkboxes first, each with the label beside it: a few OCR calls, not a page.
  for (const SelectionMark& m :
       find_selection_widgets(profile_, frame.image, frame.app_area(), frame.density_dpi)) {
    const std::optional<Rect> label_box = find_choice_label(frame.image, m.box, frame.density_dpi);
    if (!label_box) continue;
    const std::string label = read_choice_label(frame.image, *label_box, *ocr_);
    if (const std::optional<std::string> term = topic_.find_in(label))
      found.push_back(
          {label, *term, *label_box, m.box, true, m.checked, TopicControl::Source::kPixels});
  }
  if (!found.empty()) return found;
  // No switch for the topic: an entry leading to a deeper page ("个性化推荐设置 >"), read from
  // every text line.
  TextLineFinder lines(frame.density_dpi);
  lines.max_lines = 40;
  for (const TextItem& t : ocr_lines(frame.image, frame.bounds(), lines, ocr_))
    if (const std::optional<std::string> term = topic_.find_in(t.text))
      found.push_back(
          {t.text, *term, t.box, t.box, false, std::nullopt, TopicControl::Source::kPixels});
  return found;
}

std::vector<TopicControl> TopicControlFinder::find_all(const Frame& frame) const {
  std::vector<TopicControl> found;
  if (frame.tree) found = from_tree(frame);
  if (found.empty()) found = from_pixels(frame);
  order(found);
  return found;
}

std::optional<TopicControl> TopicControlFinder::find(const Frame& frame) const {
  std::vector<TopicControl> all = find_all(frame);
  if (all.empty()) return std::nullopt;
  return all.front();
}

}  // namespace uiw::detectors
