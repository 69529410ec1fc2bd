#include "detectors/modal_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

// Working width: the card and backdrop are large structures, a quarter-resolution image keeps
// them intact and makes the pass a few ms.
constexpr int kWorkWidth = 270;

// The `q`-quantile (0 … 1) of an 8-bit sample.
int quantile(const cv::Mat& m, const cv::Mat& mask, double q) {
  int hist[256] = {0};
  long n = 0;
  for (int y = 0; y < m.rows; ++y) {
    const uchar* r = m.ptr<uchar>(y);
    const uchar* k = mask.empty() ? nullptr : mask.ptr<uchar>(y);
    for (int x = 0; x < m.cols; ++x)
      if (!k || k[x]) {
        ++hist[r[x]];
        ++n;
      }
  }
  if (n == 0) return 0;
  const long target = static_cast<long>(std::ceil(q * static_cast<double>(n)));
  long acc = 0;
  for (int v = 0; v < 256; ++v) {
    acc += hist[v];
    if (acc >= target) return v;
  }
  return 255;
}

}  // namespace

std::optional<ModalSurface> ModalDetector::detect(const cv::Mat& image) const {
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty() || bgr.cols < 16 || bgr.rows < 16) return std::nullopt;

  // Brightness as HSV V (max channel): a saturated red or blue card is as "lit" as a white one,
  // while luma would put a red card close to a dimmed white background.
  const double scale = std::max(1.0, static_cast<double>(bgr.cols) / kWorkWidth);
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(), 1.0 / scale, 1.0 / scale, cv::INTER_AREA);
  std::vector<cv::Mat> ch;
  cv::split(small, ch);
  cv::Mat v;
  cv::max(ch[0], ch[1], v);
  cv::max(v, ch[2], v);
  const int w = v.cols;
  const int h = v.rows;
  // ~24 dp on a phone: the status bar, which is drawn by the system, not by the app.
  const int status_bar = h / 32;

  // The backdrop shows at the screen's left, right and bottom edges (dialogs are inset), so
  // those strips estimate how bright the dimmed app can get. A light app that is not dimmed
  // has a near-white edge: no modal.
  cv::Mat edge_mask = cv::Mat::zeros(v.size(), CV_8U);
  const int sx = std::max(2, w / 40);
  const int sy = std::max(2, h / 40);
  edge_mask(cv::Rect(0, status_bar, sx, h - status_bar)).setTo(255);
  edge_mask(cv::Rect(w - sx, status_bar, sx, h - status_bar)).setTo(255);
  edge_mask(cv::Rect(0, h - sy, w, sy)).setTo(255);
  const int backdrop = quantile(v, edge_mask, 0.97);
  if (backdrop >= 200) return std::nullopt;

  const double screen_area = static_cast<double>(w) * h;
  std::optional<ModalSurface> best;
  double best_area = 0;
  // Several cut levels: just above the backdrop keeps a card with a darker ad image in one
  // piece, higher ones separate the card from brighter content of a dimmed dark-mode app
  // (list items that touch the card would otherwise merge with it).
  std::vector<int> levels = {backdrop + 16, backdrop + 48, (backdrop + 255) / 2,
                             backdrop + 3 * (255 - backdrop) / 4};
  for (int& l : levels) l = std::min(l, 254);
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  for (const int level : levels) {
    cv::Mat bright;
    cv::threshold(v, bright, level, 255, cv::THRESH_BINARY);
    cv::morphologyEx(bright, bright, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(bright, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);

    for (const auto& c : contours) {
      const cv::Rect r = cv::boundingRect(c);
      const double area = static_cast<double>(r.area());
      if (area < min_area_fraction * screen_area || area > max_area_fraction * screen_area)
        continue;
      const int margin = static_cast<int>(std::ceil(min_side_margin * w));
      if (r.x < margin || r.x + r.width > w - margin) continue;
      if (r.y <= 0 || r.y + r.height >= h) continue;
      // A card is a (possibly rounded) rectangle: its outline fills its bounding box.
      const double fill = cv::contourArea(c) / area;
      if (fill < 0.85) continue;

      // Rim just inside the card vs ring just outside: the card must stand clearly above the
      // backdrop all around. The rim's upper quartile is the card's own surface; a dark banner
      // along one edge (an ad image) must not hide it.
      const int t = std::max(1, std::min(r.width, r.height) / 20);
      cv::Mat rim_mask = cv::Mat::zeros(v.size(), CV_8U);
      cv::rectangle(rim_mask, r, cv::Scalar(255), t);
      cv::Mat ring_mask = cv::Mat::zeros(v.size(), CV_8U);
      const cv::Rect outer =
          (r + cv::Size(4 * t, 4 * t) - cv::Point(2 * t, 2 * t)) & cv::Rect(0, 0, w, h);
      cv::rectangle(ring_mask, outer, cv::Scalar(255), t);
      const int rim = quantile(v, rim_mask, 0.75);
      const int ring = quantile(v, ring_mask, 0.5);
      if (rim - ring < 40) continue;

      // Dimming darkens the whole app: nothing outside the card may be as bright as the card
      // (a dark-mode app with a lighter list item fails here).
      // The status bar is left out: phones often keep it undimmed above a dialog.
      cv::Mat outside = cv::Mat(v.size(), CV_8U, cv::Scalar(255));
      outside(cv::Rect(0, 0, w, status_bar)).setTo(0);
      outside(r).setTo(0);
      const int outside_hi = quantile(v, outside, 0.98);
      if (outside_hi > rim - 30) continue;

      if (area <= best_area) continue;
      best_area = area;
      ModalSurface m;
      m.card = Rect{static_cast<int>(std::lround(r.x * scale)),
                    static_cast<int>(std::lround(r.y * scale)),
                    static_cast<int>(std::lround((r.x + r.width) * scale)),
                    static_cast<int>(std::lround((r.y + r.height) * scale))}
                   .intersect(Rect{0, 0, bgr.cols, bgr.rows});
      m.backdrop_level = ring;
      m.card_level = rim;
      const double separation = std::clamp((rim - ring) / 120.0, 0.0, 1.0);
      const double darkness = std::clamp((230.0 - backdrop) / 100.0, 0.0, 1.0);
      m.confidence = std::clamp(0.4 + 0.6 * separation * fill * darkness, 0.0, 1.0);
      best = m;
    }
  }
  return best;
}

}  // namespace uiw::detectors
