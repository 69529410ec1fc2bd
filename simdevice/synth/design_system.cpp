#include "simdevice/synth/design_system.h"

#include <array>

namespace uiw::sim::synth {
namespace {

struct WeightedSystem {
  DesignSystem system;
  double weight;
};

const std::array kSystems = {
    WeightedSystem{{"material2", WidgetStyle::kMaterial2, WidgetStyle::kMaterial2,
                    WidgetStyle::kMaterial2, 36, 4, 4, 8, true, DialogButtons::kMaterialRow},
                   0.22},
    WeightedSystem{{"material3", WidgetStyle::kMaterial3, WidgetStyle::kMaterial3,
                    WidgetStyle::kMaterial3, 40, 20, 28, 28, false, DialogButtons::kMaterialRow},
                   0.25},
    WeightedSystem{{"ios", WidgetStyle::kIos, WidgetStyle::kIos, WidgetStyle::kTickCircle, 50, 12,
                    14, 12, false, DialogButtons::kSplitBar},
                   0.16},
    WeightedSystem{{"holo", WidgetStyle::kHolo, WidgetStyle::kHolo, WidgetStyle::kHolo, 44, 2, 2, 0,
                    false, DialogButtons::kSplitBar},
                   0.07},
    WeightedSystem{{"vendor", WidgetStyle::kVendorPill, WidgetStyle::kTickCircle,
                    WidgetStyle::kVendorPill, 44, 22, 16, 20, false, DialogButtons::kStacked},
                   0.30},
};

}  // namespace

const DesignSystem& DesignSystem::draw(RandomSource& random) {
  std::array<double, kSystems.size()> weights{};
  for (size_t i = 0; i < kSystems.size(); ++i) weights[i] = kSystems[i].weight;
  return kSystems[random.weighted(weights)].system;
}

}  // namespace uiw::sim::synth
