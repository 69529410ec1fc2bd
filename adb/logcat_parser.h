#pragma once
// logcat `-v threadtime` lines and the activity START records in them — how the harness proves
// that a tap opened a browser or another app.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uiw::adb {

struct LogLine {
  std::string date;  // "MM-DD"
  std::string time;  // "HH:MM:SS.mmm"
  int pid = 0;
  int tid = 0;
  char level = '?';  // V D I W E F
  std::string tag;
  std::string message;
};

// nullopt for lines that are not threadtime records ("--------- beginning of main").
std::optional<LogLine> parse_threadtime_line(std::string_view line);

struct StartIntent {
  std::string action;     // act=
  std::string data;       // dat= (a URL; Android 10+ may print it redacted as "https://…")
  std::string component;  // cmp= ("com.android.chrome/com.google.android.apps.chrome.Main")
  std::string package;    // pkg=
  std::vector<std::string> categories;
  std::string flags;  // flg=
  std::string type;   // typ=
  std::string time;   // of the log line, "MM-DD HH:MM:SS.mmm"
  std::string raw;    // the whole message
};

// A "START u0 {act=… dat=… cmp=…} from uid N" message of ActivityManager/ActivityTaskManager.
std::optional<StartIntent> parse_start_intent(const LogLine& line);
// Every START intent in logcat text (threadtime lines).
std::vector<StartIntent> parse_start_intents(std::string_view logcat_text);

}  // namespace uiw::adb
