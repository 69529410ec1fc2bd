#include "detectors/close_control_finder.h"

#include <algorithm>

#include "detectors/button_region.h"
#include "detectors/contrast.h"

namespace uiw::detectors {
namespace {

// "com.app:id/iv_close" → "iv_close".
std::string id_name(const std::string& resource_id) {
  size_t slash = resource_id.rfind('/');
  return slash == std::string::npos ? resource_id : resource_id.substr(slash + 1);
}

bool is_whole_screen(const Frame& frame, const Rect& r) {
  return r.area() >= frame.bounds().area() * 9 / 10;
}

// A label short enough to be a control's whole text ("5s | 跳过", "No, thanks"), not a sentence
// that happens to contain a close word.
bool is_short_label(const std::string& text) {
  return code_points(normalize_text(text)) <= 10;
}

}  // namespace

std::string_view to_string(CloseControl::Source source) {
  switch (source) {
    case CloseControl::Source::kTree:
      return "tree";
    case CloseControl::Source::kGlyph:
      return "pixels";
    case CloseControl::Source::kText:
      return "text";
  }
  return "tree";
}

CloseControlFinder::CloseControlFinder(const RuleProfile& profile) : profile_(profile) {}

Rect CloseControlFinder::search_area(const Frame& frame, const Rect& surface) {
  if (is_whole_screen(frame, surface)) return frame.bounds();
  const int dy = surface.height() / 4;
  const int dx = surface.width() / 10;
  return Rect{surface.left - dx, surface.top - dy, surface.right + dx, surface.bottom + dy}
      .intersect(frame.bounds());
}

std::vector<CloseControl> CloseControlFinder::find(const Frame& frame, const Rect& surface,
                                                   const std::vector<TextItem>& texts) const {
  const Vocabulary& close_words = profile_.vocabulary("close");
  const Vocabulary& close_ids = profile_.vocabulary("close_ids");
  const Vocabulary& decline_words = profile_.vocabulary("decline");
  const Rect area = search_area(frame, surface);
  std::vector<CloseControl> found;

  auto measure = [&](CloseControl c) {
    c.size_dp = frame.to_dp(std::min(c.box.width(), c.box.height()));
    // A control is visible when it stands out from what surrounds it, or when its label or
    // glyph stands out from the control's own fill (white "跳过" on a dark pill over an orange
    // ad): the second is measured on the middle of the control, ringed by its fill.
    const Rect& b = c.box;
    const Rect middle{b.left + b.width() / 5, b.top + b.height() / 5, b.right - b.width() / 5,
                      b.bottom - b.height() / 5};
    c.contrast = std::max(element_contrast(frame.image, b).ratio,
                          element_contrast(frame.image, middle).ratio);
    return c;
  };

  // Tree nodes named or labelled as close controls.
  if (frame.tree) {
    frame.tree->visit([&](const UiNode& node, int) {
      if (!area.contains(node.bounds.center_x(), node.bounds.center_y())) return;
      if (node.bounds.area() * 4 > surface.area()) return;  // a container, not a control
      const std::string id = id_name(node.resource_id);
      const std::string& label = !node.text.empty() ? node.text : node.content_desc;
      const bool by_id = !id.empty() && close_ids.match_label(id).has_value();
      const bool by_label = !label.empty() && is_short_label(label) &&
                            (close_words.match_label(label, true) || close_words.find_in(label));
      if (by_id || by_label)
        found.push_back(
            measure({CloseControl::Source::kTree, node.bounds, label.empty() ? id : label, false}));
    });
  }

  // Labels read on screen (tree text already covered above; OCR text here) and decline options.
  for (const TextItem& t : texts) {
    if (!area.contains(t.box.center_x(), t.box.center_y()) || !is_short_label(t.text)) continue;
    const bool close = close_words.match_label(t.text, true) || close_words.find_in(t.text);
    const bool decline =
        !close && (decline_words.match_label(t.text, true) || decline_words.find_in(t.text));
    if (!close && !decline) continue;
    if (close && t.source == TextItem::Source::kTree) continue;  // found as a node
    if (t.source == TextItem::Source::kOcr && code_points(normalize_text(t.text)) == 1)
      continue;  // "x" read by OCR is a drawn ×: the glyph search below measures it properly
    // A label inside the pop-up sits on the pop-up's button or is plain text on the card.
    const Rect limit = surface.contains(t.box.center_x(), t.box.center_y()) ? surface : area;
    const Rect box =
        t.source == TextItem::Source::kTree ? t.box : button_region(frame.image, t.box, limit);
    found.push_back(measure({CloseControl::Source::kText, box, t.text, decline}));
  }

  // × glyphs drawn in pixels (ad SDKs rarely put them in the tree).
  CloseGlyphDetector glyphs(frame.density_dpi);
  glyphs.min_ink_dp = profile_.vision("close_glyph_min_ink_dp", glyphs.min_ink_dp);
  glyphs.max_ink_dp = profile_.vision("close_glyph_max_ink_dp", glyphs.max_ink_dp);
  glyphs.min_score = profile_.vision("close_glyph_min_score", glyphs.min_score);
  std::vector<CloseGlyph> drawn;
  if (is_whole_screen(frame, surface)) {
    // Splash and full-screen ads put the × or skip in a top corner, below the status bar
    // (whose icons belong to no app).
    const int w = frame.width() / 4, h = frame.height() / 6, top = frame.app_area().top;
    for (const Rect& corner :
         {Rect{0, top, w, top + h}, Rect{frame.width() - w, top, frame.width(), top + h}})
      for (const CloseGlyph& g : glyphs.detect_in(frame.image, corner)) drawn.push_back(g);
  } else {
    drawn = glyphs.detect_near_card(frame.image, surface);
  }
  const double per_ink = profile_.vision("close_glyph_target_per_ink", 1.0);
  for (const CloseGlyph& g : drawn) {
    // A glyph inside a node already found is that node's drawing.
    bool known = std::any_of(found.begin(), found.end(), [&](const CloseControl& c) {
      return c.box.contains(g.ink.center_x(), g.ink.center_y());
    });
    if (known) continue;
    CloseControl c{CloseControl::Source::kGlyph, g.ink, "×", false};
    // Contrast is measured on the ink; the tap target is the smallest clickable node holding
    // the glyph when the tree has one, else the ink (plus the profile's padding).
    c.contrast = element_contrast(frame.image, g.ink).ratio;
    const UiNode* holder = nullptr;
    if (frame.tree) {
      frame.tree->visit([&](const UiNode& node, int) {
        if (node.clickable && node.bounds.contains(g.ink.center_x(), g.ink.center_y()) &&
            node.bounds.area() * 4 <= surface.area() &&
            (!holder || node.bounds.area() < holder->bounds.area()))
          holder = &node;
      });
    }
    c.box = holder ? holder->bounds : g.ink;
    c.size_dp = frame.to_dp(std::min(c.box.width(), c.box.height())) *
                (holder || g.circled ? 1.0 : per_ink);
    found.push_back(c);
  }

  std::stable_sort(found.begin(), found.end(), [](const CloseControl& a, const CloseControl& b) {
    if (a.decline != b.decline) return !a.decline;
    return a.size_dp * std::min(a.contrast, 4.5) > b.size_dp * std::min(b.contrast, 4.5);
  });
  return found;
}

}  // namespace uiw::detectors
