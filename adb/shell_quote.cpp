#include "adb/shell_quote.h"

namespace uiw::adb {

namespace {

bool is_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/' || c == ':' || c == ',' || c == '+' || c == '=' ||
         c == '@' || c == '%';
}

}  // namespace

std::string shell_quote(std::string_view arg) {
  bool safe = !arg.empty();
  for (char c : arg) safe = safe && is_safe(c);
  if (safe) return std::string(arg);
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string shell_join(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) {
    if (!out.empty()) out.push_back(' ');
    out += shell_quote(a);
  }
  return out;
}

std::string input_text_command(std::string_view text) {
  // Segments end between a '%' and a following 's', the only pair `input text` rewrites.
  std::vector<std::string> segments(1);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      segments.back() += "%s";
    } else {
      segments.back().push_back(c);
    }
    if (c == '%' && i + 1 < text.size() && text[i + 1] == 's') segments.emplace_back();
  }
  std::string out;
  for (const std::string& s : segments) {
    if (s.empty()) continue;
    if (!out.empty()) out += " && ";
    out += "input text " + shell_quote(s);
  }
  return out;
}

}  // namespace uiw::adb
