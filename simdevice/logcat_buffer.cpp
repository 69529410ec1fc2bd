#include "simdevice/logcat_buffer.h"

#include <fmt/format.h>

#include <ctime>
#include <string_view>

namespace uiw::sim {
namespace {

int level_rank(char level) {
  switch (level) {
    case 'V':
      return 2;
    case 'D':
      return 3;
    case 'I':
      return 4;
    case 'W':
      return 5;
    case 'E':
      return 6;
    case 'F':
      return 7;
    case 'S':
      return 8;
    default:
      return -1;
  }
}

}  // namespace

bool LogFilter::add_spec(const std::string& spec) {
  size_t colon = spec.rfind(':');
  std::string tag = colon == std::string::npos ? spec : spec.substr(0, colon);
  char level = 'V';
  if (colon != std::string::npos) {
    if (colon + 2 != spec.size()) return false;
    level = static_cast<char>(std::toupper(static_cast<unsigned char>(spec[colon + 1])));
    if (level_rank(level) < 0) return false;
  }
  if (tag.empty()) return false;
  if (tag == "*") {
    default_level_ = level;
  } else {
    specs_.emplace_back(tag, level);
  }
  return true;
}

bool LogFilter::accepts(const LogEntry& entry) const {
  char min = default_level_;
  for (const auto& [tag, level] : specs_)
    if (tag == entry.tag) min = level;
  return level_rank(entry.level) >= level_rank(min) && min != 'S';
}

LogcatBuffer::LogcatBuffer(size_t capacity) : capacity_(capacity) {}

void LogcatBuffer::add(int pid, int tid, char level, const std::string& tag,
                       const std::string& message,
                       std::optional<std::chrono::system_clock::time_point> time) {
  {
    std::lock_guard lock(mutex_);
    LogEntry e{next_seq_++, time.value_or(std::chrono::system_clock::now()), pid, tid, level, tag,
               message};
    entries_.push_back(std::move(e));
    while (entries_.size() > capacity_) entries_.pop_front();
  }
  added_.notify_all();
}

void LogcatBuffer::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::vector<LogEntry> LogcatBuffer::since(uint64_t after_seq) const {
  std::lock_guard lock(mutex_);
  std::vector<LogEntry> out;
  for (const LogEntry& e : entries_)
    if (e.seq > after_seq) out.push_back(e);
  return out;
}

uint64_t LogcatBuffer::last_seq() const {
  std::lock_guard lock(mutex_);
  return next_seq_ - 1;
}

bool LogcatBuffer::wait_for_new(uint64_t after_seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return added_.wait_for(lock, timeout, [&] { return next_seq_ - 1 > after_seq; });
}

std::string LogcatBuffer::format(const LogEntry& e, LogFormat format) {
  auto since_epoch = e.time.time_since_epoch();
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  int millis = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  std::string stamp = fmt::format("{:02}-{:02} {:02}:{:02}:{:02}.{:03}", tm.tm_mon + 1, tm.tm_mday,
                                  tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  // The layouts of AOSP's logprint.c.
  switch (format) {
    case LogFormat::kBrief:
      return fmt::format("{}/{:<8}({:5}): {}\n", e.level, e.tag, e.pid, e.message);
    case LogFormat::kTime:
      return fmt::format("{} {}/{:<8}({:5}): {}\n", stamp, e.level, e.tag, e.pid, e.message);
    case LogFormat::kTag:
      return fmt::format("{}/{:<8}: {}\n", e.level, e.tag, e.message);
    case LogFormat::kProcess:
      return fmt::format("{}({:5}) {}  ({})\n", e.level, e.pid, e.message, e.tag);
    case LogFormat::kRaw:
      return e.message + "\n";
    case LogFormat::kThreadtime:
      break;
  }
  return fmt::format("{} {:5} {:5} {} {:<8}: {}\n", stamp, e.pid, e.tid, e.level, e.tag, e.message);
}

}  // namespace uiw::sim
