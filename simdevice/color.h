#pragma once
// Colours as fixture files write them: "#RRGGBB" or "#AARRGGBB" (alpha first, as Android does).
#include <string>
#include <string_view>

#include "simdevice/scene.h"

namespace uiw::sim {

// Throws uiw::Error(kConfig) saying what is wrong with `text`.
Color parse_color(std::string_view text);

// "#RRGGBB" when opaque, else "#AARRGGBB": parse_color(to_string(c)) == c.
std::string to_string(Color color);

}  // namespace uiw::sim
