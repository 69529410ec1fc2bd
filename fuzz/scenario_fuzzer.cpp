// Feeds arbitrary text to the scenario YAML loader (harness::parse_scenario), as a test engineer's
// file or stdin reaches it. A malformed scenario must be a uiw::Error, never a crash or a hang.
// The file lives in a folder that does not exist, so relative run_flow / image paths resolve
// to nothing and the target reads no files of the machine it runs on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "harness/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    uiw::harness::parse_scenario(text, "/nonexistent-uiw-fuzz/scenario.yaml",
                                 {{"FUZZ_VAR", "value"}});
  } catch (const uiw::Error&) {
    // Expected for almost every input: kConfig "FILE:LINE:COL: …", kNotFound, kIo.
  }
  return 0;
}
