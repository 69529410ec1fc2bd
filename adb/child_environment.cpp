#include "adb/child_environment.h"

#include <unistd.h>

#include <algorithm>
#include <string_view>

namespace uiw::adb {
namespace {

std::string_view name_of(std::string_view var) {
  return var.substr(0, var.find('='));
}

}  // namespace

ChildEnvironment::ChildEnvironment(const std::vector<std::string>& changes) {
  auto changed = [&](std::string_view name) {
    return std::any_of(changes.begin(), changes.end(),
                       [&](const std::string& c) { return name_of(c) == name; });
  };
  for (char** e = environ; *e != nullptr; ++e)
    if (!changed(name_of(*e))) vars_.emplace_back(*e);
  for (const std::string& c : changes)
    if (c.find('=') != std::string::npos) vars_.push_back(c);
  for (std::string& var : vars_) pointers_.push_back(var.data());
  pointers_.push_back(nullptr);
}

}  // namespace uiw::adb
