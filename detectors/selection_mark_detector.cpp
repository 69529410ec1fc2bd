#include "detectors/selection_mark_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "detectors/connected_regions.h"
#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

// A flat-colour region: a connected component of the non-edge pixels.
struct Region {
  int label = 0;
  cv::Rect box;
  int area = 0;
};

// The region filled (holes closed) and what its holes are, in its bounding box.
struct RegionShape {
  cv::Mat filled;        // CV_8U, 255 inside the outer outline
  cv::Mat holes;         // filled minus the region itself
  double fill = 0;       // filled area / box area: ~0.95 square, ~0.79 disc
  double solidity = 0;   // filled area / convex hull area
  double hole_frac = 0;  // hole pixels / filled area
};

RegionShape measure(const cv::Mat& labels, const Region& r) {
  RegionShape s;
  const cv::Mat mask = labels(r.box) == r.label;
  std::vector<std::vector<cv::Point>> contours;
  cv::Mat padded;
  cv::copyMakeBorder(mask, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::findContours(padded, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE, {-1, -1});
  if (contours.empty()) return s;
  const auto outer = std::max_element(contours.begin(), contours.end(), [](auto& a, auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  s.filled = cv::Mat::zeros(mask.size(), CV_8U);
  cv::drawContours(s.filled, std::vector<std::vector<cv::Point>>{*outer}, 0, 255, cv::FILLED);
  s.filled |= mask;
  s.holes = s.filled & ~mask;
  const double filled_area = cv::countNonZero(s.filled);
  std::vector<cv::Point> hull;
  cv::convexHull(*outer, hull);
  const double hull_area = std::max(1.0, cv::contourArea(hull) + cv::arcLength(hull, true) / 2);
  s.fill = filled_area / std::max(1, r.box.area());
  s.solidity = std::min(1.0, filled_area / hull_area);
  s.hole_frac = cv::countNonZero(s.holes) / std::max(1.0, filled_area);
  return s;
}

// How much the hole pattern of a box looks like a tick (✓): a stroke whose lowest point is left
// of centre, a short left arm and a long right arm rising to the top right corner. 0 when not.
double tick_score(const cv::Mat& holes) {
  const int side = std::max(holes.cols, holes.rows);
  // Ignore the rim: anti-aliased rounded corners leave specks there.
  const int m = std::max(1, side / 8);
  cv::Mat core = cv::Mat::zeros(holes.size(), CV_8U);
  holes(cv::Rect(m, m, holes.cols - 2 * m, holes.rows - 2 * m))
      .copyTo(core(cv::Rect(m, m, holes.cols - 2 * m, holes.rows - 2 * m)));
  // Keep the largest connected piece of the hole pattern (the stroke and its outline).
  cv::Mat lab, stats;
  const int n = connected_regions(core, 8, lab, stats);
  if (n < 2) return 0;
  int best = 1;
  for (int i = 2; i < n; ++i)
    if (stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(best, cv::CC_STAT_AREA)) best = i;
  const cv::Rect hb(stats.at<int>(best, 0), stats.at<int>(best, 1), stats.at<int>(best, 2),
                    stats.at<int>(best, 3));
  if (hb.width < 0.4 * holes.cols || hb.height < 0.3 * holes.rows) return 0;
  if (hb.width > 0.97 * holes.cols && hb.height > 0.97 * holes.rows) return 0;
  const double ink = stats.at<int>(best, cv::CC_STAT_AREA);
  if (ink > 0.65 * hb.area()) return 0;  // a blob, not a stroke
  std::vector<int> lo(hb.width, -1), hi(hb.width, -1);
  int filled_cols = 0;
  for (int x = 0; x < hb.width; ++x) {
    for (int y = 0; y < hb.height; ++y) {
      if (lab.at<int>(hb.y + y, hb.x + x) != best) continue;
      if (hi[x] < 0) hi[x] = y;
      lo[x] = y;
    }
    filled_cols += lo[x] >= 0;
  }
  if (filled_cols < 0.85 * hb.width) return 0;
  const int w = hb.width;
  const double h = hb.height;
  auto mean_over = [&](const auto& v, int a, int b) {
    double sum = 0;
    int cnt = 0;
    for (int x = std::max(0, a); x < std::min(w, b); ++x)
      if (v[x] >= 0) sum += v[x], ++cnt;
    return cnt ? sum / cnt : -1.0;
  };
  int vertex = -1;
  for (int x = w / 10; x <= w * 65 / 100; ++x)
    if (lo[x] >= 0 && (vertex < 0 || lo[x] > lo[vertex])) vertex = x;
  if (vertex < 0) return 0;
  const int edge = std::max(1, w / 8);
  const double bottom = lo[vertex];
  const double left_low = mean_over(lo, 0, edge), right_low = mean_over(lo, w - edge, w);
  const double left_top = mean_over(hi, 0, edge), right_top = mean_over(hi, w - edge, w);
  if (left_low < 0 || right_low < 0) return 0;
  const double rise_right = (bottom - right_low) / h;  // long arm: ~0.6–1
  const double rise_left = (bottom - left_low) / h;    // short arm: ~0.2–0.5
  const double tip = right_top / h;                    // right tip at the top
  const double left_start = left_top / h;              // left arm starts part way down
  if (rise_right < 0.45 || rise_left < 0.12 || tip > 0.25 || left_start < 0.18) return 0;
  // The vertex must be the bottom of the whole stroke.
  if (bottom < 0.8 * (h - 1)) return 0;
  // The stroke's centre line follows two straight arms (a "?", a magnifier or a globe do not).
  std::vector<double> mid(w, -1);
  for (int x = 0; x < w; ++x)
    if (lo[x] >= 0) mid[x] = (lo[x] + hi[x]) / 2.0;
  const double m0 = mean_over(mid, 0, edge), mv = mean_over(mid, vertex - 1, vertex + 2),
               m1 = mean_over(mid, w - edge, w);
  double residual = 0, thick = 0;
  int cnt = 0;
  for (int x = 0; x < w; ++x) {
    if (mid[x] < 0) continue;
    const double t = x <= vertex ? static_cast<double>(x) / std::max(1, vertex)
                                 : static_cast<double>(x - vertex) / std::max(1, w - 1 - vertex);
    const double model = x <= vertex ? m0 + (mv - m0) * t : mv + (m1 - mv) * t;
    residual += std::abs(mid[x] - model);
    thick += lo[x] - hi[x] + 1;
    ++cnt;
  }
  residual /= cnt * h;
  thick /= cnt * h;
  if (residual > 0.12 || thick > 0.62) return 0;
  // Nothing but the stroke: the top-left and bottom-right corners of its box stay empty.
  auto ink_in = [&](double fx0, double fy0, double fx1, double fy1) {
    const cv::Rect c(hb.x + static_cast<int>(fx0 * w), hb.y + static_cast<int>(fy0 * h),
                     std::max(1, static_cast<int>((fx1 - fx0) * w)),
                     std::max(1, static_cast<int>((fy1 - fy0) * h)));
    return cv::countNonZero(lab(c) == best) / static_cast<double>(c.area());
  };
  if (ink_in(0, 0, 0.3, 0.25) > 0.12 || ink_in(0.75, 0.6, 1, 1) > 0.12) return 0;
  if (ink < 0.7 * cv::countNonZero(core)) return 0;  // other marks inside: an icon
  return std::clamp(1.0 - residual * 3, 0.5, 1.0);
}

// A dot centred in the disc: a selected radio. 0 when the holes are anything else.
double dot_score(const cv::Mat& holes) {
  cv::Mat lab, stats;
  const int n = connected_regions(holes, 8, lab, stats);
  if (n < 2) return 0;
  int best = 1;
  for (int i = 2; i < n; ++i)
    if (stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(best, cv::CC_STAT_AREA)) best = i;
  const double area = stats.at<int>(best, cv::CC_STAT_AREA);
  const cv::Rect hb(stats.at<int>(best, 0), stats.at<int>(best, 1), stats.at<int>(best, 2),
                    stats.at<int>(best, 3));
  const double side = (holes.cols + holes.rows) / 2.0;
  const double cx = hb.x + hb.width / 2.0 - holes.cols / 2.0;
  const double cy = hb.y + hb.height / 2.0 - holes.rows / 2.0;
  if (std::hypot(cx, cy) > 0.12 * side) return 0;
  const double d = (hb.width + hb.height) / 2.0;
  if (d < 0.22 * side || d > 0.72 * side) return 0;
  if (std::abs(hb.width - hb.height) > 0.25 * d) return 0;
  if (area < 0.6 * hb.area()) return 0;  // a dot is solid
  // Other holes must be specks.
  if (cv::countNonZero(holes) > 1.3 * area) return 0;
  return 0.85;
}

double colour_distance(const cv::Vec3d& a, const cv::Vec3d& b) {
  return cv::norm(a - b);
}

cv::Vec3d mean_colour(const cv::Mat& bgr, const cv::Mat& mask) {
  const cv::Scalar m = cv::mean(bgr, mask);
  return {m[0], m[1], m[2]};
}

// What surrounds a region: the share of directions (16 sectors) in which a thin band just
// outside it holds ink contrasting with the region (a control's outline, or a filled control's
// background), and that ink's mean colour.
struct Outline {
  double coverage = 0;
  cv::Vec3d colour;
  cv::Vec3d inside;  // the region's own mean colour
};

Outline outline_of(const cv::Mat& work, const cv::Mat& labels, int label, const cv::Rect& box,
                   const cv::Mat& filled) {
  Outline o;
  const int pad = std::max(2, std::max(box.width, box.height) / 6);
  const cv::Rect outer =
      cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad) &
      cv::Rect(0, 0, work.cols, work.rows);
  cv::Mat inner = cv::Mat::zeros(outer.size(), CV_8U);
  filled.copyTo(inner(cv::Rect(box.x - outer.x, box.y - outer.y, box.width, box.height)));
  cv::Mat grown;
  cv::dilate(inner, grown,
             cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * pad + 1, 2 * pad + 1}));
  const cv::Mat band = grown & ~inner;
  const cv::Mat patch = work(outer);
  o.inside = mean_colour(patch, labels(outer) == label);
  std::vector<bool> sector(16, false);
  cv::Vec3d sum(0, 0, 0);
  int count = 0;
  const double cx = box.x - outer.x + box.width / 2.0, cy = box.y - outer.y + box.height / 2.0;
  for (int y = 0; y < band.rows; ++y)
    for (int x = 0; x < band.cols; ++x) {
      if (!band.at<uchar>(y, x)) continue;
      const cv::Vec3b p = patch.at<cv::Vec3b>(y, x);
      const cv::Vec3d c(p[0], p[1], p[2]);
      if (colour_distance(c, o.inside) < 28) continue;
      sum += c;
      ++count;
      const double a = std::atan2(y - cy, x - cx);
      sector[std::clamp(static_cast<int>((a + CV_PI) / (2 * CV_PI) * 16), 0, 15)] = true;
    }
  o.coverage = std::count(sector.begin(), sector.end(), true) / 16.0;
  if (count) o.colour = sum / count;
  return o;
}

