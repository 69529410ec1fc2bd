#pragma once
// The client parsers read from a TcpSocket; a fuzz target gives them one end of a socketpair
// whose other end already holds the input and is shut for writing, so every read ends in data
// or EOF at once (no server, no network, no waiting on deadlines).
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "adb/tcp_socket.h"

namespace uiw::fuzz {

class SocketFeed {
 public:
  SocketFeed(const uint8_t* data, size_t size) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_) != 0) std::abort();
    // Writes what fits in the socket buffer without blocking; the fuzzers cap max_len far
    // below it, so in practice that is all of it.
    size_t sent = 0;
    while (sent < size) {
      const ssize_t n = ::send(fds_[1], data + sent, size - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    ::shutdown(fds_[1], SHUT_WR);
  }
  ~SocketFeed() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    if (fds_[0] >= 0) ::close(fds_[0]);
  }
  SocketFeed(const SocketFeed&) = delete;
  SocketFeed& operator=(const SocketFeed&) = delete;

  // The client's end; call once.
  adb::TcpSocket take_client() {
    const int fd = fds_[0];
    fds_[0] = -1;
    return adb::TcpSocket::adopt(fd, "fuzz peer");
  }

 private:
  int fds_[2] = {-1, -1};
};

}  // namespace uiw::fuzz
