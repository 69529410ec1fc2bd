#pragma once
// The parts most pages share: a toolbar, bottom tabs, and text blocks sized for their text.
#include <string>
#include <string_view>

#include "detectors/rect.h"
#include "simdevice/synth/screen_builder.h"

namespace uiw::sim::synth {

// A toolbar with the title (and an "up" arrow) across the top of the free area, on the surface
// or in the accent; moves the free area's top under it.
void add_toolbar(ScreenBuilder& screen, std::string title);

// Four or five tabs at the bottom of the free area, the first in the accent; moves its bottom.
void add_bottom_tabs(ScreenBuilder& screen);

// The height a block of `text` at `sp` takes when wrapped to `width_px`, with a little slack: the
// renderer wraps and centres it inside the node.
// The width of one line of `text` at `sp`, estimated (Noto Sans CJK's average advances).
int text_width(const ScreenBuilder& screen, std::string_view text, double sp);

int text_block_height(const ScreenBuilder& screen, std::string_view text, double sp, int width_px);

}  // namespace uiw::sim::synth
