#pragma once
// Checkboxes, switches and radios in the design systems of WidgetStyle (Material 2 and 3, iOS,
// Holo, vendor pills, tick circles, trailing checks), on and off, on light and dark themes; and
// where each one's visible shape lies, so a labeller boxes exactly what is drawn.
#include <opencv2/core.hpp>

#include "detectors/rect.h"
#include "simdevice/scene.h"

namespace uiw::sim {

// The area a compound button's glyph takes in `bounds`: all of it without a label; with one, a
// square at the side Android puts it (a 3:2 slot for switches): switches and trailing checks at
// the end, the other glyphs at the start. The label takes the rest.
detectors::Rect glyph_area(const NodeStyle& style, const detectors::Rect& bounds, bool has_label);

// True when `style` draws `glyph` itself: a checkbox, switch or radio with a WidgetStyle other
// than kDefault. Other glyphs (×, ←) and the default look are the renderer's own.
bool is_styled_widget(Glyph glyph, WidgetStyle style);

// The box of the drawn shape inside `area` (px): the design system's size in dp, centred, scaled
// down only when the area is too small. For a trailing check, where the ✓ is when checked.
detectors::Rect styled_widget_box(Glyph glyph, WidgetStyle style, const detectors::Rect& area,
                                  int density);

struct StyledWidget {
  Glyph glyph = Glyph::kCheckbox;
  WidgetStyle style = WidgetStyle::kMaterial2;
  bool checked = false;
  bool dark_theme = false;
  Color accent{0x19, 0x76, 0xD2, 255};  // the on colour
};

// Draws `widget` into `canvas` (CV_8UC3) centred in `area` (px, relative to canvas).
void draw_styled_widget(cv::Mat& canvas, const cv::Rect2d& area, const StyledWidget& widget,
                        int density);

}  // namespace uiw::sim
