#include "adb/device.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include "adb/raw_screencap_reader.h"
#include "adb/screencap_decoder.h"
#include "adb/shell_quote.h"
#include "common/error.h"

namespace uiw::adb {

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The last non-empty line of command output, for messages.
std::string last_line(std::string_view text) {
  const std::string t = trim(text);
  const size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

// "1080x2400" after a "Physical size:"/"Override size:" label.
bool parse_size(std::string_view line, int& w, int& h) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string value = trim(line.substr(colon + 1));
  return std::sscanf(value.c_str(), "%dx%d", &w, &h) == 2;
}

bool parse_number_after_colon(std::string_view line, int& out) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string value = trim(line.substr(colon + 1));
  return std::sscanf(value.c_str(), "%d", &out) == 1;
}

// The XML from `uiautomator dump /dev/tty` output: from the declaration (or root) to the end of
// </hierarchy>, dropping the "UI hierchary dumped to: /dev/tty" confirmation line.
std::optional<std::string> extract_hierarchy(std::string_view out) {
  size_t start = out.find("<?xml");
  if (start == std::string_view::npos) start = out.find("<hierarchy");
  const size_t end = out.rfind("</hierarchy>");
  if (start == std::string_view::npos || end == std::string_view::npos || end < start) {
    return std::nullopt;
  }
  return std::string(out.substr(start, end + 12 - start));
}

bool transient_dump_error(std::string_view text) {
  return contains(text, "could not get idle state") || contains(text, "null root node");
}

}  // namespace

Device::Device(AdbClient& client, std::string serial)
    : client_(client), serial_(std::move(serial)) {
  if (serial_.empty()) throw Error(ErrorKind::kUsage, "a device needs a serial");
  client_.remember_tcp_device(serial_);
}

Device Device::from_environment(AdbClient& client, Deadline deadline) {
  if (std::string serial = serial_from_environment(); !serial.empty()) {
    return Device(client, serial);
  }
  std::vector<DeviceEntry> devices = client.devices(deadline);
  if (devices.size() == 1) return Device(client, devices.front().serial);
  if (devices.empty()) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("no device attached to the adb server at {} (adb connect HOST:PORT, "
                            "or start an emulator)",
                            client.server().to_string()));
  }
  std::string names;
  for (const auto& d : devices) names += (names.empty() ? "" : ", ") + d.serial;
  throw Error(ErrorKind::kUsage,
              "more than one device (" + names + "): set ANDROID_SERIAL or pass --serial");
}

std::string Device::describe(const std::string& command) const {
  std::string shown = command.size() > 80 ? command.substr(0, 77) + "..." : command;
  return fmt::format("'{}' on {}", shown, serial_);
}

bool Device::has_feature(const std::string& feature, Deadline deadline) {
  if (!features_) features_ = client_.features(serial_, deadline);
  return std::find(features_->begin(), features_->end(), feature) != features_->end();
}

ShellResult Device::shell(const std::string& command, Deadline deadline) {
  if (!has_feature("shell_v2", deadline)) {
    // Old devices: no framing. Append the exit code as a marker line; stderr stays mixed in.
    static constexpr std::string_view kMarker = "\n:uiw-exit:";
    HostConnection c = client_.open_service(
        serial_, "shell:" + command + "; echo \"" + std::string(kMarker.substr(1)) + "$?\"",
        deadline);
    std::string all = c.read_to_end(deadline, describe(command));
    ShellResult r;
    const size_t at = all.rfind(kMarker.substr(1));
    if (at == std::string::npos) {
      throw Error(ErrorKind::kDeviceOffline,
                  describe(command) + ": output ended without an exit status (device gone?)");
    }
    r.exit_code = std::atoi(all.c_str() + at + kMarker.size() - 1);
    r.out = all.substr(0, at);
    return r;
  }
  HostConnection c = client_.open_service(serial_, "shell,v2,raw:" + command, deadline);
  ShellV2Parser parser;
  std::string chunk;
  for (;;) {
    chunk.clear();
    const TcpSocket::ReadStatus status = c.socket().read_some(chunk, deadline);
    if (!chunk.empty()) parser.feed(chunk);
    // The exit packet is the end: no need to wait for the socket to close.
    if (parser.has_exit()) return std::move(parser.result());
    if (status == TcpSocket::ReadStatus::kEof) {
      if (!client_.server_alive(Deadline::after(300ms))) {
        throw Error(ErrorKind::kDeviceOffline,
                    fmt::format("the adb server at {} stopped while running {}",
                                client_.server().to_string(), describe(command)));
      }
      throw Error(ErrorKind::kDeviceOffline,
                  fmt::format("device {} went away while running '{}' (the stream ended without "
                              "an exit status)",
                              serial_, command.substr(0, 80)));
    }
    if (status == TcpSocket::ReadStatus::kTimeout) {
      throw Error(ErrorKind::kTimeout, fmt::format("{} did not finish within {} ms",
                                                   describe(command), deadline.budget().count()));
    }
  }
}

