#include "detectors/highlighted_choice_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "detectors/frame.h"
#include "detectors/selection_mark_detector.h"

namespace uiw::detectors {
namespace {

struct Colour {
  cv::Vec3d bgr;
  double saturation = 0;  // HSV S, 0..1
  double value = 0;       // HSV V, 0..1
};

Colour colour_of(const cv::Vec3d& bgr) {
  Colour c{bgr};
  const double mx = std::max({bgr[0], bgr[1], bgr[2]}), mn = std::min({bgr[0], bgr[1], bgr[2]});
  c.value = mx / 255.0;
  c.saturation = mx > 0 ? (mx - mn) / mx : 0;
  return c;
}

Colour mean_colour(const cv::Mat& bgr, const cv::Mat& mask) {
  const cv::Scalar m = cv::mean(bgr, mask);
  return colour_of({m[0], m[1], m[2]});
}

double distance(const Colour& a, const Colour& b) {
  return cv::norm(a.bgr - b.bgr);
}

// The page colour around `box`: the mean of a frame `pad` px wide just outside it.
Colour page_around(const cv::Mat& work, const cv::Rect& box, int pad) {
  const cv::Rect img(0, 0, work.cols, work.rows);
  const cv::Rect outer =
      cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad) & img;
  cv::Mat mask = cv::Mat::zeros(work.size(), CV_8U);
  mask(outer).setTo(255);
  mask(box & img).setTo(0);
  return mean_colour(work, mask);
}

// The first line of ink in `area` of the edge map, top down, at least `min_height` rows tall
// (thinner runs are rules, shadows and button rims); false when there is none.
bool first_line(const cv::Mat& edges, const cv::Rect& area, int min_height, cv::Rect& line) {
  cv::Mat rows;
  cv::reduce(edges(area), rows, 1, cv::REDUCE_MAX);
  for (int y = 0; y < rows.rows;) {
    if (!rows.at<uchar>(y, 0)) {
      ++y;
      continue;
    }
    const int r0 = y;
    while (y < rows.rows && rows.at<uchar>(y, 0)) ++y;
    if (y - r0 < min_height) continue;
    cv::Mat cols;
    cv::reduce(edges(cv::Rect(area.x, area.y + r0, area.width, y - r0)), cols, 0, cv::REDUCE_MAX);
    int c0 = -1, c1 = -1;
    for (int x = 0; x < cols.cols; ++x)
      if (cols.at<uchar>(0, x)) {
        if (c0 < 0) c0 = x;
        c1 = x + 1;
      }
    line = cv::Rect(area.x + c0, area.y + r0, c1 - c0, y - r0);
    return true;
  }
  return false;
}

}  // namespace

