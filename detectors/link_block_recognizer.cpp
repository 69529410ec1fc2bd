#include "detectors/link_block_recognizer.h"

#include "detectors/screen_text.h"

namespace uiw::detectors {

std::optional<Observation> LinkBlockRecognizer::recognize(const Frame& frame) const {
  if (as_bgr(frame.image).empty()) return std::nullopt;  // no screen to place text on
  const Vocabulary& blocking = profile_.vocabulary("link_blocking");
  std::vector<TextItem> texts;
  if (frame.tree) texts = tree_text(*frame.tree, frame.bounds());
  if (texts.empty()) {
    // A WebView page: read every line; a probe runs this once per link, not per frame.
    TextLineFinder lines(frame.density_dpi);
    lines.max_lines = 40;
    texts = ocr_lines(as_bgr(frame.image), frame.bounds(), lines, ocr_);
  }
  for (const TextItem& t : texts)
    if (blocking.find_in(t.text)) return Observation{"link_blocking", t.box, t.text};
  return std::nullopt;
}

}  // namespace uiw::detectors
