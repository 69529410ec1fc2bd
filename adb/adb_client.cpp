#include "adb/adb_client.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <sstream>
#include <thread>

#include "adb/adb_process.h"
#include "common/error.h"

namespace uiw::adb {

bool is_tcp_serial(const std::string& serial) {
  const size_t colon = serial.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= serial.size()) return false;
  for (size_t i = colon + 1; i < serial.size(); ++i) {
    if (serial[i] < '0' || serial[i] > '9') return false;
  }
  return true;
}

std::vector<DeviceEntry> parse_device_list(std::string_view text) {
  std::vector<DeviceEntry> out;
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream words(line);
    DeviceEntry entry;
    if (!(words >> entry.serial)) continue;
    std::string word;
    // The state may be several words ("no permissions (…)"); key:value pairs follow it.
    while (words >> word) {
      const size_t colon = word.find(':');
      const bool pair = colon != std::string::npos && colon > 0 && entry.state.size() > 0 &&
                        (word.starts_with("product:") || word.starts_with("model:") ||
                         word.starts_with("device:") || word.starts_with("transport_id:") ||
                         word.starts_with("usb:") || word.starts_with("features:"));
      if (!pair) {
        entry.state += (entry.state.empty() ? "" : " ") + word;
        continue;
      }
      const std::string key = word.substr(0, colon);
      const std::string value = word.substr(colon + 1);
      if (key == "product") entry.product = value;
      if (key == "model") entry.model = value;
      if (key == "device") entry.device = value;
      if (key == "transport_id") entry.transport_id = value;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<DeviceEvent> DeviceTracker::apply(std::vector<DeviceEntry> next_list) {
  std::vector<DeviceEvent> events;
  std::map<std::string, std::string> before;
  for (const auto& d : current_) before[d.serial] = d.state;
  for (const auto& d : next_list) {
    const auto it = before.find(d.serial);
    if (it == before.end()) {
      events.push_back({DeviceEvent::Kind::kAdded, d.serial, d.state, ""});
    } else {
      if (it->second != d.state) {
        events.push_back({DeviceEvent::Kind::kStateChanged, d.serial, d.state, it->second});
      }
      before.erase(it);
    }
  }
  for (const auto& [serial, state] : before) {
    events.push_back({DeviceEvent::Kind::kRemoved, serial, "", state});
  }
  current_ = std::move(next_list);
  return events;
}

std::vector<DeviceEvent> DeviceTracker::next(Deadline deadline) {
  for (;;) {
    // One pushed snapshot: 4 hex digits of length, then the list.
    if (buffer_.size() >= 4) {
      size_t length = 0;
      const auto [end, ec] = std::from_chars(buffer_.data(), buffer_.data() + 4, length, 16);
      if (ec != std::errc() || end != buffer_.data() + 4) {
        throw Error(ErrorKind::kProtocol, "track-devices: malformed length from the adb server");
      }
      if (buffer_.size() >= 4 + length) {
        std::vector<DeviceEvent> events = apply(parse_device_list(buffer_.substr(4, length)));
        buffer_.erase(0, 4 + length);
        if (!events.empty()) return events;
        continue;
      }
    }
    const Deadline wait = deadline.capped(kPollInterval);
    switch (connection_.socket().read_some(buffer_, wait)) {
      case TcpSocket::ReadStatus::kData:
        break;
      case TcpSocket::ReadStatus::kTimeout:
        if (deadline.expired()) return {};
        {
          // Nothing pushed for a while: look for changes the server did not announce.
          std::vector<DeviceEntry> listed = client_->devices(deadline);
          for (DeviceEntry& d : listed) d = DeviceEntry{d.serial, d.state, {}, {}, {}, {}};
          std::vector<DeviceEvent> events = apply(std::move(listed));
          if (!events.empty()) return events;
        }
        break;
      case TcpSocket::ReadStatus::kEof:
        throw Error(ErrorKind::kDeviceOffline,
                    "track-devices: the adb server closed the connection (did it stop?)");
    }
  }
}

AdbClient::AdbClient() : AdbClient(ServerAddress::from_environment()) {}
AdbClient::AdbClient(ServerAddress server) : AdbClient(std::move(server), Options{}) {}
AdbClient::AdbClient(ServerAddress server, Options options)
    : server_(std::move(server)), options_(std::move(options)) {}

void AdbClient::on_server_restart(std::function<void(const std::string&)> callback) {
  std::lock_guard lock(mutex_);
  restart_callback_ = std::move(callback);
}

void AdbClient::remember_tcp_device(const std::string& serial) {
  if (!is_tcp_serial(serial)) return;
  std::lock_guard lock(mutex_);
  tcp_devices_.insert(serial);
}

HostConnection AdbClient::open_host(Deadline deadline, bool* refused) {
  bool was_refused = false;
  try {
    return HostConnection::open(server_, deadline, &was_refused);
  } catch (const Error& e) {
    if (refused != nullptr) *refused = was_refused;
    if (was_refused) {
      throw Error(ErrorKind::kDeviceOffline,
                  fmt::format("no adb server at {} (connection refused); start one with `adb "
                              "-P {} start-server`",
                              server_.to_string(), server_.port));
    }
    throw;
  }
}

std::string AdbClient::host_query(const std::string& request, Deadline deadline) {
  bool restarted = false;
  for (int attempt = 0;; ++attempt) {
    bool refused = false;
    try {
      HostConnection c = open_host(deadline, &refused);
      c.request(request, deadline, request);
      return c.read_length_prefixed(deadline);
    } catch (const Error& e) {
      if (refused && !restarted && options_.start_server && server_.is_local()) {
        restarted = true;
        recover_server(deadline);
        continue;
      }
      // A server killed a moment ago may still accept and then drop us: ask again.
      if (!refused && e.kind() == ErrorKind::kDeviceOffline && attempt < 2 && !deadline.expired()) {
        std::this_thread::sleep_for(std::min(std::chrono::milliseconds(50), deadline.left()));
        continue;
      }
      throw;
    }
  }
}

int AdbClient::version(Deadline deadline) {
  const std::string hex = host_query("host:version", deadline);
  int v = 0;
  const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), v, 16);
  if (ec != std::errc() || end != hex.data() + hex.size()) {
    throw Error(ErrorKind::kProtocol, "host:version: unexpected reply '" + hex + "'");
  }
  return v;
}

