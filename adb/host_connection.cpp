#include "adb/host_connection.h"

#include <fmt/format.h>

#include <charconv>

#include "common/error.h"

namespace uiw::adb {

namespace {

size_t parse_hex_length(std::string_view hex, std::string_view what) {
  size_t value = 0;
  const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  if (ec != std::errc() || end != hex.data() + hex.size()) {
    throw Error(ErrorKind::kProtocol,
                fmt::format("{} sent a malformed length '{}'", what, std::string(hex)));
  }
  return value;
}

}  // namespace

void throw_server_failure(std::string_view message, std::string_view context) {
  const std::string text =
      context.empty() ? std::string(message) : fmt::format("{}: {}", context, message);
  ErrorKind kind = ErrorKind::kCommandFailed;
  if (message.find("offline") != std::string_view::npos) {
    kind = ErrorKind::kDeviceOffline;
  } else if (message.find("unauthorized") != std::string_view::npos) {
    kind = ErrorKind::kUnauthorized;
  } else if (message.find("not found") != std::string_view::npos ||
             message.find("no devices") != std::string_view::npos) {
    kind = ErrorKind::kNotFound;
  } else if (message.find("more than one") != std::string_view::npos) {
    kind = ErrorKind::kUsage;
  } else if (message.find("closed") != std::string_view::npos ||
             message.find("connecting") != std::string_view::npos ||
             message.find("authorizing") != std::string_view::npos) {
    kind = ErrorKind::kDeviceOffline;
  }
  throw Error(kind, text);
}

HostConnection HostConnection::open(const ServerAddress& server, Deadline deadline, bool* refused) {
  return HostConnection(TcpSocket::connect(
      server.host, server.port, "the adb server at " + server.to_string(), deadline, refused));
}

void HostConnection::send_request(std::string_view request, Deadline deadline) {
  if (request.size() > 0xffff) {
    throw Error(ErrorKind::kUsage,
                fmt::format("adb request too long ({} bytes, the limit is 65535)", request.size()));
  }
  std::string framed = fmt::format("{:04x}", request.size());
  framed.append(request);
  socket_.write_all(framed, deadline);
}

void HostConnection::expect_okay(Deadline deadline, std::string_view context) {
  char status[4];
  socket_.read_exact(status, 4, deadline);
  const std::string_view word(status, 4);
  if (word == "OKAY") return;
  if (word == "FAIL") throw_server_failure(read_length_prefixed(deadline), context);
  throw Error(ErrorKind::kProtocol, fmt::format("{}: {} answered '{}' instead of OKAY/FAIL",
                                                context, socket_.description(), std::string(word)));
}

void HostConnection::request(std::string_view text, Deadline deadline, std::string_view context) {
  send_request(text, deadline);
  expect_okay(deadline, context);
}

std::string HostConnection::read_length_prefixed(Deadline deadline) {
  char hex[4];
  socket_.read_exact(hex, 4, deadline);
  const size_t length = parse_hex_length(std::string_view(hex, 4), socket_.description());
  std::string payload(length, '\0');
  if (length > 0) socket_.read_exact(payload.data(), length, deadline);
  return payload;
}

std::string HostConnection::read_to_end(Deadline deadline, std::string_view context) {
  std::string out;
  for (;;) {
    switch (socket_.read_some(out, deadline)) {
      case TcpSocket::ReadStatus::kData:
        continue;
      case TcpSocket::ReadStatus::kEof:
        return out;
      case TcpSocket::ReadStatus::kTimeout:
        throw Error(ErrorKind::kTimeout,
                    fmt::format("{}: no end of output after {} ms ({} bytes received)", context,
                                deadline.budget().count(), out.size()));
    }
  }
}

}  // namespace uiw::adb
