#pragma once
// LogcatCapture: `logcat -v threadtime` streamed into a file while a step runs, by a thread of
// its own, until stop(). The file is the evidence; start_intents() reads it back.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "adb/exec_stream.h"
#include "adb/logcat_parser.h"

namespace uiw::adb {

class LogcatCapture {
 public:
  // Takes an opened stream; writes everything it yields to `path` (truncated).
  LogcatCapture(ExecStream stream, std::string path);
  ~LogcatCapture();  // stops
  LogcatCapture(const LogcatCapture&) = delete;
  LogcatCapture& operator=(const LogcatCapture&) = delete;

  // Stops after draining what already arrived (up to `drain`), closes the stream and the file.
  // Rethrows a write error of the capture thread; a device that vanished ends the capture
  // quietly (its lines so far are kept) and is reported by device_lost().
  void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(150));
  bool device_lost() const { return device_lost_; }
  const std::string& path() const { return path_; }
  // The captured text so far (reads the file).
  std::string text() const;
  std::vector<StartIntent> start_intents() const { return parse_start_intents(text()); }

 private:
  void run();

  ExecStream stream_;
  std::string path_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> device_lost_{false};
  std::atomic<long long> drain_ms_{150};
  std::string error_;
  std::mutex mutex_;
  std::thread thread_;
};

}  // namespace uiw::adb
