#include "simdevice/adb_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "common/error.h"

namespace uiw::sim {

AdbServer::AdbServer(const DeviceProfile& profile, CommandRunner& runner, VirtualFs& fs,
                     FaultPlan* faults)
    : services_{profile, runner, fs, faults} {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw Error(ErrorKind::kInternal, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
}

AdbServer::~AdbServer() {
  reap(true);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

void AdbServer::listen(int port) {
  if (port < 0 || port > 65535) {
    throw Error(ErrorKind::kUsage, "port " + std::to_string(port) + " is not a TCP port");
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw Error(ErrorKind::kIo, std::string("cannot create a socket: ") + std::strerror(errno));
  }
  // A restarted simulator must get its port back while old connections sit in TIME_WAIT.
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    const int err = errno;
    ::close(fd);
    throw Error(ErrorKind::kIo, "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                    std::strerror(err) +
                                    (err == EADDRINUSE ? " (another process uses that port; "
                                                         "pick another with --port)"
                                                       : ""));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = fd;
}

void AdbServer::serve() {
  if (listen_fd_ < 0) throw Error(ErrorKind::kInternal, "AdbServer::serve() before listen()");
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    // The timeout only paces reaping of finished connections; stop() wakes us at once.
    const int ready = ::poll(fds, 2, 1000);
    if (ready < 0 && errno != EINTR) {
      std::cerr << "uiwitness-sim: poll failed: " << std::strerror(errno) << "\n";
      break;
    }
    if (fds[1].revents != 0) break;
    reap(false);
    if (ready <= 0 || (fds[0].revents & POLLIN) == 0) continue;
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd < 0) continue;  // EAGAIN, ECONNABORTED, EMFILE…: keep serving the others
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // A peer that stops reading for this long is gone; its connection ends, not the device.
    timeval send_timeout{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    char ip[INET_ADDRSTRLEN] = "?";
    ::inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    auto connection = std::make_unique<AdbConnection>(
        fd, services_, std::string(ip) + ":" + std::to_string(ntohs(peer.sin_port)));
    connection->start();
    connections_.push_back(std::move(connection));
  }
  reap(true);
}

void AdbServer::stop() {
  const char byte = 1;
  // write(2) is async-signal-safe; a full pipe means a stop is already pending.
  [[maybe_unused]] const ssize_t n = ::write(wake_pipe_[1], &byte, 1);
}

void AdbServer::reap(bool all) {
  for (auto it = connections_.begin(); it != connections_.end();) {
    if (all) (*it)->shutdown();
    if (all || (*it)->finished()) {
      (*it)->join();
      it = connections_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace uiw::sim
