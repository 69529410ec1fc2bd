#include "simdevice/synth/screen_geometry.h"

#include <array>

namespace uiw::sim::synth {
namespace {

struct Phone {
  ScreenGeometry geometry;
  double weight;  // how often such phones come up
};

// Sizes and densities of common phones; 1080 px wide ones dominate, as in the wild.
constexpr std::array kPhones = {
    Phone{{720, 1280, 320}, 1.0},  Phone{{720, 1600, 320}, 1.0},  Phone{{1080, 1920, 420}, 1.5},
    Phone{{1080, 1920, 480}, 1.0}, Phone{{1080, 2340, 440}, 1.5}, Phone{{1080, 2400, 420}, 2.0},
    Phone{{1080, 2400, 480}, 0.5}, Phone{{1170, 2532, 460}, 0.7}, Phone{{1440, 2560, 560}, 0.7},
    Phone{{1440, 2560, 640}, 0.5}, Phone{{1440, 3120, 560}, 0.3},
};

}  // namespace

ScreenGeometry ScreenGeometry::draw(RandomSource& random) {
  std::array<double, kPhones.size()> weights{};
  for (size_t i = 0; i < kPhones.size(); ++i) weights[i] = kPhones[i].weight;
  return kPhones[random.weighted(weights)].geometry;
}

}  // namespace uiw::sim::synth
