#include "adb/logcat_capture.h"

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace uiw::adb {

LogcatCapture::LogcatCapture(ExecStream stream, std::string path)
    : stream_(std::move(stream)), path_(std::move(path)) {
  std::ofstream touch(path_, std::ios::binary | std::ios::trunc);
  if (!touch) throw Error(ErrorKind::kIo, "logcat capture: cannot write " + path_);
  thread_ = std::thread([this] { run(); });
}

LogcatCapture::~LogcatCapture() {
  try {
    stop(std::chrono::milliseconds(0));
  } catch (const Error&) {
    // A destructor cannot report; stop() is the place to see errors.
  }
}

void LogcatCapture::run() {
  std::ofstream file(path_, std::ios::binary | std::ios::app);
  std::string chunk;
  std::chrono::steady_clock::time_point drain_until{};
  for (;;) {
    if (stopping_ && drain_until == std::chrono::steady_clock::time_point{}) {
      drain_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_ms_.load());
    }
    if (stopping_ && std::chrono::steady_clock::now() >= drain_until) break;
    chunk.clear();
    TcpSocket::ReadStatus status;
    try {
      // Short waits so that stop() is noticed promptly.
      status = stream_.read(chunk, Deadline::after(std::chrono::milliseconds(stopping_ ? 20 : 50)));
    } catch (const Error&) {
      device_lost_ = true;
      break;
    }
    if (!chunk.empty()) {
      file.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      file.flush();  // evidence survives a crash of ours
      if (!file) {
        std::lock_guard lock(mutex_);
        error_ = "logcat capture: writing " + path_ + " failed";
        break;
      }
    }
    if (status == TcpSocket::ReadStatus::kEof) {
      if (!stopping_) device_lost_ = true;
      break;
    }
    if (stopping_ && status == TcpSocket::ReadStatus::kTimeout) break;  // drained
  }
}

void LogcatCapture::stop(std::chrono::milliseconds drain) {
  if (!thread_.joinable()) return;
  drain_ms_ = drain.count();
  stopping_ = true;
  thread_.join();
  stream_.stop();
  std::lock_guard lock(mutex_);
  if (!error_.empty()) throw Error(ErrorKind::kIo, error_);
}

std::string LogcatCapture::text() const {
  std::ifstream in(path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace uiw::adb
