// Feeds arbitrary bytes to UiTree::parse (what `uiautomator dump` returns from a device, which
// may be cut, garbled or hostile). A tree that parses must also survive the walk and the
// round trip the simulator and the evidence bundle do: to_xml() and parsing that again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/error.h"
#include "detectors/ui_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  try {
    const auto tree = uiw::detectors::UiTree::parse(xml, "fuzz.xml");
    const size_t nodes = tree.size();
    const auto again = uiw::detectors::UiTree::parse(tree.to_xml(), "fuzz-roundtrip.xml");
    // What was written must read back the same: a lost node would be a silent evidence bug.
    if (again.size() != nodes) std::abort();
  } catch (const uiw::Error&) {
    // The documented failure: kParse naming the byte offset.
  }
  return 0;
}
