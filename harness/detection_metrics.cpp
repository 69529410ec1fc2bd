#include "harness/detection_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>

#include "detectors/frame.h"

namespace uiw::harness {

Counts image_level(bool predicted, bool labelled) {
  Counts c;
  if (predicted && labelled) c.tp = 1;
  if (predicted && !labelled) c.fp = 1;
  if (!predicted && labelled) c.fn = 1;
  return c;
}

Counts box_level(const std::vector<detectors::Rect>& predicted,
                 const std::vector<detectors::Rect>& labelled, double min_iou) {
  std::vector<std::tuple<double, size_t, size_t>> pairs;
  for (size_t i = 0; i < predicted.size(); ++i)
    for (size_t j = 0; j < labelled.size(); ++j) {
      const double v = detectors::iou(predicted[i], labelled[j]);
      if (v >= min_iou) pairs.emplace_back(v, i, j);
    }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::vector<bool> used_p(predicted.size()), used_l(labelled.size());
  Counts c;
  for (const auto& [v, i, j] : pairs) {
    if (used_p[i] || used_l[j]) continue;
    used_p[i] = used_l[j] = true;
    ++c.tp;
  }
  c.fp = static_cast<int>(predicted.size()) - c.tp;
  c.fn = static_cast<int>(labelled.size()) - c.tp;
  return c;
}

int fold_of(std::string_view file_name, int folds) {
  const size_t slash = file_name.find_last_of('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  uint32_t h = 2166136261u;
  for (const char c : file_name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return folds > 0 ? static_cast<int>(h % static_cast<uint32_t>(folds)) : 0;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * values.size()));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace uiw::harness
