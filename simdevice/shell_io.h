#pragma once
// The seam between the ADB transport and the device: a shell command line runs against a
// CommandRunner and talks to its client through ShellIo. The transport implements ShellIo for
// `shell,v2,…:`, legacy `shell:` and `exec:` streams; the simulated device implements
// CommandRunner.
#include <chrono>
#include <string>
#include <string_view>

namespace uiw::sim {

class ShellIo {
 public:
  virtual ~ShellIo() = default;
  // Each returns false once the client has gone; a command should then stop.
  virtual bool write_out(std::string_view bytes) = 0;
  virtual bool write_err(std::string_view bytes) = 0;
  // Next chunk of the client's stdin; false at end of input or when the client has gone.
  virtual bool read_in(std::string& chunk) = 0;
  virtual bool cancelled() const = 0;
  // Sleeps, waking early when the client goes; returns false if it did.
  virtual bool sleep_for(std::chrono::milliseconds duration) = 0;
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs one command line as Android's /system/bin/sh would (quotes, `;`, `&&`, `||`) and
  // returns its exit code.
  virtual int run(std::string_view command_line, ShellIo& io) = 0;
};

}  // namespace uiw::sim
