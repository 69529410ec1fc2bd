#pragma once
// Where the adb server listens, from the same environment variables the adb binary reads.
#include <optional>
#include <string>
#include <string_view>

namespace uiw::adb {

struct ServerAddress {
  std::string host = "127.0.0.1";
  int port = 5037;

  // ADB_SERVER_SOCKET=tcp:HOST:PORT wins (a remote server of the farm), then
  // ANDROID_ADB_SERVER_PORT, then 127.0.0.1:5037. Throws uiw::Error(kConfig) on a malformed value.
  static ServerAddress from_environment();
  static ServerAddress local(int port) { return ServerAddress{"127.0.0.1", port}; }
  // "HOST:PORT", "[IPv6]:PORT", or "PORT" alone for 127.0.0.1; nullopt when malformed.
  static std::optional<ServerAddress> parse(std::string_view host_port);

  // Only a server on this machine can be (re)started by us.
  bool is_local() const;
  std::string to_string() const;  // "127.0.0.1:5037"
  bool operator==(const ServerAddress&) const = default;
};

// ANDROID_SERIAL, or "" when unset.
std::string serial_from_environment();

}  // namespace uiw::adb
