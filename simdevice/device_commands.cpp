#include "simdevice/device_commands.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <map>
#include <optional>

#include "common/error.h"
#include "simdevice/builtin_apps.h"
#include "simdevice/fixture_loader.h"
#include "simdevice/sim_device.h"

namespace uiw::sim {
namespace {

using Args = std::vector<std::string>;

std::optional<int> to_int(const std::string& text) {
  // `input` accepts floats ("540.5") and truncates, as Android's does.
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used != text.size()) return std::nullopt;
    return static_cast<int>(v);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// ---------------------------------------------------------------- input

constexpr const char* kInputUsage =
    "Usage: input [<source>] [-d DISPLAY_ID] <command> [<arg>...]\n"
    "\n"
    "The sources are:\n"
    "      dpad\n      keyboard\n      mouse\n      touchpad\n      gamepad\n"
    "      touchnavigation\n      joystick\n      touchscreen\n      stylus\n      trackball\n"
    "\n"
    "-d: specify the display ID.\n"
    "      (Default: -1 for key event, 0 for motion event if not specified.)\n"
    "The commands and default sources are:\n"
    "      text <string> (Default: keyboard)\n"
    "      keyevent [--longpress|--duration <duration to hold key down in ms>] [--doubletap] "
    "<key code number or name> ... (Default: keyboard)\n"
    "      tap <x> <y> (Default: touchscreen)\n"
    "      swipe <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)\n"
    "      draganddrop <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)\n"
    "      press (Default: trackball)\n"
    "      roll <dx> <dy> (Default: trackball)\n";

std::optional<int> keycode(std::string name) {
  static const std::map<std::string, int> codes = {{"HOME", 3},         {"BACK", 4},
                                                   {"CALL", 5},         {"ENDCALL", 6},
                                                   {"STAR", 17},        {"POUND", 18},
                                                   {"DPAD_UP", 19},     {"DPAD_DOWN", 20},
                                                   {"DPAD_LEFT", 21},   {"DPAD_RIGHT", 22},
                                                   {"DPAD_CENTER", 23}, {"VOLUME_UP", 24},
                                                   {"VOLUME_DOWN", 25}, {"POWER", 26},
                                                   {"CAMERA", 27},      {"CLEAR", 28},
                                                   {"COMMA", 55},       {"PERIOD", 56},
                                                   {"TAB", 61},         {"SPACE", 62},
                                                   {"ENTER", 66},       {"DEL", 67},
                                                   {"MENU", 82},        {"NOTIFICATION", 83},
                                                   {"SEARCH", 84},      {"MEDIA_PLAY_PAUSE", 85},
                                                   {"PAGE_UP", 92},     {"PAGE_DOWN", 93},
                                                   {"ESCAPE", 111},     {"FORWARD_DEL", 112},
                                                   {"MOVE_HOME", 122},  {"MOVE_END", 123},
                                                   {"APP_SWITCH", 187}, {"SLEEP", 223},
                                                   {"WAKEUP", 224}};
  if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) return std::stoi(name);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (starts_with(name, "KEYCODE_")) name = name.substr(8);
  if (auto it = codes.find(name); it != codes.end()) return it->second;
  if (name.size() == 1 && name[0] >= 'A' && name[0] <= 'Z') return 29 + (name[0] - 'A');
  if (name.size() == 1 && name[0] >= '0' && name[0] <= '9') return 7 + (name[0] - '0');
  return std::nullopt;
}

// Keys that type a character into the focused field.
std::string key_char(int code) {
  if (code >= 7 && code <= 16) return std::string(1, static_cast<char>('0' + code - 7));
  if (code >= 29 && code <= 54) return std::string(1, static_cast<char>('a' + code - 29));
  if (code == 62) return " ";
  if (code == 55) return ",";
  if (code == 56) return ".";
  return "";
}

int cmd_input(SimDevice& device, const Args& argv, ShellIo& io) {
  static const char* sources[] = {"dpad",    "keyboard",        "mouse",        "touchpad",
                                  "gamepad", "touchnavigation", "joystick",     "touchscreen",
                                  "stylus",  "trackball",       "rotaryencoder"};
  size_t i = 1;
  while (i < argv.size()) {
    bool skipped = false;
    for (const char* s : sources)
      if (argv[i] == s) skipped = true;
    if (argv[i] == "-d" && i + 1 < argv.size()) {
      i += 2;
      continue;
    }
    if (!skipped) break;
    ++i;
  }
  if (i >= argv.size()) {
    io.write_err(kInputUsage);
    return 1;
  }
  const std::string& sub = argv[i];
  Args args(argv.begin() + static_cast<long>(i) + 1, argv.end());
  auto invalid = [&]() {
    io.write_err(fmt::format("Error: Invalid arguments for command: {}\n{}", sub, kInputUsage));
    return 1;
  };
  if (sub == "tap") {
    if (args.size() != 2) return invalid();
    auto x = to_int(args[0]), y = to_int(args[1]);
    if (!x || !y) return invalid();
    device.tap(*x, *y);
    return 0;
  }
  if (sub == "swipe" || sub == "draganddrop") {
    if (args.size() != 4 && args.size() != 5) return invalid();
    std::optional<int> v[5] = {to_int(args[0]), to_int(args[1]), to_int(args[2]), to_int(args[3]),
                               args.size() == 5 ? to_int(args[4]) : std::optional<int>(300)};
    for (const auto& n : v)
      if (!n) return invalid();
    // The gesture takes as long as it says, as on a phone.
    if (*v[4] > 0) io.sleep_for(std::chrono::milliseconds(std::min(*v[4], 5000)));
    device.swipe(*v[0], *v[1], *v[2], *v[3], *v[4]);
    return 0;
  }
  if (sub == "text") {
    if (args.empty()) return invalid();
    std::string text;
    for (size_t k = 0; k < args.size(); ++k) text += (k ? " " : "") + args[k];
    // Android's `input text` turns %s into a space (adb users escape spaces that way).
    std::string decoded;
    for (size_t k = 0; k < text.size(); ++k) {
      if (text[k] == '%' && k + 1 < text.size() && text[k + 1] == 's') {
        decoded += ' ';
        ++k;
      } else {
        decoded += text[k];
      }
    }
    device.input_text(decoded);
    return 0;
  }
  if (sub == "keyevent") {
    std::vector<int> codes;
    for (const std::string& a : args) {
      if (starts_with(a, "--")) continue;  // --longpress, --doubletap: same effect here
      auto code = keycode(a);
      if (!code) {
        io.write_err(fmt::format("Error: Unknown keycode: {}\n", a));
        return 1;
      }
      codes.push_back(*code);
    }
    if (codes.empty()) return invalid();
    for (int code : codes) {
      if (std::string c = key_char(code); !c.empty()) {
        device.input_text(c);
      } else {
        device.key_event(code);
      }
    }
    return 0;
  }
  if (sub == "press" || sub == "roll" || sub == "motionevent" || sub == "keycombination") return 0;
  io.write_err(fmt::format("Error: Unknown command: {}\n{}", sub, kInputUsage));
  return 1;
}

// ---------------------------------------------------------------- am

std::string intent_text(const SimDevice::Intent& in, const std::string& typed_component) {
  std::string parts;
  auto add = [&](const std::string& p) { parts += p + " "; };
  if (!in.action.empty()) add("act=" + in.action);
  if (!in.categories.empty()) {
    std::string cats;
    for (const auto& c : in.categories) cats += (cats.empty() ? "" : ",") + c;
    add("cat=[" + cats + "]");
  }
  if (!in.data.empty()) add("dat=" + in.data);
  if (!typed_component.empty()) add("cmp=" + typed_component);
  return "Intent { " + parts + "}";
}

int cmd_am(SimDevice& device, const Args& argv, ShellIo& io) {
  if (argv.size() < 2) {
    io.write_out(
        "Activity manager (activity) commands:\n  help\n      Print this help text.\n"
        "  start [-D] [-N] [-W] [-P <FILE>] [--start-profiler <FILE>] [-S] <INTENT>\n"
        "      Start an Activity.\n  force-stop [--user <USER_ID> | all | current] <PACKAGE>\n"
        "      Completely stop the given application package.\n");
    return 0;
  }
  const std::string& sub = argv[1];
  if (sub == "force-stop" || sub == "kill") {
    std::string pkg;
    for (size_t i = 2; i < argv.size(); ++i) {
      if (argv[i] == "--user") {
        ++i;
        continue;
      }
      pkg = argv[i];
    }
    if (pkg.empty()) {
      io.write_err("Error: no package specified\n");
      return 1;
    }
    if (sub == "force-stop") device.force_stop(pkg);
    return 0;
  }
  if (sub == "start" || sub == "start-activity") {
    SimDevice::Intent intent;
    intent.action.clear();
    bool wait = false, stop_first = false;
    std::string component;
    for (size_t i = 2; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      auto next = [&]() -> std::string { return i + 1 < argv.size() ? argv[++i] : ""; };
      if (a == "-W") {
        wait = true;
      } else if (a == "-S") {
        stop_first = true;
      } else if (a == "-D" || a == "-N" || a == "--activity-clear-top" ||
                 a == "--activity-single-top" || a == "--activity-new-task" ||
                 a == "--activity-clear-task" || a == "--activity-no-history" ||
                 a == "--activity-reorder-to-front") {
      } else if (a == "-n") {
        component = next();
      } else if (a == "-a") {
        intent.action = next();
      } else if (a == "-d") {
        intent.data = next();
      } else if (a == "-c") {
        intent.categories.push_back(next());
      } else if (a == "-f") {
        std::string f = next();
        intent.flags = static_cast<int>(std::stoul(f, nullptr, 0));
      } else if (a == "--user" || a == "-t" || a == "-p" || a == "--esn" || a == "-P" ||
                 a == "--start-profiler" || a == "--display" || a == "--windowingMode" ||
                 a == "--activityType") {
        next();
      } else if (a == "-e" || a == "--es" || a == "--ez" || a == "--ei" || a == "--el" ||
                 a == "--ef" || a == "--eu" || a == "--ecn" || a == "--eia" || a == "--esa") {
        next();
        next();
      } else if (!starts_with(a, "-") && component.empty() && intent.data.empty()) {
        // A bare argument is a URI or a component, as am accepts both.
        if (a.find("://") != std::string::npos || a.find(':') != std::string::npos) {
          intent.data = a;
        } else {
          component = a;
        }
      } else {
        io.write_err(fmt::format("Error: Unknown option: {}\n", a));
        return 1;
      }
    }
    intent.component = component;
    if (component.empty() && intent.data.empty() && intent.action.empty()) {
      io.write_err("Error: No intent supplied\n");
      return 1;
    }
    if (stop_first && !component.empty())
      device.force_stop(component.substr(0, component.find('/')));
    io.write_out("Starting: " + intent_text(intent, component) + "\n");
    SimDevice::StartResult r = device.start_activity(intent);
    if (!r.ok) {
      io.write_err(r.error + "\n");
      return 1;
    }
    if (r.brought_to_front)
      io.write_out(
          "Warning: Activity not started, its current task has been brought to the "
          "front\n");
    if (wait) {
      io.write_out(fmt::format(
          "Status: ok\nLaunchState: {}\nActivity: {}\nTotalTime: {}\nWaitTime: {}\nComplete\n",
          r.cold               ? "COLD"
          : r.brought_to_front ? "HOT"
                               : "WARM",
          r.component, r.cold ? 412 : 168, r.cold ? 430 : 175));
    }
    return 0;
  }
  if (sub == "broadcast") {
    io.write_out("Broadcasting: Intent { flg=0x400000 }\nBroadcast completed: result=0\n");
    return 0;
  }
  io.write_err(fmt::format("Unknown command: {}\n", sub));
  return 1;
}

// ---------------------------------------------------------------- pm

// The simulator's APK is a fixture app: `adb push app.yaml /data/local/tmp/` then
// `pm install /data/local/tmp/app.yaml` installs it (replacing an installed version, as
// Android's default -r does), so install-by-push flows run unchanged.
int pm_install(SimDevice& device, const Args& argv, ShellIo& io) {
  std::string path;
  for (size_t i = 2; i < argv.size(); ++i)
    if (!starts_with(argv[i], "-")) path = argv[i];
  if (path.empty()) {
    io.write_err("Error: no package specified\n");
    return 1;
  }
  std::shared_ptr<const std::string> apk = device.fs().read(path);
  if (!apk) {
    io.write_err(
        fmt::format("Error: Unable to open file: {}\nConsider using a file under "
                    "/data/local/tmp/\n",
                    path));
    return 1;
  }
  try {
    AppModel app = FixtureLoader::load_text(*apk, path, "/");
    device.uninstall(app.package);
    device.install(std::move(app));
  } catch (const Error& e) {
    io.write_out(fmt::format("Failure [INSTALL_PARSE_FAILED_NOT_APK: {}]\n", e.what()));
    return 1;
  }
  io.write_out("Success\n");
  return 0;
}

int cmd_pm(SimDevice& device, const Args& argv, ShellIo& io) {
  if (argv.size() < 2) {
    io.write_out(
        "Package manager (package) commands:\n  list packages [-f] [-d] [-e] [-s] [-3] "
        "[-U] [FILTER]\n  path PACKAGE\n  clear PACKAGE\n  install [-r] [-t] [-g] PATH\n  "
        "uninstall PACKAGE\n");
    return 0;
  }
  const std::string& sub = argv[1];
  if (sub == "list" && argv.size() >= 3 && (argv[2] == "packages" || argv[2] == "package")) {
    bool third = false, system = false, files = false, uids = false;
    std::string filter;
    for (size_t i = 3; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (a == "-3") {
        third = true;
      } else if (a == "-s") {
        system = true;
      } else if (a == "-f") {
        files = true;
      } else if (a == "-U") {
        uids = true;
      } else if (a == "--user") {
        ++i;
      } else if (!starts_with(a, "-")) {
        filter = a;
      }
    }
    std::string out;
    for (const auto& p : device.packages()) {
      if ((third && p.system) || (system && !p.system)) continue;
      if (!filter.empty() && p.name.find(filter) == std::string::npos) continue;
      out += "package:";
      if (files) out += p.path + "=";
      out += p.name;
      if (uids) out += fmt::format(" uid:{}", p.uid);
      out += "\n";
    }
    io.write_out(out);
    return 0;
  }
  if (sub == "path") {
    if (argv.size() < 3) {
      io.write_err("Error: no package specified\n");
      return 1;
    }
    auto p = device.package_info(argv.back());
    if (!p) return 1;
    io.write_out("package:" + p->path + "\n");
    return 0;
  }
  if (sub == "clear") {
    if (argv.size() < 3) {
      io.write_err("Error: no package specified\n");
      return 1;
    }
    if (!device.clear_data(argv.back())) {
      io.write_out("Failed\n");
      return 1;
    }
    io.write_out("Success\n");
    return 0;
  }
  if (sub == "install") return pm_install(device, argv, io);
  if (sub == "uninstall") {
    if (argv.size() < 3) {
      io.write_err("Error: package name not specified\n");
      return 1;
    }
    bool removed = device.uninstall(argv.back());
    io.write_out(removed ? "Success\n" : "Failure [DELETE_FAILED_INTERNAL_ERROR]\n");
    return removed ? 0 : 1;
  }
  io.write_err(fmt::format("Unknown command: {}\n", sub));
  return 1;
}

// ---------------------------------------------------------------- monkey

int cmd_monkey(SimDevice& device, const Args& argv, ShellIo& io) {
  std::string out;
  for (size_t i = 1; i < argv.size(); ++i) out += "  bash arg: " + argv[i] + "\n";
  std::string list;
  for (size_t i = 1; i < argv.size(); ++i) list += (i > 1 ? ", " : "") + argv[i];
  out += "args: [" + list + "]\n";
  for (size_t i = 1; i < argv.size(); ++i) out += " arg: \"" + argv[i] + "\"\n";
  std::vector<std::string> packages;
  long count = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-p" && i + 1 < argv.size()) {
      packages.push_back(argv[++i]);
      out += "data=\"" + packages.back() + "\"\n";
    } else if ((a == "-c" || a == "-s" || a == "--throttle" || a == "--pct-touch" ||
                a == "--pct-motion" || a == "--pct-syskeys" || a == "--pct-appswitch") &&
               i + 1 < argv.size()) {
      out += "data=\"" + argv[++i] + "\"\n";
    } else if (!starts_with(a, "-")) {
      count = std::atol(a.c_str());
    }
  }
  io.write_out(out);
  std::string target;
  for (const std::string& p : packages) {
    auto info = device.package_info(p);
    if (info && !info->launch_activity.empty()) {
      target = p;
      break;
    }
  }
  if (target.empty() || count < 1) {
    // AOSP's Monkey prints this on stdout and exits with run()'s -3.
    io.write_out("** No activities found to run, monkey aborted.\n");
    return 253;
  }
  device.launch(target);
  io.write_out(
      "Events injected: 1\n## Network stats: elapsed time=21ms (0ms mobile, 0ms wifi, "
      "21ms not connected)\n");
  return 0;
}