std::string Device::shell_checked(const std::string& command, Deadline deadline) {
  ShellResult r = shell(command, deadline);
  if (r.exit_code != 0) {
    const std::string why = trim(r.err).empty() ? last_line(r.out) : trim(r.err);
    throw Error(ErrorKind::kCommandFailed,
                fmt::format("{} failed with exit code {}: {}", describe(command), r.exit_code,
                            why.empty() ? "(no output)" : why));
  }
  return std::move(r.out);
}

std::string Device::exec(const std::string& command, Deadline deadline) {
  HostConnection c = client_.open_service(serial_, "exec:" + command, deadline);
  return c.read_to_end(deadline, describe(command));
}

ExecStream Device::exec_stream(const std::string& command, Deadline open_deadline) {
  return ExecStream(client_.open_service(serial_, "exec:" + command, open_deadline),
                    describe(command));
}

SyncClient Device::sync(Deadline deadline) {
  const bool v2 = has_feature("stat_v2", deadline);
  return SyncClient(client_.open_service(serial_, "sync:", deadline), serial_, v2);
}

std::optional<FileStat> Device::stat(const std::string& remote, Deadline deadline) {
  return sync(deadline).stat(remote, deadline);
}

std::vector<RemoteDirEntry> Device::list(const std::string& remote, Deadline deadline) {
  return sync(deadline).list(remote, deadline);
}

std::string Device::pull(const std::string& remote, Deadline deadline) {
  return sync(deadline).pull(remote, deadline);
}

void Device::pull_to_file(const std::string& remote, const std::string& local, Deadline deadline) {
  sync(deadline).pull_to_file(remote, local, deadline);
}

void Device::push(std::string_view bytes, const std::string& remote, Deadline deadline,
                  uint32_t mode) {
  sync(deadline).push(bytes, remote, deadline, mode);
}

void Device::push_file(const std::string& local, const std::string& remote, Deadline deadline,
                       uint32_t mode) {
  sync(deadline).push_file(local, remote, deadline, mode);
}

std::string Device::getprop(const std::string& name, Deadline deadline) {
  return trim(shell_checked("getprop " + shell_quote(name), deadline));
}

DeviceInfo Device::info(Deadline deadline) {
  // One round trip for everything.
  const std::string out = shell_checked(
      "getprop ro.product.model; getprop ro.build.version.sdk; getprop ro.build.version.release; "
      "wm size; wm density",
      deadline);
  DeviceInfo info;
  info.serial = serial_;
  std::istringstream lines(out);
  std::string line;
  std::vector<std::string> props;
  bool size_override = false, density_override = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (props.size() < 3 && !contains(line, "size:") && !contains(line, "density:")) {
      props.push_back(trim(line));
    } else if (line.starts_with("Override size:")) {
      size_override = parse_size(line, info.width, info.height);
    } else if (line.starts_with("Physical size:") && !size_override) {
      parse_size(line, info.width, info.height);
    } else if (line.starts_with("Override density:")) {
      density_override = parse_number_after_colon(line, info.density);
    } else if (line.starts_with("Physical density:") && !density_override) {
      parse_number_after_colon(line, info.density);
    }
  }
  if (props.size() < 3 || info.width == 0 || info.density == 0) {
    throw Error(ErrorKind::kParse, "device info from " + serial_ +
                                       ": unexpected getprop/wm output: " + out.substr(0, 300));
  }
  info.model = props[0];
  info.sdk = std::atoi(props[1].c_str());
  info.release = props[2];
  return info;
}

ForegroundState Device::foreground(Deadline deadline) {
  static constexpr std::string_view kSplit = "@@uiw-split@@";
  const std::string out = shell_checked(
      "dumpsys activity activities; echo " + std::string(kSplit) + "; dumpsys window windows",
      deadline);
  const size_t split = out.find(kSplit);
  const std::string_view all(out);
  const std::string_view activities = all.substr(0, split);
  const std::string_view windows =
      split == std::string::npos ? std::string_view{} : all.substr(split + kSplit.size());
  ForegroundState state;
  state.resumed_activity = parse_resumed_activity(activities);
  state.focused_window = parse_focused_window(windows);
  return state;
}

