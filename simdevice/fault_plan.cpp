#include "simdevice/fault_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <iostream>

#include "common/error.h"

namespace uiw::sim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad(std::string_view part, const std::string& why) {
  throw Error(ErrorKind::kUsage, fmt::format("'{}': {}", part, why));
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

uint64_t parse_bytes(std::string_view part, std::string_view text) {
  uint64_t scale = 1;
  if (!text.empty() && (text.back() == 'K' || text.back() == 'k')) {
    scale = 1024;
    text.remove_suffix(1);
  } else if (!text.empty() && (text.back() == 'M' || text.back() == 'm')) {
    scale = 1024 * 1024;
    text.remove_suffix(1);
  }
  const auto n = parse_unsigned(text);
  if (!n || *n == 0 || *n > (uint64_t{1} << 40) / scale) {
    bad(part, "expected a byte count such as 200000, 64K or 2M");
  }
  return *n * scale;
}

std::chrono::milliseconds parse_duration(std::string_view part, std::string_view text) {
  uint64_t scale = 0;
  if (text.ends_with("ms")) {
    scale = 1;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    scale = 1000;
    text.remove_suffix(1);
  }
  const auto n = parse_unsigned(text);
  if (scale == 0 || !n) bad(part, "expected a duration with its unit, such as 300ms or 2s");
  if (*n * scale > 600'000) bad(part, "a delay is at most 10 minutes");
  return std::chrono::milliseconds(*n * scale);
}

FaultWhen parse_when(std::string_view part, std::string_view text) {
  FaultWhen when;
  if (text == "always") return when;
  if (text.ends_with('%')) {
    const std::string number(text.substr(0, text.size() - 1));
    char* end = nullptr;
    const double p = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(p > 0 && p <= 100)) {
      bad(part, "a probability is P% with 0 < P <= 100, such as 30%");
    }
    when.mode = FaultWhen::Mode::kPercent;
    when.percent = p;
    return when;
  }
  const size_t colon = text.find(':');
  const std::string_view mode = text.substr(0, colon);
  std::optional<uint64_t> n;
  if (colon != std::string_view::npos) n = parse_unsigned(text.substr(colon + 1));
  if (mode == "first") {
    when.mode = FaultWhen::Mode::kFirst;
  } else if (mode == "after") {
    when.mode = FaultWhen::Mode::kAfter;
  } else if (mode == "every") {
    when.mode = FaultWhen::Mode::kEvery;
  } else {
    bad(part, fmt::format("unknown '@{}': use always, first:K, after:K, every:N or P%", text));
  }
  when.n = n.value_or(0);
  if (!n.has_value() || (when.n == 0 && when.mode != FaultWhen::Mode::kAfter)) {
    bad(part, fmt::format("'@{}' needs a count, such as @{}:2", text, mode));
  }
  return when;
}

struct KindInfo {
  std::string_view name;
  FaultKind kind;
  bool value;    // takes =VALUE
  bool command;  // takes :COMMAND
};

constexpr KindInfo kKinds[] = {
    {"drop-after", FaultKind::kDropAfter, true, false},
    {"delay", FaultKind::kDelay, true, true},
    {"shell-exit", FaultKind::kShellExit, true, true},
    {"corrupt-png", FaultKind::kCorruptPng, false, false},
    {"truncate-dump", FaultKind::kTruncateDump, false, false},
    {"dump-idle-fail", FaultKind::kDumpIdleFail, false, false},
    {"raw-unsupported", FaultKind::kRawUnsupported, false, false},
};

Fault parse_fault(std::string_view part) {
  Fault fault;
  fault.text = std::string(part);
  std::string_view head = part;
  if (const size_t at = head.find('@'); at != std::string_view::npos) {
    fault.when = parse_when(part, head.substr(at + 1));
    head = head.substr(0, at);
  }
  std::optional<std::string_view> command;
  if (const size_t colon = head.find(':'); colon != std::string_view::npos) {
    command = trim(head.substr(colon + 1));
    head = head.substr(0, colon);
  }
  std::optional<std::string_view> value;
  if (const size_t eq = head.find('='); eq != std::string_view::npos) {
    value = head.substr(eq + 1);
    head = head.substr(0, eq);
  }
  const auto info = std::find_if(std::begin(kKinds), std::end(kKinds),
                                 [&](const KindInfo& k) { return k.name == head; });
  if (info == std::end(kKinds)) {
    std::string names;
    for (const KindInfo& k : kKinds) names += (names.empty() ? "" : ", ") + std::string(k.name);
    bad(part, fmt::format("unknown fault '{}' (known: {})", head, names));
  }
  fault.kind = info->kind;
  if (value && !info->value) bad(part, fmt::format("{} takes no =VALUE", info->name));
  if (command && !info->command) {
    bad(part, fmt::format("{} takes no :COMMAND (it acts on its own command)", info->name));
  }
  if (command) {
    if (command->empty()) bad(part, "':' must be followed by a command, such as :dumpsys");
    fault.command = std::string(*command);
  }
  switch (fault.kind) {
    case FaultKind::kDropAfter:
      if (!value) bad(part, "drop-after needs a byte count: drop-after=200000");
      fault.bytes = parse_bytes(part, *value);
      break;
    case FaultKind::kDelay:
      if (!value) bad(part, "delay needs a duration: delay=300ms");
      fault.delay = parse_duration(part, *value);
      break;
    case FaultKind::kShellExit:
      if (value) {
        const auto code = parse_unsigned(*value);
        if (!code || *code == 0 || *code > 255) bad(part, "an exit code is 1 to 255");
        fault.exit_code = static_cast<int>(*code);
      }
      break;
    default:
      break;
  }
  return fault;
}

// Output of a command, kept so it can be damaged before the client sees it.
class CapturingIo : public ShellIo {
 public:
  explicit CapturingIo(ShellIo& outer) : outer_(outer) {}
  bool write_out(std::string_view bytes) override {
    out.append(bytes);
    return !outer_.cancelled();
  }
  bool write_err(std::string_view bytes) override { return outer_.write_err(bytes); }
  bool read_in(std::string& chunk) override { return outer_.read_in(chunk); }
  bool cancelled() const override { return outer_.cancelled(); }
  bool sleep_for(std::chrono::milliseconds duration) override { return outer_.sleep_for(duration); }

