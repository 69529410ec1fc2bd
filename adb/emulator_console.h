#pragma once
// EmulatorConsole: the emulator's telnet-style console (CRLF lines, replies end in OK or
// KO: message), as on emulator-5554's port 5554 and on uiwitness-sim --console-port.
#include <optional>
#include <string>

#include "adb/deadline.h"
#include "adb/tcp_socket.h"

namespace uiw::adb {

class EmulatorConsole {
 public:
  // Connects and, if the console asks for it, authenticates with the token read from
  // `token_file` (default ~/.emulator_console_auth_token). Missing token → kUnauthorized with
  // the path; rejected token → kUnauthorized with the console's message.
  static EmulatorConsole connect(const std::string& host, int port, Deadline deadline,
                                 const std::optional<std::string>& token_file = std::nullopt);
  // The default token path: $HOME/.emulator_console_auth_token.
  static std::string default_token_file();

  // Sends one command; returns the reply lines before "OK" (joined with \n). A "KO: …" reply
  // throws kCommandFailed with it.
  std::string command(const std::string& line, Deadline deadline);

  // `sensor set acceleration X:Y:Z` (m/s²).
  void set_acceleration(double x, double y, double z, Deadline deadline);
  // `kill`: the emulator exits.
  void kill(Deadline deadline);

 private:
  explicit EmulatorConsole(TcpSocket socket, std::string what)
      : socket_(std::move(socket)), what_(std::move(what)) {}
  // Reads until a line that is "OK" or starts with "KO"; returns the lines before it.
  std::string read_reply(Deadline deadline, const std::string& context);
  std::string next_line(Deadline deadline);

  TcpSocket socket_;
  std::string what_;
  std::string buffer_;
};

}  // namespace uiw::adb
