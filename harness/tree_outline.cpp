#include "harness/tree_outline.h"

#include <fmt/format.h>

namespace uiw::harness {
namespace {

// Drops the "package:id/" prefix, which is noise when reading selectors.
std::string short_id(const std::string& resource_id) {
  auto slash = resource_id.find(":id/");
  return slash == std::string::npos ? resource_id : resource_id.substr(slash + 4);
}

std::string short_class(const std::string& class_name) {
  auto dot = class_name.rfind('.');
  return dot == std::string::npos ? class_name : class_name.substr(dot + 1);
}

}  // namespace

std::string tree_outline(const detectors::UiTree& tree) {
  std::string out;
  tree.visit([&](const detectors::UiNode& n, int depth) {
    out += std::string(static_cast<size_t>(depth) * 2, ' ');
    out += short_class(n.class_name);
    if (!n.resource_id.empty()) out += fmt::format(" #{}", short_id(n.resource_id));
    if (!n.text.empty()) out += fmt::format(" \"{}\"", n.text);
    if (!n.content_desc.empty()) out += fmt::format(" desc=\"{}\"", n.content_desc);
    out += ' ' + n.bounds.to_bounds_string();
    if (n.clickable) out += " clickable";
    if (n.checkable) out += n.checked ? " checked" : " unchecked";
    if (n.scrollable) out += " scrollable";
    if (!n.enabled) out += " disabled";
    out += '\n';
  });
  return out;
}

}  // namespace uiw::harness