// ---------------------------------------------------------------- dumpsys

std::string record_text(const SimDevice::ActivityInfo& a, int task_id) {
  return fmt::format("ActivityRecord{{{} u0 {} t{}}}", a.record_hash,
                     SimDevice::short_component(a.package, a.class_name), task_id);
}

std::string dump_activities(SimDevice& device) {
  const auto tasks = device.tasks();
  const int sdk = device.profile().sdk;
  std::string out =
      "ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)\n"
      "Display #0 (activities from top to bottom):\n";
  for (size_t ti = 0; ti < tasks.size(); ++ti) {
    const auto& t = tasks[ti];
    bool home = t.package == kLauncherPackage;
    out += fmt::format(
        "  * Task{{{} #{} type={} A={}:{} U=0 visible={} visibleRequested={} mode=fullscreen "
        "translucent=false sz={}}}\n",
        t.activities.front().window_hash, t.id, home ? "home" : "standard", t.uid, t.package,
        ti == 0 ? "true" : "false", ti == 0 ? "true" : "false", t.activities.size());
    if (ti == 0 && sdk >= 30)
      out += "    topResumedActivity=" + record_text(t.activities.back(), t.id) + "\n";
    for (size_t k = t.activities.size(); k-- > 0;) {
      const auto& a = t.activities[k];
      out += fmt::format("    * Hist  #{}: {}\n", k, record_text(a, t.id));
      out += fmt::format("      packageName={} processName={}\n", a.package, a.package);
      out += fmt::format(
          "      launchedFromUid=2000 launchedFromPackage=com.android.shell "
          "userId=0\n");
      out += fmt::format("      intent={{flg=0x10000000 cmp={}}}\n",
                         SimDevice::short_component(a.package, a.class_name));
      out += fmt::format("      state={}\n",
                         ti == 0 && k + 1 == t.activities.size() ? "RESUMED" : "STOPPED");
    }
    out += "\n";
  }
  if (!tasks.empty()) {
    const auto& top = tasks.front();
    std::string rec = record_text(top.activities.back(), top.id);
    if (sdk >= 30) {
      out += "  ResumedActivity: " + rec + "\n";
      out += "  topResumedActivity=" + rec + "\n";
    } else {
      out += "  mResumedActivity: " + rec + "\n";
    }
    out += "  mFocusedRootTask=Task{" + top.activities.back().window_hash + " #" +
           std::to_string(top.id) + "}\n";
  }
  out += "  mCurrentUser=0\n";
  return out;
}

