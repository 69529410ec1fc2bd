#include "tests/support/ocr.h"

#include <tesseract/baseapi.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "common/error.h"

namespace uiw::test {
namespace {

// Text lines are upscaled until they are about this tall: Tesseract's LSTM models read best
// with capitals 30–40 px high.
const double kTargetLinePx = getenv("OCR_LINE") ? atof(getenv("OCR_LINE")) : 48;
constexpr double kMaxScale = 4;

class Engine {
 public:
  Engine() {
    const char* langs = getenv("OCR_LANGS") ? getenv("OCR_LANGS") : "eng+chi_sim";
    if (api_.Init(nullptr, langs, tesseract::OEM_LSTM_ONLY) != 0) {
      throw Error(ErrorKind::kNotFound,
                  "Tesseract could not load eng + chi_sim: install tesseract-ocr-eng and "
                  "tesseract-ocr-chi-sim, or point TESSDATA_PREFIX at their tessdata folder");
    }
    api_.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    // Only the text matters; keep Tesseract from writing debug files or guessing DPI noisily.
    api_.SetVariable("user_defined_dpi", "300");
    api_.SetVariable("debug_file", "/dev/null");
  }
  ~Engine() { api_.End(); }

  std::string read(const cv::Mat& binary, bool single_line) {
    std::lock_guard lock(mutex_);
    api_.SetPageSegMode(single_line ? static_cast<tesseract::PageSegMode>(getenv("OCR_PSM1") ? atoi(getenv("OCR_PSM1")) : 13) : tesseract::PSM_SINGLE_BLOCK);
    api_.SetImage(binary.data, binary.cols, binary.rows, 1, static_cast<int>(binary.step));
    std::unique_ptr<char[]> text(api_.GetUTF8Text());
    api_.Clear();
    return text ? std::string(text.get()) : std::string();
  }

 private:
  std::mutex mutex_;
  tesseract::TessBaseAPI api_;
};

Engine& engine() {
  static Engine instance;
  return instance;
}

// Bands of rows holding ink: how many text lines there are and how tall the tallest is.
struct InkBands {
  int count = 0;
  int tallest = 0;
};

InkBands ink_bands(const cv::Mat& ink) {
  InkBands bands;
  int run = 0;
  for (int y = 0; y < ink.rows; ++y) {
    if (cv::countNonZero(ink.row(y)) > 0) {
      if (run++ == 0) ++bands.count;
      bands.tallest = std::max(bands.tallest, run);
    } else {
      run = 0;
    }
  }
  return bands;
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

std::string recognize_text(const cv::Mat& bgr, const cv::Rect& region) {
  const cv::Rect clipped = region & cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (clipped.width < 2 || clipped.height < 2) return "";
  cv::Mat grey;
  cv::cvtColor(bgr(clipped), grey, bgr.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);

  // Polarity from a first Otsu pass: the majority class is the background.
  cv::Mat binary;
  cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (static_cast<size_t>(cv::countNonZero(binary)) < binary.total() / 2) {
    cv::bitwise_not(grey, grey);
    cv::bitwise_not(binary, binary);
  }
  cv::Mat ink;
  cv::bitwise_not(binary, ink);
  const InkBands bands = ink_bands(ink);
  if (bands.count == 0) return "";

  // Only the ink and a margin: large empty areas make Tesseract's layout analysis drop lines.
  const int margin = bands.tallest / 2 + 2;
  cv::Rect box = cv::boundingRect(ink);
  box = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
        cv::Rect(0, 0, grey.cols, grey.rows);
  grey = grey(box).clone();

  const double scale = std::clamp(kTargetLinePx / std::max(1, bands.tallest), 1.0, kMaxScale);
  if (scale > 1.01) cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_CUBIC);
  cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  const int pad = 20;
  cv::copyMakeBorder(binary, binary, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  if (getenv("OCR_DEBUG")) cv::imwrite(getenv("OCR_DEBUG"), binary);
  return engine().read(binary, bands.count == 1);
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
