#include "detectors/profile_detectors.h"

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

}  // namespace uiw::detectors