std::vector<DeviceEntry> AdbClient::devices(Deadline deadline) {
  return parse_device_list(host_query("host:devices-l", deadline));
}

std::optional<std::string> AdbClient::state(const std::string& serial, Deadline deadline) {
  for (const DeviceEntry& d : devices(deadline)) {
    if (d.serial == serial) return d.state;
  }
  return std::nullopt;
}

void AdbClient::wait_for_device(const std::string& serial, Deadline deadline) {
  std::string last = "not listed";
  for (;;) {
    const auto s = state(serial, deadline);
    if (s == "device") return;
    if (s) last = *s;
    if (s == "unauthorized") {
      throw Error(ErrorKind::kUnauthorized,
                  fmt::format("device {} is unauthorized: accept the RSA key prompt on the device",
                              serial));
    }
    if (deadline.expired()) {
      throw Error(ErrorKind::kTimeout,
                  fmt::format("device {} did not become ready within {} ms (adb lists it as {})",
                              serial, deadline.budget().count(), last));
    }
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(50), deadline.left()));
  }
}

DeviceTracker AdbClient::track_devices(Deadline deadline) {
  ensure_server(deadline);
  HostConnection c = open_host(deadline);
  c.request("host:track-devices", deadline, "track-devices");
  return DeviceTracker(*this, std::move(c));
}

std::string AdbClient::connect(const std::string& host_port, Deadline deadline) {
  const std::string reply = host_query("host:connect:" + host_port, deadline);
  // The server answers OKAY either way; only its text tells success from failure.
  if (reply.find("connected to") == std::string::npos ||
      reply.find("failed") != std::string::npos || reply.find("cannot") != std::string::npos) {
    throw Error(ErrorKind::kDeviceOffline, "adb connect " + host_port + ": " + reply);
  }
  remember_tcp_device(host_port);
  return reply;
}

void AdbClient::disconnect(const std::string& host_port, Deadline deadline) {
  {
    std::lock_guard lock(mutex_);
    tcp_devices_.erase(host_port);
  }
  host_query("host:disconnect:" + host_port, deadline);
}

void AdbClient::kill_server(Deadline deadline) {
  HostConnection c = open_host(deadline);
  c.send_request("host:kill", deadline);
  // The server answers OKAY and exits; either is fine.
  std::string ignored;
  c.socket().read_some(ignored, deadline);
}

std::vector<std::string> AdbClient::features(const std::string& serial, Deadline deadline) {
  const std::string text = host_query("host-serial:" + serial + ":features", deadline);
  std::vector<std::string> out;
  std::istringstream parts(text);
  std::string f;
  while (std::getline(parts, f, ',')) {
    if (!f.empty()) out.push_back(f);
  }
  return out;
}

void AdbClient::ensure_server(Deadline deadline) {
  version(deadline);
}

