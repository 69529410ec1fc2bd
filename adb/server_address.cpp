#include "adb/server_address.h"

#include <charconv>
#include <cstdlib>

#include "common/error.h"

namespace uiw::adb {

namespace {

int parse_port(std::string_view text, const char* variable) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port <= 0 || port > 65535) {
    throw Error(ErrorKind::kConfig, std::string(variable) + ": '" + std::string(text) +
                                        "' is not a TCP port (1-65535)");
  }
  return port;
}

}  // namespace

ServerAddress ServerAddress::from_environment() {
  ServerAddress address;
  if (const char* socket = std::getenv("ADB_SERVER_SOCKET"); socket != nullptr && *socket) {
    // Same grammar as adb: tcp:PORT or tcp:HOST:PORT (HOST may be a bracketed IPv6 address).
    std::string_view spec(socket);
    if (!spec.starts_with("tcp:")) {
      throw Error(ErrorKind::kConfig, "ADB_SERVER_SOCKET: '" + std::string(spec) +
                                          "' is not supported; use tcp:HOST:PORT");
    }
    const auto parsed = parse(spec.substr(4));
    if (!parsed) {
      throw Error(ErrorKind::kConfig, "ADB_SERVER_SOCKET: '" + std::string(spec) +
                                          "' is not tcp:HOST:PORT with a port 1-65535");
    }
    address = *parsed;
    return address;
  }
  if (const char* port = std::getenv("ANDROID_ADB_SERVER_PORT"); port != nullptr && *port) {
    address.port = parse_port(port, "ANDROID_ADB_SERVER_PORT");
  }
  return address;
}

std::optional<ServerAddress> ServerAddress::parse(std::string_view spec) {
  ServerAddress address;
  std::string_view port = spec;
  if (const size_t colon = spec.rfind(':'); colon != std::string_view::npos) {
    std::string_view host = spec.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    if (!host.empty()) address.host = std::string(host);
    port = spec.substr(colon + 1);
  }
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (ec != std::errc() || end != port.data() + port.size() || address.port <= 0 ||
      address.port > 65535) {
    return std::nullopt;
  }
  return address;
}

bool ServerAddress::is_local() const {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

std::string ServerAddress::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string serial_from_environment() {
  const char* serial = std::getenv("ANDROID_SERIAL");
  return serial != nullptr ? std::string(serial) : std::string();
}

}  // namespace uiw::adb
