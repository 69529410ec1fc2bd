#include "detectors/ui_query.h"

#include <fmt/format.h>

#include <pugixml.hpp>
#include <unordered_map>

#include "common/error.h"

namespace uiw::detectors {

bool NodeQuery::matches(const UiNode& node) const {
  if (text && node.text != *text) return false;
  if (text_regex && !std::regex_match(node.text, *text_regex)) return false;
  if (resource_id) {
    const std::string& id = node.resource_id;
    const bool full = id == *resource_id;
    const size_t slash = id.rfind(":id/");
    const bool short_name =
        slash != std::string::npos && id.compare(slash + 4, std::string::npos, *resource_id) == 0;
    if (!full && !short_name) return false;
  }
  if (content_desc && node.content_desc != *content_desc) return false;
  if (class_name) {
    const std::string& c = node.class_name;
    const bool full = c == *class_name;
    const bool simple =
        c.size() > class_name->size() &&
        c.compare(c.size() - class_name->size(), std::string::npos, *class_name) == 0 &&
        c[c.size() - class_name->size() - 1] == '.';
    if (!full && !simple) return false;
  }
  if (within && (node.bounds.left < within->left || node.bounds.top < within->top ||
                 node.bounds.right > within->right || node.bounds.bottom > within->bottom))
    return false;
  if (min_size_dp > 0 &&
      px_to_dp(std::min(node.bounds.width(), node.bounds.height()), density_dpi) < min_size_dp)
    return false;
  if (clickable_only && !node.clickable) return false;
  return true;
}

std::vector<const UiNode*> find_nodes(const UiTree& tree, const NodeQuery& query) {
  return tree.find_all([&](const UiNode& n) { return query.matches(n); });
}

std::vector<const UiNode*> select_xpath(const UiTree& tree, std::string_view xpath) {
  // The tree is written back to uiautomator XML so that XPath sees exactly the attributes a
  // phone's dump has; `node` elements map to tree nodes by document order.
  pugi::xml_document doc;
  const std::string xml = tree.to_xml();
  doc.load_buffer(xml.data(), xml.size());
  std::vector<const UiNode*> in_order;
  tree.visit([&](const UiNode& n, int) { in_order.push_back(&n); });
  std::unordered_map<const void*, size_t> index;
  size_t next = 0;
  std::function<void(pugi::xml_node)> walk = [&](pugi::xml_node x) {
    for (pugi::xml_node c : x.children("node")) {
      index[c.internal_object()] = next++;
      walk(c);
    }
  };
  walk(doc.child("hierarchy"));

  pugi::xpath_node_set set;
  try {
    set = doc.select_nodes(pugi::xpath_query(std::string(xpath).c_str()));
  } catch (const pugi::xpath_exception& e) {
    throw Error(ErrorKind::kUsage, fmt::format("bad XPath '{}': {}", xpath, e.what()));
  }
  std::vector<const UiNode*> out;
  for (const pugi::xpath_node& n : set) {
    auto it = index.find(n.node().internal_object());
    if (it != index.end() && it->second < in_order.size()) out.push_back(in_order[it->second]);
  }
  return out;
}

const UiNode* smallest_node_at(const UiTree& tree, int x, int y,
                               const std::function<bool(const UiNode&)>& pred) {
  const UiNode* best = nullptr;
  tree.visit([&](const UiNode& n, int) {
    if (n.bounds.contains(x, y) && pred(n) && (!best || n.bounds.area() < best->bounds.area()))
      best = &n;
  });
  return best;
}

std::unordered_set<const UiNode*> nodes_in_lists(const UiTree& tree) {
  std::unordered_set<const UiNode*> inside;
  const std::function<void(const UiNode&, bool)> walk = [&](const UiNode& n, bool scrolled) {
    if (scrolled) inside.insert(&n);
    for (const UiNode& c : n.children) walk(c, scrolled || n.scrollable);
  };
  for (const UiNode& root : tree.roots()) walk(root, false);
  return inside;
}

}  // namespace uiw::detectors