std::optional<PackageVersion> Device::package_version(const std::string& package,
                                                      Deadline deadline) {
  return parse_package_version(shell_checked("dumpsys package " + shell_quote(package), deadline));
}

cv::Mat Device::screenshot_raw(Deadline deadline) {
  HostConnection c = client_.open_service(serial_, "exec:screencap", deadline);
  return RawScreencapReader::read(c.socket(), deadline, describe("screencap"));
}

std::string Device::screenshot_png_bytes(Deadline deadline) {
  return exec("screencap -p", deadline);
}

cv::Mat Device::screenshot_png(Deadline deadline) {
  return decode_png_screencap(screenshot_png_bytes(deadline));
}

cv::Mat Device::screenshot(Deadline deadline) {
  try {
    return screenshot_raw(deadline);
  } catch (const Error& e) {
    // Only a format we do not understand falls back; a dead device is not hidden behind a retry.
    if (e.kind() != ErrorKind::kParse) throw;
  }
  return screenshot_png(deadline);
}

std::string Device::ui_hierarchy(Deadline deadline, int attempts) {
  attempts = std::max(attempts, 1);
  std::string last_error;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    ShellResult r = shell("uiautomator dump /dev/tty", deadline);
    if (auto xml = extract_hierarchy(r.out)) return std::move(*xml);
    const std::string said = trim(r.out + "\n" + r.err);
    if (transient_dump_error(said)) {
      last_error = last_line(said);
      // The UI is animating: give it a moment, within the deadline.
      std::this_thread::sleep_for(
          std::min(std::chrono::milliseconds(300 * attempt), deadline.left()));
      continue;
    }
    // /dev/tty not writable here (some devices without a pty): dump to a file and pull it.
    const std::string path = "/data/local/tmp/uiw_window_dump.xml";
    r = shell("uiautomator dump " + path, deadline);
    const std::string file_said = trim(r.out + "\n" + r.err);
    if (transient_dump_error(file_said)) {
      last_error = last_line(file_said);
      continue;
    }
    if (r.exit_code != 0 || !contains(r.out, "dumped to")) {
      throw Error(ErrorKind::kCommandFailed,
                  fmt::format("uiautomator dump failed on {} (exit {}): {}", serial_, r.exit_code,
                              file_said.empty() ? said : file_said));
    }
    std::string text = pull(path, deadline);
    shell("rm -f " + path, deadline);
    if (auto xml = extract_hierarchy(text)) return std::move(*xml);
    throw Error(ErrorKind::kParse,
                "uiautomator dump on " + serial_ + " wrote no hierarchy: " + text.substr(0, 200));
  }
  if (last_error.starts_with("ERROR: ")) last_error = last_error.substr(7);
  while (!last_error.empty() && last_error.back() == '.') last_error.pop_back();
  throw Error(ErrorKind::kCommandFailed,
              fmt::format("uiautomator dump failed: {} ({} attempts)", last_error, attempts));
}

void Device::run_input(const std::string& command, const std::string& what, Deadline deadline) {
  const ShellResult r = shell(command, deadline);
  // `input` reports bad arguments on stderr (old versions: exit 0 with an Exception on stdout).
  if (r.exit_code != 0 || contains(r.err, "Error") || contains(r.out, "Exception")) {
    const std::string why = trim(r.err).empty() ? last_line(r.out) : trim(r.err);
    throw Error(ErrorKind::kCommandFailed,
                fmt::format("{} on {} failed (exit {}): {}", what, serial_, r.exit_code,
                            why.substr(0, why.find('\n'))));
  }
}

void Device::tap(int x, int y, Deadline deadline) {
  run_input(fmt::format("input tap {} {}", x, y), fmt::format("tap {},{}", x, y), deadline);
}

void Device::long_press(int x, int y, int duration_ms, Deadline deadline) {
  // A swipe that does not move is a long press on every Android version.
  run_input(fmt::format("input swipe {} {} {} {} {}", x, y, x, y, duration_ms),
            fmt::format("long press {},{}", x, y), deadline);
}

void Device::swipe(int x1, int y1, int x2, int y2, int duration_ms, Deadline deadline) {
  run_input(fmt::format("input swipe {} {} {} {} {}", x1, y1, x2, y2, duration_ms),
            fmt::format("swipe {},{} → {},{}", x1, y1, x2, y2), deadline);
}

