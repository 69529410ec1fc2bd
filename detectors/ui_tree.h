#pragma once
// The UI hierarchy as `uiautomator dump` writes it: a tree of nodes with the same attributes.
// Parsed from and written to the real XML format, so the simulator produces exactly what
// detectors and the harness read from real phones.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

struct UiNode {
  int index = 0;
  std::string text;
  std::string resource_id;
  std::string class_name;
  std::string package;
  std::string content_desc;
  bool checkable = false;
  bool checked = false;
  bool clickable = false;
  bool enabled = true;
  bool focusable = false;
  bool focused = false;
  bool scrollable = false;
  bool long_clickable = false;
  bool password = false;
  bool selected = false;
  Rect bounds;
  std::vector<UiNode> children;
};

class UiTree {
 public:
  UiTree() = default;
  UiTree(int rotation, std::vector<UiNode> roots) : rotation_(rotation), roots_(std::move(roots)) {}

  // Parses uiautomator XML. Throws uiw::Error(kParse) naming `source` and the byte offset.
  static UiTree parse(std::string_view xml, std::string_view source = "<xml>");
  static UiTree load(const std::string& path);

  // The XML `uiautomator dump` writes: one line, `<?xml ... standalone='yes' ?>` prolog.
  std::string to_xml() const;

  int rotation() const { return rotation_; }
  const std::vector<UiNode>& roots() const { return roots_; }
  std::vector<UiNode>& roots() { return roots_; }

  // Depth-first, parents before children.
  void visit(const std::function<void(const UiNode&, int depth)>& fn) const;
  std::vector<const UiNode*> find_all(const std::function<bool(const UiNode&)>& pred) const;
  const UiNode* find_first(const std::function<bool(const UiNode&)>& pred) const;
  size_t size() const;

 private:
  int rotation_ = 0;
  std::vector<UiNode> roots_;
};

}  // namespace uiw::detectors
