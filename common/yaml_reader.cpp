#include "common/yaml_reader.h"

#include <fmt/format.h>

#include "common/error.h"

namespace uiw {

YAML::Node YamlReader::load(std::string_view text) const {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kConfig,
                fmt::format("{}:{}:{}: {}", source_, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

void YamlReader::fail(const YAML::Node& node, const std::string& what) const {
  const YAML::Mark m = node.Mark();
  const int line = m.is_null() ? 1 : m.line + 1;
  const int col = m.is_null() ? 1 : m.column + 1;
  throw Error(ErrorKind::kConfig, fmt::format("{}:{}:{}: {}", source_, line, col, what));
}

void YamlReader::expect_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                             const std::string& where) const {
  if (!map.IsMap()) fail(map, where + " must be a mapping");
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (!allowed.contains(key)) {
      fail(kv.first, fmt::format("unknown key '{}' in {} (allowed: {})", key, where,
                                 fmt::join(allowed, ", ")));
    }
  }
}

std::string YamlReader::scalar(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a string");
  return node.as<std::string>();
}

double YamlReader::number(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a number");
  try {
    return node.as<double>();
  } catch (const YAML::Exception&) {
    fail(node, fmt::format("{} must be a number, not '{}'", what, node.as<std::string>()));
  }
}

int YamlReader::integer(const YAML::Node& node, const std::string& what, int min, int max) const {
  if (!node.IsScalar()) fail(node, what + " must be a whole number");
  int value = 0;
  try {
    value = node.as<int>();
  } catch (const YAML::Exception&) {
    fail(node, fmt::format("{} must be a whole number, not '{}'", what, node.as<std::string>()));
  }
  if (value < min || value > max)
    fail(node, fmt::format("{} must be between {} and {} (got {})", what, min, max, value));
  return value;
}

bool YamlReader::boolean(const YAML::Node& node, const std::string& what) const {
  try {
    return node.as<bool>();
  } catch (const YAML::Exception&) {
    fail(node, what + " must be true or false");
  }
}

std::vector<std::string> YamlReader::strings(const YAML::Node& node,
                                             const std::string& what) const {
  if (node.IsScalar()) return {node.as<std::string>()};
  if (!node.IsSequence()) fail(node, what + " must be a list of strings");
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(scalar(item, what + " entries"));
  return out;
}

}  // namespace uiw
