#include "simdevice/shell_service.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/error.h"

namespace uiw::sim {

namespace {

enum ShellPacketId : unsigned char {
  kStdin = 0,
  kStdout = 1,
  kStderr = 2,
  kExit = 3,
  kCloseStdin = 4,
  kWindowSize = 5,
};

constexpr size_t kPacketHeaderSize = 5;
// adb's shell protocol buffer (MAX_PAYLOAD): no real client sends a larger stdin packet.
constexpr uint32_t kMaxStdinPacket = 1024 * 1024;
// Output is gathered and sent when this much is waiting, before the command blocks (sleep,
// stdin) and when it ends: `echo hi` then costs one WRTE carrying both stdout and exit code.
constexpr size_t kFlushThreshold = 256 * 1024;

// ShellIo over an ADB stream.
class StreamShellIo : public ShellIo {
 public:
  StreamShellIo(AdbStream& stream, ShellProtocol protocol) : stream_(stream), protocol_(protocol) {}

  bool write_out(std::string_view bytes) override { return append(kStdout, bytes); }
  bool write_err(std::string_view bytes) override { return append(kStderr, bytes); }

  bool read_in(std::string& chunk) override {
    if (!flush()) return false;
    if (stdin_closed_) return false;
    if (protocol_ == ShellProtocol::kRaw) {
      if (!stream_.read(chunk)) {
        stdin_closed_ = true;
        return false;
      }
      return true;
    }
    for (;;) {
      char header[kPacketHeaderSize];
      if (!stream_.read_exact(header, sizeof header)) {
        stdin_closed_ = true;
        return false;
      }
      uint32_t length = 0;
      for (int i = 4; i >= 1; --i) length = length << 8 | static_cast<unsigned char>(header[i]);
      if (length > kMaxStdinPacket) {
        // The length is the client's word: refuse it before allocating, and read no more of a
        // stream whose framing is lost.
        stdin_closed_ = true;
        throw Error(ErrorKind::kProtocol, "shell v2 stdin packet of " + std::to_string(length) +
                                              " bytes: the stream is corrupt");
      }
      std::string data(length, '\0');
      if (!stream_.read_exact(data.data(), length)) {
        stdin_closed_ = true;
        return false;
      }
      switch (static_cast<unsigned char>(header[0])) {
        case kStdin:
          if (data.empty()) continue;
          chunk = std::move(data);
          return true;
        case kCloseStdin:
          stdin_closed_ = true;
          return false;
        default:
          continue;  // window size and anything newer: nothing to do for a simulated tty
      }
    }
  }

  bool cancelled() const override { return stream_.closed(); }

  bool sleep_for(std::chrono::milliseconds duration) override {
    if (!flush()) return false;
    return stream_.wait_for_close(duration);
  }

  // Sends what is buffered; false once the client has gone.
  bool flush() {
    if (pending_.empty()) return !stream_.closed();
    const bool ok = stream_.write(pending_);
    pending_.clear();
    return ok;
  }

  bool finish(int exit_code) {
    if (protocol_ == ShellProtocol::kV2) {
      const char code = static_cast<char>(exit_code & 0xff);
      append(kExit, std::string_view(&code, 1));
    }
    return flush();
  }

 private:
  bool append(ShellPacketId id, std::string_view bytes) {
    if (stream_.closed()) return false;
    if (protocol_ == ShellProtocol::kRaw) {
      pending_.append(bytes);
    } else {
      // Packets no larger than a WRTE keep adb's shell reader on its fast path.
      do {
        const size_t n = std::min(bytes.size(), kFlushThreshold - kPacketHeaderSize);
        const uint32_t len = static_cast<uint32_t>(n);
        const char header[kPacketHeaderSize] = {
            static_cast<char>(id), static_cast<char>(len & 0xff),
            static_cast<char>((len >> 8) & 0xff), static_cast<char>((len >> 16) & 0xff),
            static_cast<char>((len >> 24) & 0xff)};
        pending_.append(header, sizeof header);
        pending_.append(bytes.substr(0, n));
        bytes.remove_prefix(n);
        if (pending_.size() >= kFlushThreshold && !flush()) return false;
      } while (!bytes.empty());
    }
    if (pending_.size() >= kFlushThreshold) return flush();
    return true;
  }

  AdbStream& stream_;
  const ShellProtocol protocol_;
  std::string pending_;
  bool stdin_closed_ = false;
};

// `adb shell` with no command: run each line of stdin as sh would read a script.
int run_interactive(CommandRunner& runner, StreamShellIo& io) {
  int status = 0;
  std::string buffer;
  std::string chunk;
  while (io.read_in(chunk)) {
    buffer += chunk;
    size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line == "exit" || line.starts_with("exit ")) {
        return line.size() > 5 ? runner.run(line, io) : status;
      }
      status = runner.run(line, io);
    }
  }
  if (!buffer.empty()) status = runner.run(buffer, io);
  return status;
}

}  // namespace

void run_shell_service(AdbStream& stream, CommandRunner& runner, ShellProtocol protocol,
                       const std::string& command) {
  StreamShellIo io(stream, protocol);
  const bool blank = command.find_first_not_of(" \t\r\n") == std::string::npos;
  const int status = blank ? run_interactive(runner, io) : runner.run(command, io);
  io.finish(status);
}

}  // namespace uiw::sim
