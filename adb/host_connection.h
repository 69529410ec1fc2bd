#pragma once
// HostConnection: one socket to the adb server speaking its host protocol: a request is four hex
// digits of length plus the text; the reply is OKAY, or FAIL with a length-prefixed message.
// After `host:transport:SERIAL` + a service, the same socket carries the service's stream.
#include <string>
#include <string_view>

#include "adb/deadline.h"
#include "adb/server_address.h"
#include "adb/tcp_socket.h"

namespace uiw::adb {

class HostConnection {
 public:
  // Connects to the server. If nothing listens there, throws kDeviceOffline and sets *refused.
  static HostConnection open(const ServerAddress& server, Deadline deadline,
                             bool* refused = nullptr);
  // Speaks the host protocol over a socket connected by other means (fuzz targets).
  explicit HostConnection(TcpSocket socket) : socket_(std::move(socket)) {}

  // Sends one framed request.
  void send_request(std::string_view request, Deadline deadline);
  // Reads OKAY, or FAIL and throws the server's message as a typed uiw::Error.
  // `context` prefixes the message ("shell on 127.0.0.1:6001").
  void expect_okay(Deadline deadline, std::string_view context);
  // send_request + expect_okay.
  void request(std::string_view request, Deadline deadline, std::string_view context);
  // A length-prefixed (4 hex digits) reply payload, as host:version and host:devices send.
  std::string read_length_prefixed(Deadline deadline);
  // Everything until the server closes the socket.
  std::string read_to_end(Deadline deadline, std::string_view context);

  TcpSocket& socket() { return socket_; }
  const TcpSocket& socket() const { return socket_; }

 private:
  TcpSocket socket_;
};

// Maps an adb server FAIL message to the error a user can act on: "device offline" →
// kDeviceOffline, "device 'x' not found" → kNotFound, "device unauthorized" → kUnauthorized.
[[noreturn]] void throw_server_failure(std::string_view message, std::string_view context);

}  // namespace uiw::adb
