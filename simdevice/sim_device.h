#pragma once
// The simulated phone: installed fixture apps plus the built-in launcher and browser, the task
// and activity stacks, pop-ups, per-app state, timers, motion, logcat, and the shell commands
// (input, am, pm, monkey, dumpsys, logcat, screencap, uiautomator) that act on them.
//
// Time is evaluated lazily against a steady clock: every query first applies, in order, each
// timed event (delayed action, reappearing pop-up) due before now, so a query at time t sees
// what a phone would show at t. One mutex guards the state; many adb streams may call at once.
#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detectors/ui_tree.h"
#include "simdevice/app_model.h"
#include "simdevice/device_profile.h"
#include "simdevice/logcat_buffer.h"
#include "simdevice/scene.h"
#include "simdevice/shell.h"
#include "simdevice/virtual_fs.h"

namespace uiw::sim {

class SimDevice {
 public:
  SimDevice(DeviceProfile profile, VirtualFs& fs);
  ~SimDevice();
  SimDevice(const SimDevice&) = delete;
  SimDevice& operator=(const SimDevice&) = delete;

  // Loads and installs a fixture app. Throws uiw::Error(kConfig, "FILE:LINE:COL: what is wrong"),
  // also when the package is already installed.
  void install(const std::string& fixture_yaml_path);
  void install(AppModel app);
  // input, am, pm, monkey, dumpsys, logcat, screencap, uiautomator.
  void register_commands(Shell& shell);

  // What the screen shows now.
  Scene scene();
  // Any screen of an installed app alone, on a fresh state at t=0 (countdowns full,
  // visible_after nodes hidden). Throws uiw::Error(kNotFound).
  Scene preview_scene(const std::string& package, const std::string& screen_id);
  // The app's screen ids in file order. Throws uiw::Error(kNotFound) for an unknown package.
  std::vector<std::string> screen_ids(const std::string& package) const;

  // The accelerometer (m/s²); rest is (0, 9.81, 0). Crossing an app's motion threshold while
  // one of its motion screens is on top runs its motion action.
  void set_acceleration(double x, double y, double z);
  std::array<double, 3> acceleration() const;
  const DeviceProfile& profile() const;

  // ---- what the shell commands act on ----
  VirtualFs& fs();
  LogcatBuffer& logcat();

  void tap(int x, int y);
  void long_press(int x, int y);
  // A short move is a tap (or a long press when it lasts ≥ 500 ms); a longer one scrolls the
  // scrollable node under its start, if any.
  void swipe(int x1, int y1, int x2, int y2, int duration_ms);
  // Types into the focused EditText (tap one to focus it); nothing happens without one.
  void input_text(const std::string& text);
  // Android key codes: 3 HOME, 4 BACK, 66 ENTER, 67 DEL, others are accepted and ignored.
  void key_event(int keycode);

  struct Intent {
    std::string action;                   // "" or android.intent.action.*
    std::vector<std::string> categories;  // android.intent.category.*
    std::string data;                     // URL
    std::string component;                // "pkg/.Act" or "pkg/full.Act"; "" to resolve
    int flags = 0x10000000;               // FLAG_ACTIVITY_NEW_TASK, as `am start` sets it
    int caller_uid = 2000;                // 2000: the shell
  };
  struct StartResult {
    bool ok = false;
    bool brought_to_front = false;  // the task was already there; no new activity
    bool cold = false;              // the process had to be started
    std::string component;          // "pkg/.Act" as ActivityRecord prints it
    std::string error;              // "Error type 3\nError: Activity class {…} does not exist."
  };
  StartResult start_activity(const Intent& intent);
  // MAIN/LAUNCHER intent for the package's launcher activity (launcher icon, monkey).
  StartResult launch(const std::string& package, int caller_uid = 2000);
  // False for a package that is not installed.
  bool force_stop(const std::string& package);
  bool clear_data(const std::string& package);
  // Stops the app and removes it with its data; false when it is not installed.
  bool uninstall(const std::string& package);

  struct PackageInfo {
    std::string name;
    std::string path;  // base.apk
    std::string version_name;
    int version_code = 1;
    int uid = 0;
    bool system = false;
    std::string launch_activity;  // full class; empty when none
  };
  std::vector<PackageInfo> packages() const;  // system first, then fixtures in install order
  std::optional<PackageInfo> package_info(const std::string& name) const;

  struct ActivityInfo {
    std::string package;
    std::string class_name;  // full
    std::string record_hash;
    std::string window_hash;
  };
  struct TaskInfo {
    int id = 0;
    std::string package;
    int uid = 0;
    std::vector<ActivityInfo> activities;  // bottom first; back() is the task's top
  };
  std::vector<TaskInfo> tasks() const;  // front (resumed) task first

  // Screen captures, cached while nothing on the screen changes.
  std::shared_ptr<const cv::Mat> screenshot();  // CV_8UC3 BGR
  std::shared_ptr<const std::string> screenshot_png();
  std::shared_ptr<const std::string> screenshot_raw();  // header + RGBA_8888, as screencap
  detectors::UiTree ui_tree();

  // "pkg/.Act" when the class starts with the package, else "pkg/cls".
  static std::string short_component(const std::string& package, const std::string& cls);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace uiw::sim
