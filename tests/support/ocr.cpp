#include "tests/support/ocr.h"

#include <algorithm>
#include <vector>

#include "detectors/ocr_service.h"

namespace uiw::test {
namespace {

// The detectors' OCR service, so the tests read text exactly as the detectors do. One engine:
// the read-back tests are single-threaded. Created on first use; throws uiw::Error(kNotFound) if
// the language data is missing.
detectors::OcrService& service() {
  static detectors::OcrService instance(1);
  return instance;
}

// The part of `region` inside the frame, as a detectors::Rect; empty when nothing is inside.
detectors::Rect clip(const cv::Mat& bgr, const cv::Rect& region) {
  const cv::Rect clipped = region & cv::Rect(0, 0, bgr.cols, bgr.rows);
  return detectors::Rect{clipped.x, clipped.y, clipped.x + clipped.width,
                         clipped.y + clipped.height};
}

std::vector<char32_t> normalized_code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    length = std::min(length, text.size() - i);
    char32_t value = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (size_t k = 1; k < length; ++k) value = (value << 6) | (text[i + k] & 0x3F);
    i += length;
    if (value == U' ' || value == U'\n' || value == U'\t' || value == U'\r' || value == 0x3000 ||
        value == 0x0C) {
      continue;
    }
    if (value >= 0xFF01 && value <= 0xFF5E) value -= 0xFEE0;  // full-width forms
    if (value == U'“' || value == U'”') value = U'"';
    if (value == U'‘' || value == U'’') value = U'\'';
    out.push_back(value);
  }
  return out;
}

}  // namespace

OcrInput prepare_for_ocr(const cv::Mat& bgr, const cv::Rect& region) {
  const detectors::Rect roi = clip(bgr, region);
  if (bgr.empty() || roi.empty()) return {};
  detectors::OcrPrepared prepared = detectors::prepare_region(bgr, roi);
  return OcrInput{prepared.binary, prepared.lines};
}

std::string recognize_text(const cv::Mat& bgr, const cv::Rect& region) {
  const detectors::Rect roi = clip(bgr, region);
  if (bgr.empty() || roi.empty()) return "";
  return service().read_text(bgr, roi);
}

CharErrors count_char_errors(std::string_view reference, std::string_view recognized) {
  const std::vector<char32_t> a = normalized_code_points(reference);
  const std::vector<char32_t> b = normalized_code_points(recognized);
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return CharErrors{row[b.size()], a.size()};
}

double char_accuracy(std::string_view reference, std::string_view recognized) {
  const CharErrors e = count_char_errors(reference, recognized);
  if (e.length == 0) return 1.0;
  return std::max(0.0, 1.0 - static_cast<double>(e.errors) / e.length);
}

}  // namespace uiw::test
