#pragma once
// Every way a pop-up offers to go away — a close node in the tree, a × drawn in pixels, a
// "跳过"/"Skip"/"关闭" label, a decline option — with its size in dp and its contrast, so POP-01
// (none), POP-02 (too small), POP-03 (too faint) and POP-08 (only a countdown) can be judged.
#include <string>
#include <vector>

#include "detectors/close_glyph_detector.h"
#include "detectors/frame.h"
#include "detectors/rule_profile.h"
#include "detectors/screen_text.h"

namespace uiw::detectors {

struct CloseControl {
  enum class Source { kTree, kGlyph, kText };
  Source source = Source::kTree;
  Rect box;              // the tap target: node bounds, button region, or the glyph's ink
  std::string label;     // its text, content-desc or resource-id; "×" for a glyph
  bool decline = false;  // a decline option ("不了，谢谢", "No thanks") rather than a close mark
  double size_dp = 0;    // shorter side of `box`
  double contrast = 1;  // WCAG ratio of its ink against its surroundings
};

std::string_view to_string(CloseControl::Source source);

class CloseControlFinder {
 public:
  explicit CloseControlFinder(const RuleProfile& profile);

  // Close controls of the pop-up `surface` (or of the whole screen when it is the screen), best
  // first: close marks before decline options, then larger and more contrasting. `texts` are the
  // surface's text items (tree or OCR) including the bands just outside it.
  std::vector<CloseControl> find(const Frame& frame, const Rect& surface,
                                 const std::vector<TextItem>& texts) const;

  // Where close marks of `surface` may sit: the surface grown by a quarter of its height above
  // and below (a ⊗ under the card) and a little sideways.
  static Rect search_area(const Frame& frame, const Rect& surface);

 private:
  const RuleProfile& profile_;
};

}  // namespace uiw::detectors
