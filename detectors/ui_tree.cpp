#include "detectors/ui_tree.h"

#include <fmt/format.h>

#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "common/error.h"

namespace uiw::detectors {
namespace {

bool attr_bool(const pugi::xml_node& n, const char* name, bool fallback) {
  pugi::xml_attribute a = n.attribute(name);
  return a ? std::string_view(a.value()) == "true" : fallback;
}

// Deeper than any real view hierarchy (uiautomator dumps rarely pass 40 levels); a limit keeps
// hostile input from exhausting the stack in this recursive parse and in visit().
constexpr int kMaxDepth = 256;

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80           ? 1
                    : (b >> 5) == 0x6  ? 2
                    : (b >> 4) == 0xE  ? 3
                    : (b >> 3) == 0x1E ? 4
                                       : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += len;
  }
  return true;
}

UiNode parse_node(const pugi::xml_node& xml, std::string_view source, int depth) {
  if (depth > kMaxDepth)
    throw Error(ErrorKind::kParse, fmt::format("{}: nodes nested deeper than {} levels at byte {}",
                                               source, kMaxDepth, xml.offset_debug()));
  for (pugi::xml_attribute a : xml.attributes())
    if (!valid_utf8(a.value()))
      throw Error(ErrorKind::kParse,
                  fmt::format("{}: node at byte {}: attribute {} is not valid UTF-8", source,
                              xml.offset_debug(), a.name()));
  UiNode node;
  node.index = xml.attribute("index").as_int();
  node.text = xml.attribute("text").value();
  node.resource_id = xml.attribute("resource-id").value();
  node.class_name = xml.attribute("class").value();
  node.package = xml.attribute("package").value();
  node.content_desc = xml.attribute("content-desc").value();
  node.checkable = attr_bool(xml, "checkable", false);
  node.checked = attr_bool(xml, "checked", false);
  node.clickable = attr_bool(xml, "clickable", false);
  node.enabled = attr_bool(xml, "enabled", true);
  node.focusable = attr_bool(xml, "focusable", false);
  node.focused = attr_bool(xml, "focused", false);
  node.scrollable = attr_bool(xml, "scrollable", false);
  node.long_clickable = attr_bool(xml, "long-clickable", false);
  node.password = attr_bool(xml, "password", false);
  node.selected = attr_bool(xml, "selected", false);
  if (pugi::xml_attribute b = xml.attribute("bounds")) {
    if (!parse_bounds(b.value(), node.bounds))
      throw Error(ErrorKind::kParse, fmt::format("{}: node at byte {} has bad bounds \"{}\"",
                                                 source, xml.offset_debug(), b.value()));
  }
  for (pugi::xml_node child : xml.children("node"))
    node.children.push_back(parse_node(child, source, depth + 1));
  return node;
}

void write_node(const UiNode& n, pugi::xml_node parent) {
  pugi::xml_node x = parent.append_child("node");
  auto flag = [&](const char* name, bool v) { x.append_attribute(name) = v ? "true" : "false"; };
  x.append_attribute("index") = n.index;
  x.append_attribute("text") = n.text.c_str();
  x.append_attribute("resource-id") = n.resource_id.c_str();
  x.append_attribute("class") = n.class_name.c_str();
  x.append_attribute("package") = n.package.c_str();
  x.append_attribute("content-desc") = n.content_desc.c_str();
  flag("checkable", n.checkable);
  flag("checked", n.checked);
  flag("clickable", n.clickable);
  flag("enabled", n.enabled);
  flag("focusable", n.focusable);
  flag("focused", n.focused);
  flag("scrollable", n.scrollable);
  flag("long-clickable", n.long_clickable);
  flag("password", n.password);
  flag("selected", n.selected);
  x.append_attribute("bounds") = n.bounds.to_bounds_string().c_str();
  for (const UiNode& c : n.children) write_node(c, x);
}

void visit_node(const UiNode& n, int depth, const std::function<void(const UiNode&, int)>& fn) {
  fn(n, depth);
  for (const UiNode& c : n.children) visit_node(c, depth + 1, fn);
}

}  // namespace

UiTree UiTree::parse(std::string_view xml, std::string_view source) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size());
  if (!r)
    throw Error(ErrorKind::kParse, fmt::format("{}: not uiautomator XML at byte {}: {}", source,
                                               r.offset, r.description()));
  pugi::xml_node h = doc.child("hierarchy");
  if (!h) throw Error(ErrorKind::kParse, fmt::format("{}: no <hierarchy> element", source));
  std::vector<UiNode> roots;
  for (pugi::xml_node n : h.children("node")) roots.push_back(parse_node(n, source, 1));
  return UiTree(h.attribute("rotation").as_int(), std::move(roots));
}

UiTree UiTree::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, fmt::format("cannot open UI dump {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

std::string UiTree::to_xml() const {
  pugi::xml_document doc;
  pugi::xml_node h = doc.append_child("hierarchy");
  h.append_attribute("rotation") = rotation_;
  for (const UiNode& n : roots_) write_node(n, h);
  std::ostringstream out;
  // uiautomator writes a single line after this exact prolog.
  out << "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

void UiTree::visit(const std::function<void(const UiNode&, int)>& fn) const {
  for (const UiNode& n : roots_) visit_node(n, 0, fn);
}

std::vector<const UiNode*> UiTree::find_all(const std::function<bool(const UiNode&)>& pred) const {
  std::vector<const UiNode*> out;
  visit([&](const UiNode& n, int) {
    if (pred(n)) out.push_back(&n);
  });
  return out;
}

const UiNode* UiTree::find_first(const std::function<bool(const UiNode&)>& pred) const {
  auto all = find_all(pred);
  return all.empty() ? nullptr : all.front();
}

size_t UiTree::size() const {
  size_t count = 0;
  visit([&](const UiNode&, int) { ++count; });
  return count;
}

}  // namespace uiw::detectors
