#include "detectors/profile_detectors.h"

#include "detectors/selection_widget_finder.h"

namespace uiw::detectors {

PopupSurfaceDetector popup_surface_detector(const RuleProfile& profile, int density_dpi,
                                            OcrService* ocr) {
  PopupSurfaceDetector popups(density_dpi, ocr);
  popups.cta_words = profile.vocabulary("call_to_action");
  popups.ask_words = profile.vocabulary("nag_ask");
  popups.close_words = profile.vocabulary("close");
  popups.decline_words = profile.vocabulary("decline");
  std::vector<std::string> ad = profile.vocabulary("ad_badge").terms();
  for (const char* list : {"shake_prompt", "redirect_prompt"})
    for (const std::string& t : profile.vocabulary(list).terms()) ad.push_back(t);
  popups.ad_words = Vocabulary(std::move(ad));
  return popups;
}

std::vector<SelectionMark> find_selection_widgets(const RuleProfile& profile, const cv::Mat& image,
                                                  const Rect& region, int density_dpi,
                                                  const EdgeView* shared) {
  if (profile.vision("learned_selection_widgets", 1) == 0)
    return SelectionMarkDetector(density_dpi).detect(image, region, shared);
  SelectionWidgetFinder finder(density_dpi);
  finder.min_probability =
      profile.vision("selection_widget_min_probability", finder.min_probability);
  return finder.find(image, region, shared);
}

}  // namespace uiw::detectors