// Mean colour of the frame from f1 to f2 of `box`'s side away from it.
cv::Vec3d colour_around(const cv::Mat& work, const cv::Rect& box, double f1, double f2) {
  const int side = std::max(box.width, box.height);
  const int e1 = std::max(1, static_cast<int>(side * f1)),
            e2 = std::max(e1 + 1, static_cast<int>(side * f2));
  const cv::Rect img(0, 0, work.cols, work.rows);
  cv::Mat mask = cv::Mat::zeros(work.size(), CV_8U);
  mask(cv::Rect(box.x - e2, box.y - e2, box.width + 2 * e2, box.height + 2 * e2) & img).setTo(255);
  mask(cv::Rect(box.x - e1, box.y - e1, box.width + 2 * e1, box.height + 2 * e1) & img).setTo(0);
  return mean_colour(work, mask);
}

bool is_square(const cv::Rect& b) {
  const double a = static_cast<double>(b.width) / b.height;
  return a > 0.8 && a < 1.25;
}

// Best first; of overlapping marks the better one stays (a switch over its own thumb seen as a
// disc, a selected radio over its dot, a ticked box over the card it sits on).
std::vector<SelectionMark> rank(std::vector<SelectionMark> marks) {
  std::stable_sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.box.area() > b.box.area();
  });
  std::vector<SelectionMark> kept;
  for (const auto& m : marks) {
    bool overlaps = false;
    for (const auto& k : kept) {
      const long small = std::min(m.box.area(), k.box.area());
      if (small > 0 && m.box.intersect(k.box).area() > 0.6 * small) overlaps = true;
    }
    if (!overlaps) kept.push_back(m);
  }
  return kept;
}

