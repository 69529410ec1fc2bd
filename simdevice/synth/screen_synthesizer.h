#pragma once
// Makes synthetic screen number `index` of the set with seed `seed`: draws its kind, builds and
// labels it, renders it, maybe turns it into a screen recording, and encodes it as PNG or JPEG.
// Each screen has its own random stream, so screens are independent of each other and of the
// order threads make them in.
#include <cstdint>
#include <string>
#include <vector>

#include "simdevice/screen_renderer.h"
#include "simdevice/synth/labelled_screen.h"

namespace uiw::sim::synth {

struct SynthScreen {
  std::string name;       // "screen_000042"
  std::string extension;  // "png" or "jpg"
  std::vector<unsigned char> encoded;
  std::string dump_xml;  // the uiautomator dump, bounds in the image's pixels
  int width = 0;
  int height = 0;
  std::string_view kind;
  bool recording = false;
  std::vector<Annotation> annotations;  // in the image's pixels
};

struct SynthShares {
  double jpeg = 0.5;        // of images saved as JPEG (quality 40–95)
  double recording = 0.12;  // of images framed as a screen recording
};

class ScreenSynthesizer {
 public:
  ScreenSynthesizer(const ScreenRenderer& renderer, uint64_t seed, SynthShares shares)
      : renderer_(renderer), seed_(seed), shares_(shares) {}

  SynthScreen make(int index) const;

  // The labelled scene alone, before rendering (tests look at what was built).
  LabelledScreen build(int index) const;

 private:
  const ScreenRenderer& renderer_;
  uint64_t seed_;
  SynthShares shares_;
};

}  // namespace uiw::sim::synth
