#pragma once
// Finds a modal surface in pixels alone: a dialog, ad or red-packet card over a dimmed backdrop.
// Works without the tree because ad SDK pop-ups and WebView dialogs are often missing from it.
#include <opencv2/core.hpp>
#include <optional>

#include "detectors/rect.h"

namespace uiw::detectors {

struct ModalSurface {
  Rect card;               // the pop-up's card, px, full-resolution coordinates
  double confidence = 0;   // 0 … 1
  int backdrop_level = 0;  // typical brightness (HSV V, 0 … 255) of the dimmed backdrop
  int card_level = 0;      // typical brightness of the card's rim
};

class ModalDetector {
 public:
  // The card must cover at least this share of the screen (smaller bright patches are toasts,
  // buttons or photos) and leave at least `min_side_margin` of the width on each side (a
  // full-width bright band is app content, e.g. a dark-mode list item, not a dialog).
  double min_area_fraction = 0.06;
  double max_area_fraction = 0.90;
  double min_side_margin = 0.04;

  // None when the screen shows no pop-up. `image`: 8-bit BGR, BGRA or grey.
  std::optional<ModalSurface> detect(const cv::Mat& image) const;
};

}  // namespace uiw::detectors
