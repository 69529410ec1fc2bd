#pragma once
// One look at a device: screenshot, hierarchy and resumed activity taken together, and the
// settle loop that decides when a screen has stopped moving. Settling never waits for "idle"
// (uiautomator's idle wait is what stalls other tools on screens that animate forever): it
// compares successive captures and gives up at a ceiling, saying so.
#include <chrono>
#include <optional>
#include <string>

#include "adb/device.h"
#include "detectors/frame.h"

namespace uiw::harness {

struct ScreenCapture {
  detectors::Frame frame;
  std::string tree_xml;    // as dumped; empty when the dump failed (the frame has no tree then)
  std::string tree_error;  // why there is no tree
  adb::ForegroundState foreground;
  std::chrono::steady_clock::time_point taken;
  std::chrono::milliseconds screenshot_time{0};
  std::chrono::milliseconds dump_time{0};
  std::chrono::milliseconds foreground_time{0};

  // "com.pkg/.Main" or "" when nothing is resumed.
  std::string activity() const;
};

struct SettleOptions {
  std::chrono::milliseconds ceiling{3000};  // give up and use the last capture
  std::chrono::milliseconds interval{120};  // between captures
  // Pixels whose channels differ by more than `pixel_tolerance` count as changed; a frame is
  // stable when at most `changed_fraction` of the screen changed (a ticking countdown or a
  // blinking cursor is not movement).
  int pixel_tolerance = 24;
  double changed_fraction = 0.004;
  int stable_captures = 2;  // consecutive equal captures needed
};

struct SettleResult {
  ScreenCapture capture;
  bool settled = false;  // false: the ceiling was reached
  int captures = 0;
  std::chrono::milliseconds elapsed{0};
  std::chrono::milliseconds device_time{0};  // of `elapsed`, spent in device calls
};

class ScreenReader {
 public:
  ScreenReader(adb::Device& device, int density_dpi);

  // Screenshot, hierarchy and foreground now. A failed dump leaves the capture tree-less (a
  // WebView-only or secure screen), never fails the capture. A corrupt screenshot or a failing
  // foreground query is tried up to 3 times, then throws kProtocol (an infrastructure error).
  ScreenCapture capture(adb::Deadline deadline);
  // Captures until two in a row agree (same layout in the tree, frame within tolerance) or the
  // ceiling passes.
  SettleResult settle(const SettleOptions& options, adb::Deadline deadline);

  adb::Device& device() { return device_; }
  int density_dpi() const { return density_dpi_; }

 private:
  adb::Device& device_;
  int density_dpi_;
};

// Same layout: the same nodes (class, id, bounds, checked) in the same order. Text is left out
// so a countdown or a clock does not count as movement.
bool same_layout(const detectors::UiTree& a, const detectors::UiTree& b);
// The fraction of pixels that differ by more than `tolerance` in any channel (1 when the sizes
// differ).
double changed_fraction(const cv::Mat& a, const cv::Mat& b, int tolerance);

}  // namespace uiw::harness
