#pragma once
// Finds selection controls (switches, checkboxes, radio buttons) in pixels and tells whether
// each is on. CON-01 needs "a consent option pre-selected at first display", and consent pages
// are often WebViews or custom views whose hierarchy says nothing about the control's state.
//
// How: the region is scaled to about 2 px per dp and cut into flat-colour regions by a colour
// edge map (Canny on L*a*b*). Controls are small isolated regions of a known shape: a square or
// disc whose holes form a tick (checked box, also round "tick circles"), an outlined empty
// square or disc (unchecked box or radio), a disc holding a concentric dot of the ring's colour
// (selected radio), or a disc (the thumb) at one end of a small track region (switch: on when
// the thumb is at the right end; a second pass on closed edges seals thumb/track gaps).
// Density matters only for sizes; the size ranges are wide enough for a guessed density.
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

struct SelectionMark {
  enum class Kind { kSwitch, kCheckbox, kRadio };
  Kind kind = Kind::kCheckbox;
  bool checked = false;
  Rect box;          // the mark's bounds in frame px
  double score = 0;  // 0..1 confidence it is a selection control
};

const char* to_string(SelectionMark::Kind kind);

// The colour edge map the pixel detectors here cut flat regions with: Canny on L*, a* and b*
// (a blue box on a grey of equal luminance still has an outline; JPEG chroma ringing inside a
// flat fill is weaker in a*b* than in B, G, R and does not split it). CV_8U, 255 on edges.
cv::Mat colour_edge_map(const cv::Mat& bgr, double low, double high);

// `roi` of a BGR frame brought down to at most `px_per_dp` pixels per dp (never up), as the
// shape searches here work on: `scale` maps frame px to work px, `ppd` is work px per dp.
struct WorkImage {
  cv::Mat image;
  double scale = 1;
  double ppd = 1;
};
WorkImage work_image(const cv::Mat& bgr, const Rect& roi, int density_dpi, double px_per_dp);

// The 4-connected regions between the edges of an edge map: the flat shapes (boxes, tracks,
// buttons) the detectors here measure. Labels CV_32S, 0 on edges; stats per label as
// cv::connectedComponentsWithStats gives them.
struct EdgeRegions {
  cv::Mat labels, stats;
  int count = 0;
};
EdgeRegions regions_between(const cv::Mat& edges);

// A work image, its colour edge map and the regions between its edges. Making them is half of
// what each pixel detector here costs (~60 ms on a 1080×2400 frame), so a caller running several
// of them on one frame makes them once and hands them to each.
struct EdgeView {
  Rect roi;  // the frame px covered
  WorkImage work;
  cv::Mat edges;
  double edge_low = 0;
  double edge_high = 0;
  // Empty in a crop_edge_view crop (labels do not crop); edge_view_for fills it.
  EdgeRegions regions;
};
EdgeView edge_view(const cv::Mat& bgr, const Rect& roi, int density_dpi, double px_per_dp,
                   double low, double high);
// The work image and edges of `region` (frame px) taken from `view`, as work_image and
// colour_edge_map would make them; empty when `view` was made with other parameters or
// `region` does not fall on whole work pixels inside it (then the caller makes its own).
// Crop and own may differ in the outermost work pixels, where the blur and Canny see beyond the
// region: shapes touching the region's edge are skipped by the detectors anyway.
std::optional<EdgeView> crop_edge_view(const EdgeView& view, const Rect& region, double scale,
                                       double low, double high);
// The work image, edges and regions of `roi` for a detector working at `px_per_dp`: cut from
// `shared` when it lines up (its regions reused when the cut is the whole view), else made afresh.
EdgeView edge_view_for(const cv::Mat& bgr, const Rect& roi, int density_dpi, double px_per_dp,
                       double low, double high, const EdgeView* shared);

// Share of edge pixels in a frame around `box` (work px, from a quarter of its side but at least
// 4 dp away, so a control's own outline stays out): controls stand apart from their label,
// letters sit among letters.
double clutter_around(const cv::Mat& edges, const cv::Rect& box, double ppd);

// The label (regions_between) of the first region met walking from `box`'s centre row outwards
// towards `dir` (−1 left, +1 right) across at most `reach` px of edge; 0 when none: the track
// beside a switch's thumb.
int label_beside(const cv::Mat& labels, const cv::Rect& box, int dir, int reach);

// A mark the system's navigation bar could have drawn: its ◁ ○ □ are outlines in the band at
// the bottom of the screen (48 dp), never a ticked box or a switch. Screens without the bar
// (full-screen apps, gesture navigation) put real controls there, so only outline-like marks in
// the band are set aside, not the band.
bool navigation_bar_lookalike(const SelectionMark& mark, const Rect& screen, int density_dpi);

class SelectionMarkDetector {
 public:
  explicit SelectionMarkDetector(int density_dpi) : density_dpi_(density_dpi) {}

  // Box side of checkboxes and diameter of radios (Material draws 18–20 dp; custom ones and
  // "tick circles" reach ~28 dp). Generous both ways, since a screenshot's density is often
  // guessed from its size.
  double min_box_dp = 9;
  double max_box_dp = 34;
  // Ticked boxes and selected radios are smaller than that: beyond these they are icons (a
  // dating app's "like" tick, a media button).
  double max_tick_dp = 26;
  double max_radio_dp = 28;
  // Switch thumb diameter (Material 2: 20 dp, iOS: 27 pt, Material 3: 16–28 dp).
  double min_thumb_dp = 7;
  double max_thumb_dp = 36;
  // Width / height of the whole switch (thumb + track): 1.6–2 for every common design.
  double min_switch_aspect = 1.3;
  double max_switch_aspect = 2.8;
  // Colour edges: a faint light-grey box outline on white differs by ~25 grey levels.
  double edge_low = 24;
  double edge_high = 60;
  // Work scale: frames are reduced to at most this many px per dp before the search (speed;
  // shapes stay 18+ px wide).
  double work_px_per_dp = 2.0;
  // Controls stand apart: at most this share of edge pixels in a frame around the mark (from a
  // quarter of its side, at least 4 dp, outwards); a letter "o" among other letters has 5–13 %,
  // a real control under 2 %.
  double max_clutter = 0.03;
  // The system status bar at the top of a phone frame: its notification icons look like ticks
  // and dots, and it never holds an app's control. Marks ending within it are dropped.
  double status_bar_dp = 24;
  // Marks scoring below this are dropped.
  double min_score = 0.5;

  // Marks inside `region` (clamped to the image), best first, overlapping duplicates removed.
  // `image`: 8-bit BGR, BGRA or grey; anything else gives no marks.
  // `shared`: the frame's work image and edges when the caller already made them.
  std::vector<SelectionMark> detect(const cv::Mat& image, const Rect& region,
                                    const EdgeView* shared = nullptr) const;

  int density_dpi() const { return density_dpi_; }

 private:
  int density_dpi_;
};

}  // namespace uiw::detectors
