#pragma once
// What real screens hold besides widgets and text, and what pixel detectors mistake for
// widgets when they have only seen clean synthetic pages: leading icons and avatars (a filled
// disc or rounded square with a letter or symbol — a radio or checkbox to a naive eye), symbol
// glyphs (★ ♥ ▲), and photos and thumbnails with shapes inside instead of one flat colour.
#include "simdevice/synth/screen_builder.h"

namespace uiw::sim::synth {

// A leading icon or avatar filling `box` (a square): a disc or rounded square in a random
// colour with a letter, a Chinese character or a symbol on it, or a bare symbol glyph.
SceneNode icon(ScreenBuilder& screen, const detectors::Rect& box);

// A photo or thumbnail: a random base colour with a few discs and blocks of other colours.
SceneNode photo(ScreenBuilder& screen, const detectors::Rect& bounds, double corner_dp);

}  // namespace uiw::sim::synth
