#pragma once
// The text on part of a screen, one item per label or text line, from the UI tree when it has
// it and from region OCR when it does not (WebViews, ad SDK images, screenshot-only frames).
// Rules match these items against the profile's vocabulary.
#include <string>
#include <vector>

#include "detectors/frame.h"
#include "detectors/ocr_service.h"
#include "detectors/rect.h"
#include "detectors/text_line_finder.h"

namespace uiw::detectors {

class OcrService;

struct TextItem {
  enum class Source { kTree, kOcr };
  std::string text;
  Rect box;  // the node's bounds, or the OCR line's ink box
  Source source = Source::kTree;
  const UiNode* node = nullptr;  // the tree node for kTree (valid while the frame lives)
};

// Text and content-desc of the tree's nodes whose centre lies in `region`, in tree order.
std::vector<TextItem> tree_text(const UiTree& tree, const Rect& region);

// OCR lines of `region` (words joined per line; CJK without spaces). Empty when `ocr` is null.
// `reads`: the frame's reads so far, or null (see OcrService::read). By default ink touching the
// region's edge is dropped (a button's corners).
std::vector<TextItem> ocr_text(const cv::Mat& image, const Rect& region, OcrService* ocr,
                               std::vector<ReadRegion>* reads = nullptr,
                               const OcrOptions& options = {});

// The text lines of `region` found in pixels (TextLineFinder), each read on its own: robust on
// regions mixing text with buttons, icons and photos.
std::vector<TextItem> ocr_lines(const cv::Mat& image, const Rect& region,
                                const TextLineFinder& finder, OcrService* ocr,
                                std::vector<ReadRegion>* reads = nullptr);
// The same on lines the caller already found (frame px).
std::vector<TextItem> ocr_lines(const cv::Mat& image, const std::vector<Rect>& lines,
                                OcrService* ocr, std::vector<ReadRegion>* reads = nullptr);

}  // namespace uiw::detectors
