#include "adb/emulator_console.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace uiw::adb {

std::string EmulatorConsole::default_token_file() {
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && *home ? home : ".") + "/.emulator_console_auth_token";
}

EmulatorConsole EmulatorConsole::connect(const std::string& host, int port, Deadline deadline,
                                         const std::optional<std::string>& token_file) {
  const std::string what = fmt::format("the emulator console at {}:{}", host, port);
  EmulatorConsole console(TcpSocket::connect(host, port, what, deadline), what);
  const std::string banner = console.read_reply(deadline, "console banner");
  if (banner.find("Authentication required") == std::string::npos &&
      banner.find("auth_token") == std::string::npos) {
    return console;
  }
  const std::string path = token_file.value_or(default_token_file());
  std::ifstream in(path);
  if (!in) {
    throw Error(ErrorKind::kUnauthorized,
                fmt::format("{} asks for an auth token, but {} cannot be read", what, path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  try {
    console.command("auth " + token, deadline);
  } catch (const Error& e) {
    throw Error(ErrorKind::kUnauthorized,
                fmt::format("{} rejected the token from {}: {}", what, path, e.what()));
  }
  return console;
}

std::string EmulatorConsole::next_line(Deadline deadline) {
  for (;;) {
    const size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    switch (socket_.read_some(buffer_, deadline, 4096)) {
      case TcpSocket::ReadStatus::kData:
        break;
      case TcpSocket::ReadStatus::kEof:
        throw Error(ErrorKind::kDeviceOffline, what_ + " closed the connection");
      case TcpSocket::ReadStatus::kTimeout:
        throw Error(ErrorKind::kTimeout, fmt::format("{} did not answer within {} ms", what_,
                                                     deadline.budget().count()));
    }
  }
}

std::string EmulatorConsole::read_reply(Deadline deadline, const std::string& context) {
  std::string text;
  for (;;) {
    const std::string line = next_line(deadline);
    if (line == "OK" || line.starts_with("OK:")) return text;
    if (line.starts_with("KO")) {
      throw Error(ErrorKind::kCommandFailed, fmt::format("{}: {}", context, line));
    }
    if (!text.empty()) text += '\n';
    text += line;
  }
}

std::string EmulatorConsole::command(const std::string& line, Deadline deadline) {
  if (line.find_first_of("\r\n") != std::string::npos) {
    throw Error(ErrorKind::kUsage, "console command must be one line: " + line);
  }
  socket_.write_all(line + "\r\n", deadline);
  const std::string shown = line.starts_with("auth ") ? std::string("auth") : line;
  return read_reply(deadline, fmt::format("console command '{}'", shown));
}

void EmulatorConsole::set_acceleration(double x, double y, double z, Deadline deadline) {
  command(fmt::format("sensor set acceleration {}:{}:{}", x, y, z), deadline);
}

void EmulatorConsole::kill(Deadline deadline) {
  socket_.write_all("kill\r\n", deadline);
  std::string ignored;
  socket_.read_some(ignored, deadline);  // "OK: killing emulator, bye bye", then EOF
}

}  // namespace uiw::adb
