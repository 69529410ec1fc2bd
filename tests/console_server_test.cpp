// The emulator console over a real TCP socket, as the harness (or `telnet`) meets it: the
// banner, auth with the token file, sensor set/get reaching the device, and kill.
#include "simdevice/console_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "simdevice/sim_device.h"
#include "simdevice/virtual_fs.h"

namespace {

using namespace std::chrono_literals;

// A line-oriented client with a deadline on every read.
class ConsoleClient {
 public:
  explicit ConsoleClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~ConsoleClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& line) {
    std::string text = line + "\r\n";
    ASSERT_EQ(::send(fd_, text.data(), text.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(text.size()));
  }
  // Reads until `end` has arrived (returns everything up to and including it) or 5 s pass.
  std::string read_until(const std::string& end) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (true) {
      if (size_t at = buffer_.find(end); at != std::string::npos) {
        std::string out = buffer_.substr(0, at + end.size());
        buffer_.erase(0, at + end.size());
        return out;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "TIMEOUT after: " + buffer_;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[512];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return "CLOSED after: " + buffer_;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  // True when the server closes the connection within 5 s.
  bool closed() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return false;
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

class ConsoleServerTest : public ::testing::Test {
 protected:
  ConsoleServerTest()
      : dir_(std::filesystem::path(testing::TempDir()) /
             ("console_test_" + std::to_string(::getpid()))),
        device_({}, fs_) {
    std::filesystem::create_directories(dir_);
  }
  ~ConsoleServerTest() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path token_file(const std::string& contents) {
    auto path = dir_ / "token";
    std::ofstream(path) << contents;
    return path;
  }

  std::filesystem::path dir_;
  uiw::sim::VirtualFs fs_;
  uiw::sim::SimDevice device_;
};

const std::string kOk = "OK\r\n";

TEST_F(ConsoleServerTest, AsksForTheTokenAndSetsTheAccelerometer) {
  auto token = token_file("s3cret\n");
  uiw::sim::ConsoleServer console(device_, token.string());
  console.listen(0);
  console.start();
  ConsoleClient c(console.port());
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.read_until(kOk),
            "Android Console: Authentication required\r\n"
            "Android Console: type 'auth <auth_token>' to authenticate\r\n"
            "Android Console: you can find your <auth_token> in \r\n'" +
                token.string() + "'\r\nOK\r\n");
  c.send("sensor get acceleration");
  EXPECT_EQ(c.read_until("\r\n"), "KO: unknown command, try 'help'\r\n");
  c.send("auth wrong");
  EXPECT_EQ(c.read_until("\r\n"),
            "KO: authentication token does not match ~/.emulator_console_auth_token\r\n");
  c.send("auth s3cret");
  EXPECT_EQ(c.read_until(kOk), "Android Console: type 'help' for a list of commands\r\nOK\r\n");

  c.send("sensor get acceleration");
  EXPECT_EQ(c.read_until(kOk), "acceleration = 0:9.81:0\r\nOK\r\n");
  c.send("sensor set acceleration 2.5:12.31:-1");
  EXPECT_EQ(c.read_until("\r\n"), kOk);
  auto a = device_.acceleration();
  EXPECT_DOUBLE_EQ(a[0], 2.5);
  EXPECT_DOUBLE_EQ(a[1], 12.31);
  EXPECT_DOUBLE_EQ(a[2], -1);
  c.send("sensor get acceleration");
  EXPECT_EQ(c.read_until(kOk), "acceleration = 2.5:12.31:-1\r\nOK\r\n");
  c.send("sensor set acceleration banana");
  EXPECT_EQ(c.read_until("\r\n").rfind("KO: ", 0), 0u);
  c.send("fly away");
  EXPECT_EQ(c.read_until("\r\n"), "KO: unknown command, try 'help'\r\n");
  c.send("help");
  std::string help = c.read_until(kOk);
  EXPECT_NE(help.find("sensor"), std::string::npos) << help;
  EXPECT_NE(help.find("kill"), std::string::npos);
  console.stop();
}

TEST_F(ConsoleServerTest, EmptyTokenFileMeansNoAuthAndClientsAreServedTogether) {
  uiw::sim::ConsoleServer console(device_, token_file("").string());
  console.listen(0);
  console.start();
  ConsoleClient a(console.port()), b(console.port());
  EXPECT_EQ(a.read_until(kOk), "Android Console: type 'help' for a list of commands\r\nOK\r\n");
  EXPECT_EQ(b.read_until(kOk), "Android Console: type 'help' for a list of commands\r\nOK\r\n");
  b.send("sensor set acceleration 0:20:0");
  EXPECT_EQ(b.read_until("\r\n"), kOk);
  a.send("sensor get acceleration");
  EXPECT_EQ(a.read_until(kOk), "acceleration = 0:20:0\r\nOK\r\n");
  a.send("quit");
  EXPECT_TRUE(a.closed());
  b.send("ping");
  EXPECT_EQ(b.read_until(kOk), "I am alive!\r\nOK\r\n");
}

TEST_F(ConsoleServerTest, MissingTokenFileIsCreatedWithARandomToken) {
  auto path = dir_ / "fresh_token";
  uiw::sim::ConsoleServer console(device_, path.string());
  console.listen(0);
  console.start();
  std::ifstream in(path);
  std::string token;
  in >> token;
  EXPECT_EQ(token.size(), 16u);
  ConsoleClient c(console.port());
  c.read_until(kOk);
  c.send("auth " + token);
  EXPECT_EQ(c.read_until(kOk), "Android Console: type 'help' for a list of commands\r\nOK\r\n");
}

TEST_F(ConsoleServerTest, KillAnswersThenCallsBack) {
  uiw::sim::ConsoleServer console(device_, token_file("").string());
  std::atomic<bool> killed{false};
  console.on_kill([&] {
    killed = true;
    console.stop();  // what main does: stop everything from the callback
  });
  console.listen(0);
  console.start();
  ConsoleClient c(console.port());
  c.read_until(kOk);
  c.send("kill");
  EXPECT_EQ(c.read_until("\r\n"), "OK: killing emulator, bye bye\r\n");
  EXPECT_TRUE(c.closed());
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!killed && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(killed);
}

TEST_F(ConsoleServerTest, BusyPortIsNamedInTheError) {
  uiw::sim::ConsoleServer first(device_, token_file("").string());
  first.listen(0);
  uiw::sim::ConsoleServer second(device_, token_file("").string());
  try {
    second.listen(first.port());
    FAIL() << "no error";
  } catch (const uiw::Error& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos)
        << e.what();
  }
}

}  // namespace
