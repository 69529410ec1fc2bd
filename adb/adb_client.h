#pragma once
// AdbClient: the adb server's host services over its socket (no `adb` process per command):
// version, device list, device tracking, connect/disconnect, and opening a service on a device.
// It keeps the session alive: if the (local) server died, the next call starts it again with
// `adb start-server` and reconnects the TCP devices this client had used.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adb/deadline.h"
#include "adb/host_connection.h"
#include "adb/server_address.h"

namespace uiw::adb {

class AdbClient;

struct DeviceEntry {
  std::string serial;
  std::string state;  // "device", "offline", "unauthorized", "connecting", …
  std::string product, model, device;
  std::string transport_id;
};

// Parses the text of host:devices-l (or host:devices / track-devices: serial and state only).
std::vector<DeviceEntry> parse_device_list(std::string_view text);

struct DeviceEvent {
  enum class Kind { kAdded, kRemoved, kStateChanged };
  Kind kind;
  std::string serial;
  std::string state;      // new state ("" when removed)
  std::string old_state;  // "" when added
};

// host:track-devices: the server pushes the whole list whenever it changes. adb 29 does not push
// a TCP device going offline (its reconnect path skips the update), so the tracker also lists
// the devices itself every `poll_interval` while nothing arrives.
class DeviceTracker {
 public:
  static constexpr std::chrono::milliseconds kPollInterval{1000};
  // The events since the previous snapshot (the first call reports every device as added);
  // empty when nothing arrived before the deadline. Throws kDeviceOffline when the server
  // closes the connection (it died).
  std::vector<DeviceEvent> next(Deadline deadline);
  const std::vector<DeviceEntry>& devices() const { return current_; }

 private:
  friend class AdbClient;
  DeviceTracker(AdbClient& client, HostConnection connection)
      : client_(&client), connection_(std::move(connection)) {}
  std::vector<DeviceEvent> apply(std::vector<DeviceEntry> next_list);
  AdbClient* client_;
  HostConnection connection_;
  std::string buffer_;
  std::vector<DeviceEntry> current_;
};

class AdbClient {
 public:
  struct Options {
    // Start the server when none answers (local servers only), as the adb binary does.
    bool start_server = true;
    // The adb binary for `adb start-server`; "" finds it on PATH or in ANDROID_HOME /
    // ANDROID_SDK_ROOT platform-tools.
    std::string adb_path;
  };

  AdbClient();  // ServerAddress::from_environment(), default options
  explicit AdbClient(ServerAddress server);
  AdbClient(ServerAddress server, Options options);

  const ServerAddress& server() const { return server_; }

  int version(Deadline deadline);
  std::vector<DeviceEntry> devices(Deadline deadline);
  DeviceTracker track_devices(Deadline deadline);
  // "connected to HOST:PORT" / "already connected to …". Throws kDeviceOffline when the server
  // could not reach the device. The device is remembered for reconnection.
  std::string connect(const std::string& host_port, Deadline deadline);
  void disconnect(const std::string& host_port, Deadline deadline);
  // host:kill — stops the server (tests, benchmarks).
  void kill_server(Deadline deadline);
  // The device's state as the server lists it, nullopt if not listed.
  std::optional<std::string> state(const std::string& serial, Deadline deadline);
  // Polls until the device is listed as "device"; throws kTimeout / kUnauthorized.
  void wait_for_device(const std::string& serial, Deadline deadline);
  // The features the device advertised (shell_v2, stat_v2, …).
  std::vector<std::string> features(const std::string& serial, Deadline deadline);

  // True when a server answers now (no restart attempted); for error messages.
  bool server_alive(Deadline deadline);
  // Makes sure a server answers, starting a local one if allowed.
  void ensure_server(Deadline deadline);

  // host:transport:SERIAL then SERVICE on the same socket; the returned connection carries the
  // service's stream. Recovers from a dead local server and from a forgotten TCP device once.
  HostConnection open_service(const std::string& serial, const std::string& service,
                              Deadline deadline);

  // TCP devices (HOST:PORT serials) to reconnect after a server restart.
  void remember_tcp_device(const std::string& serial);

  // Called after each server restart (for logs).
  void on_server_restart(std::function<void(const std::string&)> callback);

 private:
  HostConnection open_host(Deadline deadline, bool* refused = nullptr);
  HostConnection transport(const std::string& serial, Deadline deadline);
  // Restarts the server (if nobody else did meanwhile) and reconnects known TCP devices.
  void recover_server(Deadline deadline);
  bool reconnect(const std::string& serial, Deadline deadline);
  std::string host_query(const std::string& request, Deadline deadline);

  ServerAddress server_;
  Options options_;
  std::mutex mutex_;  // guards tcp_devices_, callback, and serialises restarts
  std::set<std::string> tcp_devices_;
  std::function<void(const std::string&)> restart_callback_;
};

// True for "HOST:PORT" serials of devices reached over TCP (adb connect).
bool is_tcp_serial(const std::string& serial);

}  // namespace uiw::adb
