// The fixture catalogue (fixtures/apps/catalogue.yaml) is what scenario authors and detector
// tests rely on to find an app that breaks, or keeps, each rule. These tests keep it honest:
// every listed app installs on the simulator under the package the catalogue names, every
// screen it points at exists, every rule of the rule catalogue has an app that violates it and
// one that complies, and no fixture app is left out of the catalogue.
#include "tests/support/catalogue.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "simdevice/device_profile.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"
#include "tests/support/paths.h"

namespace {

namespace fs = std::filesystem;

// The rule IDs of the rule catalogue (docs RULES.md, profile miit-2023).
const std::set<std::string> kRuleIds = {"POP-01", "POP-02", "POP-03", "POP-04", "POP-05", "POP-06",
                                        "POP-07", "POP-08", "POP-09", "CON-01", "CON-02", "PER-01",
                                        "PER-02", "PER-03", "LNK-01", "LNK-02"};

TEST(Catalogue, EntriesAreCompleteAndUseKnownRuleIds) {
  const std::vector<uiw::test::CatalogueEntry> entries = uiw::test::load_catalogue();
  ASSERT_FALSE(entries.empty());
  std::set<std::string> files;
  for (const uiw::test::CatalogueEntry& e : entries) {
    SCOPED_TRACE(e.file);
    EXPECT_FALSE(e.file.empty()) << "every entry needs `file`";
    EXPECT_TRUE(files.insert(e.file).second) << "listed twice";
    EXPECT_FALSE(e.package.empty()) << "every entry needs `package`";
    EXPECT_FALSE(e.proves.empty()) << "every entry needs `proves`";
    EXPECT_FALSE(e.screens.empty()) << "every entry needs at least one screen";
    ASSERT_TRUE(e.variant == "violating" || e.variant == "compliant")
        << "variant must be violating or compliant, not \"" << e.variant << "\"";
    if (e.variant == "violating") {
      EXPECT_FALSE(e.rules.empty()) << "a violating app must trigger at least one rule";
    } else {
      EXPECT_TRUE(e.rules.empty()) << "a compliant app triggers no rule";
      EXPECT_FALSE(e.complies_with.empty()) << "a compliant app must say what it complies with";
    }
    for (const std::string& id : e.rules) EXPECT_TRUE(kRuleIds.count(id)) << "unknown rule " << id;
    for (const std::string& id : e.complies_with) {
      EXPECT_TRUE(kRuleIds.count(id)) << "unknown rule " << id;
      EXPECT_EQ(std::count(e.rules.begin(), e.rules.end(), id), 0)
          << id << " is both violated and complied with";
    }
  }
}

TEST(Catalogue, EveryRuleHasAViolatingAndACompliantApp) {
  std::map<std::string, std::vector<std::string>> violating, compliant;
  for (const uiw::test::CatalogueEntry& e : uiw::test::load_catalogue()) {
    for (const std::string& id : e.rules) violating[id].push_back(e.file);
    if (e.variant == "compliant") {
      for (const std::string& id : e.complies_with) compliant[id].push_back(e.file);
    }
  }
  for (const std::string& id : kRuleIds) {
    EXPECT_FALSE(violating[id].empty()) << "no fixture app violates " << id;
    EXPECT_FALSE(compliant[id].empty()) << "no compliant fixture app shows " << id;
  }
}

TEST(Catalogue, EveryAppInstallsUnderItsPackageWithTheListedScreens) {
  uiw::sim::VirtualFs vfs;
  // One device for all: installing a package twice throws, so packages must be unique.
  uiw::sim::SimDevice device(uiw::sim::DeviceProfile{}, vfs);
  for (const uiw::test::CatalogueEntry& e : uiw::test::load_catalogue()) {
    SCOPED_TRACE(e.file);
    const std::string path = uiw::test::apps_dir() + "/" + e.file;
    ASSERT_TRUE(fs::exists(path)) << path << " does not exist";
    const YAML::Node app = YAML::LoadFile(path);
    ASSERT_TRUE(app["package"]);
    EXPECT_EQ(app["package"].as<std::string>(), e.package)
        << "the catalogue's package differs from the file's";
    ASSERT_NO_THROW(device.install(path));
    ASSERT_TRUE(device.package_info(e.package).has_value());
    const std::vector<std::string> ids = device.screen_ids(e.package);
    for (const std::string& screen : e.screens) {
      EXPECT_NE(std::find(ids.begin(), ids.end(), screen), ids.end())
          << "screen `" << screen << "` is not in " << e.file;
    }
  }
}

TEST(Catalogue, EveryFixtureAppIsListed) {
  std::set<std::string> listed;
  for (const uiw::test::CatalogueEntry& e : uiw::test::load_catalogue()) listed.insert(e.file);
  for (const auto& item : fs::directory_iterator(uiw::test::apps_dir())) {
    const std::string name = item.path().filename().string();
    if (!item.is_regular_file() || item.path().extension() != ".yaml" || name == "catalogue.yaml") {
      continue;
    }
    EXPECT_TRUE(listed.count(name)) << name << " is not in catalogue.yaml";
  }
}

}  // namespace
