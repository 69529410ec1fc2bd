#include "simdevice/scene_dump.h"

#include <algorithm>

namespace uiw::sim {
namespace {

using detectors::Rect;
using detectors::UiNode;

constexpr const char* kRootClass = "android.widget.FrameLayout";

// Appends the dumped form of `nodes` to `out`, numbering them after what is already there.
void append_nodes(const std::vector<SceneNode>& nodes, const std::string& package,
                  std::vector<UiNode>& out) {
  for (const SceneNode& node : nodes) {
    if (!node.in_tree) continue;  // drawn only (canvas, WebView content, ad images)
    UiNode dumped = node.ui;
    dumped.index = static_cast<int>(out.size());
    dumped.package = package;
    dumped.children.clear();
    append_nodes(node.children, package, dumped.children);
    out.push_back(std::move(dumped));
  }
}

void unite(Rect& acc, bool& any, const Rect& r) {
  if (r.empty()) return;
  if (!any) {
    acc = r;
    any = true;
    return;
  }
  acc = Rect{std::min(acc.left, r.left), std::min(acc.top, r.top), std::max(acc.right, r.right),
             std::max(acc.bottom, r.bottom)};
}

void unite_bounds(const std::vector<SceneNode>& nodes, Rect& acc, bool& any) {
  for (const SceneNode& node : nodes) {
    if (!node.in_tree) continue;
    unite(acc, any, node.ui.bounds);
    unite_bounds(node.children, acc, any);
  }
}

bool is_recorded(const SceneLayer& layer) {
  return layer.recorded_tree.has_value();
}

// The bottom layer is the activity's window, and a recorded frame replays a whole window; any
// other non-dialog layer is a view overlay (a pop-up the app adds to its own window).
bool is_window(const SceneLayer& layer, bool bottom) {
  return bottom || is_recorded(layer);
}

std::vector<UiNode> window_roots(const SceneLayer& layer, Rect root_bounds) {
  if (is_recorded(layer)) return layer.recorded_tree->roots();
  UiNode root;
  root.class_name = kRootClass;
  root.package = layer.package;
  root.bounds = root_bounds;
  append_nodes(layer.nodes, layer.package, root.children);
  return {std::move(root)};
}

}  // namespace

detectors::UiTree scene_to_tree(const Scene& scene) {
  const Rect screen{0, 0, scene.width, scene.height};
  if (scene.layers.empty()) return detectors::UiTree(0, {});

  const SceneLayer& top = scene.layers.back();
  if (top.dialog_window) {
    // A dialog has focus: uiautomator dumps only its window, whose root spans its content.
    Rect bounds;
    bool any = false;
    if (!is_recorded(top)) unite_bounds(top.nodes, bounds, any);
    return detectors::UiTree(0, window_roots(top, any ? bounds : screen));
  }

  std::vector<UiNode> roots;
  for (size_t i = 0; i < scene.layers.size(); ++i) {
    const SceneLayer& layer = scene.layers[i];
    if (layer.dialog_window) continue;  // covered by a later window, which has focus
    if (is_window(layer, roots.empty())) {
      for (UiNode& root : window_roots(layer, screen)) roots.push_back(std::move(root));
      continue;
    }
    // A view overlay: its views are added to the root of the topmost window under it, and are
    // reported with that window's package (they live in the app's process).
    UiNode& host = roots.back();
    append_nodes(layer.nodes, layer.package.empty() ? host.package : layer.package, host.children);
  }
  return detectors::UiTree(0, std::move(roots));
}

}  // namespace uiw::sim