void Device::input_text(std::string_view text, Deadline deadline) {
  const std::string command = input_text_command(text);
  if (command.empty()) return;
  run_input(command, "input text", deadline);
}

void Device::key_event(int keycode, Deadline deadline) {
  run_input(fmt::format("input keyevent {}", keycode), fmt::format("key event {}", keycode),
            deadline);
}

void Device::key_event(const std::string& key, Deadline deadline) {
  run_input("input keyevent " + shell_quote(key), "key event " + key, deadline);
}

void Device::launch(const std::string& package, Deadline deadline) {
  const ShellResult r = shell(
      "monkey -p " + shell_quote(package) + " -c android.intent.category.LAUNCHER 1", deadline);
  const std::string said = r.out + r.err;
  if (contains(said, "No activities found") || contains(said, "monkey aborted")) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("launch {} on {}: no launcher activity (is the app installed?)",
                            package, serial_));
  }
  if (r.exit_code != 0) {
    throw Error(ErrorKind::kCommandFailed,
                fmt::format("launch {} on {} failed (exit {}): {}", package, serial_, r.exit_code,
                            last_line(said)));
  }
}

void Device::start_activity(const std::string& component, const std::vector<std::string>& extra,
                            Deadline deadline) {
  std::vector<std::string> args = {"am", "start", "-W", "-n", component};
  args.insert(args.end(), extra.begin(), extra.end());
  const ShellResult r = shell(shell_join(args), deadline);
  const std::string said = r.out + r.err;
  // am prints some errors on stdout with exit code 0 ("Error: Activity class … does not exist").
  if (r.exit_code != 0 || contains(said, "Error")) {
    const size_t at = said.find("Error");
    const std::string why = at == std::string::npos ? last_line(said) : said.substr(at);
    throw Error(contains(said, "does not exist") ? ErrorKind::kNotFound : ErrorKind::kCommandFailed,
                fmt::format("start {} on {}: {}", component, serial_, trim(why)));
  }
}

void Device::open_url(const std::string& url, Deadline deadline) {
  const ShellResult r =
      shell("am start -a android.intent.action.VIEW -d " + shell_quote(url), deadline);
  const std::string said = r.out + r.err;
  if (r.exit_code != 0 || contains(said, "Error")) {
    throw Error(ErrorKind::kCommandFailed,
                fmt::format("open {} on {}: {}", url, serial_, trim(said)));
  }
}

void Device::force_stop(const std::string& package, Deadline deadline) {
  shell_checked("am force-stop " + shell_quote(package), deadline);
}

void Device::clear_data(const std::string& package, Deadline deadline) {
  const ShellResult r = shell("pm clear " + shell_quote(package), deadline);
  if (!contains(r.out, "Success")) {
    throw Error(ErrorKind::kCommandFailed,
                fmt::format("pm clear {} on {} failed (exit {}): {} (is the package installed?)",
                            package, serial_, r.exit_code, trim(r.out + r.err)));
  }
}

void Device::install(const std::string& local_apk, Deadline deadline) {
  const std::string name = std::filesystem::path(local_apk).filename().string();
  const std::string remote = "/data/local/tmp/uiw-install-" + name;
  push_file(local_apk, remote, deadline);
  ShellResult r;
  try {
    r = shell("pm install -r -t " + shell_quote(remote), deadline);
  } catch (const Error&) {
    try {
      shell("rm -f " + shell_quote(remote), Deadline::after(2s));
    } catch (const Error&) {
    }
    throw;
  }
  shell("rm -f " + shell_quote(remote), deadline);
  if (!contains(r.out, "Success")) {
    throw Error(ErrorKind::kCommandFailed,
                fmt::format("install {} on {} failed (exit {}): {}", local_apk, serial_,
                            r.exit_code, trim(r.out + r.err)));
  }
}

void Device::logcat_clear(Deadline deadline) {
  shell_checked("logcat -c", deadline);
}

std::string Device::logcat_dump(Deadline deadline) {
  return exec("logcat -d -v threadtime", deadline);
}

std::unique_ptr<LogcatCapture> Device::capture_logcat(const std::string& path,
                                                      Deadline open_deadline) {
  return std::make_unique<LogcatCapture>(exec_stream("logcat -v threadtime", open_deadline), path);
}

}  // namespace uiw::adb
