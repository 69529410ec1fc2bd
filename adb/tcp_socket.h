#pragma once
// TcpSocket: a connected TCP socket whose every operation has a deadline (non-blocking fd +
// poll), so no read or write in uiw::adb can block forever.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "adb/deadline.h"

namespace uiw::adb {

class TcpSocket {
 public:
  TcpSocket() = default;
  ~TcpSocket();
  TcpSocket(TcpSocket&& other) noexcept;
  TcpSocket& operator=(TcpSocket&& other) noexcept;
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  // Connects to host:port (numeric or resolvable). `what` names the peer in messages ("the adb
  // server at 127.0.0.1:5037"). Refused → kDeviceOffline, deadline → kTimeout.
  // `refused` (optional) is set when the peer actively refused (nothing listens there).
  static TcpSocket connect(const std::string& host, int port, const std::string& what,
                           Deadline deadline, bool* refused = nullptr);

  // Takes ownership of an already connected stream socket (one end of a socketpair in fuzz
  // targets, so the protocol parsers above can be fed bytes without a server).
  static TcpSocket adopt(int fd, std::string what) { return TcpSocket(fd, std::move(what)); }

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void close();
  // Half-close: tells the peer we will send nothing more.
  void shutdown_write();

  void write_all(std::string_view bytes, Deadline deadline);
  // Reads exactly n bytes; throws kTimeout at the deadline and kDeviceOffline on EOF.
  void read_exact(char* out, size_t n, Deadline deadline);

  enum class ReadStatus { kData, kEof, kTimeout };
  // Appends what is available (at most max bytes) to out, waiting until the deadline.
  ReadStatus read_some(std::string& out, Deadline deadline, size_t max = 256 * 1024);
  // Reads what is available into out[0, max); *got is set to the count (0 unless kData).
  ReadStatus read_into(char* out, size_t max, size_t* got, Deadline deadline);

  // Names the peer in error messages.
  void set_description(std::string what) { what_ = std::move(what); }
  const std::string& description() const { return what_; }

 private:
  explicit TcpSocket(int fd, std::string what) : fd_(fd), what_(std::move(what)) {}
  bool wait(short events, Deadline deadline);
  int fd_ = -1;
  std::string what_;
};

}  // namespace uiw::adb