// Marks found in one edge map and the regions between its edges, boxes in work px. `boxes`: look
// for checkboxes and radios too (switches only otherwise).
void scan(const SelectionMarkDetector& p, const cv::Mat& work, const cv::Mat& edges,
          const EdgeRegions& regions, double ppd, bool boxes, std::vector<SelectionMark>& marks) {
  const cv::Mat& labels = regions.labels;
  const cv::Mat& stats = regions.stats;
  const int n = regions.count;

  const double box_min = p.min_box_dp * ppd, box_max = p.max_box_dp * ppd;
  const double thumb_min = p.min_thumb_dp * ppd, thumb_max = p.max_thumb_dp * ppd;
  auto region_of = [&](int l) {
    return Region{l,
                  cv::Rect(stats.at<int>(l, 0), stats.at<int>(l, 1), stats.at<int>(l, 2),
                           stats.at<int>(l, 3)),
                  stats.at<int>(l, cv::CC_STAT_AREA)};
  };
  for (int l = 1; l < n; ++l) {
    const Region r = region_of(l);
    const int side = std::max(r.box.width, r.box.height);
    if (side < std::min(box_min, thumb_min) || side > std::max(box_max, thumb_max)) continue;
    if (!is_square(r.box)) continue;
    if (r.box.x == 0 || r.box.y == 0 || r.box.x + r.box.width >= labels.cols ||
        r.box.y + r.box.height >= labels.rows)
      continue;  // cut by the search region: not a whole shape
    const RegionShape s = measure(labels, r);
    if (s.filled.empty() || s.solidity < 0.88) continue;
    const bool square = s.fill > 0.86;
    const bool disc = s.fill > 0.68 && s.fill <= 0.86;
    if (!square && !disc) continue;

    if (boxes && side >= box_min && side <= box_max) {
      const Outline outline = outline_of(work, labels, l, r.box, s.filled);
      const double clutter = clutter_around(edges, r.box, ppd);
      const bool isolated = clutter <= p.max_clutter;
      const double tick =
          isolated && s.hole_frac > 0.04 && s.hole_frac < 0.6 && outline.coverage >= 0.6
              ? tick_score(s.holes)
              : 0;
      if (tick > 0 && side <= p.max_tick_dp * ppd) {
        marks.push_back({SelectionMark::Kind::kCheckbox, true, from_cv(r.box), tick});
        continue;
      }
      if (isolated && disc && s.hole_frac > 0.05 && outline.coverage >= 0.75 &&
          side <= p.max_radio_dp * ppd) {
        // Material and iOS draw the ring and the dot in one accent colour, on the page colour.
        const cv::Mat patch = work(r.box);
        // The dot's own colour: its core, without the anti-aliased rim.
        cv::Mat core;
        cv::erode(s.holes, core, cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3}));
        const cv::Vec3d dot = mean_colour(patch, cv::countNonZero(core) ? core : s.holes);
        const double dot_score_v = dot_score(s.holes);
        // The ring is thin: beyond it lies the page again, the colour of the gap inside.
        const cv::Vec3d page = colour_around(work, r.box, 0.3, 0.5);
        const bool ring_and_dot = colour_distance(page, outline.inside) < 40 &&
                                  colour_distance(dot, outline.inside) > 50 &&
                                  colour_distance(dot, outline.colour) < 90;
        // Material 3 and many vendor themes fill the whole disc with the accent and leave a dot
        // of the page's colour in its middle.
        // The disc is the accent, a saturated colour: a grey disc with a lighter middle is a
        // switch's thumb with its shading, or an icon.
        const cv::Vec3d& accent = outline.inside;
        const double brightest = std::max({accent[0], accent[1], accent[2]});
        const double accent_saturation =
            (brightest - std::min({accent[0], accent[1], accent[2]})) / std::max(1.0, brightest);
        const bool disc_and_hole = colour_distance(dot, page) < 40 &&
                                   colour_distance(accent, page) > 60 && accent_saturation > 0.3;
        if (dot_score_v > 0 && (ring_and_dot || disc_and_hole)) {
          marks.push_back({SelectionMark::Kind::kRadio, true, from_cv(r.box), dot_score_v});
          continue;
        }
      }
      if (isolated && s.hole_frac < 0.03 && outline.coverage >= 0.75) {
        // Any outlined flat square or disc looks like an empty control: a checked control never
        // hides here, and callers only act on checked ones.
        marks.push_back({square ? SelectionMark::Kind::kCheckbox : SelectionMark::Kind::kRadio,
                         false, from_cv(r.box), 0.5});
      }
    }

    // A switch thumb: a plain disc with a small track region on one side only.
    if (!disc || s.hole_frac > 0.08 || side < thumb_min || side > thumb_max) continue;
    const double d = side;
    const double cy = r.box.y + r.box.height / 2.0;
    cv::Rect best_union;
    double best_fit = 0;
    bool thumb_right = false;
    int track_sides = 0, last_track = -1;
    for (int dir : {-1, 1}) {
      const int tl = label_beside(labels, r.box, dir, std::max(6, r.box.width / 4));
      if (tl == 0 || tl == l || tl == last_track) continue;
      const Region t = region_of(tl);
      const double tcy = t.box.y + t.box.height / 2.0;
      if (t.box.height > 1.8 * d || t.box.height < 0.2 * d) continue;
      if (std::abs(tcy - cy) > 0.2 * d) continue;
      if (t.box.width > 3 * d) continue;
      const double ext =
          dir < 0 ? r.box.x - t.box.x : t.box.x + t.box.width - r.box.x - r.box.width;
      if (ext < 0.3 * d || ext > 1.9 * d) continue;
      if (t.area < 0.25 * t.box.area()) continue;
      // A track enclosing the thumb (iOS: a rim of track colour around it) extends on both
      // sides; it must still reach much further on one side.
      const double other =
          dir < 0 ? t.box.x + t.box.width - r.box.x - r.box.width : r.box.x - t.box.x;
      if (other > 0.45 * d) continue;
      const cv::Rect u = t.box | r.box;
      const double aspect = static_cast<double>(u.width) / u.height;
      if (aspect < p.min_switch_aspect || aspect > p.max_switch_aspect) continue;
      if (d < 0.5 * u.height) continue;
      ++track_sides;
      last_track = tl;
      const double fit = 1.0 - std::min(0.5, std::abs(aspect - 1.75) / 2.5);
      if (fit > best_fit) best_fit = fit, best_union = u, thumb_right = dir < 0;
    }
    // Track-like regions on both sides: a slider or a segmented control, not a switch.
    if (track_sides != 1) continue;
    const double roundness = std::clamp(1.0 - std::abs(s.fill - 0.785) / 0.1, 0.0, 1.0);
    const double score = std::clamp(0.45 + 0.3 * best_fit + 0.25 * roundness, 0.0, 1.0);
    marks.push_back({SelectionMark::Kind::kSwitch, thumb_right, from_cv(best_union), score});
  }
}

