#pragma once
// Deadline: the point in time by which a device call must have finished. Every blocking call in
// uiw::adb takes one, so a dead device or a hung adb server is an error, never a hang.
#include <algorithm>
#include <chrono>

namespace uiw::adb {

using namespace std::chrono_literals;

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  static Deadline after(std::chrono::milliseconds timeout) {
    return Deadline(Clock::now() + timeout, timeout);
  }

  Clock::time_point at() const { return at_; }
  // The timeout this deadline was made with, for messages ("timed out after 5000 ms").
  std::chrono::milliseconds budget() const { return budget_; }
  bool expired() const { return Clock::now() >= at_; }
  std::chrono::milliseconds left() const {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now()));
  }
  // Milliseconds for poll(2): rounds up so a last fraction of a millisecond is still waited.
  int poll_ms() const {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(at_ - Clock::now());
    if (us.count() <= 0) return 0;
    return static_cast<int>(std::min<long long>((us.count() + 999) / 1000, 1 << 30));
  }
  // The earlier of this deadline and now + timeout: a sub-step never outlives its caller.
  Deadline capped(std::chrono::milliseconds timeout) const {
    const Deadline other = after(timeout);
    return other.at_ < at_ ? other : *this;
  }

 private:
  Deadline(Clock::time_point at, std::chrono::milliseconds budget) : at_(at), budget_(budget) {}
  Clock::time_point at_;
  std::chrono::milliseconds budget_;
};

}  // namespace uiw::adb
