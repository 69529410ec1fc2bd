#pragma once
// OCR on regions of a screenshot with Tesseract (chi_sim + eng), for the detectors: the text of a
// button, a pop-up's decline link, a countdown. Engines are expensive to create (hundreds of ms,
// tens of MB each), so a bounded pool of them is created once and shared by device workers.
// Regions are preprocessed so that faint, inverted and small text reads like print: grey,
// polarity, border ink removed, cropped to the ink, contrast-stretched, upscaled, binarised.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

// The system's tessdata folder, or $TESSDATA_PREFIX when set.
std::string default_tessdata_dir();

enum class OcrLanguages {
  // chi_sim first (its model reads Latin, digits and punctuation too), then eng when chi_sim is
  // unsure (English text), the more confident reading kept: measured better on this project's
  // screens than either alone, since eng+chi_sim misreads about one Chinese line in twenty as
  // English. The retry is eng alone, not eng+chi_sim, which would run chi_sim's model again:
  // a retry costs ~5 ms instead of ~18, with the same findings on the AidUI dev set.
  // On a frame whose confident text so far is all Latin (OcrService::read's `reads`), kAuto and
  // kChinese read with eng first, about half chi_sim's cost and better at Latin case and
  // punctuation, and with chi_sim only when eng is unsure (a Chinese line there).
  kAuto,
  kChinese,         // chi_sim only
  kEnglishChinese,  // eng+chi_sim only (the usual full-frame baseline)
};

struct OcrOptions {
  OcrLanguages languages = OcrLanguages::kAuto;
  // kAuto: retry with eng when chi_sim's mean confidence (0–100) is below this.
  int retry_below_confidence = 70;
  // Ink touching the region's edge is not its text (rounded button corners, a neighbour's
  // edge): drop it. Off for regions cut tightly around text.
  bool drop_border_ink = true;
  // Words below this confidence (0–100) are left out of the result.
  float min_word_confidence = 0;
};

struct OcrWord {
  std::string text;      // UTF-8
  Rect box;              // in frame pixels
  float confidence = 0;  // 0–100, Tesseract's
  int line = 0;          // 0-based text line within the region
};

// Everything one recognition gives back.
struct OcrReading {
  std::string text;  // lines separated by '\n', no trailing white space
  std::vector<OcrWord> words;
  int confidence = 0;     // mean over words, 0–100
  std::string languages;  // the Tesseract languages that produced it
};

// A region a frame's checks have read, its words in frame px (a region read downscaled has its
// words scaled back): a later read of the same ink can take them instead of reading again.
struct ReadRegion {
  Rect region;
  std::vector<OcrWord> words;
};

// The words of `reads` making up `window` (a line, a button) whose ink is `ink`: taken from the
// first region that held all of `ink` and whose words centred in `window` have a mean confidence
// of at least `min_confidence`, none running across the window's edge (the window was cut
// differently). Boxes are clamped to the window, as a read of the window alone clamps them.
// nullopt when the window has to be read.
std::optional<std::vector<OcrWord>> words_read_before(const std::vector<ReadRegion>& reads,
                                                      const Rect& ink, const Rect& window,
                                                      int min_confidence);

// What the region becomes before Tesseract sees it (for debugging and tests).
struct OcrPrepared {
  cv::Mat binary;  // CV_8UC1, black ink on white
  int lines = 0;   // text lines found; 0 means there is nothing to read
  Rect ink;        // the ink's bounding box in frame px
  // Maps a pixel (x, y) of `binary` back to the frame: origin + ((x, y) − pad) / scale.
  cv::Point2d origin;
  double scale = 1;
  int pad = 0;
};

// The ROI preprocessing on its own. `roi` must already lie inside the frame.
OcrPrepared prepare_region(const cv::Mat& image, const Rect& roi, const OcrOptions& options = {});

// Programs using it should start with OMP_THREAD_LIMIT=1 (see openmp_limit.h): Tesseract's own
// OpenMP threads make region OCR several times slower.
class OcrService {
 public:
  // Up to `max_engines` engines (at least 1) are created, the first one now so that missing
  // language data fails here: uiw::Error(kNotFound) naming the tessdata folder. More are created
  // when all are busy, up to the bound; beyond it, callers wait for a free one.
  explicit OcrService(size_t max_engines = 1, std::string tessdata_dir = default_tessdata_dir());
  ~OcrService();
  OcrService(const OcrService&) = delete;
  OcrService& operator=(const OcrService&) = delete;

  // Words of the region `roi` of a BGR (or BGRA, or grey) frame, boxes in frame pixels. A ROI
  // partly outside the frame is clamped; an empty image, or a ROI empty or wholly outside the
  // frame, throws uiw::Error(kUsage). Safe to call from several threads.
  // `reads`: what this frame's checks have read so far, or null. The region's words are taken
  // from there when its ink was read before with confidence (words_read_before, at the
  // options' retry confidence), else it is read (in English first when all read so far is
  // Latin, see OcrLanguages) and added there.
  std::vector<OcrWord> recognize(const cv::Mat& bgr, const Rect& roi,
                                 const OcrOptions& options = {},
                                 std::vector<ReadRegion>* reads = nullptr);
  // The region's text, lines separated by '\n'.
  std::string read_text(const cv::Mat& bgr, const Rect& roi, const OcrOptions& options = {},
                        std::vector<ReadRegion>* reads = nullptr);
  // Text, words and confidence in one pass.
  OcrReading read(const cv::Mat& bgr, const Rect& roi, const OcrOptions& options = {},
                  std::vector<ReadRegion>* reads = nullptr);

  // The whole frame with Tesseract's own layout analysis: slow (seconds on 1080×2400), so only
  // on explicit request, e.g. as a baseline.
  OcrReading recognize_full_frame(const cv::Mat& bgr, const OcrOptions& options = {});

  // Region reads (read, recognize, read_text) that reached Tesseract, and the time spent in all
  // region reads, preparation included; whole-frame reads are not counted. What OCR costs a
  // detector: the part of its time no faster vision could save.
  struct Usage {
    size_t region_reads = 0;
    std::chrono::nanoseconds region_time{0};
  };
  Usage usage() const;

  size_t max_engines() const { return max_engines_; }
  size_t engines_created() const;
  // Time spent creating the first engine (chi_sim; eng+chi_sim is loaded on first need).
  std::chrono::milliseconds first_engine_init_time() const { return first_init_; }

 private:
  class Engine;
  class Lease;
  Engine* borrow();
  void give_back(Engine* engine);
  std::unique_ptr<Engine> make_engine() const;

  const size_t max_engines_;
  const std::string tessdata_dir_;
  std::chrono::milliseconds first_init_{0};
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<Engine*> idle_;
  size_t creating_ = 0;  // engines being initialised outside the lock
  std::atomic<size_t> region_reads_{0};
  std::atomic<std::int64_t> region_ns_{0};
};

}  // namespace uiw::detectors
