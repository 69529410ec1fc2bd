#include "detectors/close_glyph_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "detectors/connected_regions.h"
#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

// Score factor for a candidate neither at a corner of the card nor centred above/below it.
constexpr double kOffPlacement = 0.7;

// True when the stroke mask has ink at (x, y) or a direct neighbour (tolerates the half-pixel
// offsets of anti-aliased diagonals).
bool ink_near(const cv::Mat& m, double fx, double fy) {
  const int x = static_cast<int>(std::lround(fx));
  const int y = static_cast<int>(std::lround(fy));
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
      const int xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < m.cols && yy < m.rows && m.at<uchar>(yy, xx)) return true;
    }
  return false;
}

bool ink_at(const cv::Mat& m, double fx, double fy) {
  const int x = std::clamp(static_cast<int>(std::lround(fx)), 0, m.cols - 1);
  const int y = std::clamp(static_cast<int>(std::lround(fy)), 0, m.rows - 1);
  return m.at<uchar>(y, x) != 0;
}

struct CrossShape {
  double centre = 0;  // ink along the central part of both diagonals
  double arms = 0;    // weakest of the four outer half-arms (towards the box corners)
  double clean = 0;   // 1 − ink on the axes between the arms
  bool ring = false;  // a circle inscribed in the box (⊗ in one component)
};

// Measures a binary stroke mask cropped to its bounding box as an × (optionally circled).
// A plain × fills its box corner to corner; in a ⊗ the × is only the centre of the box.
CrossShape measure_cross(const cv::Mat& m) {
  CrossShape out;
  const double w = m.cols - 1, h = m.rows - 1;
  auto coverage = [&](int diag, double t0, double t1) {
    int on = 0, total = 0;
    for (double t = t0; t <= t1 + 1e-9; t += 0.02) {
      on += ink_near(m, t * w, diag == 0 ? t * h : (1 - t) * h);
      ++total;
    }
    return static_cast<double>(on) / total;
  };
  const double c0 = coverage(0, 0.36, 0.64), c1 = coverage(1, 0.36, 0.64);
  // Both strokes must be there: one diagonal alone is a slash.
  out.centre = std::min(c0, c1) < 0.8 ? 0 : (c0 + c1) / 2;
  out.arms = std::min({coverage(0, 0.08, 0.36), coverage(0, 0.64, 0.92), coverage(1, 0.08, 0.36),
                       coverage(1, 0.64, 0.92)});
  int off = 0, off_total = 0;
  for (double r = 0.2; r <= 0.3; r += 0.05) {
    const double pts[4][2] = {{0.5, 0.5 - r}, {0.5, 0.5 + r}, {0.5 - r, 0.5}, {0.5 + r, 0.5}};
    for (const auto& p : pts) {
      off += ink_at(m, p[0] * w, p[1] * h);
      ++off_total;
    }
  }
  out.clean = 1.0 - static_cast<double>(off) / off_total;
  // Ink all round the ellipse inscribed in the box, not only at its four edge midpoints: a
  // letter such as "s" or "e" touches those too.
  constexpr int kRingSamples = 24;
  int ring = 0;
  for (int k = 0; k < kRingSamples; ++k) {
    const double a = 2 * CV_PI * k / kRingSamples;
    ring += ink_near(m, (0.5 + 0.5 * std::cos(a)) * w, (0.5 + 0.5 * std::sin(a)) * h);
  }
  out.ring = ring >= kRingSamples * 0.85;
  return out;
}

// A circle of strokes centred on `glyph`, 1.2–3× its half-size: the bounding box of the best
// radius, or an empty rect when no radius has ink on ≥ 85 % of its circumference.
cv::Rect find_ring(const cv::Mat& strokes, const cv::Rect& glyph, double level) {
  const double cx = glyph.x + (glyph.width - 1) / 2.0;
  const double cy = glyph.y + (glyph.height - 1) / 2.0;
  const double half = std::max(glyph.width, glyph.height) / 2.0;
  constexpr int kSamples = 48;
  for (double f = 1.2; f <= 3.0; f += 0.1) {
    const double r = half * f;
    // Every rounded sample stays inside: lround(cx ± r) must lie in [0, cols - 1].
    if (cx - r < 0 || cy - r < 0 || cx + r > strokes.cols - 1 || cy + r > strokes.rows - 1) break;
    int hits = 0;
    for (int k = 0; k < kSamples; ++k) {
      const double a = 2 * CV_PI * k / kSamples;
      const int x = static_cast<int>(std::lround(cx + r * std::cos(a)));
      const int y = static_cast<int>(std::lround(cy + r * std::sin(a)));
      hits += strokes.at<uchar>(y, x) >= level;
    }
    if (hits >= kSamples * 0.85) {
      const int ir = static_cast<int>(std::ceil(r));
      return cv::Rect(static_cast<int>(cx) - ir, static_cast<int>(cy) - ir, 2 * ir + 1, 2 * ir + 1);
    }
  }
  return {};
}