std::string dump_windows(SimDevice& device) {
  const auto tasks = device.tasks();
  std::string out = "WINDOW MANAGER WINDOWS (dumpsys window windows)\n";
  out +=
      "  Window #0 Window{4f2a1b3 u0 NavigationBar0}:\n"
      "    mDisplayId=0 rootTaskId=1 mSession=Session{8c1e2d0 1052:u0a10080} "
      "mClient=android.os.BinderProxy@3a1b2c4\n"
      "    mOwnerUid=10080 showForAllUsers=true package=com.android.systemui appop=NONE\n";
  out +=
      "  Window #1 Window{7d3e4f5 u0 StatusBar}:\n"
      "    mDisplayId=0 rootTaskId=1 mSession=Session{8c1e2d0 1052:u0a10080} "
      "mClient=android.os.BinderProxy@5c6d7e8\n"
      "    mOwnerUid=10080 showForAllUsers=true package=com.android.systemui appop=NONE\n";
  int n = 2;
  for (const auto& t : tasks)
    for (size_t k = t.activities.size(); k-- > 0;) {
      const auto& a = t.activities[k];
      out += fmt::format("  Window #{} Window{{{} u0 {}/{}}}:\n", n++, a.window_hash, a.package,
                         a.class_name);
      out += fmt::format("    mDisplayId=0 rootTaskId={} mOwnerUid={} package={} appop=NONE\n",
                         t.id, t.uid, a.package);
    }
  out +=
      "\n  mGlobalConfiguration={1.0 ?mcc?mnc [en_US] ldltr sw411dp w411dp h914dp 420dpi "
      "nrml long port finger -keyb/v/h -nav/h winConfig={ mBounds=Rect(0, 0 - 1080, 2400)}}\n";
  out += "  mHasPermanentDpad=false\n  mTopFocusedDisplayId=0\n";
  if (!tasks.empty()) {
    const auto& top = tasks.front();
    const auto& a = top.activities.back();
    out += fmt::format("  mCurrentFocus=Window{{{} u0 {}/{}}}\n", a.window_hash, a.package,
                       a.class_name);
    out += "  mFocusedApp=" + record_text(a, top.id) + "\n";
  }
  return out;
}

