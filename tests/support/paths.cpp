#include "tests/support/paths.h"

namespace uiw::test {

std::string source_path(const std::string& relative) {
  return std::string(UIW_SOURCE_DIR) + "/" + relative;
}
std::string bin_path(const std::string& name) {
  return std::string(UIW_BIN_DIR) + "/" + name;
}

}  // namespace uiw::test
