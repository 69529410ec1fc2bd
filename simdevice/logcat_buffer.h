#pragma once
// The device's main log: a bounded ring of entries that `logcat` dumps, filters and follows.
// Thread-safe; readers waiting for new lines are woken as soon as one is added.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace uiw::sim {

struct LogEntry {
  uint64_t seq = 0;  // grows by one per entry, never reused (also across clear())
  std::chrono::system_clock::time_point time;
  int pid = 0;
  int tid = 0;
  char level = 'I';  // V D I W E F
  std::string tag;
  std::string message;
};

// How `logcat -v FORMAT` prints one entry (threadtime is the default on Android 7+).
enum class LogFormat { kThreadtime, kBrief, kTime, kTag, kProcess, kRaw };

// Output filter as `logcat TAG:L *:S` / `-s TAG` build it.
class LogFilter {
 public:
  // Adds "TAG:L", "TAG" (= TAG:V) or "*:L". Returns false on a bad spec.
  bool add_spec(const std::string& spec);
  void set_default_level(char level) { default_level_ = level; }
  bool accepts(const LogEntry& entry) const;

 private:
  std::vector<std::pair<std::string, char>> specs_;
  char default_level_ = 'V';
};

class LogcatBuffer {
 public:
  explicit LogcatBuffer(size_t capacity = 20000);

  // `time`: when it happened (a timer that fired before the query that applied it); default now.
  void add(int pid, int tid, char level, const std::string& tag, const std::string& message,
           std::optional<std::chrono::system_clock::time_point> time = std::nullopt);
  void clear();
  // Entries with seq > after_seq, oldest first.
  std::vector<LogEntry> since(uint64_t after_seq) const;
  uint64_t last_seq() const;
  // Waits until an entry with seq > after_seq exists or `timeout` passes; true if one does.
  bool wait_for_new(uint64_t after_seq, std::chrono::milliseconds timeout) const;

  static std::string format(const LogEntry& entry, LogFormat format);

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::condition_variable added_;
  std::deque<LogEntry> entries_;
  uint64_t next_seq_ = 1;
};

}  // namespace uiw::sim