std::string dump_package(SimDevice& device, const std::string& name) {
  auto p = device.package_info(name);
  std::string out = "Activity Resolver Table:\n  Non-Data Actions:\n";
  if (!p) return out + "\nPackages:\n";
  if (!p->launch_activity.empty())
    out += fmt::format(
        "      android.intent.action.MAIN:\n        3c2d1e0 {} filter 9a8b7c6\n"
        "          Action: \"android.intent.action.MAIN\"\n"
        "          Category: \"android.intent.category.LAUNCHER\"\n",
        SimDevice::short_component(p->name, p->launch_activity));
  std::string code_path = p->path.substr(0, p->path.rfind('/'));
  out += fmt::format(
      "\nPackages:\n"
      "  Package [{0}] (5e4f3a2):\n"
      "    userId={1}\n"
      "    pkg=Package{{6b5c4d3 {0}}}\n"
      "    codePath={2}\n"
      "    resourcePath={2}\n"
      "    legacyNativeLibraryDir={2}/lib\n"
      "    primaryCpuAbi=null\n"
      "    secondaryCpuAbi=null\n"
      "    versionCode={3} minSdk=21 targetSdk={5}\n"
      "    versionName={4}\n"
      "    flags=[ {6}HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]\n"
      "    timeStamp=2024-01-01 12:00:00\n"
      "    firstInstallTime=2024-01-01 12:00:00\n"
      "    lastUpdateTime=2024-01-01 12:00:00\n"
      "    installerPackageName={7}\n"
      "    User 0: ceDataInode=131074 installed=true hidden=false suspended=false stopped=false "
      "notLaunched=false enabled=0 instant=false virtual=false\n",
      p->name, p->uid, code_path, p->version_code, p->version_name, device.profile().sdk,
      p->system ? "SYSTEM " : "", p->system ? "null" : "com.android.shell");
  return out;
}

