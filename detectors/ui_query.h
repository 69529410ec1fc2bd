#pragma once
// Queries on a UI tree the way scenario selectors and detectors ask them: by text (exact or
// regex), resource-id (full or the part after ":id/"), content-desc, class, XPath over the
// uiautomator XML, and geometry (inside a rectangle, minimum size in dp).
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "detectors/ui_tree.h"

namespace uiw::detectors {

struct NodeQuery {
  std::optional<std::string> text;          // exact
  std::optional<std::regex> text_regex;     // whole text must match
  std::optional<std::string> resource_id;   // "com.app:id/btn" or just "btn"
  std::optional<std::string> content_desc;  // exact
  std::optional<std::string> class_name;    // full ("android.widget.Button") or simple ("Button")
  std::optional<Rect> within;               // node bounds entirely inside, px
  double min_size_dp = 0;                   // shorter side at least this, with `density_dpi`
  int density_dpi = 160;
  bool clickable_only = false;

  bool matches(const UiNode& node) const;
};

// Matching nodes in document order.
std::vector<const UiNode*> find_nodes(const UiTree& tree, const NodeQuery& query);

// XPath 1.0 over the dump's XML (`//node[@text='OK']`, `//node[contains(@resource-id,'close')]`).
// Only element results count; a malformed expression throws uiw::Error(kUsage) naming it.
std::vector<const UiNode*> select_xpath(const UiTree& tree, std::string_view xpath);

// The smallest node containing (x, y) that satisfies `pred`, or null.
const UiNode* smallest_node_at(const UiTree& tree, int x, int y,
                               const std::function<bool(const UiNode&)>& pred);

// Nodes inside a scrollable container: a list's rows and their parts (a feed's ad card, a
// settings row), never a page's toolbar or a full-screen layout.
std::unordered_set<const UiNode*> nodes_in_lists(const UiTree& tree);

}  // namespace uiw::detectors
