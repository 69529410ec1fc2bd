#include "detectors/choice_label.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "detectors/frame.h"
#include "detectors/ocr_service.h"

namespace uiw::detectors {
namespace {

// Text ink of a band: grey edges, with full-width rules (list dividers) removed.
cv::Mat ink_of(const cv::Mat& bgr, const cv::Rect& band, double edge) {
  cv::Mat grey, ink;
  cv::cvtColor(bgr(band), grey, cv::COLOR_BGR2GRAY);
  cv::Canny(grey, ink, edge, edge * 2.5);
  for (int y = 0; y < ink.rows; ++y)
    if (cv::countNonZero(ink.row(y)) > 0.5 * ink.cols) ink.row(y).setTo(0);
  return ink;
}

// Columns [from, to) holding ink, as runs.
struct Run {
  int begin = 0, end = 0;
};

std::vector<Run> column_runs(const cv::Mat& ink) {
  std::vector<Run> runs;
  cv::Mat cols;
  cv::reduce(ink, cols, 0, cv::REDUCE_MAX);
  for (int x = 0; x < cols.cols;) {
    if (!cols.at<uchar>(0, x)) {
      ++x;
      continue;
    }
    Run r{x, x};
    while (x < cols.cols && cols.at<uchar>(0, x)) ++x;
    r.end = x;
    runs.push_back(r);
  }
  return runs;
}

// A thin run crossing the whole band is a vertical separator, not a glyph.
bool is_separator(const cv::Mat& ink, const Run& r, int max_width) {
  if (r.end - r.begin > max_width) return false;
  cv::Mat rows;
  cv::reduce(ink.colRange(r.begin, r.end), rows, 1, cv::REDUCE_MAX);
  return cv::countNonZero(rows) > 0.85 * ink.rows;
}

// Rows of `ink` (within columns [x0, x1)) grouped into text lines; the lines overlapping the
// core rows [c0, c1), or the nearest one within `reach` rows.
std::optional<std::pair<int, int>> lines_near(const cv::Mat& ink, int x0, int x1, int c0, int c1,
                                              int reach) {
  cv::Mat rows;
  cv::reduce(ink.colRange(x0, x1), rows, 1, cv::REDUCE_MAX);
  std::vector<Run> lines;
  for (int y = 0; y < rows.rows;) {
    if (!rows.at<uchar>(y, 0)) {
      ++y;
      continue;
    }
    Run r{y, y};
    while (y < rows.rows && rows.at<uchar>(y, 0)) ++y;
    r.end = y;
    lines.push_back(r);
  }
  int top = -1, bottom = -1;
  for (const auto& l : lines)
    if (l.end > c0 && l.begin < c1) {
      top = top < 0 ? l.begin : std::min(top, l.begin);
      bottom = std::max(bottom, l.end);
    }
  if (top < 0) {
    int best = reach + 1;
    for (const auto& l : lines) {
      const int gap = l.end <= c0 ? c0 - l.end : l.begin - c1;
      if (gap < best) best = gap, top = l.begin, bottom = l.end;
    }
  }
  if (top < 0) return std::nullopt;
  return std::make_pair(top, bottom);
}

}  // namespace

std::optional<Rect> find_choice_label(const cv::Mat& image, const Rect& mark, int density_dpi,
                                      const ChoiceLabelOptions& options) {
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty() || mark.empty()) return std::nullopt;
  const double ppd = density_dpi / 160.0;
  const int mh = std::max(mark.height(), static_cast<int>(12 * ppd));
  // The mark's row, with room for a title and subtitle centred on it.
  const Rect band_r =
      Rect{0, mark.top - mh, bgr.cols, mark.bottom + mh}.intersect(Rect{0, 0, bgr.cols, bgr.rows});
  if (band_r.empty()) return std::nullopt;
  const cv::Mat ink = ink_of(bgr, to_cv(band_r), options.ink_edge);
  // Only the central rows decide which columns hold the label.
  const int c0 = std::max(0, mark.top - band_r.top),
            c1 = std::min(ink.rows, mark.bottom - band_r.top);
  cv::Mat core = ink.rowRange(c0, std::max(c0 + 1, c1)).clone();
  core.colRange(std::max(0, mark.left - 2), std::min(core.cols, mark.right + 2)).setTo(0);
  const std::vector<Run> runs = column_runs(core);
  const int word_gap = static_cast<int>(options.max_word_gap_dp * ppd);
  const int sep_width = static_cast<int>(2.5 * ppd);

