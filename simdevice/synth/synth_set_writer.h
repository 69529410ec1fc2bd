#pragma once
// Writes a whole synthetic set: DIR/images/NAME.png|.jpg with DIR/images/NAME.xml (its
// uiautomator dump, same name, so image + XML tools read them as a pair) and
// DIR/labels.coco.json. Screens are made on several threads; the files are the same bytes
// whatever the thread count. Screens of an earlier set in DIR/images (screen_*.png|jpg|xml) are
// removed first, so the folder holds exactly the set the labels list.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "simdevice/screen_renderer.h"
#include "simdevice/synth/screen_synthesizer.h"

namespace uiw::sim::synth {

struct SynthSetOptions {
  std::filesystem::path out;
  int count = 0;
  uint64_t seed = 0;
  SynthShares shares;
  int jobs = 0;  // threads; 0 = one per core
};

struct SynthSetSummary {
  int images = 0;
  int recordings = 0;
  int jpegs = 0;
  std::map<std::string, int> category_counts;
  std::map<std::string, int> kind_counts;
};

// `progress` (optional) is called with the number of screens done so far, from one thread at a
// time. Throws uiw::Error(kIo) when a file cannot be written.
SynthSetSummary write_synth_set(const SynthSetOptions& options, const ScreenRenderer& renderer,
                                const std::function<void(int done)>& progress = {});

}  // namespace uiw::sim::synth