// cv::cvtColor(bgr, COLOR_BGR2Lab) converting each colour once per flat stretch: screens are
// mostly flat fills and the conversion works pixel by pixel, so a pixel equal to its left or
// upper neighbour takes that neighbour's result (the conversion of every pixel costs as much as
// the three Canny passes).
cv::Mat to_lab(const cv::Mat& bgr) {
  const int w = bgr.cols;
  std::vector<int> source(bgr.total());  // per pixel, the index of its colour in `colours`
  cv::Mat colours(1, static_cast<int>(bgr.total()), CV_8UC3);
  auto* distinct = colours.ptr<cv::Vec3b>();
  int n = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* row = bgr.ptr<cv::Vec3b>(y);
    const auto* up = y > 0 ? bgr.ptr<cv::Vec3b>(y - 1) : nullptr;
    int* s = source.data() + static_cast<size_t>(y) * w;
    for (int x = 0; x < w; ++x) {
      if (x > 0 && row[x] == row[x - 1]) {
        s[x] = s[x - 1];
      } else if (up && row[x] == up[x]) {
        s[x] = s[x - w];
      } else {
        distinct[n] = row[x];
        s[x] = n++;
      }
    }
  }
  cv::Mat converted;
  cv::cvtColor(colours.colRange(0, n), converted, cv::COLOR_BGR2Lab);
  const auto* lab_of = converted.ptr<cv::Vec3b>();
  cv::Mat lab(bgr.size(), CV_8UC3);
  for (int y = 0; y < bgr.rows; ++y) {
    auto* out = lab.ptr<cv::Vec3b>(y);
    const int* s = source.data() + static_cast<size_t>(y) * w;
    for (int x = 0; x < w; ++x) out[x] = lab_of[s[x]];
  }
  return lab;
}

}  // namespace

