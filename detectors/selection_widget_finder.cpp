#include "detectors/selection_widget_finder.h"

#include <algorithm>

#include "detectors/frame.h"
#include "detectors/selection_candidates.h"
#include "detectors/selection_widget_classifier.h"

namespace uiw::detectors {
namespace {

SelectionMark::Kind mark_kind(WidgetClass c) {
  switch (c) {
    case WidgetClass::kSwitchOff:
    case WidgetClass::kSwitchOn:
      return SelectionMark::Kind::kSwitch;
    case WidgetClass::kRadioOff:
    case WidgetClass::kRadioOn:
      return SelectionMark::Kind::kRadio;
    default:
      return SelectionMark::Kind::kCheckbox;
  }
}

// Either box's centre inside the other: a thumb, its track and the two together are three
// candidates for one switch.
bool same_place(const Rect& a, const Rect& b) {
  return a.contains(b.center_x(), b.center_y()) || b.contains(a.center_x(), a.center_y());
}

// Every design draws a switch wider than high (thumb and track, 1.6–2.2 : 1) and a checkbox or
// radio about square: a box of the other shape holds something else (an icon, a thumb alone).
bool shape_fits(SelectionMark::Kind kind, const Rect& box) {
  const double aspect = static_cast<double>(box.width()) / std::max(1, box.height());
  return kind == SelectionMark::Kind::kSwitch ? aspect >= 1.3 : aspect > 0.7 && aspect < 1.45;
}

// The top app bar of a portrait screen (Material's 56–64 dp under the status bar) holds actions
// — a ✓ "done", an avatar, a ring — and never a checkbox or radio; a switch there is a page's
// master switch.
bool in_top_app_bar(SelectionMark::Kind kind, const Rect& box, const cv::Mat& image,
                    int density_dpi) {
  if (kind == SelectionMark::Kind::kSwitch || image.rows < image.cols) return false;
  const double top = dp_to_px(24, density_dpi), bottom = dp_to_px(24 + 64, density_dpi);
  return box.center_y() >= top && box.center_y() < bottom;
}

}  // namespace

std::vector<SelectionMark> SelectionWidgetFinder::find(const cv::Mat& image, const Rect& region,
                                                       const EdgeView* shared) const {
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty()) return {};
  const std::vector<Rect> boxes =
      SelectionCandidateSearch{}.find(bgr, region, density_dpi_, shared);
  const std::vector<SelectionWidgetClassifier::Prediction> predictions =
      SelectionWidgetClassifier::shared().classify(bgr, boxes);
  std::vector<SelectionMark> found;
  for (size_t i = 0; i < boxes.size(); ++i) {
    const auto& [label, probability] = predictions[i];
    if (label == WidgetClass::kNone || probability < min_probability) continue;
    if (!shape_fits(mark_kind(label), boxes[i])) continue;
    if (in_top_app_bar(mark_kind(label), boxes[i], bgr, density_dpi_)) continue;
    found.push_back({mark_kind(label), is_on(label), boxes[i], probability});
  }
  std::stable_sort(found.begin(), found.end(), [](const SelectionMark& a, const SelectionMark& b) {
    return a.score > b.score;
  });
  std::vector<SelectionMark> out;
  for (const SelectionMark& m : found)
    if (std::none_of(out.begin(), out.end(),
                     [&](const SelectionMark& kept) { return same_place(kept.box, m.box); }))
      out.push_back(m);
  return out;
}

}  // namespace uiw::detectors