  // Right of the mark, close by.
  auto look_right = [&](int& x0, int& x1) {
    for (size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].begin < mark.right) continue;
      if (runs[i].begin - mark.right > options.max_right_gap_dp * ppd) break;
      if (is_separator(core, runs[i], sep_width)) continue;
      x0 = runs[i].begin, x1 = runs[i].end;
      for (size_t j = i + 1; j < runs.size() && runs[j].begin - x1 <= word_gap; ++j)
        x1 = runs[j].end;
      // A speck or an edge-of-screen overlay is no label: a label has a word's width.
      if (x1 - x0 < options.min_label_width * mark.height()) x0 = x1 = -1;
      return;
    }
  };
  // Left of the mark, up to the row's margin.
  auto look_left = [&](int& x0, int& x1) {
    const int limit = static_cast<int>(options.max_left_gap_fraction * bgr.cols);
    for (int i = static_cast<int>(runs.size()) - 1; i >= 0; --i) {
      if (runs[i].end > mark.left) continue;
      if (mark.left - runs[i].end > limit) return;
      if (is_separator(core, runs[i], sep_width)) continue;
      int begin = runs[i].begin, j = i - 1;
      for (; j >= 0 && begin - runs[j].end <= word_gap; --j) begin = runs[j].begin;
      // Too narrow for a label (the mark's shadow, a divider, an icon): keep looking left.
      if (runs[i].end - begin < options.min_label_width * mark.height()) {
        i = j + 1;
        continue;
      }
      x0 = begin, x1 = runs[i].end;
      return;
    }
  };
  // A mark at the end of its row (settings lists) is labelled by what precedes it; one at the
  // start (forms) by what follows.
  int x0 = -1, x1 = -1;
  if (mark.center_x() > bgr.cols / 2) {
    look_left(x0, x1);
    if (x0 < 0) look_right(x0, x1);
  } else {
    look_right(x0, x1);
    if (x0 < 0) look_left(x0, x1);
  }
  if (x0 >= 0) {
    const auto rows = lines_near(ink, x0, x1, c0, std::max(c0 + 1, c1), mh / 2);
    if (rows) {
      const int pad = static_cast<int>(2 * ppd);
      return Rect{x0 - pad, band_r.top + rows->first - pad, x1 + pad,
                  band_r.top + rows->second + pad}
          .intersect(Rect{0, 0, bgr.cols, bgr.rows});
    }
  }
  // Under the mark (cards with the choice's name below it).
  const int w = 5 * std::max(mark.width(), mh);
  const Rect below_r =
      Rect{mark.center_x() - w / 2, mark.bottom, mark.center_x() + w / 2, mark.bottom + 2 * mh}
          .intersect(Rect{0, 0, bgr.cols, bgr.rows});
  if (below_r.empty()) return std::nullopt;
  const cv::Mat below = ink_of(bgr, to_cv(below_r), options.ink_edge);
  cv::Mat rows;
  cv::reduce(below, rows, 1, cv::REDUCE_MAX);
  int top = -1, bottom = -1;
  for (int y = 0; y < rows.rows; ++y) {
    if (rows.at<uchar>(y, 0)) {
      if (top < 0) top = y;
      bottom = y + 1;
    } else if (top >= 0 && y - bottom > mh / 3) {
      break;  // one line only
    }
  }
  if (top < 0) return std::nullopt;
  const std::vector<Run> cols = column_runs(below.rowRange(top, bottom));
  if (cols.empty()) return std::nullopt;
  return Rect{below_r.left + cols.front().begin, below_r.top + top, below_r.left + cols.back().end,
              below_r.top + bottom};
}

std::string read_choice_label(const cv::Mat& image, const Rect& label, OcrService& ocr,
                              std::vector<ReadRegion>* reads) {
  const Rect r = label.intersect(Rect{0, 0, image.cols, image.rows});
  if (r.width() < 4 || r.height() < 4) return {};
  return ocr.read_text(image, r, {.drop_border_ink = false}, reads);
}

}  // namespace uiw::detectors