// Share of edge pixels in a frame around `box` (from a quarter of its side, but at least 4 dp
// away, so that the control's own 2 dp outline stays out of it): controls stand apart from their
// label, letters like "o" or "é" sit among other letters.
double clutter_around(const cv::Mat& edges, const cv::Rect& box, double ppd) {
  const int side = std::max(box.width, box.height);
  const int e1 = static_cast<int>(std::max(side * 0.25, 4 * ppd));
  const int e2 = e1 + static_cast<int>(std::max(side * 0.25, 3 * ppd));
  const cv::Rect img(0, 0, edges.cols, edges.rows);
  const cv::Rect outer =
      cv::Rect(box.x - e2, box.y - e2, box.width + 2 * e2, box.height + 2 * e2) & img;
  const cv::Rect inner =
      cv::Rect(box.x - e1, box.y - e1, box.width + 2 * e1, box.height + 2 * e1) & img;
  const double area = outer.area() - inner.area();
  if (area <= 0) return 1;
  return (cv::countNonZero(edges(outer)) - cv::countNonZero(edges(inner))) / area;
}

int label_beside(const cv::Mat& labels, const cv::Rect& box, int dir, int reach) {
  const int y = box.y + box.height / 2;
  const int x0 = dir < 0 ? box.x - 1 : box.x + box.width;
  for (int k = 0; k < reach; ++k) {
    const int x = x0 + dir * k;
    if (x < 0 || x >= labels.cols) return 0;
    if (const int l = labels.at<int>(y, x); l != 0) return l;
  }
  return 0;
}

