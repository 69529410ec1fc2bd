#pragma once
// The emulator console: the telnet-style text protocol (CRLF) an Android emulator serves on its
// console port, with the same banner, `auth` token file and replies, so the harness drives the
// accelerometer (`sensor set acceleration X:Y:Z`) here exactly as on an emulator. Listens on
// 127.0.0.1 only; serves several clients at once, each on its own thread.
#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace uiw::sim {

class SimDevice;

class ConsoleServer {
 public:
  // The auth token file is $UIW_CONSOLE_AUTH_FILE when set, else
  // $HOME/.emulator_console_auth_token; created with a random token when missing, as the
  // emulator does. An empty file means no authentication.
  explicit ConsoleServer(SimDevice& device);
  ConsoleServer(SimDevice& device, std::string auth_token_file);
  ~ConsoleServer();
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // Binds 127.0.0.1:port (0 picks a free one, see port()). Throws uiw::Error naming the port.
  void listen(int port);
  int port() const { return port_; }
  // Serves clients on a background thread until stop().
  void start();
  // Closes the listener and every client; safe to call more than once and from on_kill.
  void stop();
  // Called (on a client's thread) after `kill` has been answered.
  void on_kill(std::function<void()> callback);

  const std::string& auth_token_file() const { return auth_file_; }

 private:
  struct Client {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void accept_loop();
  void serve(Client& client);
  // One command line; returns false when the session ends.
  bool handle(Client& client, const std::string& line, bool& authed);
  bool send(int fd, const std::string& text);
  void reap_finished();

  SimDevice& device_;
  std::string auth_file_;
  std::string token_;
  int listen_fd_ = -1;
  int port_ = 0;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::mutex stop_mutex_;
  bool stopped_ = false;  // guarded by stop_mutex_
  std::thread accept_thread_;
  std::mutex clients_mutex_;
  std::list<std::unique_ptr<Client>> clients_;
  std::unique_ptr<Client> killer_;  // the client whose `kill` stopped us, joined on destruction
  std::mutex kill_mutex_;
  std::function<void()> on_kill_;
};

}  // namespace uiw::sim