int cmd_dumpsys(SimDevice& device, const Args& argv, ShellIo& io) {
  if (argv.size() < 2) {
    io.write_out("Currently running services:\n  activity\n  package\n  window\n");
    return 0;
  }
  const std::string& service = argv[1];
  std::string what = argv.size() > 2 ? argv[2] : "";
  if (service == "activity") {
    if (what.empty() || what == "activities" || what == "a" || what == "top" || what == "recents" ||
        what == "r") {
      io.write_out(dump_activities(device));
      return 0;
    }
    io.write_out(fmt::format("Bad activity command, or no activities match: {}\n", what));
    return 0;
  }
  if (service == "window") {
    io.write_out(dump_windows(device));
    return 0;
  }
  if (service == "package") {
    if (what.empty()) {
      io.write_out(dump_package(device, kLauncherPackage));
      return 0;
    }
    io.write_out(dump_package(device, what));
    return 0;
  }
  io.write_err(fmt::format("Can't find service: {}\n", service));
  return 0;
}

// ---------------------------------------------------------------- logcat

int cmd_logcat(SimDevice& device, const Args& argv, ShellIo& io) {
  LogcatBuffer& log = device.logcat();
  bool dump = false;
  LogFormat format = LogFormat::kThreadtime;
  LogFilter filter;
  std::optional<size_t> tail;
  std::optional<int> pid;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 < argv.size()) return argv[++i];
      return std::nullopt;
    };
    if (a == "-d") {
      dump = true;
    } else if (a == "-c") {
      log.clear();
      return 0;
    } else if (a == "-s") {
      filter.set_default_level('S');
    } else if (a == "-v" || starts_with(a, "-v")) {
      std::string f = a == "-v" ? value().value_or("") : a.substr(2);
      static const std::map<std::string, LogFormat> formats = {
          {"threadtime", LogFormat::kThreadtime},
          {"brief", LogFormat::kBrief},
          {"time", LogFormat::kTime},
          {"tag", LogFormat::kTag},
          {"process", LogFormat::kProcess},
          {"raw", LogFormat::kRaw},
          {"long", LogFormat::kThreadtime},
          {"color", LogFormat::kThreadtime},
          {"epoch", LogFormat::kThreadtime},
          {"uid", LogFormat::kThreadtime},
          {"printable", LogFormat::kThreadtime},
          {"year", LogFormat::kThreadtime}};
      auto it = formats.find(f);
      if (it == formats.end()) {
        io.write_err(fmt::format("logcat: Invalid parameter \"{}\" to -v.\n", f));
        return 1;
      }
      // Modifiers (color, epoch, …) keep the format chosen so far.
      if (f == "threadtime" || f == "brief" || f == "time" || f == "tag" || f == "process" ||
          f == "raw")
        format = it->second;
    } else if (a == "-t" || a == "-T") {
      auto v = value();
      auto n = v ? to_int(*v) : std::nullopt;
      if (!n || *n < 0) {
        io.write_err("logcat: -t/-T needs a line count.\n");
        return 1;
      }
      tail = static_cast<size_t>(*n);
      if (a == "-t") dump = true;
    } else if (a == "-b" || a == "-f" || a == "-r" || a == "-n" || a == "-e" || a == "-m") {
      value();
    } else if (starts_with(a, "--pid=")) {
      pid = to_int(a.substr(6));
    } else if (a == "--pid") {
      if (auto v = value()) pid = to_int(*v);
    } else if (a == "-g") {
      io.write_out(
          "main: ring buffer is 256 KiB (207 KiB consumed), max entry is 5120 B, max "
          "payload is 4068 B\n");
      return 0;
    } else if (starts_with(a, "-")) {
      io.write_err(fmt::format("logcat: unknown option '{}'\n", a));
      return 1;
    } else if (!filter.add_spec(a)) {
      io.write_err(fmt::format("logcat: Invalid filter expression '{}'\n", a));
      return 1;
    }
  }
  auto accept = [&](const LogEntry& e) { return filter.accepts(e) && (!pid || e.pid == *pid); };

  std::vector<LogEntry> first;
  for (LogEntry& e : log.since(0))
    if (accept(e)) first.push_back(std::move(e));
  uint64_t last = log.last_seq();
  if (tail && first.size() > *tail)
    first.erase(first.begin(), first.end() - static_cast<long>(*tail));
  std::string out;
  if (!first.empty()) out += "--------- beginning of main\n";
  for (const LogEntry& e : first) out += LogcatBuffer::format(e, format);
  if (!out.empty() && !io.write_out(out)) return 0;
  if (dump) return 0;
  // Follow until the client goes. The transport sends buffered output when a command sleeps,
  // so a zero sleep after each batch pushes it to the client at once.
  if (!io.sleep_for(std::chrono::milliseconds(0))) return 0;
  while (!io.cancelled()) {
    if (!log.wait_for_new(last, std::chrono::milliseconds(100))) continue;
    std::string chunk;
    for (const LogEntry& e : log.since(last)) {
      last = std::max(last, e.seq);
      if (accept(e)) chunk += LogcatBuffer::format(e, format);
    }
    if (!chunk.empty() && !io.write_out(chunk)) break;
    if (!io.sleep_for(std::chrono::milliseconds(0))) break;
  }
  return 0;
}

