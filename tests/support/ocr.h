#pragma once
// Reading rendered text back with Tesseract (eng + chi_sim), as the detectors do on real
// screenshots, and scoring what came back against what was meant.
#include <cstddef>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

namespace uiw::test {

// Recognises the text in `region` of a BGR screenshot with the detectors' OcrService
// (detectors/ocr_service.h: its region preprocessing and its chi_sim-then-eng+chi_sim order),
// one engine created once per process, on first use. A region outside the frame reads as "".
// Throws uiw::Error(kNotFound) if the language data is missing.
std::string recognize_text(const cv::Mat& bgr, const cv::Rect& region);

// What recognize_text hands Tesseract: the region binarised dark-on-light, cropped to its ink,
// scaled and padded, and how many text lines it holds (0: nothing to read). For debugging.
struct OcrInput {
  cv::Mat binary;
  int lines = 0;
};
OcrInput prepare_for_ocr(const cv::Mat& bgr, const cv::Rect& region);

// Character errors of `recognized` against `reference`: Levenshtein distance over Unicode code
// points, ignoring white space and treating full-width ASCII forms (，：（) as their ASCII twins.
struct CharErrors {
  size_t errors = 0;
  size_t length = 0;  // reference characters counted
};
CharErrors count_char_errors(std::string_view reference, std::string_view recognized);

// 1 − edit distance / reference length, at least 0 (1 for an empty reference).
double char_accuracy(std::string_view reference, std::string_view recognized);

}  // namespace uiw::test
