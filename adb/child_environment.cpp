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

ChildEnvironment::ChildEnvironment(const std::vector<std::string>& set,
                                   const std::vector<std::string>& unset) {
  auto replaced = [&](std::string_view name) {
    return std::any_of(set.begin(), set.end(),
                       [&](const std::string& s) { return name_of(s) == name; }) ||
           std::find(unset.begin(), unset.end(), name) != unset.end();
  };
  for (char** e = environ; *e != nullptr; ++e)
    if (!replaced(name_of(*e))) vars_.emplace_back(*e);
  vars_.insert(vars_.end(), set.begin(), set.end());
  for (std::string& var : vars_) pointers_.push_back(var.data());
  pointers_.push_back(nullptr);
}

}  // namespace uiw::adb