// True when a letter-sized mark stands right beside the glyph in its own rows, closer than a
// word space (a third of its height): the × is then a letter of a word ("x", "k", "X"), not a
// close mark, which stands alone or inside its own circle or button. Ink that reaches well
// above or below the glyph (a ring or a button's border around it) is no letter.
bool in_text_line(const cv::Mat& strokes, const cv::Rect& glyph, double level) {
  const int h = glyph.height, gap = std::max(2, static_cast<int>(std::lround(h / 3.0)));
  const cv::Rect window = cv::Rect(glyph.x - gap, glyph.y - h, glyph.width + 2 * gap, 3 * h) &
                          cv::Rect(0, 0, strokes.cols, strokes.rows);
  cv::Mat labels, stats;
  const int n = connected_regions(strokes(window) >= level, 8, labels, stats);
  // The middle half of the glyph's rows, on either side: letters of the same line have ink there.
  const int top = glyph.y + h / 4 - window.y, bottom = glyph.y + h * 3 / 4 - window.y;
  std::vector<bool> beside(n, false);
  for (const int x0 : {glyph.x - gap - window.x, glyph.x + glyph.width - window.x})
    for (int y = std::max(0, top); y < std::min(bottom, window.height); ++y)
      for (int x = std::max(0, x0); x < std::min(x0 + gap, window.width); ++x)
        beside[labels.at<int>(y, x)] = true;
  for (int i = 1; i < n; ++i) {
    if (!beside[i]) continue;
    const int t = stats.at<int>(i, cv::CC_STAT_TOP), b = t + stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (t > 0 && b < window.height && b - t <= 1.6 * h) return true;
  }
  return false;
}

}  // namespace

void CloseGlyphDetector::scan(const cv::Mat& gray, const Rect& region,
                              std::vector<CloseGlyph>& out) const {
  const Rect roi = region.intersect(Rect{0, 0, gray.cols, gray.rows});
  if (roi.width() < 8 || roi.height() < 8) return;
  const int min_px = std::max(6, static_cast<int>(dp_to_px(min_ink_dp, density_dpi_)));
  const int max_px = static_cast<int>(dp_to_px(max_ink_dp, density_dpi_));

  // Thin strokes, dark (black-hat) or light (top-hat), whatever the background does at larger
  // scales: card edges and banners are steps, not strokes, and vanish here. The two polarities
  // are scanned apart: the top-hat of a dark × lights up the gaps between its arms.
  const int k = std::max(7, static_cast<int>(dp_to_px(6, density_dpi_)) | 1);
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, {k, k});
  const cv::Mat g = gray(to_cv(roi));
  for (const int op : {cv::MORPH_BLACKHAT, cv::MORPH_TOPHAT}) {
    cv::Mat strokes;
    cv::morphologyEx(g, strokes, op, kernel);
    scan_strokes(strokes, roi, min_px, max_px, out);
  }
}

void CloseGlyphDetector::scan_strokes(const cv::Mat& strokes, const Rect& roi, int min_px,
                                      int max_px, std::vector<CloseGlyph>& out) const {
  // Low threshold so a faint glyph (a few % opacity) still forms a component; each component is
  // then re-binarised at half its own peak so anti-aliasing does not fatten the strokes.
  cv::Mat any;
  cv::threshold(strokes, any, 8, 255, cv::THRESH_BINARY);
  cv::Mat labels, stats;
  const int n = connected_regions(any, 8, labels, stats);
  for (int i = 1; i < n; ++i) {
    const int bw = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int bh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (bw < min_px || bh < min_px || bw > max_px || bh > max_px) continue;
    if (bw > bh * 1.4 || bh > bw * 1.4) continue;
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), bw,
                       bh);

    cv::Mat comp = labels(box) == i;
    double peak = 0;
    cv::minMaxLoc(strokes(box), nullptr, &peak, nullptr, nullptr, comp);
    cv::Mat core = (strokes(box) >= peak * 0.5) & comp;
    const cv::Rect tight = cv::boundingRect(core);
    if (tight.width < min_px || tight.height < min_px) continue;
    // A blob or a filled icon, not strokes (measured on the core: the halo of a low threshold
    // fattens any stroke).
    const double fill = static_cast<double>(cv::countNonZero(core(tight))) / tight.area();
    if (fill > 0.6) continue;
    const CrossShape shape = measure_cross(core(tight));
    if (shape.centre * shape.clean < min_score) continue;
    cv::Rect abs(box.x + tight.x, box.y + tight.y, tight.width, tight.height);
    // ⊗: the ring is usually its own component around the ×; look for it at 1.2–3× the
    // ×'s half-size, on the same stroke response.
    bool circled = shape.ring;
    if (!circled) {
      const cv::Rect ring = find_ring(strokes, abs, peak * 0.5);
      if (!ring.empty()) {
        circled = true;
        abs = ring;
      }
    }
    // A plain × must reach its corners: CJK characters such as 大 or 文 cross in the middle
    // but not at the top.
    const double s = shape.centre * shape.clean * (circled ? 1.0 : std::min(1.0, shape.arms / 0.8));
    // A ⊗ found as a separate ring stands apart from any text by its ring; one drawn in a single
    // stroke is as small as a letter and must stand apart like an ×.
    const bool own_ring = circled && !shape.ring;
    if (s < min_score || (!own_ring && in_text_line(strokes, abs, peak * 0.5))) continue;
    out.push_back(CloseGlyph{from_cv(abs + cv::Point(roi.left, roi.top)), s, circled});
  }
}

