#include "detectors/ocr_service.h"

#include <fmt/format.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "common/error.h"
#include "detectors/connected_regions.h"

namespace uiw::detectors {
namespace {

// Small text is upscaled until a line (ascender to descender) is about this tall: Tesseract's
// LSTM models read best with capitals of 25–35 px. Measured on the hand-made scenes of
// ocr_readback_test: 40 beats 32, 48 and 64.
constexpr double kTargetLinePx = 40;
constexpr double kMaxScale = 4;
// White border around the prepared image: Tesseract misses ink that touches the image edge.
constexpr int kPad = 20;
// A region whose brightest and darkest pixels differ by less than this holds no text; stretching
// it would only turn compression noise into "ink". Opacity-0.3 text still spans ~50 levels.
constexpr double kMinContrast = 12;

std::string trim_right(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
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

// Shapes touching the region's edge are not text inside it: the corners of a rounded button,
// the edge of a neighbouring card. Paint them background so they are neither read nor counted
// as lines.
void remove_edge_shapes(cv::Mat& grey, cv::Mat& ink) {
  cv::Mat labels, stats;
  const int count = connected_regions(ink, 8, labels, stats);
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

cv::Mat to_grey(const cv::Mat& image) {
  cv::Mat grey;
  if (image.channels() == 1) {
    grey = image.clone();
  } else {
    cv::cvtColor(image, grey, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  }
  return grey;
}

void check_image(const cv::Mat& image) {
  if (image.empty()) throw Error(ErrorKind::kUsage, "OCR: the image is empty");
  if (image.depth() != CV_8U ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    throw Error(
        ErrorKind::kUsage,
        fmt::format("OCR: expected an 8-bit grey, BGR or BGRA image, got type {}", image.type()));
  }
}

// The part of `roi` inside the frame; a ROI with nothing inside is a caller's mistake.
Rect clamp_roi(const cv::Mat& image, const Rect& roi) {
  const Rect clamped = roi.intersect(Rect{0, 0, image.cols, image.rows});
  if (roi.empty() || clamped.empty()) {
    throw Error(ErrorKind::kUsage, fmt::format("OCR: region {} is empty or outside the {}x{} frame",
                                               roi.to_bounds_string(), image.cols, image.rows));
  }
  return clamped;
}

// Whether the confident words read so far are all Latin (ASCII), and there are some.
bool latin_text(const std::vector<ReadRegion>& reads, int min_confidence) {
  bool any = false;
  for (const ReadRegion& r : reads)
    for (const OcrWord& w : r.words) {
      if (w.confidence < min_confidence) continue;
      if (std::any_of(w.text.begin(), w.text.end(),
                      [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        return false;
      any = any || std::any_of(w.text.begin(), w.text.end(),
                               [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    }
  return any;
}

// A reading made of words read before: lines in their order, words spaced as Tesseract spaces
// them, the mean confidence.
OcrReading reading_of(std::vector<OcrWord> words) {
  OcrReading reading;
  int line = -1, previous = 0;
  double confidence = 0;
  for (OcrWord& w : words) {
    if (line < 0 || w.line != previous) {
      if (line >= 0) reading.text += '\n';
      previous = w.line;
      ++line;
    } else {
      reading.text += ' ';
    }
    reading.text += w.text;
    w.line = line;
    confidence += w.confidence;
  }
  reading.confidence = static_cast<int>(std::lround(confidence / words.size()));
  reading.words = std::move(words);
  return reading;
}

}  // namespace

std::string default_tessdata_dir() {
  if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix != nullptr && *prefix != 0) {
    return prefix;
  }
  return "/usr/share/tesseract-ocr/5/tessdata";
}

std::optional<std::vector<OcrWord>> words_read_before(const std::vector<ReadRegion>& reads,
                                                      const Rect& ink, const Rect& window,
                                                      int min_confidence) {
  for (const ReadRegion& k : reads) {
    if (!(k.region.intersect(ink) == ink)) continue;
    std::vector<OcrWord> words;
    double confidence = 0;
    bool cut = false;
    for (const OcrWord& w : k.words) {
      if (window.contains(w.box.center_x(), w.box.center_y())) {
        words.push_back(w);
        words.back().box = w.box.intersect(window);
        confidence += w.confidence;
      } else if (!w.box.intersect(window).empty()) {
        cut = true;
      }
    }
    if (cut || words.empty() || confidence / words.size() < min_confidence) continue;
    return words;
  }
  return std::nullopt;
}

OcrPrepared prepare_region(const cv::Mat& image, const Rect& roi, const OcrOptions& options) {
  OcrPrepared out;
  if (roi.width() < 2 || roi.height() < 2) return out;
  cv::Mat grey = to_grey(image(cv::Rect(roi.left, roi.top, roi.width(), roi.height())));
  double low = 0, high = 0;
  cv::minMaxLoc(grey, &low, &high);
  if (high - low < kMinContrast) return out;

  // Polarity from a first Otsu pass: the majority class is the background. Light text on a dark
  // or saturated surface becomes dark on light, the only polarity Tesseract's models read well.
  cv::Mat binary;
  cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (static_cast<size_t>(cv::countNonZero(binary)) < binary.total() / 2) {
    cv::bitwise_not(grey, grey);
    cv::bitwise_not(binary, binary);
  }
  cv::Mat ink;
  cv::bitwise_not(binary, ink);
  if (options.drop_border_ink) remove_edge_shapes(grey, ink);
  const std::vector<cv::Range> bands = ink_bands(ink);
  if (bands.empty()) return out;
  int tallest = 0;
  for (const cv::Range& band : bands) tallest = std::max(tallest, band.size());

  // Only the ink and a margin: large empty areas make Tesseract's layout analysis drop lines.
  const int margin = tallest / 2 + 2;
  cv::Rect box = cv::boundingRect(ink);
  out.ink = Rect{roi.left + box.x, roi.top + box.y, roi.left + box.x + box.width,
                 roi.top + box.y + box.height};
  box = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
        cv::Rect(0, 0, grey.cols, grey.rows);
  grey = grey(box).clone();
  // Faint text (a 0.3-opacity "No thanks") spans a few dozen grey levels: stretch them to the
  // full range so the upscaling and the final Otsu work on a clear edge.
  cv::normalize(grey, grey, 0, 255, cv::NORM_MINMAX);
  // Large text is brought down to the same size (down to half): Tesseract's cost grows with the
  // pixels and 40 px lines read as well as 80 px ones.
  const double scale = std::clamp(kTargetLinePx / tallest, 0.5, kMaxScale);
  if (scale > 1.01) cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_CUBIC);
  if (scale < 0.99) cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::threshold(grey, out.binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::copyMakeBorder(out.binary, out.binary, kPad, kPad, kPad, kPad, cv::BORDER_CONSTANT,
                     cv::Scalar(255));
  out.lines = static_cast<int>(bands.size());
  out.origin = cv::Point2d(roi.left + box.x, roi.top + box.y);
  out.scale = std::abs(scale - 1.0) > 0.01 ? scale : 1.0;
  out.pad = kPad;
  return out;
}

// One chi_sim API; an eng one for kAuto's retry and an eng+chi_sim one for full frames, each
// loaded on first need (most regions need neither). Used by one thread at a time: the pool
// hands it out.
class OcrService::Engine {
 public:
  explicit Engine(const std::string& tessdata) : tessdata_(tessdata) { init(chinese_, "chi_sim"); }
  ~Engine() {
    chinese_.End();
    if (mixed_loaded_) mixed_.End();
    if (english_loaded_) english_.End();
  }

  // Reads an image that is already prepared (binary) or a whole grey frame (full-frame mode).
  // `latin_first`: the frame's text so far is Latin, so eng, about half chi_sim's cost, reads
  // first and chi_sim only when eng is unsure.
  OcrReading read(const cv::Mat& image, tesseract::PageSegMode mode, const OcrOptions& options,
                  bool latin_first = false) {
    if (options.languages == OcrLanguages::kEnglishChinese) return read_with(mixed(), image, mode);
    OcrReading best = read_with(latin_first ? english() : chinese_, image, mode);
    const bool retry = latin_first || options.languages == OcrLanguages::kAuto;
    if (retry && best.confidence < options.retry_below_confidence) {
      OcrReading second = read_with(latin_first ? chinese_ : english(), image, mode);
      if (second.confidence > best.confidence) best = std::move(second);
    }
    return best;
  }

 private:
  void init(tesseract::TessBaseAPI& api, const char* languages) {
    if (api.Init(tessdata_.c_str(), languages, tesseract::OEM_LSTM_ONLY) != 0) {
      throw Error(ErrorKind::kNotFound,
                  fmt::format("Tesseract could not load {} from {}: install tesseract-ocr-eng "
                              "and tesseract-ocr-chi-sim, or point TESSDATA_PREFIX at the "
                              "folder holding their .traineddata files",
                              languages, tessdata_));
    }
    // Regions are scaled to a known text size; this stops the "estimating resolution" guess.
    api.SetVariable("user_defined_dpi", "300");
    api.SetVariable("debug_file", "/dev/null");
  }

  tesseract::TessBaseAPI& english() { return loaded(english_, english_loaded_, "eng"); }
  tesseract::TessBaseAPI& mixed() { return loaded(mixed_, mixed_loaded_, "eng+chi_sim"); }

  tesseract::TessBaseAPI& loaded(tesseract::TessBaseAPI& api, bool& is_loaded,
                                 const char* languages) {
    if (!is_loaded) {
      init(api, languages);
      is_loaded = true;
    }
    return api;
  }

  // A single line is read as one line, or raw when line finding drops it (it does for some lines
  // of large CJK text).
  static OcrReading read_with(tesseract::TessBaseAPI& api, const cv::Mat& image,
                              tesseract::PageSegMode mode) {
    OcrReading result = run(api, image, mode);
    if (mode == tesseract::PSM_SINGLE_LINE && result.text.empty()) {
      result = run(api, image, tesseract::PSM_RAW_LINE);
    }
    return result;
  }

  static OcrReading run(tesseract::TessBaseAPI& api, const cv::Mat& image,
                        tesseract::PageSegMode mode) {
    api.SetPageSegMode(mode);
    // Prepared regions are already dark ink on light (prepare_region), so Tesseract's second
    // LSTM pass on low-confidence lines, inverted, only doubles their cost. A whole frame (the
    // baseline) keeps Tesseract's default.
    api.SetVariable("tessedit_do_invert", mode == tesseract::PSM_AUTO ? "1" : "0");
    api.SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
    OcrReading result;
    std::unique_ptr<char[]> raw(api.GetUTF8Text());
    if (raw) result.text = trim_right(raw.get());
    result.confidence = api.MeanTextConf();
    result.languages = api.GetInitLanguagesAsString();
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    int line = -1;
    if (it) {
      do {
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
        std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
        if (!word || *word.get() == 0) continue;
        int l = 0, t = 0, r = 0, b = 0;
        if (!it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) continue;
        result.words.push_back(OcrWord{std::string(word.get()), Rect{l, t, r, b},
                                       it->Confidence(tesseract::RIL_WORD), std::max(line, 0)});
      } while (it->Next(tesseract::RIL_WORD));
    }
    api.Clear();
    return result;
  }

  std::string tessdata_;
  tesseract::TessBaseAPI chinese_;
  tesseract::TessBaseAPI mixed_;
  bool mixed_loaded_ = false;
  tesseract::TessBaseAPI english_;
  bool english_loaded_ = false;
};

// Returns the engine to the pool however the caller leaves (Tesseract can throw on bad input).
class OcrService::Lease {
 public:
  explicit Lease(OcrService& service) : service_(service), engine_(service.borrow()) {}
  ~Lease() { service_.give_back(engine_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Engine& operator*() const { return *engine_; }
  Engine* operator->() const { return engine_; }

 private:
  OcrService& service_;
  Engine* engine_;
};

OcrService::OcrService(size_t max_engines, std::string tessdata_dir)
    : max_engines_(std::max<size_t>(1, max_engines)), tessdata_dir_(std::move(tessdata_dir)) {
  for (const char* language : {"chi_sim", "eng"}) {
    const std::filesystem::path file =
        std::filesystem::path(tessdata_dir_) / (std::string(language) + ".traineddata");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      throw Error(ErrorKind::kNotFound,
                  fmt::format("OCR language data {} not found in tessdata folder {}: install "
                              "tesseract-ocr-{} or set TESSDATA_PREFIX",
                              file.filename().string(), tessdata_dir_,
                              language == std::string("eng") ? "eng" : "chi-sim"));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  engines_.push_back(make_engine());
  first_init_ = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  idle_.push_back(engines_.back().get());
}

OcrService::~OcrService() = default;

std::unique_ptr<OcrService::Engine> OcrService::make_engine() const {
  return std::make_unique<Engine>(tessdata_dir_);
}

size_t OcrService::engines_created() const {
  std::lock_guard lock(mutex_);
  return engines_.size();
}

OcrService::Engine* OcrService::borrow() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!idle_.empty()) {
      Engine* engine = idle_.back();
      idle_.pop_back();
      return engine;
    }
    if (engines_.size() + creating_ < max_engines_) {
      // Create outside the lock: it takes hundreds of ms and others may be returning engines.
      ++creating_;
      lock.unlock();
      std::unique_ptr<Engine> engine;
      try {
        engine = make_engine();
      } catch (...) {
        lock.lock();
        --creating_;
        freed_.notify_one();
        throw;
      }
      lock.lock();
      --creating_;
      engines_.push_back(std::move(engine));
      return engines_.back().get();
    }
    freed_.wait(lock);
  }
}

void OcrService::give_back(Engine* engine) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(engine);
  }
  freed_.notify_one();
}

OcrService::Usage OcrService::usage() const {
  return {region_reads_.load(), std::chrono::nanoseconds(region_ns_.load())};
}

OcrReading OcrService::read(const cv::Mat& bgr, const Rect& roi, const OcrOptions& options,
                            std::vector<ReadRegion>* reads) {
  check_image(bgr);
  struct Timed {  // counted however the read ends (early for a blank region, or a throw)
    std::atomic<std::int64_t>& total;
    const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~Timed() {
      total += std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count();
    }
  } timed{region_ns_};
  const Rect region = clamp_roi(bgr, roi);
  const OcrPrepared prepared = prepare_region(bgr, region, options);
  OcrReading reading;
  if (prepared.lines == 0) return reading;
  std::optional<std::vector<OcrWord>> known;
  if (reads)
    known = words_read_before(*reads, prepared.ink, region, options.retry_below_confidence);
  if (known) {
    reading = reading_of(std::move(*known));
  } else {
    ++region_reads_;
    {
      Lease engine(*this);
      reading = engine->read(
          prepared.binary,
          prepared.lines == 1 ? tesseract::PSM_SINGLE_LINE : tesseract::PSM_SINGLE_BLOCK, options,
          reads && latin_text(*reads, options.retry_below_confidence));
    }
    // Boxes back to frame pixels, clamped to the region (padding and rounding can overshoot).
    for (OcrWord& word : reading.words) {
      const auto map_x = [&](int x) {
        return static_cast<int>(
            std::lround(prepared.origin.x + (x - prepared.pad) / prepared.scale));
      };
      const auto map_y = [&](int y) {
        return static_cast<int>(
            std::lround(prepared.origin.y + (y - prepared.pad) / prepared.scale));
      };
      word.box = Rect{map_x(word.box.left), map_y(word.box.top), map_x(word.box.right),
                      map_y(word.box.bottom)}
                     .intersect(region);
    }
    if (reads) reads->push_back({region, reading.words});
  }
  std::erase_if(reading.words,
                [&](const OcrWord& w) { return w.confidence < options.min_word_confidence; });
  return reading;
}

std::vector<OcrWord> OcrService::recognize(const cv::Mat& bgr, const Rect& roi,
                                           const OcrOptions& options,
                                           std::vector<ReadRegion>* reads) {
  return read(bgr, roi, options, reads).words;
}

std::string OcrService::read_text(const cv::Mat& bgr, const Rect& roi, const OcrOptions& options,
                                  std::vector<ReadRegion>* reads) {
  return read(bgr, roi, options, reads).text;
}

OcrReading OcrService::recognize_full_frame(const cv::Mat& bgr, const OcrOptions& options) {
  check_image(bgr);
  // Tesseract's own binarisation and layout analysis on the grey frame, as a plain full-frame
  // OCR would: no region preprocessing applies to a whole screen.
  const cv::Mat grey = to_grey(bgr);
  OcrReading reading;
  {
    Lease engine(*this);
    reading = engine->read(grey, tesseract::PSM_AUTO, options);
  }
  std::erase_if(reading.words,
                [&](const OcrWord& w) { return w.confidence < options.min_word_confidence; });
  return reading;
}

}  // namespace uiw::detectors
