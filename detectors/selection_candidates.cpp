#include "detectors/selection_candidates.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "detectors/frame.h"

namespace uiw::detectors {
namespace {

struct Candidate {
  cv::Rect box;  // work px
  double clutter = 0;
};

cv::Rect stat_box(const EdgeRegions& r, int label) {
  return {r.stats.at<int>(label, cv::CC_STAT_LEFT), r.stats.at<int>(label, cv::CC_STAT_TOP),
          r.stats.at<int>(label, cv::CC_STAT_WIDTH), r.stats.at<int>(label, cv::CC_STAT_HEIGHT)};
}

class CandidateCollector {
 public:
  CandidateCollector(const SelectionCandidateSearch& search, const cv::Mat& edges, double ppd)
      : search_(search), edges_(edges), ppd_(ppd) {}

  void add_regions(const EdgeRegions& regions) {
    const cv::Rect whole(0, 0, regions.labels.cols, regions.labels.rows);
    for (int l = 1; l < regions.count; ++l) {
      const cv::Rect box = stat_box(regions, l);
      if (!inside(box, whole)) continue;
      add(box);
      // A switch's thumb and its track are two regions: their union is the widget.
      if (!roughly_square(box)) continue;
      for (int dir : {-1, 1}) {
        const int beside = label_beside(regions.labels, box, dir, std::max(4, box.width / 4));
        if (beside == 0 || beside == l) continue;
        const cv::Rect track = stat_box(regions, beside);
        if (inside(track, whole)) add(box | track);
      }
    }
  }

  std::vector<Candidate> take() && { return std::move(found_); }

 private:
  static bool roughly_square(const cv::Rect& b) {
    const double a = static_cast<double>(b.width) / b.height;
    return a > 0.75 && a < 1.33;
  }
  static bool inside(const cv::Rect& box, const cv::Rect& whole) {
    return box.x > 0 && box.y > 0 && box.x + box.width < whole.width &&
           box.y + box.height < whole.height;
  }

  void add(const cv::Rect& box) {
    const double w = box.width / ppd_, h = box.height / ppd_;
    if (std::min(w, h) < search_.min_side_dp || h > search_.max_height_dp ||
        w > search_.max_width_dp)
      return;
    const double aspect = w / h;
    if (aspect < search_.min_aspect || aspect > search_.max_aspect) return;
    const double clutter = clutter_around(edges_, box, ppd_);
    if (clutter > search_.max_clutter) return;
    found_.push_back({box, clutter});
  }

  const SelectionCandidateSearch& search_;
  const cv::Mat& edges_;
  double ppd_;
  std::vector<Candidate> found_;
};

}  // namespace

std::vector<Rect> SelectionCandidateSearch::find(const cv::Mat& bgr, const Rect& roi,
                                                 int density_dpi, const EdgeView* shared) const {
  const Rect area = roi.intersect(Rect{0, 0, bgr.cols, bgr.rows});
  if (area.width() < 8 || area.height() < 8) return {};
  // The selection detector's own work scale and edge thresholds, so its edge view is shared.
  const SelectionMarkDetector marks(density_dpi);
  const EdgeView view = edge_view_for(bgr, area, density_dpi, marks.work_px_per_dp, marks.edge_low,
                                      marks.edge_high, shared);
  const double ppd = view.work.ppd;

  CandidateCollector collector(*this, view.edges, ppd);
  collector.add_regions(view.regions);
  // Where a thumb meets its track the outline often has a one-pixel gap: closed edges seal it.
  cv::Mat closed;
  cv::dilate(view.edges, closed, cv::getStructuringElement(cv::MORPH_CROSS, {3, 3}));
  collector.add_regions(regions_between(closed));
  std::vector<Candidate> found = std::move(collector).take();
  std::stable_sort(found.begin(), found.end(),
                   [](const Candidate& a, const Candidate& b) { return a.clutter < b.clutter; });

  const double scale = view.work.scale;
  const int status_bar = static_cast<int>(dp_to_px(status_bar_dp, density_dpi));
  std::vector<cv::Rect> kept;
  std::vector<Rect> out;
  for (const Candidate& c : found) {
    if (out.size() >= max_candidates) break;
    if (std::any_of(kept.begin(), kept.end(), [&](const cv::Rect& k) {
          return iou(from_cv(k), from_cv(c.box)) >= duplicate_iou;
        }))
      continue;
    const Rect box{area.left + static_cast<int>(c.box.x / scale),
                   area.top + static_cast<int>(c.box.y / scale),
                   area.left + static_cast<int>((c.box.x + c.box.width) / scale + 0.999),
                   area.top + static_cast<int>((c.box.y + c.box.height) / scale + 0.999)};
    if (box.center_y() < status_bar) continue;
    kept.push_back(c.box);
    out.push_back(box);
  }
  return out;
}

}  // namespace uiw::detectors
