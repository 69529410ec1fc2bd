#include "adb/dumpsys_parser.h"

#include <array>
#include <cstdlib>

namespace uiw::adb {

namespace {

std::string expand(const std::string& package, std::string_view cls) {
  if (!cls.empty() && cls.front() == '.') return package + std::string(cls);
  return std::string(cls);
}

// "ActivityRecord{hash u0 com.pkg/.Main t12}" starting at `pos`: the component token.
std::optional<ComponentName> component_in_record(std::string_view text, size_t pos) {
  const size_t open = text.find('{', pos);
  const size_t close = text.find('}', pos);
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  std::string_view inside = text.substr(open + 1, close - open - 1);
  while (!inside.empty()) {
    const size_t space = inside.find(' ');
    const std::string_view word = inside.substr(0, space);
    if (word.find('/') != std::string_view::npos) return ComponentName::parse(word);
    if (space == std::string_view::npos) break;
    inside.remove_prefix(space + 1);
  }
  return std::nullopt;
}

}  // namespace

std::optional<ComponentName> ComponentName::parse(std::string_view text) {
  while (!text.empty() && (text.back() == '}' || text.back() == ' ' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size()) {
    return std::nullopt;
  }
  ComponentName c;
  c.package = std::string(text.substr(0, slash));
  c.activity = expand(c.package, text.substr(slash + 1));
  return c;
}

std::string ComponentName::short_form() const {
  if (activity.starts_with(package + ".")) {
    return package + "/" + activity.substr(package.size());
  }
  return flatten();
}

std::optional<ComponentName> parse_resumed_activity(std::string_view text) {
  // Preference order: the newest spelling first, since 11+ dumps may also contain older lines
  // for other displays.
  static constexpr std::array<std::string_view, 4> keys = {
      "topResumedActivity=", "ResumedActivity: ", "mResumedActivity: ", "mFocusedActivity: "};
  for (const std::string_view key : keys) {
    size_t pos = 0;
    while ((pos = text.find(key, pos)) != std::string_view::npos) {
      // "ResumedActivity: " also matches inside "mResumedActivity: "; both are fine.
      const size_t line_end = text.find('\n', pos);
      const std::string_view line =
          text.substr(pos, line_end == std::string_view::npos ? text.npos : line_end - pos);
      if (line.find("null") == std::string_view::npos || line.find('{') != std::string_view::npos) {
        if (auto c = component_in_record(line, 0)) return c;
      }
      pos += key.size();
    }
  }
  return std::nullopt;
}

std::optional<std::string> parse_focused_window(std::string_view text) {
  const std::string_view key = "mCurrentFocus=";
  const size_t pos = text.find(key);
  if (pos == std::string_view::npos) return std::nullopt;
  const size_t line_end = text.find('\n', pos);
  std::string_view line =
      text.substr(pos + key.size(),
                  line_end == std::string_view::npos ? text.npos : line_end - pos - key.size());
  const size_t open = line.find('{');
  const size_t close = line.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;  // "mCurrentFocus=null"
  }
  // Window{hash u0 TITLE}: the title may contain spaces ("Application Not Responding: x").
  std::string_view inside = line.substr(open + 1, close - open - 1);
  for (int skip = 0; skip < 2; ++skip) {
    const size_t space = inside.find(' ');
    if (space == std::string_view::npos) break;
    inside.remove_prefix(space + 1);
  }
  if (inside.empty()) return std::nullopt;
  if (auto c = ComponentName::parse(inside); c && inside.find(' ') == std::string_view::npos) {
    return c->flatten();
  }
  return std::string(inside);
}

std::optional<PackageVersion> parse_package_version(std::string_view text) {
  const auto name_at = text.find("versionName=");
  if (name_at == std::string_view::npos) return std::nullopt;
  PackageVersion v;
  const auto name_start = name_at + 12;
  v.name =
      std::string(text.substr(name_start, text.find_first_of("\r\n", name_start) - name_start));
  if (const auto code_at = text.find("versionCode="); code_at != std::string_view::npos) {
    v.code = std::atoll(std::string(text.substr(code_at + 12, 20)).c_str());
  }
  return v;
}

}  // namespace uiw::adb