  std::string out;

 private:
  ShellIo& outer_;
};

void note(const std::string& what) {
  std::cerr << "uiwitness-sim: fault: " << what << "\n";
}

}  // namespace

FaultPlan::FaultPlan(std::string_view spec) {
  std::string_view rest = spec;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view part = trim(rest.substr(0, comma));
    if (part.empty()) {
      throw Error(ErrorKind::kUsage,
                  spec.empty() ? "empty fault list" : "an empty fault (two commas in a row?)");
    }
    if (part.starts_with("seed=")) {
      const auto seed = parse_unsigned(part.substr(5));
      if (!seed) bad(part, "seed=N needs a whole number");
      seed_ = *seed;
    } else {
      faults_.push_back(parse_fault(part));
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  events_.assign(faults_.size(), 0);
  random_.seed(seed_);
}

bool FaultPlan::fires(size_t index) {
  const uint64_t n = ++events_[index];
  const FaultWhen& when = faults_[index].when;
  switch (when.mode) {
    case FaultWhen::Mode::kAlways:
      return true;
    case FaultWhen::Mode::kFirst:
      return n <= when.n;
    case FaultWhen::Mode::kAfter:
      return n > when.n;
    case FaultWhen::Mode::kEvery:
      return n % when.n == 0;
    case FaultWhen::Mode::kPercent:
      // One draw per event keeps a run reproducible for a given seed and call order.
      return std::uniform_real_distribution<double>(0, 100)(random_) < when.percent;
  }
  return false;
}

bool FaultPlan::matches(const Fault& fault, std::string_view line) const {
  if (fault.command.empty()) return true;
  line = trim(line);
  if (!line.starts_with(fault.command)) return false;
  // Whole words: "am" must not match "amixer".
  if (line.size() == fault.command.size()) return true;
  const char next = line[fault.command.size()];
  return next == ' ' || next == '\t' || next == ';' || next == '&' || next == '|';
}

std::optional<uint64_t> FaultPlan::drop_after_for_new_connection() {
  std::lock_guard lock(mutex_);
  std::optional<uint64_t> budget;
  for (size_t i = 0; i < faults_.size(); ++i) {
    if (faults_[i].kind != FaultKind::kDropAfter || !fires(i)) continue;
    budget = std::min(budget.value_or(UINT64_MAX), faults_[i].bytes);
  }
  return budget;
}

std::chrono::milliseconds FaultPlan::delay_for(std::string_view command_line) {
  std::lock_guard lock(mutex_);
  std::chrono::milliseconds total{0};
  for (size_t i = 0; i < faults_.size(); ++i) {
    if (faults_[i].kind == FaultKind::kDelay && matches(faults_[i], command_line) && fires(i)) {
      total += faults_[i].delay;
    }
  }
  return total;
}

std::optional<int> FaultPlan::exit_for(std::string_view command_line) {
  std::lock_guard lock(mutex_);
  std::optional<int> code;
  for (size_t i = 0; i < faults_.size(); ++i) {
    if (faults_[i].kind == FaultKind::kShellExit && matches(faults_[i], command_line) && fires(i) &&
        !code) {
      code = faults_[i].exit_code;
    }
  }
  return code;
}

namespace {

bool any_fires(std::vector<Fault>& faults, FaultKind kind, const std::function<bool(size_t)>& f) {
  bool fired = false;
  for (size_t i = 0; i < faults.size(); ++i) {
    // Every fault of the kind counts the event, even when an earlier one already fired.
    if (faults[i].kind == kind && f(i)) fired = true;
  }
  return fired;
}

}  // namespace

bool FaultPlan::corrupt_png() {
  std::lock_guard lock(mutex_);
  return any_fires(faults_, FaultKind::kCorruptPng, [this](size_t i) { return fires(i); });
}

bool FaultPlan::truncate_dump() {
  std::lock_guard lock(mutex_);
  return any_fires(faults_, FaultKind::kTruncateDump, [this](size_t i) { return fires(i); });
}

bool FaultPlan::dump_idle_fail() {
  std::lock_guard lock(mutex_);
  return any_fires(faults_, FaultKind::kDumpIdleFail, [this](size_t i) { return fires(i); });
}

bool FaultPlan::raw_unsupported() {
  std::lock_guard lock(mutex_);
  return any_fires(faults_, FaultKind::kRawUnsupported, [this](size_t i) { return fires(i); });
}

int FaultyRunner::run(std::string_view command_line, ShellIo& io) {
  if (const auto delay = plan_.delay_for(command_line); delay.count() > 0) {
    // Wakes early when the client gives up, so a held reply never outlives its stream.
    if (!io.sleep_for(delay)) return 0;
  }
  if (const auto code = plan_.exit_for(command_line)) {
    io.write_err(
        fmt::format("uiwitness-sim: injected failure (--faults shell-exit): exit {}\n", *code));
    return *code;
  }
  return inner_.run(command_line, io);
}

std::string corrupted_png(std::string png) {
  // Chunks start after the 8-byte signature: u32 length (big-endian), 4-byte type, data, CRC.
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t length = static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24 |
                            static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16 |
                            static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8 |
                            static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
    if (png.compare(at + 4, 4, "IDAT") == 0 && length > 0 && at + 8 + length <= png.size()) {
      const size_t start = at + 8 + length / 2;
      for (size_t i = start; i < std::min(start + 16, at + 8 + length); ++i) png[i] ^= 0x5a;
      return png;
    }
    at += 12 + static_cast<size_t>(length);
  }
  // Not a PNG we can walk: damage the middle anyway.
  if (!png.empty()) png[png.size() / 2] ^= 0x5a;
  return png;
}