// ---------------------------------------------------------------- screencap, uiautomator

int cmd_screencap(SimDevice& device, const Args& argv, ShellIo& io) {
  bool png = false;
  std::string file;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-p") {
      png = true;
    } else if (a == "-d" || a == "-a") {
      ++i;
    } else if (a == "-h") {
      io.write_err(
          "usage: screencap [-hp] [-d display-id] [FILENAME]\n"
          "   -h: this message\n"
          "   -p: save the file as a png.\n"
          "   -d: specify the physical display ID to capture (default: 0)\n"
          "If FILENAME ends with .png it will be saved as a png.\n"
          "If FILENAME is not given, the results will be printed to stdout.\n");
      return 0;
    } else if (starts_with(a, "-")) {
      io.write_err(fmt::format("screencap: invalid option -- '{}'\n", a.substr(1)));
      return 1;
    } else {
      file = a;
    }
  }
  if (file.size() > 4 && file.compare(file.size() - 4, 4, ".png") == 0) png = true;
  std::shared_ptr<const std::string> bytes =
      png ? device.screenshot_png() : device.screenshot_raw();
  if (file.empty()) {
    io.write_out(*bytes);
    return 0;
  }
  if (!device.fs().write(file, *bytes)) {
    io.write_err(fmt::format("Error opening file: {} (No such file or directory)\n", file));
    return 1;
  }
  return 0;
}

