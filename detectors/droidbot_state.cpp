#include "detectors/droidbot_state.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"

namespace uiw::detectors {
namespace {

using nlohmann::json;

// As deep as uiautomator dumps are allowed to be: hostile input must not exhaust the stack.
constexpr int kMaxDepth = 256;

std::string text_of(const json& view, const char* key) {
  const auto it = view.find(key);
  return it != view.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// `fallback` when the view does not say (DroidBot omits nothing, but hand-made states may).
bool flag_of(const json& view, const char* key, bool fallback) {
  const auto it = view.find(key);
  return it != view.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// DroidBot's key for each attribute a dump gives a node.
struct TextKey {
  std::string UiNode::*member;
  const char* key;
};
constexpr TextKey kTextKeys[] = {{&UiNode::text, "text"},
                                 {&UiNode::resource_id, "resource_id"},
                                 {&UiNode::content_desc, "content_description"},
                                 {&UiNode::package, "package"}};
struct FlagKey {
  bool UiNode::*member;
  const char* key;
  bool fallback;
};
constexpr FlagKey kFlagKeys[] = {
    {&UiNode::checkable, "checkable", false},   {&UiNode::checked, "checked", false},
    {&UiNode::clickable, "clickable", false},   {&UiNode::enabled, "enabled", true},
    {&UiNode::focusable, "focusable", false},   {&UiNode::focused, "focused", false},
    {&UiNode::scrollable, "scrollable", false}, {&UiNode::long_clickable, "long_clickable", false},
    {&UiNode::password, "is_password", false},  {&UiNode::selected, "selected", false}};

class StateReader {
 public:
  StateReader(const json& views, std::string_view source)
      : views_(views), source_(source), placed_(views.size(), false) {}

  std::vector<UiNode> roots() {
    std::vector<UiNode> out;
    for (size_t i = 0; i < views_.size(); ++i) {
      const json& v = views_[i];
      const auto parent = v.find("parent");
      const bool is_root =
          parent == v.end() || !parent->is_number_integer() || parent->get<long long>() < 0;
      if (is_root && visible(v)) out.push_back(node(i, 0));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(size_t index, std::string_view what) const {
    throw Error(ErrorKind::kParse,
                fmt::format("{}: view {} {} (expected a DroidBot state)", source_, index, what));
  }

  static bool visible(const json& v) {
    const auto it = v.find("visible");
    return it == v.end() || !it->is_boolean() || it->get<bool>();
  }

  Rect bounds_of(size_t index) const {
    const auto b = views_[index].find("bounds");
    auto number = [&](const json& pair, size_t k) {
      if (!pair.is_array() || pair.size() != 2 || !pair[k].is_number_integer())
        fail(index, "has bounds that are not [[x1, y1], [x2, y2]]");
      return pair[k].get<int>();
    };
    if (b == views_[index].end() || !b->is_array() || b->size() != 2)
      fail(index, "has no bounds [[x1, y1], [x2, y2]]");
    return Rect{number((*b)[0], 0), number((*b)[0], 1), number((*b)[1], 0), number((*b)[1], 1)};
  }

  UiNode node(size_t index, int depth) {
    if (depth > kMaxDepth) fail(index, fmt::format("lies deeper than {} levels", kMaxDepth));
    // A view listed under two parents (or under itself) would be copied without end.
    if (placed_[index]) fail(index, "appears twice in the hierarchy");
    placed_[index] = true;
    const json& v = views_[index];
    if (!v.is_object()) fail(index, "is not an object");
    UiNode n;
    n.class_name = text_of(v, "class");
    if (n.class_name.empty()) fail(index, "has no class");
    n.bounds = bounds_of(index);
    for (const TextKey& k : kTextKeys) n.*k.member = text_of(v, k.key);
    for (const FlagKey& k : kFlagKeys) n.*k.member = flag_of(v, k.key, k.fallback);
    const auto children = v.find("children");
    if (children == v.end() || !children->is_array()) return n;
    int child_index = 0;
    for (const json& c : *children) {
      if (!c.is_number_integer() || c.get<long long>() < 0 ||
          c.get<long long>() >= static_cast<long long>(views_.size()))
        fail(index, "names a child that is not a view index");
      const size_t ci = c.get<size_t>();
      if (!visible(views_[ci])) continue;
      n.children.push_back(node(ci, depth + 1));
      n.children.back().index = child_index++;
    }
    return n;
  }

  const json& views_;
  std::string_view source_;
  std::vector<bool> placed_;
};

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, fmt::format("cannot open {}", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

UiTree parse_droidbot_state(std::string_view json_text, std::string_view source) {
  const json state = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (state.is_discarded())
    throw Error(ErrorKind::kParse, fmt::format("{}: not valid JSON", source));
  const auto views = state.find("views");
  if (!state.is_object() || views == state.end() || !views->is_array())
    throw Error(ErrorKind::kParse,
                fmt::format("{}: no `views` array (expected a DroidBot state)", source));
  return UiTree(0, StateReader(*views, source).roots());
}

UiTree load_droidbot_state(const std::string& path) {
  return parse_droidbot_state(read_text_file(path), path);
}

UiTree load_any_tree(const std::string& path) {
  const std::string ext = path.size() >= 5 ? path.substr(path.size() - 5) : "";
  return ext == ".json" ? load_droidbot_state(path) : UiTree::load(path);
}

}  // namespace uiw::detectors
