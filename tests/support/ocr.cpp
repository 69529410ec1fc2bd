#include "tests/support/ocr.h"

#include <tesseract/baseapi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "common/error.h"

namespace uiw::test {
namespace {

// Small text is upscaled until a line (ascender to descender) is about this tall: Tesseract's
// LSTM models read best with capitals of 25–35 px. Measured on the hand-made scenes: 40 beats
// 32, 48 and 64.
constexpr double kTargetLinePx = 40;
constexpr double kMaxScale = 4;

// chi_sim's model also reads Latin letters, digits and punctuation, and reads Chinese lines far
// better alone: with "eng+chi_sim" Tesseract took the English model for about one Chinese line in
// twenty (93.6 % vs 98.1 % character accuracy on the catalogue's screens). So chi_sim reads
// first, and eng+chi_sim gets a second look only when chi_sim is unsure.
constexpr int kConfidentEnough = 70;

class Engine {
 public:
  Engine() {
    // Tesseract's OpenMP threads spin and cost more than they save on small regions; tests run
    // next to each other.
    setenv("OMP_THREAD_LIMIT", "1", 0);
    init(chinese_, "chi_sim");
    init(mixed_, "eng+chi_sim");
  }
  ~Engine() {
    chinese_.End();
    mixed_.End();
  }

  std::string read(const cv::Mat& binary, int lines) {
    std::lock_guard lock(mutex_);
    Result best = read_with(chinese_, binary, lines);
    if (best.confidence < kConfidentEnough) {
      Result second = read_with(mixed_, binary, lines);
      if (second.confidence > best.confidence) best = std::move(second);
    }
    return best.text;
  }

 private:
  struct Result {
    std::string text;
    int confidence = 0;
  };

  static void init(tesseract::TessBaseAPI& api, const char* languages) {
    if (api.Init(nullptr, languages, tesseract::OEM_LSTM_ONLY) != 0) {
      throw Error(ErrorKind::kNotFound,
                  std::string("Tesseract could not load ") + languages +
                      ": install tesseract-ocr-eng and tesseract-ocr-chi-sim, or point "
                      "TESSDATA_PREFIX at their tessdata folder");
    }
    // Our images are scaled to a known text size; this stops the "estimating resolution" guess.
    api.SetVariable("user_defined_dpi", "300");
    api.SetVariable("debug_file", "/dev/null");
  }

  // One line: as a single text line, or raw when line finding drops it (it does for some lines
  // of large CJK text). Several lines: as one block.
  static Result read_with(tesseract::TessBaseAPI& api, const cv::Mat& binary, int lines) {
    Result result =
        run(api, binary, lines == 1 ? tesseract::PSM_SINGLE_LINE : tesseract::PSM_SINGLE_BLOCK);
    if (lines == 1 && result.text.empty()) result = run(api, binary, tesseract::PSM_RAW_LINE);
    return result;
  }

  static Result run(tesseract::TessBaseAPI& api, const cv::Mat& binary,
                    tesseract::PageSegMode mode) {
    api.SetPageSegMode(mode);
    api.SetImage(binary.data, binary.cols, binary.rows, 1, static_cast<int>(binary.step));
    std::unique_ptr<char[]> raw(api.GetUTF8Text());
    Result result{raw ? std::string(raw.get()) : std::string(), api.MeanTextConf()};
    api.Clear();
    while (!result.text.empty() && (result.text.back() == '\n' || result.text.back() == ' ')) {
      result.text.pop_back();
    }
    return result;
  }

  std::mutex mutex_;
  tesseract::TessBaseAPI chinese_;
  tesseract::TessBaseAPI mixed_;
};

Engine& engine() {
  static Engine instance;
  return instance;
}

// Bands of rows holding ink: the text lines. Gaps shorter than a quarter of a line (inside a
// character such as 三) do not split a band.
std::vector<cv::Range> ink_bands(const cv::Mat& ink) {
  std::vector<cv::Range> bands;
  for (int y = 0; y < ink.rows; ++y) {
    if (cv::countNonZero(ink.row(y)) == 0) continue;
    if (!bands.empty() && bands.back().end == y) {
      bands.back().end = y + 1;
    } else {
      bands.push_back(cv::Range(y, y + 1));
    }
  }
  int tallest = 0;
  for (const cv::Range& band : bands) tallest = std::max(tallest, band.size());
  std::vector<cv::Range> merged;
  for (const cv::Range& band : bands) {
    if (!merged.empty() && band.start - merged.back().end < tallest / 4) {
      merged.back().end = band.end;
    } else {
      merged.push_back(band);
    }
  }
  return merged;
}

// Shapes touching the region's edge are not text inside the node: the corners of a rounded
// button, the edge of a neighbouring card. Paint them background so they are neither read nor
// counted as lines.
void remove_edge_shapes(cv::Mat& grey, cv::Mat& ink) {
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  cv::Mat edge = cv::Mat::zeros(ink.size(), CV_8UC1);
  bool any = false;
  for (int i = 1; i < count; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (x > 0 && y > 0 && x + w < ink.cols && y + h < ink.rows) continue;
    edge.setTo(255, labels == i);
    any = true;
  }
  if (!any) return;
  // The anti-aliased fringe around them goes too.
  cv::dilate(edge, edge, cv::Mat(), cv::Point(-1, -1), 2);
  ink.setTo(0, edge);
  grey.setTo(255, edge);
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
  const cv::Rect clipped = region & cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (clipped.width < 2 || clipped.height < 2) return {};
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
  remove_edge_shapes(grey, ink);
  const std::vector<cv::Range> bands = ink_bands(ink);
  if (bands.empty()) return {};
  int tallest = 0;
  for (const cv::Range& band : bands) tallest = std::max(tallest, band.size());

  // Only the ink and a margin: large empty areas make Tesseract's layout analysis drop lines.
  const int margin = tallest / 2 + 2;
  cv::Rect box = cv::boundingRect(ink);
  box = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
        cv::Rect(0, 0, grey.cols, grey.rows);
  grey = grey(box).clone();
  const double scale = std::clamp(kTargetLinePx / tallest, 1.0, kMaxScale);
  if (scale > 1.01) cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_CUBIC);
  cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  const int pad = 20;
  cv::copyMakeBorder(binary, binary, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  return OcrInput{binary, static_cast<int>(bands.size())};
}

std::string recognize_text(const cv::Mat& bgr, const cv::Rect& region) {
  const OcrInput input = prepare_for_ocr(bgr, region);
  if (input.lines == 0) return "";
  return engine().read(input.binary, input.lines);
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
