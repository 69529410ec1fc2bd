// Feeds arbitrary text to the simulator's fixture app loader (FixtureLoader::load_text). The
// base folder does not exist, so image and recorded-frame references resolve to nothing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "simdevice/fixture_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    uiw::sim::FixtureLoader::load_text(yaml, "fuzz-app.yaml", "/nonexistent-uiw-fuzz");
  } catch (const uiw::Error&) {
    // The documented failure: kConfig "FILE:LINE:COL: what is wrong".
  }
  return 0;
}
