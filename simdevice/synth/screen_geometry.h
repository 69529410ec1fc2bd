#pragma once
// The phone a synthetic screen is drawn for: its size in px and its density, drawn from the
// combinations real phones ship (320–640 dpi), and the dp→px conversion everything is laid out in.
#include <cmath>

#include "simdevice/synth/random_source.h"

namespace uiw::sim::synth {

struct ScreenGeometry {
  int width = 1080;
  int height = 2400;
  int density = 420;

  int px(double dp) const { return static_cast<int>(std::lround(dp * density / 160.0)); }
  double width_dp() const { return width * 160.0 / density; }
  double height_dp() const { return height * 160.0 / density; }

  static ScreenGeometry draw(RandomSource& random);
};

}  // namespace uiw::sim::synth
