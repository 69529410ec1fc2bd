#pragma once
// ExecStream: an `exec:` service whose output is read as it arrives (logcat -v threadtime, long
// running commands) and that can be stopped at any time by closing the socket.
#include <string>

#include "adb/deadline.h"
#include "adb/host_connection.h"

namespace uiw::adb {

class ExecStream {
 public:
  ExecStream(HostConnection connection, std::string description)
      : connection_(std::move(connection)), description_(std::move(description)) {}

  // Appends what arrives before the deadline; kEof when the command ended or the device went.
  TcpSocket::ReadStatus read(std::string& out, Deadline deadline) {
    return connection_.socket().read_some(out, deadline);
  }
  // Ends the command: closing our socket makes the server close the device stream.
  void stop() { connection_.socket().close(); }
  bool is_open() const { return connection_.socket().is_open(); }
  const std::string& description() const { return description_; }

 private:
  HostConnection connection_;
  std::string description_;
};

}  // namespace uiw::adb
