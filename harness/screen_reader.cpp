#include "harness/screen_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <opencv2/core.hpp>
#include <thread>

#include "common/error.h"

namespace uiw::harness {

namespace {

std::chrono::milliseconds device_time(const ScreenCapture& c) {
  return c.screenshot_time + c.dump_time + c.foreground_time;
}

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

bool same_nodes(const std::vector<detectors::UiNode>& a, const std::vector<detectors::UiNode>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto& x = a[i];
    const auto& y = b[i];
    if (x.class_name != y.class_name || x.resource_id != y.resource_id || x.bounds != y.bounds ||
        x.checked != y.checked || x.package != y.package || !same_nodes(x.children, y.children)) {
      return false;
    }
  }
  return true;
}

// Attempts at one screenshot or foreground query before the capture fails.
constexpr int kReadAttempts = 3;

// Runs a device read, again when the device answered with something unusable (a corrupt or cut
// image, a query exiting non-zero): such answers are often one-offs. A lost device or a timeout
// is not retried here. After the last attempt the failure is an infrastructure error (kProtocol:
// the device does not deliver what it must), so the run ends with exit 3, not as an app failure.
template <class F>
auto read_with_retry(const std::string& what, adb::Deadline deadline, F&& read) {
  for (int attempt = 1;; ++attempt) {
    try {
      return read();
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kParse && e.kind() != ErrorKind::kCommandFailed) throw;
      if (attempt >= kReadAttempts || deadline.expired()) {
        throw Error(ErrorKind::kProtocol,
                    fmt::format("{} failed {} times: {}", what, attempt, e.what()));
      }
      std::this_thread::sleep_for(
          std::min(std::chrono::milliseconds(100 * attempt), deadline.left()));
    }
  }
}

}  // namespace

std::string ScreenCapture::activity() const {
  return foreground.resumed_activity ? foreground.resumed_activity->short_form() : std::string();
}

bool same_layout(const detectors::UiTree& a, const detectors::UiTree& b) {
  return a.rotation() == b.rotation() && same_nodes(a.roots(), b.roots());
}

double changed_fraction(const cv::Mat& a, const cv::Mat& b, int tolerance) {
  if (a.empty() || a.size() != b.size() || a.type() != b.type()) return 1.0;
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  cv::Mat over = diff.reshape(1, diff.rows * diff.cols) > tolerance;
  // A pixel counts once however many of its channels changed.
  cv::Mat per_pixel;
  cv::reduce(over, per_pixel, 1, cv::REDUCE_MAX);
  return static_cast<double>(cv::countNonZero(per_pixel)) / (a.rows * a.cols);
}

ScreenReader::ScreenReader(adb::Device& device, int density_dpi)
    : device_(device), density_dpi_(density_dpi) {}

ScreenCapture ScreenReader::capture(adb::Deadline deadline) {
  ScreenCapture c;
  c.frame.density_dpi = density_dpi_;
  // The dump first, then the pixels: what appears between the two is in the pixels and not yet
  // in the tree (a detector then falls back to pixels or sees it next time), never in the tree
  // and not yet drawn, which would have detectors measure an element that is not there.
  auto start = Clock::now();
  try {
    // One attempt: settle captures again anyway, and a screen that cannot be dumped (secure,
    // animating WebView) must not cost three timeouts per look.
    c.tree_xml = device_.ui_hierarchy(deadline.capped(std::chrono::milliseconds(10'000)), 1);
    c.frame.tree = detectors::UiTree::parse(c.tree_xml, "uiautomator dump");
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kDeviceOffline) throw;
    c.tree_xml.clear();
    c.frame.tree.reset();
    c.tree_error = e.what();
  }
  c.dump_time = since(start);

  start = Clock::now();
  c.frame.image = read_with_retry("screenshot of " + device_.serial(), deadline,
                                  [&] { return device_.screenshot(deadline); });
  c.screenshot_time = since(start);
  c.taken = Clock::now();

  start = Clock::now();
  c.foreground = read_with_retry("foreground query on " + device_.serial(), deadline,
                                 [&] { return device_.foreground(deadline); });
  c.foreground_time = since(start);
  return c;
}

SettleResult ScreenReader::settle(const SettleOptions& options, adb::Deadline deadline) {
  const auto start = Clock::now();
  const adb::Deadline limit = deadline.capped(options.ceiling);
  SettleResult result;
  result.capture = capture(deadline);
  result.captures = 1;
  result.device_time = device_time(result.capture);
  int agreeing = 1;
  while (agreeing < options.stable_captures) {
    if (limit.left() < options.interval) break;
    std::this_thread::sleep_for(options.interval);
    ScreenCapture next = capture(deadline);
    ++result.captures;
    result.device_time += device_time(next);
    const bool layout_same =
        next.frame.has_tree() == result.capture.frame.has_tree() &&
        (!next.frame.has_tree() || same_layout(*next.frame.tree, *result.capture.frame.tree));
    const bool pixels_same = changed_fraction(next.frame.image, result.capture.frame.image,
                                              options.pixel_tolerance) <= options.changed_fraction;
    const bool same_activity = next.activity() == result.capture.activity();
    agreeing = layout_same && pixels_same && same_activity ? agreeing + 1 : 1;
    result.capture = std::move(next);
  }
  result.settled = agreeing >= options.stable_captures;
  result.elapsed = since(start);
  return result;
}

}  // namespace uiw::harness
