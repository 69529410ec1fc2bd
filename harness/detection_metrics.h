#pragma once
// Precision, recall and F1 of a detector against labels, per image and per box (IoU ≥ 0.5),
// the measures the published dark-pattern detectors (AidUI, UIGuard) report.
#include <string_view>
#include <vector>

#include "detectors/rect.h"

namespace uiw::harness {

struct Counts {
  int tp = 0;
  int fp = 0;
  int fn = 0;
  double precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 0.0; }
  double recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 0.0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
  Counts& operator+=(const Counts& o) {
    tp += o.tp;
    fp += o.fp;
    fn += o.fn;
    return *this;
  }
};

// One image: the image-level outcome (any prediction vs any label).
Counts image_level(bool predicted, bool labelled);
// One image: boxes matched greedily by IoU (best pairs first), a match needing IoU ≥ `min_iou`.
Counts box_level(const std::vector<detectors::Rect>& predicted,
                 const std::vector<detectors::Rect>& labelled, double min_iou = 0.5);

// The cross-validation fold of a labelled image: FNV-1a (32-bit) of its file name without the
// folder, modulo `folds`. Fixed by the name alone, so a fold holds the same images on every
// machine, in every order of the labels, and in the training scripts that use the same split.
int fold_of(std::string_view file_name, int folds);

// Median and 95th percentile of `values` (nearest rank); 0 for none.
double percentile(std::vector<double> values, double p);

}  // namespace uiw::harness
