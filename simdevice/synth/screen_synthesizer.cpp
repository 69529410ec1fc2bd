#include "simdevice/synth/screen_synthesizer.h"

#include <fmt/format.h>

#include <array>
#include <opencv2/imgcodecs.hpp>

#include "simdevice/scene_dump.h"
#include "simdevice/synth/screen_builder.h"
#include "simdevice/synth/screen_kinds.h"
#include "simdevice/synth/screen_recording.h"

namespace uiw::sim::synth {
namespace {

using PageBuilder = void (*)(ScreenBuilder&);

// Pop-ups open over the pages apps show most: settings, feeds, onboarding.
void any_page(ScreenBuilder& screen) {
  constexpr std::array<PageBuilder, 3> kPages = {build_settings_page, build_content_page,
                                                 build_consent_page};
  constexpr std::array<double, 3> kWeights = {0.45, 0.4, 0.15};
  kPages[screen.random().weighted(kWeights)](screen);
}

struct ScreenRecipe {
  std::string_view kind;
  double weight;
  PageBuilder page;
  PageBuilder popup;  // null: the page alone
};

constexpr std::array<ScreenRecipe, 8> kRecipes = {{
    {"settings", 0.20, build_settings_page, nullptr},
    {"consent", 0.13, build_consent_page, nullptr},
    {"content", 0.13, build_content_page, nullptr},
    {"dialog", 0.20, any_page, add_dialog},
    {"rating", 0.06, build_content_page, add_rating_prompt},
    {"bottom_sheet", 0.12, any_page, add_bottom_sheet},
    {"interstitial", 0.08, build_interstitial_page, nullptr},
    {"ad_overlay", 0.08, any_page, add_ad_overlay},
}};

const ScreenRecipe& draw_recipe(RandomSource& random) {
  std::array<double, kRecipes.size()> weights{};
  for (size_t i = 0; i < kRecipes.size(); ++i) weights[i] = kRecipes[i].weight;
  return kRecipes[random.weighted(weights)];
}

LabelledScreen build_screen(RandomSource& random) {
  const ScreenRecipe& recipe = draw_recipe(random);
  ScreenBuilder screen(random);
  recipe.page(screen);
  if (recipe.popup != nullptr) recipe.popup(screen);
  return screen.finish(recipe.kind);
}

}  // namespace

LabelledScreen ScreenSynthesizer::build(int index) const {
  RandomSource random = RandomSource::for_screen(seed_, static_cast<uint64_t>(index));
  return build_screen(random);
}

SynthScreen ScreenSynthesizer::make(int index) const {
  RandomSource random = RandomSource::for_screen(seed_, static_cast<uint64_t>(index));
  LabelledScreen labelled = build_screen(random);
  SynthScreen out;
  out.name = fmt::format("screen_{:06d}", index);
  out.kind = labelled.kind;
  cv::Mat image = renderer_.render(labelled.scene);
  detectors::UiTree tree = scene_to_tree(labelled.scene);
  out.annotations = std::move(labelled.annotations);
  if (random.chance(shares_.recording)) {
    const ScreenRecording recording = ScreenRecording::draw(random, image.size());
    image = recording.compose(image, renderer_);
    recording.map(tree);
    for (Annotation& a : out.annotations) a.box = recording.map(a.box);
    out.recording = true;
  }
  out.width = image.cols;
  out.height = image.rows;
  out.dump_xml = tree.to_xml();
  if (random.chance(shares_.jpeg)) {
    out.extension = "jpg";
    const int quality = random.between(40, 95);
    cv::imencode(".jpg", image, out.encoded, {cv::IMWRITE_JPEG_QUALITY, quality});
  } else {
    out.extension = "png";
    // Level 1: several times faster than the default, files about a fifth larger.
    cv::imencode(".png", image, out.encoded, {cv::IMWRITE_PNG_COMPRESSION, 1});
  }
  return out;
}

}  // namespace uiw::sim::synth
