#pragma once
// fixtures/apps/catalogue.yaml as data: which fixture app violates or complies with which rule,
// and the screens that show it. Shared by the catalogue's own test and the detector tests.
#include <ostream>
#include <string>
#include <vector>

namespace uiw::test {

struct CatalogueEntry {
  std::string file;  // relative to fixtures/apps
  std::string package;
  std::string variant;  // violating | compliant
  std::vector<std::string> rules;
  std::vector<std::string> complies_with;
  std::string proves;
  std::vector<std::string> screens;
  std::string scenario;  // relative to fixtures/: the scenario that proves it end to end
};

// gtest prints a parameter by its file name.
inline void PrintTo(const CatalogueEntry& entry, std::ostream* os) { *os << entry.file; }

std::string apps_dir();
// Loads the catalogue; unknown keys fail the current test (EXPECT) but the entry is kept.
std::vector<CatalogueEntry> load_catalogue();

}  // namespace uiw::test
