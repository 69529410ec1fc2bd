#include "detectors/screen_text.h"

#include <algorithm>
#include <map>
#include <optional>

#include "detectors/ocr_service.h"
#include "detectors/text_line_finder.h"
#include "detectors/vocabulary.h"

namespace uiw::detectors {
namespace {

bool ends_ascii_alnum(const std::string& s) {
  return !s.empty() && static_cast<unsigned char>(s.back()) < 0x80 &&
         std::isalnum(static_cast<unsigned char>(s.back()));
}

bool starts_ascii_alnum(const std::string& s) {
  return !s.empty() && static_cast<unsigned char>(s.front()) < 0x80 &&
         std::isalnum(static_cast<unsigned char>(s.front()));
}

Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  return Rect{std::min(a.left, b.left), std::min(a.top, b.top), std::max(a.right, b.right),
              std::max(a.bottom, b.bottom)};
}

// Words per OCR line joined into items.
std::vector<TextItem> join_words(const std::vector<OcrWord>& words) {
  std::vector<TextItem> out;
  std::map<int, TextItem> lines;
  for (const OcrWord& w : words) {
    TextItem& item = lines[w.line];
    item.source = TextItem::Source::kOcr;
    // Latin words keep their spaces; CJK runs are joined as written.
    if (ends_ascii_alnum(item.text) && starts_ascii_alnum(w.text)) item.text += ' ';
    item.text += w.text;
    item.box = unite(item.box, w.box);
  }
  for (auto& [line, item] : lines) out.push_back(std::move(item));
  return out;
}

}  // namespace

std::vector<TextItem> tree_text(const UiTree& tree, const Rect& region) {
  std::vector<TextItem> out;
  tree.visit([&](const UiNode& node, int) {
    if (!region.contains(node.bounds.center_x(), node.bounds.center_y())) return;
    for (const std::string* s : {&node.text, &node.content_desc})
      if (!s->empty()) out.push_back({*s, node.bounds, TextItem::Source::kTree, &node});
  });
  return out;
}

std::vector<TextItem> ocr_text(const cv::Mat& image, const Rect& region, OcrService* ocr,
                               std::vector<ReadRegion>* reads, const OcrOptions& options) {
  if (ocr == nullptr || image.empty()) return {};
  const Rect roi = region.intersect(Rect{0, 0, image.cols, image.rows});
  if (roi.width() < 4 || roi.height() < 4) return {};
  return join_words(ocr->recognize(image, roi, options, reads));
}

std::vector<TextItem> ocr_lines(const cv::Mat& image, const Rect& region,
                                const TextLineFinder& finder, OcrService* ocr,
                                std::vector<ReadRegion>* reads) {
  if (ocr == nullptr || image.empty()) return {};
  return ocr_lines(image, finder.find(image, region), ocr, reads);
}

std::vector<TextItem> ocr_lines(const cv::Mat& image, const std::vector<Rect>& lines,
                                OcrService* ocr, std::vector<ReadRegion>* reads) {
  std::vector<TextItem> out;
  if (ocr == nullptr || image.empty()) return out;
  for (const Rect& line : lines)
    // A line is cut tightly round its text: ink at its edge is text.
    for (TextItem& t : ocr_text(image, line, ocr, reads, {.drop_border_ink = false}))
      if (!normalize_text(t.text).empty()) out.push_back(std::move(t));
  // Pieces of one label found apart ("广告  5s" with a wide gap) are joined: same row, gap under
  // twice the text height.
  std::sort(out.begin(), out.end(),
            [](const TextItem& a, const TextItem& b) { return a.box.left < b.box.left; });
  std::vector<TextItem> joined;
  for (TextItem& t : out) {
    auto same_row = [&](const TextItem& j) {
      const int h = std::min(j.box.height(), t.box.height());
      const int gap = t.box.left - j.box.right;
      return row_overlap(j.box, t.box) >= 0.6 && gap >= -h / 2 && gap <= 2 * h;
    };
    auto it = std::find_if(joined.begin(), joined.end(), same_row);
    if (it == joined.end()) {
      joined.push_back(std::move(t));
      continue;
    }
    it->text += (ends_ascii_alnum(it->text) && starts_ascii_alnum(t.text) ? " " : "") + t.text;
    it->box = unite(it->box, t.box);
  }
  return joined;
}

}  // namespace uiw::detectors