cv::Mat colour_edge_map(const cv::Mat& bgr, double low, double high) {
  cv::Mat blurred;
  cv::GaussianBlur(bgr, blurred, {3, 3}, 0);
  std::vector<cv::Mat> channels;
  cv::split(to_lab(blurred), channels);
  cv::Mat edges = cv::Mat::zeros(bgr.size(), CV_8U), e;
  for (const auto& c : channels) {
    cv::Canny(c, e, low, high, 3, true);
    edges |= e;
  }
  return edges;
}

EdgeRegions regions_between(const cv::Mat& edges) {
  EdgeRegions r;
  r.count = connected_regions(edges == 0, 4, r.labels, r.stats);
  return r;
}

bool navigation_bar_lookalike(const SelectionMark& mark, const Rect& screen, int density_dpi) {
  const int band = static_cast<int>(std::lround(48.0 * density_dpi / 160.0));
  if (mark.box.bottom <= screen.bottom - band) return false;
  return !mark.checked || mark.kind == SelectionMark::Kind::kRadio;
}

const char* to_string(SelectionMark::Kind kind) {
  switch (kind) {
    case SelectionMark::Kind::kSwitch:
      return "switch";
    case SelectionMark::Kind::kCheckbox:
      return "checkbox";
    case SelectionMark::Kind::kRadio:
      return "radio";
  }
  return "?";
}

WorkImage work_image(const cv::Mat& bgr, const Rect& roi, int density_dpi, double px_per_dp) {
  const double frame_ppd = density_dpi / 160.0;
  WorkImage w;
  w.scale = std::min(1.0, px_per_dp / frame_ppd);
  // Down to half size bilinear sampling keeps one-pixel outlines (each output pixel still
  // mixes the 2×2 source pixels around it), and at a ratio such as 2.625 → 2 px/dp it costs
  // ~3 ms on a 1080×2400 frame where OpenCV's area averaging takes ~30 ms (its fast path is for
  // whole-number ratios only). Same image-level results on the AidUI dev set; boxes move by a
  // pixel or two.
  if (w.scale < 1)
    cv::resize(bgr(to_cv(roi)), w.image, {}, w.scale, w.scale,
               w.scale >= 0.5 ? cv::INTER_LINEAR : cv::INTER_AREA);
  else
    w.image = bgr(to_cv(roi));
  w.ppd = frame_ppd * w.scale;
  return w;
}

