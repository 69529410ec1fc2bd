#pragma once
// Where tests find the repository's files and the built executables.
#include <string>

namespace uiw::test {

std::string source_path(const std::string& relative);  // UIW_SOURCE_DIR/relative
std::string bin_path(const std::string& name);         // build/bin/name

}  // namespace uiw::test
