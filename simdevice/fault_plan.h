#pragma once
// Fault injection for uiwitness-sim (`--faults SPEC`): the failures real devices and links show,
// on demand and deterministically, so tests can prove the harness retries a transient fault and
// reports a persistent one as an infrastructure error instead of hanging or crashing.
//
// SPEC is a comma-separated list of faults, each  KIND[=VALUE][:COMMAND][@WHEN] , plus an
// optional  seed=N  for the probabilistic ones. Kinds:
//   drop-after=BYTES        close the adb transport connection after BYTES bytes written on it
//                           (K = 1024, M = 1048576); WHEN counts connections
//   delay=DURATION[:CMD]    hold the reply of a shell/exec command (300ms, 2s) before it runs
//   shell-exit[=CODE][:CMD] answer a command with exit CODE (default 1) without running it
//   corrupt-png             damage the image data of `screencap -p` (the PNG CRC fails)
//   truncate-dump           cut `uiautomator dump` output (or its file) in half
//   dump-idle-fail          `uiautomator dump` says "ERROR: could not get idle state."
//   raw-unsupported         raw `screencap` announces pixel format 22 (RGBA_FP16, as wide-colour
//                           devices do), which clients cannot read: they fall back to PNG
// CMD matches a command line that starts with it as whole words ("dumpsys" or "dumpsys
// activity"); without it every command matches. WHEN counts the fault's own matching events
// (1-based): `always` (the default), `first:K`, `after:K` (every one after the first K),
// `every:N` (the Nth, 2Nth, …), or `P%` (each with probability P, from seed=N, default 1).
// Example: drop-after=200K@first:1,delay=300ms:uiautomator,dump-idle-fail@first:2
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "simdevice/shell.h"
#include "simdevice/shell_io.h"
#include "simdevice/virtual_fs.h"

namespace uiw::sim {

enum class FaultKind {
  kDropAfter,
  kDelay,
  kShellExit,
  kCorruptPng,
  kTruncateDump,
  kDumpIdleFail,
  kRawUnsupported,
};

struct FaultWhen {
  enum class Mode { kAlways, kFirst, kAfter, kEvery, kPercent };
  Mode mode = Mode::kAlways;
  uint64_t n = 0;          // K or N
  double percent = 100.0;  // for kPercent
};

struct Fault {
  FaultKind kind = FaultKind::kDelay;
  std::string text;  // as the user typed it, for messages
  uint64_t bytes = 0;
  std::chrono::milliseconds delay{0};
  int exit_code = 1;
  std::string command;  // "" matches every command
  FaultWhen when;
};

// The parsed SPEC and the counters that decide when each fault fires. Thread-safe: every adb
// stream asks from its own thread.
class FaultPlan {
 public:
  FaultPlan() = default;
  // Throws uiw::Error(kUsage, "'PART': what is wrong") naming the malformed part.
  explicit FaultPlan(std::string_view spec);
  FaultPlan(const FaultPlan&) = delete;
  FaultPlan& operator=(const FaultPlan&) = delete;

  bool empty() const { return faults_.empty(); }
  const std::vector<Fault>& faults() const { return faults_; }
  uint64_t seed() const { return seed_; }

  // Each call below is one event for the faults of its kind; it says what to inject now.
  // A new adb connection: the byte budget after which to drop it.
  std::optional<uint64_t> drop_after_for_new_connection();
  // A shell/exec command line about to run: how long to hold it first.
  std::chrono::milliseconds delay_for(std::string_view command_line);
  // A shell/exec command line: the exit code to answer instead of running it.
  std::optional<int> exit_for(std::string_view command_line);
  bool corrupt_png();
  bool truncate_dump();
  bool dump_idle_fail();
  bool raw_unsupported();

 private:
  bool fires(size_t index);  // caller holds mutex_
  bool matches(const Fault& fault, std::string_view command_line) const;

  std::vector<Fault> faults_;
  std::vector<uint64_t> events_;  // per fault
  uint64_t seed_ = 1;
  std::mutex mutex_;
  std::mt19937_64 random_{1};
};

// Runs command lines through `inner`, holding or failing them as the plan says.
class FaultyRunner : public CommandRunner {
 public:
  FaultyRunner(CommandRunner& inner, FaultPlan& plan) : inner_(inner), plan_(plan) {}
  int run(std::string_view command_line, ShellIo& io) override;

 private:
  CommandRunner& inner_;
  FaultPlan& plan_;
};

// Wraps the shell's screencap and uiautomator so their output (or the dump file) is damaged as
// the plan says. Call after the device registered its commands; fs and plan must outlive the
// shell.
void install_output_faults(Shell& shell, VirtualFs& fs, FaultPlan& plan);

// Damages a PNG so that a decoder rejects it: bytes inside the first IDAT chunk are flipped and
// its CRC no longer matches. Exposed for tests.
std::string corrupted_png(std::string png);

}  // namespace uiw::sim
