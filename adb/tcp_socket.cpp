#include "adb/tcp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/error.h"

namespace uiw::adb {

namespace {

[[noreturn]] void throw_timeout(const std::string& what, const char* doing, Deadline deadline) {
  throw Error(ErrorKind::kTimeout, std::string(doing) + " " + what + " timed out after " +
                                       std::to_string(deadline.budget().count()) + " ms");
}

}  // namespace

TcpSocket::~TcpSocket() {
  close();
}

TcpSocket::TcpSocket(TcpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), what_(std::move(other.what_)) {}

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    what_ = std::move(other.what_);
  }
  return *this;
}

void TcpSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void TcpSocket::shutdown_write() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

TcpSocket TcpSocket::connect(const std::string& host, int port, const std::string& what,
                             Deadline deadline, bool* refused) {
  if (refused != nullptr) *refused = false;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    throw Error(ErrorKind::kDeviceOffline,
                "cannot resolve " + what + " (" + host + "): " + ::gai_strerror(rc));
  }
  std::string last_error = "no address";
  bool all_refused = true;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    TcpSocket socket(fd, what);
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    int error = rc == 0 ? 0 : errno;
    if (error == EINPROGRESS) {
      if (!socket.wait(POLLOUT, deadline)) {
        ::freeaddrinfo(found);
        throw_timeout(what, "connecting to", deadline);
      }
      socklen_t len = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    }
    if (error == 0) {
      ::freeaddrinfo(found);
      // Requests are small and latency-bound: do not let Nagle hold them back.
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return socket;
    }
    if (error != ECONNREFUSED) all_refused = false;
    last_error = std::strerror(error);
  }
  ::freeaddrinfo(found);
  if (refused != nullptr) *refused = all_refused;
  throw Error(ErrorKind::kDeviceOffline, "cannot connect to " + what + ": " + last_error);
}

bool TcpSocket::wait(short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd_, events, 0};
    const int rc = ::poll(&p, 1, deadline.poll_ms());
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) {
      throw Error(ErrorKind::kIo, "poll on " + what_ + " failed: " + std::strerror(errno));
    }
  }
}

void TcpSocket::write_all(std::string_view bytes, Deadline deadline) {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "write on a closed socket to " + what_);
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait(POLLOUT, deadline)) throw_timeout(what_, "writing to", deadline);
      continue;
    }
    throw Error(ErrorKind::kDeviceOffline,
                "connection to " + what_ + " lost while writing: " + std::strerror(errno));
  }
}

TcpSocket::ReadStatus TcpSocket::read_some(std::string& out, Deadline deadline, size_t max) {
  const size_t old = out.size();
  out.resize(old + max);
  size_t got = 0;
  ReadStatus status;
  try {
    status = read_into(out.data() + old, max, &got, deadline);
  } catch (...) {
    out.resize(old);
    throw;
  }
  out.resize(old + got);
  return status;
}

TcpSocket::ReadStatus TcpSocket::read_into(char* out, size_t max, size_t* got, Deadline deadline) {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "read on a closed socket to " + what_);
  *got = 0;
  for (;;) {
    const ssize_t n = ::recv(fd_, out, max, 0);
    if (n > 0) {
      *got = static_cast<size_t>(n);
      return ReadStatus::kData;
    }
    if (n == 0) return ReadStatus::kEof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait(POLLIN, deadline)) return ReadStatus::kTimeout;
      continue;
    }
    if (errno == ECONNRESET || errno == EPIPE) return ReadStatus::kEof;
    throw Error(ErrorKind::kDeviceOffline,
                "connection to " + what_ + " lost while reading: " + std::strerror(errno));
  }
}

void TcpSocket::read_exact(char* out, size_t n, Deadline deadline) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::recv(fd_, out + got, n - got, 0);
    if (r > 0) {
      got += static_cast<size_t>(r);
      continue;
    }
    if (r == 0 || (r < 0 && (errno == ECONNRESET || errno == EPIPE))) {
      throw Error(ErrorKind::kDeviceOffline, "connection to " + what_ + " closed unexpectedly");
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait(POLLIN, deadline)) throw_timeout(what_, "reading from", deadline);
      continue;
    }
    throw Error(ErrorKind::kDeviceOffline,
                "connection to " + what_ + " lost while reading: " + std::strerror(errno));
  }
}

}  // namespace uiw::adb