std::vector<CloseGlyph> CloseGlyphDetector::detect_in(const cv::Mat& image,
                                                      const Rect& region) const {
  std::vector<CloseGlyph> out;
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty()) return out;
  const Rect area = region.intersect(Rect{0, 0, bgr.cols, bgr.rows});
  if (area.empty()) return out;
  cv::Mat gray;
  cv::cvtColor(bgr(to_cv(area)), gray, cv::COLOR_BGR2GRAY);
  scan(gray, Rect{0, 0, gray.cols, gray.rows}, out);
  return rank(std::move(out), area);
}

std::vector<CloseGlyph> CloseGlyphDetector::detect_near_card(const cv::Mat& image,
                                                             const Rect& card) const {
  std::vector<CloseGlyph> found;
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty() || card.empty()) return found;
  // Grey of the search area only: converting a whole frame costs more than the scan, and a
  // huge image must not cost a full-size copy.
  const int r = static_cast<int>(dp_to_px(64, density_dpi_));
  // The status bar (~24 dp) is the system's: its notification icons are no close buttons.
  const int status_bar = static_cast<int>(dp_to_px(24, density_dpi_));
  const Rect area =
      Rect{card.left - r, card.top - 2 * r, card.right + r, card.bottom + 2 * r}.intersect(
          Rect{0, std::min(status_bar, card.top), bgr.cols, bgr.rows});
  if (area.empty()) return found;
  cv::Mat gray;
  cv::cvtColor(bgr(to_cv(area)), gray, cv::COLOR_BGR2GRAY);

  // Corners (inside and outside the card) and the bands above and below it, where apps put
  // the "⊗ under the dialog". In `gray`'s coordinates.
  const Rect c{card.left - area.left, card.top - area.top, card.right - area.left,
               card.bottom - area.top};
  const std::vector<Rect> regions = {
      {c.left - r, c.top - r, c.left + r, c.top + r},
      {c.right - r, c.top - r, c.right + r, c.top + r},
      {c.left - r, c.bottom - r, c.left + r, c.bottom + r},
      {c.right - r, c.bottom - r, c.right + r, c.bottom + r},
      {c.left, c.top - 2 * r, c.right, c.top + r / 2},
      {c.left, c.bottom - r / 2, c.right, c.bottom + 2 * r},
  };
  for (const Rect& reg : regions) scan(gray, reg, found);

  // Where apps put the close: at a corner of the card, or centred above or below it. An ×-like
  // shape elsewhere in the bands is more likely text of the dimmed app (风 holds an 乂).
  for (CloseGlyph& g : found) {
    const int x = g.ink.center_x(), y = g.ink.center_y();
    const bool near_corner = (std::abs(x - c.left) < r || std::abs(x - c.right) < r) &&
                             (std::abs(y - c.top) < r || std::abs(y - c.bottom) < r);
    const bool centred = std::abs(x - c.center_x()) < c.width() / 6;
    if (!near_corner && !centred) g.score *= kOffPlacement;
  }
  return rank(std::move(found), area);
}

std::vector<CloseGlyph> CloseGlyphDetector::rank(std::vector<CloseGlyph> found,
                                                 const Rect& origin) {
  for (auto& g : found) {
    g.ink.left += origin.left;
    g.ink.right += origin.left;
    g.ink.top += origin.top;
    g.ink.bottom += origin.top;
  }
  // Overlapping search regions report the same glyph more than once: keep the best.
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.score > b.score; });
  std::vector<CloseGlyph> out;
  for (const auto& g : found) {
    const bool dup = std::any_of(out.begin(), out.end(),
                                 [&](const CloseGlyph& o) { return iou(o.ink, g.ink) > 0.5; });
    if (!dup) out.push_back(g);
  }
  return out;
}

}  // namespace uiw::detectors
