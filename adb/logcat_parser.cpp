#include "adb/logcat_parser.h"

#include <charconv>

namespace uiw::adb {

namespace {

std::string_view next_word(std::string_view& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  const size_t end = s.find(' ');
  const std::string_view word = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  return word;
}

bool to_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<LogLine> parse_threadtime_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  std::string_view rest = line;
  LogLine out;
  const std::string_view date = next_word(rest);
  const std::string_view time = next_word(rest);
  const std::string_view pid = next_word(rest);
  const std::string_view tid = next_word(rest);
  const std::string_view level = next_word(rest);
  if (date.size() != 5 || date[2] != '-' || time.size() < 8 || time[2] != ':' ||
      level.size() != 1 || !to_int(pid, out.pid) || !to_int(tid, out.tid)) {
    return std::nullopt;
  }
  out.date = std::string(date);
  out.time = std::string(time);
  out.level = level[0];
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  // "TAG: message" — the tag may contain spaces and is padded; the first ": " ends it.
  const size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) {
    if (!rest.empty() && rest.back() == ':') rest.remove_suffix(1);
    out.tag = std::string(rest);
  } else {
    std::string_view tag = rest.substr(0, colon);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    out.tag = std::string(tag);
    out.message = std::string(rest.substr(colon + 2));
  }
  return out;
}

std::optional<StartIntent> parse_start_intent(const LogLine& line) {
  if (line.tag != "ActivityManager" && line.tag != "ActivityTaskManager") return std::nullopt;
  const std::string_view msg = line.message;
  if (!msg.starts_with("START ")) return std::nullopt;
  const size_t open = msg.find('{');
  if (open == std::string_view::npos) return std::nullopt;
  // The intent's closing brace: match nesting ("(has extras)" has none, but bounds "{…}" may).
  size_t close = std::string_view::npos;
  int depth = 0;
  for (size_t i = open; i < msg.size(); ++i) {
    if (msg[i] == '{') ++depth;
    if (msg[i] == '}' && --depth == 0) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) close = msg.size();
  std::string_view body = msg.substr(open + 1, close - open - 1);
  StartIntent intent;
  intent.raw = std::string(msg);
  intent.time = line.date + " " + line.time;
  // Fields are "key=value" separated by spaces; a value never contains " key=".
  while (!body.empty()) {
    const std::string_view word = next_word(body);
    const size_t eq = word.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = word.substr(0, eq);
    std::string_view value = word.substr(eq + 1);
    if (key == "cat") {
      // cat=[a,b]
      if (value.starts_with('[')) value.remove_prefix(1);
      if (value.ends_with(']')) value.remove_suffix(1);
      while (!value.empty()) {
        const size_t comma = value.find(',');
        intent.categories.emplace_back(value.substr(0, comma));
        value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
      }
    } else if (key == "act") {
      intent.action = std::string(value);
    } else if (key == "dat") {
      intent.data = std::string(value);
    } else if (key == "cmp") {
      intent.component = std::string(value);
    } else if (key == "pkg") {
      intent.package = std::string(value);
    } else if (key == "flg") {
      intent.flags = std::string(value);
    } else if (key == "typ") {
      intent.type = std::string(value);
    }
  }
  return intent;
}

std::vector<StartIntent> parse_start_intents(std::string_view text) {
  std::vector<StartIntent> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (auto parsed = parse_threadtime_line(line)) {
      if (auto intent = parse_start_intent(*parsed)) out.push_back(std::move(*intent));
    }
  }
  return out;
}

}  // namespace uiw::adb