int cmd_uiautomator(SimDevice& device, const Args& argv, ShellIo& io) {
  if (argv.size() < 2 || argv[1] != "dump") {
    io.write_err(
        "Usage: uiautomator <subcommand> [options]\n\nAvailable subcommands:\n\n"
        "help: displays help message\n\n"
        "runtest: executes UI automation tests\n\n"
        "dump: creates an XML dump of current UI hierarchy\n"
        "    dump [--verbose][file]\n"
        "      [--compressed]: dumps compressed layout information.\n"
        "      [file]: the location where the dumped XML should be stored, default is\n"
        "      /sdcard/window_dump.xml\n\n"
        "events: prints out accessibility events until terminated\n");
    return argv.size() >= 2 && argv[1] == "help" ? 0 : 1;
  }
  std::string path = "/sdcard/window_dump.xml";
  for (size_t i = 2; i < argv.size(); ++i)
    if (!starts_with(argv[i], "--")) path = argv[i];
  std::string xml = device.ui_tree().to_xml();
  if (path == "/dev/tty" || path == "/dev/stdout") {
    // A real device prints the XML and the message on one line.
    io.write_out(xml + "UI hierchary dumped to: " + path + "\n");
    return 0;
  }
  if (!device.fs().write(path, xml)) {
    io.write_err(fmt::format("ERROR: could not write {}\n", path));
    return 1;
  }
  io.write_out("UI hierchary dumped to: " + path + "\n");
  return 0;
}

}  // namespace

