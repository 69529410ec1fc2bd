#pragma once
// Resolving a scenario Selector on one captured frame: which elements it names and where they
// are. The tree answers when it can (exact, instant); pixels answer when it cannot: OCR on the
// text lines found in the image (WebViews, games and ad SDKs leave their text out of the dump)
// and scale-tolerant template matching for `image` selectors.
#include <map>
#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detectors/frame.h"
#include "detectors/rect.h"
#include "detectors/ui_tree.h"
#include "harness/scenario.h"

namespace uiw::detectors {
class OcrService;
}

namespace uiw::harness {

struct ElementMatch {
  detectors::Rect bounds;                   // px on the frame (the part on screen)
  std::string source;                       // "tree" | "ocr" | "image"
  const detectors::UiNode* node = nullptr;  // when from the tree (valid while the frame lives)
  double score = 1.0;  // template correlation / OCR confidence (0–1) / 1 for tree
  std::string text;    // what was read or matched
  Point center() const { return Point{bounds.center_x(), bounds.center_y()}; }
};

// Fields of a selector combine as follows. Tree fields (text, text_regex, id, desc, class_name,
// xpath) select tree nodes; when only text/text_regex are set and the tree cannot answer (no
// tree, or no match in a tree that is not complete), OCR'd text lines answer instead. `image`
// and `ocr` always look at the pixels; set together with tree fields, they keep the tree
// matches whose bounds hold the centre of a pixel match (and `ocr` likewise narrows `image`).
//
// Thread-safe: one resolver can serve several device workers (the template cache and the
// last frame's OCR reading are guarded; OCR runs through the pooled OcrService).
class SelectorResolver {
 public:
  explicit SelectorResolver(detectors::OcrService* ocr);  // null: no OCR fallbacks
  ~SelectorResolver();
  SelectorResolver(const SelectorResolver&) = delete;
  SelectorResolver& operator=(const SelectorResolver&) = delete;

  // Every element matching the selector, in reading order (top→bottom, then left→right); for
  // a relative selector, nearest to the anchor first. `index` is not applied. Throws
  // uiw::Error(kConfig) for a bad regex or XPath or an empty selector, and kNotFound/kConfig
  // for a template file that is missing or unreadable, naming the selector.
  std::vector<ElementMatch> find_all(const Selector& selector, const detectors::Frame& frame) const;
  // The index-th match or nullopt.
  std::optional<ElementMatch> find(const Selector& selector, const detectors::Frame& frame) const;

 private:
  struct Context;
  struct OcrLine;
  std::vector<ElementMatch> resolve(const Selector& selector, const detectors::Frame& frame,
                                    Context& ctx) const;
  std::vector<ElementMatch> own_matches(const Selector& selector, const detectors::Frame& frame,
                                        Context& ctx) const;
  std::vector<ElementMatch> image_matches(const Selector& selector,
                                          const detectors::Frame& frame) const;
  const std::vector<OcrLine>& ocr_lines(const detectors::Frame& frame, Context& ctx) const;
  cv::Mat load_template(const Selector& selector) const;

  detectors::OcrService* ocr_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, cv::Mat> templates_;  // by path, BGR
  // The OCR reading of the last frame read, by content hash: a step that waits for an element
  // and then taps it looks at the same frame twice.
  struct Reading;
  mutable std::shared_ptr<const Reading> last_reading_;
};

}  // namespace uiw::harness
