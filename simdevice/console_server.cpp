#include "simdevice/console_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "common/error.h"
#include "simdevice/sim_device.h"

namespace uiw::sim {
namespace {

std::string default_auth_file() {
  if (const char* env = std::getenv("UIW_CONSOLE_AUTH_FILE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.emulator_console_auth_token";
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Reads the token, creating the file with a random one when it is missing (as the emulator does).
std::string load_or_create_token(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path);
    if (!in)
      throw Error(ErrorKind::kIo, fmt::format("cannot read the console auth token file {}", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return trim(ss.str());
  }
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::random_device rd;
  std::string token;
  for (int i = 0; i < 16; ++i) token += alphabet[rd() % 64];
  std::ofstream out(path, std::ios::trunc);
  if (!out)
    throw Error(ErrorKind::kIo, fmt::format("cannot create the console auth token file {}; set "
                                            "UIW_CONSOLE_AUTH_FILE to a writable path",
                                            path));
  out << token;
  return token;
}

std::string number(double v) {
  return fmt::format("{:g}", v);
}

// The server whose client this thread serves (so stop() from on_kill does not join itself).
thread_local const ConsoleServer* serving = nullptr;

}  // namespace

ConsoleServer::ConsoleServer(SimDevice& device) : ConsoleServer(device, default_auth_file()) {}

ConsoleServer::ConsoleServer(SimDevice& device, std::string auth_token_file)
    : device_(device), auth_file_(std::move(auth_token_file)) {}

ConsoleServer::~ConsoleServer() {
  stop();
  if (killer_) {
    if (killer_->thread.get_id() == std::this_thread::get_id()) {
      killer_->thread.detach();  // destroyed from its own callback: nothing left to wait for
    } else if (killer_->thread.joinable()) {
      killer_->thread.join();
    }
    ::close(killer_->fd);
  }
  for (int& fd : wake_pipe_)
    if (fd >= 0) ::close(fd), fd = -1;
}

void ConsoleServer::on_kill(std::function<void()> callback) {
  std::lock_guard lock(kill_mutex_);
  on_kill_ = std::move(callback);
}

void ConsoleServer::listen(int port) {
  token_ = load_or_create_token(auth_file_);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw Error(ErrorKind::kIo,
                fmt::format("console port {}: socket(): {}", port, strerror(errno)));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    int err = errno;
    ::close(fd);
    throw Error(ErrorKind::kIo,
                fmt::format("cannot listen on console port 127.0.0.1:{}: {}{}", port, strerror(err),
                            err == EADDRINUSE ? " (pick another --console-port)" : ""));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0)
    throw Error(ErrorKind::kIo, fmt::format("console port {}: pipe(): {}", port, strerror(errno)));
}

void ConsoleServer::start() {
  if (listen_fd_ < 0)
    throw Error(ErrorKind::kInternal, "ConsoleServer::start() needs listen(port) first");
  accept_thread_ = std::thread([this] { accept_loop(); });
}

void ConsoleServer::stop() {
  // One stop at a time; a later caller waits until it is done (so the destructor never runs
  // under a stop in progress), except a client thread, which the running stop is joining.
  std::unique_lock lock(stop_mutex_, std::defer_lock);
  if (serving == this) {
    if (!lock.try_lock()) return;
  } else {
    lock.lock();
  }
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  if (wake_pipe_[1] >= 0) {
    char c = 'x';
    [[maybe_unused]] ssize_t n = ::write(wake_pipe_[1], &c, 1);
  }
  if (accept_thread_.joinable()) {
    if (accept_thread_.get_id() == std::this_thread::get_id()) {
      accept_thread_.detach();
    } else {
      accept_thread_.join();
    }
  }
  std::list<std::unique_ptr<Client>> clients;
  {
    std::lock_guard clients_lock(clients_mutex_);
    clients.swap(clients_);
  }
  for (auto& c : clients) ::shutdown(c->fd, SHUT_RDWR);
  for (auto& c : clients) {
    if (!c->thread.joinable()) continue;
    if (c->thread.get_id() == std::this_thread::get_id()) {
      // stop() from on_kill runs on this client's thread: it cannot join itself, so the
      // destructor does.
      killer_ = std::move(c);
      continue;
    }
    c->thread.join();
    ::close(c->fd);
  }
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void ConsoleServer::reap_finished() {
  std::lock_guard lock(clients_mutex_);
  for (auto it = clients_.begin(); it != clients_.end();) {
    if ((*it)->done) {
      (*it)->thread.join();
      ::close((*it)->fd);
      it = clients_.erase(it);
    } else {
      ++it;
    }
  }
}

void ConsoleServer::accept_loop() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int n = ::poll(fds, 2, 1000);
    reap_finished();
    if (n <= 0 || stopping_ || (fds[1].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    timeval timeout{5, 0};  // a client that stops reading cannot block us for long
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    auto client = std::make_unique<Client>();
    client->fd = fd;
    Client* raw = client.get();
    std::lock_guard lock(clients_mutex_);
    clients_.push_back(std::move(client));
    raw->thread = std::thread([this, raw] {
      serving = this;
      serve(*raw);
      ::shutdown(raw->fd, SHUT_RDWR);  // the client sees the end now; close() when reaped
      raw->done = true;
    });
  }
}

bool ConsoleServer::send(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::send(fd, text.data() + off, text.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

void ConsoleServer::serve(Client& client) {
  bool authed = token_.empty();
  std::string banner =
      authed ? "Android Console: type 'help' for a list of commands\r\nOK\r\n"
             : fmt::format(
                   "Android Console: Authentication required\r\n"
                   "Android Console: type 'auth <auth_token>' to authenticate\r\n"
                   "Android Console: you can find your <auth_token> in \r\n'{}'\r\nOK\r\n",
                   auth_file_);
  if (!send(client.fd, banner)) return;
  std::string buffer;
  char chunk[1024];
  while (!stopping_) {
    pollfd fds[2] = {{client.fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int n = ::poll(fds, 2, 1000);
    if (stopping_) return;
    if (n <= 0 || !(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t got = ::recv(client.fd, chunk, sizeof chunk, 0);
    if (got <= 0) return;
    buffer.append(chunk, static_cast<size_t>(got));
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (!handle(client, trim(line), authed)) return;
    }
  }
}

bool ConsoleServer::handle(Client& client, const std::string& line, bool& authed) {
  std::istringstream words(line);
  std::string cmd;
  words >> cmd;
  if (cmd.empty()) return true;
  auto reply = [&](const std::string& text) { return send(client.fd, text); };
  if (cmd == "quit" || cmd == "exit") return false;
  if (cmd == "auth") {
    std::string token;
    words >> token;
    if (token_.empty() || token == token_) {
      authed = true;
      return reply("Android Console: type 'help' for a list of commands\r\nOK\r\n");
    }
    return reply("KO: authentication token does not match ~/.emulator_console_auth_token\r\n");
  }
  if (cmd == "help" || cmd == "h" || cmd == "?" || cmd == "help-verbose") {
    std::string text = "Android console commands:\r\n\r\n";
    if (authed) {
      text +=
          "    help|h|?         Prints a list of commands\r\n"
          "    kill             Kill the emulator instance\r\n"
          "    sensor           Manage emulator sensors\r\n"
          "    avd              Control virtual device execution\r\n"
          "    ping             Check if the emulator is alive\r\n";
    }
    text +=
        "    auth             Authenticate with the console\r\n"
        "    quit|exit        Quit control session\r\n"
        "\r\ntry 'help <command>' for command-specific help\r\nOK\r\n";
    return reply(text);
  }
  if (!authed) return reply("KO: unknown command, try 'help'\r\n");
  if (cmd == "ping") return reply("I am alive!\r\nOK\r\n");
  if (cmd == "avd") {
    std::string sub;
    words >> sub;
    if (sub == "name") return reply(device_.profile().model + "\r\nOK\r\n");
    if (sub == "status") return reply("virtual device is running\r\nOK\r\n");
    return reply("KO: missing sub-command, try 'help avd'\r\n");
  }
  if (cmd == "sensor") {
    std::string sub, name, value;
    words >> sub >> name >> value;
    if (sub == "status")
      return reply(
          "acceleration: enabled.\r\ngyroscope: enabled.\r\nmagnetic-field: enabled.\r\n"
          "orientation: enabled.\r\ntemperature: enabled.\r\nproximity: enabled.\r\n"
          "OK\r\n");
    if ((sub == "get" || sub == "set") && name != "acceleration")
      return reply(
          fmt::format("KO: unknown sensor name: {}, run 'sensor status' to get "
                      "available sensors.\r\n",
                      name));
    if (sub == "get") {
      auto a = device_.acceleration();
      return reply(fmt::format("acceleration = {}:{}:{}\r\nOK\r\n", number(a[0]), number(a[1]),
                               number(a[2])));
    }
    if (sub == "set") {
      double v[3];
      std::string rest = value;
      for (char& c : rest)
        if (c == ':') c = ' ';
      std::istringstream parts(rest);
      std::string extra;
      if (!(parts >> v[0] >> v[1] >> v[2]) || (parts >> extra))
        return reply("KO: sensor value must be X:Y:Z, three numbers in m/s^2\r\n");
      device_.set_acceleration(v[0], v[1], v[2]);
      return reply("OK\r\n");
    }
    return reply("KO: missing sub-command, try 'help sensor'\r\n");
  }
  if (cmd == "kill") {
    reply("OK: killing emulator, bye bye\r\n");
    ::shutdown(client.fd, SHUT_RDWR);
    std::function<void()> callback;
    {
      std::lock_guard lock(kill_mutex_);
      callback = on_kill_;
    }
    if (callback) callback();
    return false;
  }
  return reply("KO: unknown command, try 'help'\r\n");
}

}  // namespace uiw::sim