void register_device_commands(SimDevice& device, Shell& shell) {
  auto bind = [&device](int (*fn)(SimDevice&, const Args&, ShellIo&)) {
    return [&device, fn](const Args& argv, ShellIo& io) { return fn(device, argv, io); };
  };
  shell.add("input", bind(cmd_input));
  shell.add("am", bind(cmd_am));
  shell.add("pm", bind(cmd_pm));
  shell.add("monkey", bind(cmd_monkey));
  shell.add("dumpsys", bind(cmd_dumpsys));
  shell.add("logcat", bind(cmd_logcat));
  shell.add("screencap", bind(cmd_screencap));
  shell.add("uiautomator", bind(cmd_uiautomator));
  // `cmd package …` / `cmd activity …` are the modern spellings of pm / am.
  shell.add("cmd", [&device](const Args& argv, ShellIo& io) {
    if (argv.size() >= 2 && (argv[1] == "package" || argv[1] == "activity")) {
      Args rest(argv.begin() + 1, argv.end());
      rest[0] = argv[1] == "package" ? "pm" : "am";
      return argv[1] == "package" ? cmd_pm(device, rest, io) : cmd_am(device, rest, io);
    }
    io.write_err(fmt::format("cmd: Can't find service: {}\n", argv.size() > 1 ? argv[1] : ""));
    return 20;
  });
}

}  // namespace uiw::sim