void install_output_faults(Shell& shell, VirtualFs& fs, FaultPlan& plan) {
  if (ShellCommand screencap = shell.find("screencap")) {
    shell.add("screencap", [screencap, &plan](const std::vector<std::string>& argv, ShellIo& io) {
      bool png = false;
      bool to_file = false;
      for (size_t i = 1; i < argv.size(); ++i) {
        if (argv[i] == "-p") {
          png = true;
        } else if (argv[i] == "-d" || argv[i] == "-a") {
          ++i;
        } else if (!argv[i].starts_with("-")) {
          to_file = true;
        }
      }
      // Faults act on what the client reads; a file written on the device stays intact.
      if (to_file) return screencap(argv, io);
      const bool damage = png ? plan.corrupt_png() : plan.raw_unsupported();
      if (!damage) return screencap(argv, io);
      CapturingIo capture(io);
      const int status = screencap(argv, capture);
      if (png) {
        note("corrupt-png: damaged a screencap -p");
        capture.out = corrupted_png(std::move(capture.out));
      } else if (capture.out.size() >= 12) {
        note("raw-unsupported: raw screencap announced pixel format 22");
        capture.out[8] = 22;  // RGBA_FP16, little-endian u32
        capture.out[9] = capture.out[10] = capture.out[11] = 0;
      }
      io.write_out(capture.out);
      return status;
    });
  }
  if (ShellCommand uiautomator = shell.find("uiautomator")) {
    shell.add("uiautomator",
              [uiautomator, &plan, &fs](const std::vector<std::string>& argv, ShellIo& io) {
                if (argv.size() < 2 || argv[1] != "dump") return uiautomator(argv, io);
                std::string path = "/sdcard/window_dump.xml";
                for (size_t i = 2; i < argv.size(); ++i)
                  if (!argv[i].starts_with("--")) path = argv[i];
                // Both are asked, so each fault counts every dump.
                const bool idle_fail = plan.dump_idle_fail();
                const bool truncate = plan.truncate_dump();
                if (idle_fail) {
                  note("dump-idle-fail: uiautomator dump could not get idle state");
                  // As the real tool: the message on stderr, and the Java process still exits 0.
                  io.write_err("ERROR: could not get idle state.\n");
                  return 0;
                }
                if (!truncate) return uiautomator(argv, io);
                note("truncate-dump: cut a uiautomator dump in half");
                if (path == "/dev/tty" || path == "/dev/stdout") {
                  CapturingIo capture(io);
                  uiautomator(argv, capture);
                  // The process dies mid-write: half the XML and no "dumped to" line.
                  const size_t end = capture.out.rfind("UI hierchary dumped to:");
                  const size_t xml = end == std::string::npos ? capture.out.size() : end;
                  io.write_out(std::string_view(capture.out).substr(0, xml / 2));
                  return 0;
                }
                const int status = uiautomator(argv, io);
                if (auto written = fs.read(path))
                  fs.write(path, written->substr(0, written->size() / 2));
                return status;
              });
  }
}

}  // namespace uiw::sim