EdgeView edge_view(const cv::Mat& bgr, const Rect& roi, int density_dpi, double px_per_dp,
                   double low, double high) {
  EdgeView v;
  v.roi = roi;
  v.work = work_image(bgr, roi, density_dpi, px_per_dp);
  v.edges = colour_edge_map(v.work.image, low, high);
  v.edge_low = low;
  v.edge_high = high;
  v.regions = regions_between(v.edges);
  return v;
}

std::optional<EdgeView> crop_edge_view(const EdgeView& view, const Rect& region, double scale,
                                       double low, double high) {
  if (view.edges.empty() || view.work.scale != scale || view.edge_low != low ||
      view.edge_high != high)
    return std::nullopt;
  // Work pixel k stands for frame pixels from k / scale on (area averaging covers
  // [k / scale, (k + 1) / scale), bilinear sampling is centred in it): the crop matches only
  // when the region starts on such a boundary, and is as large as resizing it would give.
  const double x = (region.left - view.roi.left) * scale, y = (region.top - view.roi.top) * scale;
  const int ix = static_cast<int>(std::lround(x)), iy = static_cast<int>(std::lround(y));
  if (std::abs(x - ix) > 1e-6 || std::abs(y - iy) > 1e-6) return std::nullopt;
  const int w = scale < 1 ? cvRound(region.width() * scale) : region.width();
  const int h = scale < 1 ? cvRound(region.height() * scale) : region.height();
  if (ix < 0 || iy < 0 || ix + w > view.edges.cols || iy + h > view.edges.rows) return std::nullopt;
  if (region == view.roi) return view;
  EdgeView c = view;
  c.regions = {};
  c.roi = region;
  c.work.image = view.work.image(cv::Rect(ix, iy, w, h));
  c.edges = view.edges(cv::Rect(ix, iy, w, h));
  return c;
}

EdgeView edge_view_for(const cv::Mat& bgr, const Rect& roi, int density_dpi, double px_per_dp,
                       double low, double high, const EdgeView* shared) {
  if (shared) {
    const double frame_ppd = density_dpi / 160.0;
    if (auto view = crop_edge_view(*shared, roi, std::min(1.0, px_per_dp / frame_ppd), low, high)) {
      if (view->regions.count == 0) view->regions = regions_between(view->edges);
      return std::move(*view);
    }
  }
  return edge_view(bgr, roi, density_dpi, px_per_dp, low, high);
}

std::vector<SelectionMark> SelectionMarkDetector::detect(const cv::Mat& image, const Rect& region,
                                                         const EdgeView* shared) const {
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty()) return {};
  const Rect roi = region.intersect(Rect{0, 0, bgr.cols, bgr.rows});
  if (roi.width() < 8 || roi.height() < 8) return {};

  const EdgeView view =
      edge_view_for(bgr, roi, density_dpi_, work_px_per_dp, edge_low, edge_high, shared);
  const cv::Mat& work = view.work.image;
  const double scale = view.work.scale;
  const double ppd = view.work.ppd;  // work px per dp

  std::vector<SelectionMark> marks;
  const cv::Mat& edges = view.edges;
  scan(*this, work, edges, view.regions, ppd, true, marks);
  // Where a switch's thumb meets its track the outline often has a one-pixel gap, and the track
  // leaks into the page; closing the edges seals it (boxes are read unclosed: closing fills the
  // thin tick of a small checkbox).
  cv::Mat closed;
  cv::dilate(edges, closed, cv::getStructuringElement(cv::MORPH_CROSS, {3, 3}));
  scan(*this, work, closed, regions_between(closed), ppd, false, marks);

  const int status_bar = static_cast<int>(std::lround(status_bar_dp * density_dpi_ / 160.0));
  std::vector<SelectionMark> out;
  for (auto& m : rank(std::move(marks))) {
    m.box = Rect{roi.left + static_cast<int>(std::floor(m.box.left / scale)),
                 roi.top + static_cast<int>(std::floor(m.box.top / scale)),
                 roi.left + static_cast<int>(std::ceil(m.box.right / scale)),
                 roi.top + static_cast<int>(std::ceil(m.box.bottom / scale))};
    if (m.score >= min_score && m.box.bottom > status_bar) out.push_back(m);
  }
  return out;
}

}  // namespace uiw::detectors
