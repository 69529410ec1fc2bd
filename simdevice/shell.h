#pragma once
// A small /system/bin/sh: splits a command line as sh does (single and double quotes,
// backslashes, `;`, `&&`, `||`), runs `export`/`exec` prefixes, and dispatches each command to a
// registered handler. Unknown commands answer like Android:
// "/system/bin/sh: NAME: inaccessible or not found" on stderr, exit 127.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "simdevice/shell_io.h"

namespace uiw::sim {

// argv[0] is the command name.
using ShellCommand = std::function<int(const std::vector<std::string>& argv, ShellIo& io)>;

class Shell : public CommandRunner {
 public:
  void add(const std::string& name, ShellCommand command);
  // The handler registered under `name`; empty when none (lets a wrapper decorate it).
  ShellCommand find(const std::string& name) const;
  int run(std::string_view command_line, ShellIo& io) override;

 private:
  std::map<std::string, ShellCommand> commands_;
};

}  // namespace uiw::sim
