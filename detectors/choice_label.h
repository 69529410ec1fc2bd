#pragma once
// Finds the text line that labels a selection control, so that only that line is read by OCR
// (20–120 ms a line, against 1–2 s for the whole frame). Android lists put the label left of a
// switch or checkbox, forms put it right of the box, and card pickers put it under the mark.
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

class OcrService;
struct ReadRegion;

struct ChoiceLabelOptions {
  // Text further than this right of the mark is not its label (forms leave 8–16 dp).
  double max_right_gap_dp = 28;
  // A label right of the mark is at least this many mark heights wide (else it is a speck, or an
  // overlay at the screen's edge, and the label is looked for on the left).
  double min_label_width = 1.2;
  // Gap between words of one label; wider gaps separate a label from a value column.
  double max_word_gap_dp = 14;
  // Looking left (settings rows), text may start far away at the row's margin.
  double max_left_gap_fraction = 0.8;  // of the image width
  // Grey-level edge strength that counts as text ink.
  double ink_edge = 40;
};

// The box (frame px) of the text line(s) labelling `mark`: the text on the mark's row to its
// right when close, else to its left, else the line just below it; nullopt when none is found.
// A title with a subtitle beside one mark gives both lines.
// The label's text. The box is cut tight around the text, so ink touching its edge is text (OCR
// is told not to drop it). `reads`: the frame's reads so far (see OcrService::read), or null.
std::string read_choice_label(const cv::Mat& image, const Rect& label, OcrService& ocr,
                              std::vector<ReadRegion>* reads = nullptr);

std::optional<Rect> find_choice_label(const cv::Mat& image, const Rect& mark, int density_dpi,
                                      const ChoiceLabelOptions& options = {});

}  // namespace uiw::detectors
