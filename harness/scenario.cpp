#include "harness/scenario.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;

// Durations as a person would write them in the YAML: 300ms, 2s, 1.5s.
std::string format_duration(std::chrono::milliseconds d) {
  const long long ms = d.count();
  if (ms < 1000 && ms > -1000) return fmt::format("{}ms", ms);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  std::string s = fmt::format("{:.3f}", static_cast<double>(ms) / 1000.0);
  while (s.back() == '0') s.pop_back();
  return s + "s";
}

std::string format_point(const Point& p) {
  return fmt::format("({}, {})", p.x, p.y);
}

// Absolute paths make progress lines unreadable; relative to the working directory is what the
// user typed in most cases, and it stays unambiguous.
std::string short_path(const std::string& file) {
  if (file.empty()) return file;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return file;
  fs::path p(file);
  if (!p.is_absolute()) return file;
  fs::path rel = p.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return file;
  return rel.string();
}

std::string_view relation_name(Selector::Relation r) {
  switch (r) {
    case Selector::Relation::kBelow:
      return "below";
    case Selector::Relation::kAbove:
      return "above";
    case Selector::Relation::kLeftOf:
      return "left_of";
    case Selector::Relation::kRightOf:
      return "right_of";
    case Selector::Relation::kNear:
      return "near";
  }
  return "near";
}

}  // namespace

std::string SourceLocation::str() const {
  std::string out = file.empty() ? std::string("<unknown>") : file;
  if (line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  return out;
}

std::string Selector::describe() const {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (text) add(fmt::format("text \"{}\"", *text));
  if (text_regex) add(fmt::format("text_regex \"{}\"", *text_regex));
  if (id) add("id " + *id);
  if (desc) add(fmt::format("desc \"{}\"", *desc));
  if (class_name) add("class " + *class_name);
  if (xpath) add(fmt::format("xpath \"{}\"", *xpath));
  if (image) add("image " + fs::path(*image).filename().string());
  if (ocr) add(fmt::format("ocr \"{}\"", *ocr));
  if (index != 0) add(fmt::format("#{}", index));
  if (relative && relative->anchor)
    add(fmt::format("{} {}", relation_name(relative->relation), relative->anchor->describe()));
  return out.empty() ? std::string("(empty selector)") : out;
}

std::string_view to_string(StepKind kind) {
  switch (kind) {
    case StepKind::kLaunch:
      return "launch";
    case StepKind::kStop:
      return "stop";
    case StepKind::kTap:
      return "tap";
    case StepKind::kLongPress:
      return "long_press";
    case StepKind::kType:
      return "type";
    case StepKind::kSwipe:
      return "swipe";
    case StepKind::kScrollTo:
      return "scroll_to";
    case StepKind::kBack:
      return "back";
    case StepKind::kHome:
      return "home";
    case StepKind::kWait:
      return "wait";
    case StepKind::kWaitFor:
      return "wait_for";
    case StepKind::kAssertVisible:
      return "assert_visible";
    case StepKind::kAssertNotVisible:
      return "assert_not_visible";
    case StepKind::kScreenshot:
      return "screenshot";
    case StepKind::kOpenUrl:
      return "open_url";
    case StepKind::kCheck:
      return "check";
    case StepKind::kProbe:
      return "probe";
    case StepKind::kRunFlow:
      return "run_flow";
    case StepKind::kRepeat:
      return "repeat";
  }
  return "unknown";
}

std::string_view to_string(ProbeSpec::Kind kind) {
  switch (kind) {
    case ProbeSpec::Kind::kPopup:
      return "popup";
    case ProbeSpec::Kind::kPersonalisation:
      return "personalisation";
    case ProbeSpec::Kind::kLink:
      return "link";
  }
  return "unknown";
}

std::string Step::action() const {
  std::string what(to_string(kind));
  auto target = [this]() -> std::string {
    if (selector) return selector->describe();
    if (point) return format_point(*point);
    return {};
  };
  auto append = [&what](const std::string& part) {
    if (!part.empty()) what += ' ' + part;
  };
  switch (kind) {
    case StepKind::kLaunch:
      append(text);
      if (clear_data) append("(clear data)");
      break;
    case StepKind::kStop:
    case StepKind::kOpenUrl:
      append(text);
      break;
    case StepKind::kTap:
    case StepKind::kWaitFor:
    case StepKind::kAssertVisible:
    case StepKind::kAssertNotVisible:
      append(target());
      break;
    case StepKind::kLongPress:
      append(target());
      if (duration.count() > 0) append("for " + format_duration(duration));
      break;
    case StepKind::kType:
      append(fmt::format("\"{}\"", text));
      if (selector) append("into " + selector->describe());
      break;
    case StepKind::kSwipe:
      if (from && to) {
        append(format_point(*from) + " → " + format_point(*to));
      } else {
        append(direction);
      }
      break;
    case StepKind::kScrollTo:
      append(target());
      append(fmt::format("({}, ≤{} swipes)", direction, max_swipes));
      break;
    case StepKind::kBack:
    case StepKind::kHome:
      break;
    case StepKind::kWait:
      append(format_duration(duration));
      break;
    case StepKind::kScreenshot:
      if (!text.empty()) append(fmt::format("\"{}\"", text));
      break;
    case StepKind::kCheck:
      if (rules.empty()) {
        append("all static rules");
      } else {
        std::string list;
        for (const std::string& r : rules) list += (list.empty() ? "" : ", ") + r;
        append(list);
      }
      break;
    case StepKind::kProbe:
      if (probe) append(std::string(to_string(probe->kind)));
      break;
    case StepKind::kRunFlow:
      append(short_path(text));
      break;
    case StepKind::kRepeat:
      append(fmt::format("{} times ({} step{})", times, children.size(),
                         children.size() == 1 ? "" : "s"));
      break;
  }
  return name.empty() ? what : fmt::format("\"{}\": {}", name, what);
}

std::string Step::describe() const {
  std::string out = action();
  if (!where.file.empty()) {
    SourceLocation brief = where;
    brief.file = short_path(where.file);
    brief.column = 0;
    out += " (" + brief.str() + ")";
  }
  return out;
}

}  // namespace uiw::harness
