#include "tests/support/catalogue.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "tests/support/paths.h"

namespace uiw::test {
namespace {

const std::set<std::string> kEntryKeys = {"file",          "package", "variant", "rules",
                                          "complies_with", "proves",  "screens", "scenario"};

std::vector<std::string> string_list(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  for (const YAML::Node& item : node) out.push_back(item.as<std::string>());
  return out;
}

}  // namespace

std::string apps_dir() {
  return source_path("fixtures/apps");
}

std::vector<CatalogueEntry> load_catalogue() {
  const YAML::Node root = YAML::LoadFile(apps_dir() + "/catalogue.yaml");
  EXPECT_TRUE(root.IsSequence()) << "catalogue.yaml must be a list of entries";
  std::vector<CatalogueEntry> entries;
  for (const YAML::Node& item : root) {
    CatalogueEntry e;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      EXPECT_TRUE(kEntryKeys.count(key)) << "unknown key `" << key << "` in catalogue entry";
    }
    e.file = item["file"] ? item["file"].as<std::string>() : "";
    e.package = item["package"] ? item["package"].as<std::string>() : "";
    e.variant = item["variant"] ? item["variant"].as<std::string>() : "";
    e.rules = string_list(item["rules"]);
    e.complies_with = string_list(item["complies_with"]);
    e.proves = item["proves"] ? item["proves"].as<std::string>() : "";
    e.screens = string_list(item["screens"]);
    if (item["scenario"]) e.scenario = item["scenario"].as<std::string>();
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace uiw::test
