#pragma once
// YamlReader: typed reads from a yaml-cpp tree for the project's strict configuration files
// (rule profiles, farm files). Every failure is uiw::Error(kConfig) "SOURCE:LINE:COL: what", so a
// user finds the mistake without reading our code.
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace uiw {

class YamlReader {
 public:
  explicit YamlReader(std::string source) : source_(std::move(source)) {}
  const std::string& source() const { return source_; }

  // Parses `text`; a syntax error names its line and column.
  YAML::Node load(std::string_view text) const;

  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const;
  // `map` must be a mapping whose keys are all in `allowed`; `where` names it in the error.
  void expect_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                   const std::string& where) const;
  std::string scalar(const YAML::Node& node, const std::string& what) const;
  double number(const YAML::Node& node, const std::string& what) const;
  // A whole number within [min, max].
  int integer(const YAML::Node& node, const std::string& what, int min, int max) const;
  bool boolean(const YAML::Node& node, const std::string& what) const;
  // A list of strings; a single string is a list of one.
  std::vector<std::string> strings(const YAML::Node& node, const std::string& what) const;

 private:
  std::string source_;
};

}  // namespace uiw