bool AdbClient::server_alive(Deadline deadline) {
  try {
    HostConnection c = HostConnection::open(server_, deadline);
    c.request("host:version", deadline, "host:version");
    c.read_length_prefixed(deadline);
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool AdbClient::reconnect(const std::string& serial, Deadline deadline) {
  try {
    HostConnection c = open_host(deadline);
    c.request("host:connect:" + serial, deadline, "connect " + serial);
    const std::string reply = c.read_length_prefixed(deadline);
    return reply.find("connected to") != std::string::npos &&
           reply.find("failed") == std::string::npos;
  } catch (const Error&) {
    return false;
  }
}

void AdbClient::recover_server(Deadline deadline) {
  std::unique_lock lock(mutex_);
  // Another thread may have restarted it while we waited for the lock.
  bool refused = false;
  try {
    HostConnection::open(server_, deadline.capped(500ms), &refused);
    return;
  } catch (const Error&) {
    if (!refused) throw;
  }
  const std::string adb_path =
      options_.adb_path.empty() ? AdbProcess::find_adb() : options_.adb_path;
  AdbProcess(adb_path).start_server(server_.port, deadline);
  const std::set<std::string> devices = tcp_devices_;
  const auto callback = restart_callback_;
  lock.unlock();
  // After a restart the server has forgotten TCP devices: connect them again.
  for (const std::string& serial : devices) reconnect(serial, deadline);
  if (callback) {
    callback(
        fmt::format("adb server at {} was not running; restarted it and reconnected {} "
                    "device(s)",
                    server_.to_string(), devices.size()));
  }
}

namespace {
// How long a call waits for an offline TCP device to come back before it fails.
constexpr std::chrono::milliseconds kOfflineGrace{5000};
}  // namespace

HostConnection AdbClient::transport(const std::string& serial, Deadline deadline) {
  if (serial.empty()) {
    throw Error(ErrorKind::kUsage, "no device serial given (set ANDROID_SERIAL or pass one)");
  }
  for (int attempt = 0;; ++attempt) {
    bool refused = false;
    bool server_lost = false;  // the server went away during our request (it is dying)
    try {
      HostConnection c = open_host(deadline, &refused);
      char status[4];
      try {
        c.send_request("host:transport:" + serial, deadline);
        c.socket().read_exact(status, 4, deadline);
      } catch (const Error& e) {
        server_lost = e.kind() == ErrorKind::kDeviceOffline;
        throw;
      }
      const std::string_view word(status, 4);
      if (word == "OKAY") return c;
      if (word == "FAIL") throw_server_failure(c.read_length_prefixed(deadline), "");
      throw Error(ErrorKind::kProtocol, fmt::format("the adb server at {} answered '{}' to "
                                                    "host:transport",
                                                    server_.to_string(), std::string(word)));
    } catch (const Error& e) {
      if (server_lost && attempt < 2) {
        // A server killed a moment ago may still accept: ask again, and restart it if refused.
        std::this_thread::sleep_for(std::min(std::chrono::milliseconds(50), deadline.left()));
        continue;
      }
      const bool can_restart = options_.start_server && server_.is_local();
      bool known = false;
      {
        std::lock_guard lock(mutex_);
        known = tcp_devices_.contains(serial);
      }
      if (attempt < 3 && refused && can_restart) {
        attempt = 3;  // one restart per call
        recover_server(deadline);
        wait_for_device(serial, deadline);
        continue;
      }
      if (attempt < 3 && e.kind() == ErrorKind::kDeviceOffline && !refused && known &&
          deadline.left() > std::chrono::milliseconds(500)) {
        attempt = 3;
        // A TCP link that dropped once (a Wi-Fi blip, an adbd restart) comes back by the
        // server's own retry within seconds: wait for it, briefly, rather than fail the call.
        try {
          wait_for_device(serial, deadline.capped(kOfflineGrace));
          continue;
        } catch (const Error&) {
          // Still gone: report the original failure below.
        }
      }
      if (attempt < 3 && e.kind() == ErrorKind::kNotFound && known) {
        attempt = 3;
        // A server restarted by someone else forgot our TCP device.
        if (reconnect(serial, deadline)) {
          wait_for_device(serial, deadline);
          continue;
        }
      }
      switch (e.kind()) {
        case ErrorKind::kDeviceOffline:
          if (refused) throw;
          throw Error(ErrorKind::kDeviceOffline,
                      fmt::format("device {} is offline ({})", serial, e.what()));
        case ErrorKind::kNotFound:
          throw Error(ErrorKind::kNotFound,
                      fmt::format("device {} not found by the adb server at {}{}", serial,
                                  server_.to_string(),
                                  is_tcp_serial(serial) ? " (adb connect it first)" : ""));
        case ErrorKind::kUnauthorized:
          throw Error(ErrorKind::kUnauthorized,
                      fmt::format("device {} is unauthorized: accept the RSA key prompt on the "
                                  "device",
                                  serial));
        default:
          throw;
      }
    }
  }
}

HostConnection AdbClient::open_service(const std::string& serial, const std::string& service,
                                       Deadline deadline) {
  HostConnection c = transport(serial, deadline);
  c.socket().set_description("device " + serial);
  c.send_request(service, deadline);
  try {
    c.expect_okay(deadline, "");
  } catch (const Error& e) {
    // The service name is in the message: "closed" from the server is the device dropping.
    throw Error(e.kind(), fmt::format("{} on {}: {}", service.substr(0, service.find(':')), serial,
                                      e.what()));
  }
  return c;
}

}  // namespace uiw::adb