std::vector<HighlightedChoice> HighlightedChoiceDetector::detect(const cv::Mat& image,
                                                                 const Rect& region,
                                                                 const EdgeView* shared) const {
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty()) return {};
  const Rect roi = region.intersect(Rect{0, 0, bgr.cols, bgr.rows});
  if (roi.width() < 16 || roi.height() < 16) return {};
  const EdgeView view =
      edge_view_for(bgr, roi, density_dpi_, work_px_per_dp, edge_low, edge_high, shared);
  const cv::Mat& work = view.work.image;
  const double scale = view.work.scale;
  const double ppd = view.work.ppd;

  const cv::Mat& edges = view.edges;
  const cv::Mat& labels = view.regions.labels;
  const cv::Mat& stats = view.regions.stats;
  const int n = view.regions.count;
  auto box_of = [&](int l) {
    return cv::Rect(stats.at<int>(l, 0), stats.at<int>(l, 1), stats.at<int>(l, 2),
                    stats.at<int>(l, 3));
  };
  const cv::Rect img(0, 0, work.cols, work.rows);

  // The first line of ink under `ref` (a button, or a row of buttons), centred with it: a
  // plain-text option, or an outlined or grey box (a saturated one makes the choice even).
  // `h`: the height of the buttons in `ref`. Empty when there is none.
  auto option_below = [&](const cv::Rect& ref, int h, const Colour& page) {
    const int top = ref.y + ref.height + std::max(2, h / 10);
    const cv::Rect below = cv::Rect(ref.x - ref.width / 10, top, ref.width + ref.width / 5,
                                    static_cast<int>(max_gap_below * h)) &
                           img;
    cv::Rect line;
    if (below.height <= 2 || !first_line(edges, below, std::max(2, h / 6), line)) return cv::Rect();
    const double dx = std::abs((line.x + line.width / 2.0) - (ref.x + ref.width / 2.0));
    if (dx >= 0.2 * ref.width || line.height > 1.3 * h || line.height <= 0.15 * h ||
        line.width <= 0.04 * ref.width)
      return cv::Rect();
    if (line.height > 0.6 * h && line.width > 0.6 * ref.width) {
      // An outlined or grey twin below; a saturated twin makes the choice even.
      const cv::Rect inner(line.x + line.width / 6, line.y + line.height / 6, line.width * 2 / 3,
                           line.height * 2 / 3);
      const Colour c = mean_colour(work(inner), edges(inner) == 0);
      return c.saturation > max_secondary_saturation && distance(c, page) > 40 ? cv::Rect() : line;
    }
    return line.height < 0.8 * h ? line : cv::Rect();
  };

  std::vector<HighlightedChoice> out;
  for (int l = 1; l < n; ++l) {
    const cv::Rect b = box_of(l);
    if (b.height < min_button_height_dp * ppd || b.height > max_button_height_dp * ppd) continue;
    if (b.width < min_button_width_dp * ppd) continue;
    if (b.width < min_button_aspect * b.height) continue;
    // A bar across the whole region (toolbar, banner) is not a button.
    if (b.x <= 1 || b.y <= 1 || b.x + b.width >= work.cols - 1 || b.y + b.height >= work.rows - 1)
      continue;
    const cv::Mat mask = labels(b) == l;
    const int area = stats.at<int>(l, cv::CC_STAT_AREA);
    // Filled shape (text holes closed) must be a rounded rectangle or pill.
    cv::Mat filled = mask.clone();
    {
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(mask.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
      if (contours.empty()) continue;
      cv::drawContours(filled, contours, -1, 255, cv::FILLED);
    }
    const double filled_area = cv::countNonZero(filled);
    if (filled_area < 0.85 * b.area()) continue;
    const double text = 1.0 - area / filled_area;
    if (text < 0.01 || text > 0.6) continue;  // a button carries a label
    const Colour fill = mean_colour(work(b), mask);
    const int h = b.height;
    const Colour page = page_around(work, b, std::max(2, h / 4));
    if (distance(fill, page) < 40) continue;
    const bool accent = fill.saturation >= min_primary_saturation && fill.value >= 0.25;
    // A white (or black) button on a surface in a brand colour is that surface's accent; it
    // counts only beside an outlined twin (checked below), as plain white cards are everywhere.
    const bool inverse = !accent && page.saturation >= min_primary_saturation &&
                         distance(fill, page) >= min_inverse_contrast;
    if (!accent && !inverse) continue;

    // The neighbour on the same row, left or right, if any: a filled saturated one makes the
    // choice even; a page-coloured (outlined) or grey one is a ghost secondary.
    bool even = false, twin = false;
    cv::Rect secondary, even_row;
    const int cy = b.y + h / 2;
    for (int dir : {-1, 1}) {
      int page_label = -1;
      for (int k = 1; k < b.width; ++k) {
        const int x = dir < 0 ? b.x - k : b.x + b.width - 1 + k;
        if (x < 0 || x >= work.cols) break;
        const int lab = labels.at<int>(cy, x);
        if (lab == 0 || lab == l) continue;
        if (page_label < 0) {
          page_label = lab;
          continue;
        }
        if (lab == page_label) continue;
        if (k > b.width / 2) break;  // the gap is too wide for a pair
        const cv::Rect nb = box_of(lab);
        if (std::abs(nb.height - h) > 0.3 * h || nb.width < 0.35 * b.width ||
            std::abs(nb.y + nb.height / 2 - cy) > 0.2 * h) {
          // Not a button: text beside the primary (a plain-text option).
          cv::Rect line;
          const cv::Rect band =
              dir < 0
                  ? cv::Rect(std::max(0, b.x - b.width), b.y, b.x - std::max(0, b.x - b.width), h)
                  : cv::Rect(b.x + b.width, b.y,
                             std::min(work.cols, b.x + 2 * b.width) - b.x - b.width, h);
          if (band.width > 0 && first_line(edges, band & img, std::max(2, h / 6), line) &&
              line.width > 0.15 * b.width && line.height < 0.8 * h && secondary.empty())
            secondary = line;
          break;
        }
        // A region filling little of its box is the outline of an outlined button (its ring of
        // stroke), not a fill.
        const bool ring = stats.at<int>(lab, cv::CC_STAT_AREA) < 0.5 * nb.area();
        const Colour other = mean_colour(work(nb), labels(nb) == lab);
        if (!ring && other.saturation > max_secondary_saturation && distance(other, page) > 40) {
          even = true;
          if (dir > 0 && accent) even_row = b | nb;  // once per row: from its left button
        } else if (secondary.empty() || !twin) {
          secondary = nb;
          twin = true;
        }
        break;
      }
    }
    cv::Rect primary = b;
    if (even) {
      // Two filled buttons side by side are an even choice, unless a plain or grey option sits
      // under the row ("Sign up" | "Log in" over a grey "Later"): then the row is the default.
      if (even_row.empty()) continue;
      secondary = option_below(even_row, h, page);
      if (secondary.empty()) continue;
      primary = even_row;
    } else if (inverse) {
      if (!twin) continue;
    } else if (secondary.empty()) {
      secondary = option_below(b, h, page);  // under the primary
    }
    if (secondary.empty()) continue;
    // An inverse button ranks after accent ones: white cards on colour are common.
    const double score =
        std::clamp(0.5 + 0.5 * (inverse ? page.saturation / 2 : fill.saturation), 0.0, 1.0);
    auto frame = [&](const cv::Rect& r) {
      return Rect{roi.left + static_cast<int>(std::floor(r.x / scale)),
                  roi.top + static_cast<int>(std::floor(r.y / scale)),
                  roi.left + static_cast<int>(std::ceil((r.x + r.width) / scale)),
                  roi.top + static_cast<int>(std::ceil((r.y + r.height) / scale))};
    };
    out.push_back({frame(primary), frame(secondary), score});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  return out;
}

}  // namespace uiw::detectors
