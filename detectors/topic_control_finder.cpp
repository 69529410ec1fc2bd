#include "detectors/topic_control_finder.h"

#include <algorithm>

#include "detectors/screen_text.h"
#include "detectors/selection_mark_detector.h"
#include "detectors/ui_query.h"

namespace uiw::detectors {
namespace {

// Share of the smaller height that two boxes have in common vertically.
double row_overlap(const Rect& a, const Rect& b) {
  const int overlap = std::min(a.bottom, b.bottom) - std::max(a.top, b.top);
  const int h = std::min(a.height(), b.height());
  return h > 0 ? static_cast<double>(std::max(0, overlap)) / h : 0.0;
}

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
  TextLineFinder lines(frame.density_dpi);
  lines.max_lines = 40;  // a settings page: read every row
  const std::vector<TextItem> texts = ocr_lines(frame.image, frame.bounds(), lines, ocr_);
  const std::vector<SelectionMark> marks =
      SelectionMarkDetector(frame.density_dpi).detect(frame.image, frame.bounds());
  for (const TextItem& t : texts) {
    const std::optional<std::string> term = topic_.find_in(t.text);
    if (!term) continue;
    TopicControl c{t.text, *term, t.box, t.box, false, std::nullopt, TopicControl::Source::kPixels};
    const SelectionMark* best = nullptr;
    for (const SelectionMark& m : marks) {
      if (row_overlap(m.box, t.box) < 0.5) continue;
      if (!best || horizontal_gap(m.box, t.box) < horizontal_gap(best->box, t.box)) best = &m;
    }
    if (best) {
      c.control_box = best->box;
      c.checkable = true;
      c.checked = best->checked;
    }
    found.push_back(std::move(c));
  }
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
