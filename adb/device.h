#pragma once
// uiw::adb::Device: one Android device (phone, emulator, uiwitness-sim) reached through the adb
// server. Every method takes a deadline and throws uiw::Error with a kind and a message a person
// can act on; nothing spawns the adb binary.
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adb/adb_client.h"
#include "adb/deadline.h"
#include "adb/dumpsys_parser.h"
#include "adb/exec_stream.h"
#include "adb/logcat_capture.h"
#include "adb/logcat_parser.h"
#include "adb/shell_v2.h"
#include "adb/sync_client.h"

namespace uiw::adb {

// Default timeouts, used when a caller passes no deadline.
inline constexpr std::chrono::milliseconds kShellTimeout{10'000};
inline constexpr std::chrono::milliseconds kScreenshotTimeout{15'000};
inline constexpr std::chrono::milliseconds kHierarchyTimeout{30'000};
inline constexpr std::chrono::milliseconds kTransferTimeout{60'000};
inline constexpr std::chrono::milliseconds kInstallTimeout{180'000};

struct DeviceInfo {
  std::string serial;
  std::string model;          // ro.product.model
  int sdk = 0;                // ro.build.version.sdk
  std::string release;        // ro.build.version.release
  int width = 0, height = 0;  // pixels, the override when one is set (what apps see)
  int density = 0;            // dpi, the override when one is set
};

struct ForegroundState {
  std::optional<ComponentName> resumed_activity;
  std::optional<std::string> focused_window;  // component or system window title
};

class Device {
 public:
  // The client must outlive the device. TCP serials are remembered for reconnection.
  Device(AdbClient& client, std::string serial);
  // ANDROID_SERIAL, else the only device the server lists (kUsage if several, kNotFound if none).
  static Device from_environment(AdbClient& client,
                                 Deadline deadline = Deadline::after(kShellTimeout));

  const std::string& serial() const { return serial_; }
  AdbClient& client() { return client_; }

  // --- services
  // `shell,v2,raw:COMMAND`: stdout, stderr and exit code apart; never throws for a non-zero exit.
  ShellResult shell(const std::string& command, Deadline deadline = Deadline::after(kShellTimeout));
  // As shell(), but a non-zero exit throws kCommandFailed with the code and stderr.
  std::string shell_checked(const std::string& command,
                            Deadline deadline = Deadline::after(kShellTimeout));
  // `exec:COMMAND`: raw stdout bytes until the command ends (binary-safe, no exit code).
  std::string exec(const std::string& command, Deadline deadline = Deadline::after(kShellTimeout));
  // `exec:COMMAND` streamed; `open_deadline` bounds only the opening.
  ExecStream exec_stream(const std::string& command,
                         Deadline open_deadline = Deadline::after(kShellTimeout));
  SyncClient sync(Deadline deadline = Deadline::after(kShellTimeout));

  // --- files (sync)
  std::optional<FileStat> stat(const std::string& remote,
                               Deadline deadline = Deadline::after(kShellTimeout));
  std::vector<RemoteDirEntry> list(const std::string& remote,
                                   Deadline deadline = Deadline::after(kShellTimeout));
  std::string pull(const std::string& remote,
                   Deadline deadline = Deadline::after(kTransferTimeout));
  void pull_to_file(const std::string& remote, const std::string& local,
                    Deadline deadline = Deadline::after(kTransferTimeout));
  void push(std::string_view bytes, const std::string& remote,
            Deadline deadline = Deadline::after(kTransferTimeout), uint32_t mode = 0644);
  void push_file(const std::string& local, const std::string& remote,
                 Deadline deadline = Deadline::after(kTransferTimeout), uint32_t mode = 0644);

  // --- state
  DeviceInfo info(Deadline deadline = Deadline::after(kShellTimeout));
  std::string getprop(const std::string& name, Deadline deadline = Deadline::after(kShellTimeout));
  ForegroundState foreground(Deadline deadline = Deadline::after(kShellTimeout));
  // versionName / versionCode of an installed package; nullopt when it is not installed.
  std::optional<PackageVersion> package_version(const std::string& package,
                                                Deadline deadline = Deadline::after(kShellTimeout));

  // --- screen
  // Raw screencap (fast: no PNG encoding on the device); PNG when raw is not understood.
  cv::Mat screenshot(Deadline deadline = Deadline::after(kScreenshotTimeout));
  cv::Mat screenshot_raw(Deadline deadline = Deadline::after(kScreenshotTimeout));
  cv::Mat screenshot_png(Deadline deadline = Deadline::after(kScreenshotTimeout));
  // The PNG file `screencap -p` writes (for evidence bundles that keep the device's bytes).
  std::string screenshot_png_bytes(Deadline deadline = Deadline::after(kScreenshotTimeout));
  // The uiautomator XML. Tries `uiautomator dump /dev/tty` (no temp file), falls back to a file
  // pulled over sync; retries "could not get idle state" / "null root node" up to `attempts`.
  std::string ui_hierarchy(Deadline deadline = Deadline::after(kHierarchyTimeout),
                           int attempts = 3);

  // --- input
  void tap(int x, int y, Deadline deadline = Deadline::after(kShellTimeout));
  void long_press(int x, int y, int duration_ms = 800,
                  Deadline deadline = Deadline::after(kShellTimeout));
  void swipe(int x1, int y1, int x2, int y2, int duration_ms = 300,
             Deadline deadline = Deadline::after(kShellTimeout));
  // Types `text` literally (spaces, quotes, $ ; & | \ and friends arrive as typed).
  void input_text(std::string_view text, Deadline deadline = Deadline::after(kShellTimeout));
  void key_event(int keycode, Deadline deadline = Deadline::after(kShellTimeout));
  void key_event(const std::string& key, Deadline deadline = Deadline::after(kShellTimeout));

  // --- apps
  // Starts the package's launcher activity (as tapping its icon does).
  void launch(const std::string& package, Deadline deadline = Deadline::after(kShellTimeout));
  // `am start -W -n COMPONENT [extra am arguments]`.
  void start_activity(const std::string& component, const std::vector<std::string>& extra = {},
                      Deadline deadline = Deadline::after(kShellTimeout));
  // `am start -a android.intent.action.VIEW -d URL`.
  void open_url(const std::string& url, Deadline deadline = Deadline::after(kShellTimeout));
  void force_stop(const std::string& package, Deadline deadline = Deadline::after(kShellTimeout));
  void clear_data(const std::string& package, Deadline deadline = Deadline::after(kShellTimeout));
  // Push to /data/local/tmp, `pm install -r -t`, remove the copy.
  void install(const std::string& local_apk, Deadline deadline = Deadline::after(kInstallTimeout));

  // --- logcat
  void logcat_clear(Deadline deadline = Deadline::after(kShellTimeout));
  std::string logcat_dump(Deadline deadline = Deadline::after(kShellTimeout));
  // Streams `logcat -v threadtime` to `path` until the capture is stopped. Clear first for a
  // capture that holds only the step's lines.
  std::unique_ptr<LogcatCapture> capture_logcat(
      const std::string& path, Deadline open_deadline = Deadline::after(kShellTimeout));

 private:
  bool has_feature(const std::string& feature, Deadline deadline);
  void run_input(const std::string& command, const std::string& what, Deadline deadline);
  std::string describe(const std::string& command) const;

  AdbClient& client_;
  std::string serial_;
  std::optional<std::vector<std::string>> features_;
};

}  // namespace uiw::adb
