#include "detectors/pixel_element_finder.h"

#include <fmt/format.h>

#include "detectors/close_glyph_detector.h"
#include "detectors/profile_detectors.h"
#include "detectors/selection_mark_detector.h"

namespace uiw::detectors {
namespace {

ScreenElement::Kind element_kind(SelectionMark::Kind kind) {
  switch (kind) {
    case SelectionMark::Kind::kSwitch:
      return ScreenElement::Kind::kSwitch;
    case SelectionMark::Kind::kRadio:
      return ScreenElement::Kind::kRadio;
    case SelectionMark::Kind::kCheckbox:
      return ScreenElement::Kind::kCheckbox;
  }
  return ScreenElement::Kind::kCheckbox;
}

}  // namespace

std::vector<ScreenElement> PixelElementFinder::find(const Frame& frame,
                                                    std::vector<ReadRegion>* reads) const {
  const cv::Mat bgr = as_bgr(frame.image);
  if (bgr.empty()) return {};
  std::vector<ScreenElement> out;
  // The finders leave the status bar out themselves.
  for (const SelectionMark& m :
       find_selection_widgets(profile_, bgr, frame.bounds(), frame.density_dpi)) {
    if (navigation_bar_lookalike(m, frame.bounds(), frame.density_dpi)) continue;
    out.push_back(
        {element_kind(m.kind), m.box, m.checked,
         fmt::format("{} {} (score {:.2f})", to_string(m.kind), m.checked ? "on" : "off", m.score),
         ScreenElement::Source::kPixels});
  }
  // Any card the layout shows is a dialog element, whether or not its words make it a pop-up to
  // report (a "Delete 3 photos?" confirmation is a dialog too): the surface's own threshold is
  // for the rules, which judge nagging on top of this.
  PopupSurfaceDetector surface_finder = popup_surface_detector(profile_, frame.density_dpi, ocr_);
  surface_finder.min_confidence = dialog_min_confidence;
  const std::vector<PopupSurface> surfaces = surface_finder.detect(bgr, reads);
  if (surfaces.empty() || surfaces.front().kind == PopupSurface::Kind::kBanner) return out;
  const PopupSurface& s = surfaces.front();
  out.push_back({ScreenElement::Kind::kDialog, s.box, std::nullopt,
                 fmt::format("{} (confidence {:.2f})", to_string(s.kind), s.confidence),
                 ScreenElement::Source::kPixels});
  const std::vector<CloseGlyph> glyphs =
      CloseGlyphDetector(frame.density_dpi).detect_near_card(bgr, s.box);
  if (!glyphs.empty())
    out.push_back(
        {ScreenElement::Kind::kCloseMark, glyphs.front().ink, std::nullopt,
         fmt::format("{} (score {:.2f})", glyphs.front().circled ? "⊗" : "×", glyphs.front().score),
         ScreenElement::Source::kPixels});
  return out;
}

}  // namespace uiw::detectors
