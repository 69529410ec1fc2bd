// The simulator speaks the ADB transport well enough that the real adb cannot tell it from a
// phone: listing, shell v2 exit codes and stream separation, exec-out, push/pull, many streams
// and many devices at once, and survival of garbage and of its own death.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "simdevice/adb_connection.h"
#include "simdevice/adb_message.h"
#include "simdevice/device_profile.h"
#include "simdevice/shell_io.h"
#include "simdevice/virtual_fs.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

using uiw::test::SimSession;
namespace fs = std::filesystem;

class SimTransport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    session_ = new SimSession();
    sim_ = new SimSession::Sim(session_->start_sim({}));
  }
  static void TearDownTestSuite() {
    delete sim_;
    delete session_;  // stops the simulators and the private adb server
    sim_ = nullptr;
    session_ = nullptr;
  }

  static SimSession::Result adb(std::vector<std::string> args) {
    args.insert(args.begin(), {"-s", sim_->serial});
    return session_->adb(args);
  }

  static std::string temp_path(const std::string& name) {
    return (fs::temp_directory_path() /
            ("uiw-transport-" + std::to_string(::getpid()) + "-" + name))
        .string();
  }

  static SimSession* session_;
  static SimSession::Sim* sim_;
};

SimSession* SimTransport::session_ = nullptr;
SimSession::Sim* SimTransport::sim_ = nullptr;

// A client of the adb server's host protocol, as the harness's hot path speaks it: one socket,
// `host:transport:SERIAL`, then the service, then its bytes until EOF.
std::string host_service(int adb_port, const std::string& serial, const std::string& service) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "socket failed";
  timeval timeout{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(adb_port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string reply;
  for (const std::string& request : {"host:transport:" + serial, service}) {
    char length[5];
    std::snprintf(length, sizeof length, "%04zx", request.size());
    const std::string framed = length + request;
    ::send(fd, framed.data(), framed.size(), MSG_NOSIGNAL);
    char status[4];
    if (::recv(fd, status, 4, MSG_WAITALL) != 4 || std::string(status, 4) != "OKAY") {
      reply = "FAIL";
      break;
    }
  }
  char buffer[4096];
  ssize_t n;
  while (reply != "FAIL" && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
    reply.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(SimTransport, DevicesListsTheSimulatorWithItsIdentity) {
  const auto r = session_->adb({"devices", "-l"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::string found;
  while (std::getline(lines, line)) {
    if (line.starts_with(sim_->serial + " ")) found = line;
  }
  ASSERT_FALSE(found.empty()) << r.out;
  EXPECT_NE(found.find(" device "), std::string::npos) << found;
  EXPECT_NE(found.find("product:sdk_gphone64_x86_64"), std::string::npos) << found;
  EXPECT_NE(found.find("model:uiwitness_sim"), std::string::npos) << found;
  EXPECT_NE(found.find("device:emu64x"), std::string::npos) << found;
}

TEST_F(SimTransport, ShellExitCodeBecomesAdbExitCode) {
  EXPECT_EQ(adb({"shell", "exit", "7"}).exit_code, 7);
  EXPECT_EQ(adb({"shell", "true"}).exit_code, 0);
  EXPECT_EQ(adb({"shell", "false"}).exit_code, 1);
}

TEST_F(SimTransport, StdoutAndStderrStaySeparate) {
  const auto missing = adb({"shell", "echo before; cat /missing"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "before\n");
  EXPECT_EQ(missing.err, "cat: /missing: No such file or directory\n");

  const auto unknown = adb({"shell", "frobnicate", "--now"});
  EXPECT_EQ(unknown.exit_code, 127);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err, "/system/bin/sh: frobnicate: inaccessible or not found\n");
}

TEST_F(SimTransport, GetpropAnswersTheProfile) {
  const auto r = adb({"shell", "getprop", "ro.build.version.sdk"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "34\n");
  EXPECT_EQ(adb({"shell", "getprop", "sys.boot_completed"}).out, "1\n");
  EXPECT_EQ(adb({"shell", "wm", "size"}).out, "Physical size: 1080x2400\n");
}

TEST_F(SimTransport, ExecOutKeepsQuotedArguments) {
  // adb single-quotes every argument after the first; the device's shell must unquote them.
  const auto r = adb({"exec-out", "echo", "two  spaces", "it's", "$HOME|x>y"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "two  spaces it's $HOME|x>y\n");
}

TEST_F(SimTransport, HostProtocolClientsSeeShellV2FramingAndLegacyRawShell) {
  // shell v2: [id][u32 length][bytes] packets, stdout (1), stderr (2), then the exit code (3).
  const std::string v2 =
      host_service(session_->adb_port(), sim_->serial, "shell,v2,raw:echo hi; cat /nope");
  const auto packet = [](char id, const std::string& bytes) {
    const auto n = static_cast<uint32_t>(bytes.size());
    return std::string{id, static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                       static_cast<char>((n >> 16) & 0xff), static_cast<char>(n >> 24)} +
           bytes;
  };
  const std::string expected_v2 = packet(1, "hi\n") +
                                  packet(2, "cat: /nope: No such file or directory\n") +
                                  packet(3, std::string(1, '\x01'));
  EXPECT_EQ(v2, expected_v2);
  // Legacy shell: raw bytes, stderr mixed in, no exit code.
  EXPECT_EQ(host_service(session_->adb_port(), sim_->serial, "shell:echo hi; cat /nope"),
            "hi\ncat: /nope: No such file or directory\n");
  EXPECT_EQ(host_service(session_->adb_port(), sim_->serial, "exec:echo 'a  b'"), "a  b\n");
  // An unknown service is refused, and the device stays up.
  EXPECT_EQ(host_service(session_->adb_port(), sim_->serial, "frobnicate:now"), "FAIL");
  EXPECT_EQ(adb({"shell", "echo", "ok"}).out, "ok\n");
}

TEST_F(SimTransport, AdbLsListsAFolder) {
  const auto r = adb({"ls", "/sdcard"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" Download\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" DCIM\n"), std::string::npos) << r.out;
}

TEST_F(SimTransport, InteractiveShellReadsCommandsFromStdin) {
  // `adb shell` without a command on a non-tty stdin: lines are a script. Stdin is /dev/null
  // here, so the shell ends at once with status 0.
  const auto r = adb({"shell"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(SimTransport, PushThenPullKeepsEveryByte) {
  std::string data(5 * 1024 * 1024, '\0');
  std::mt19937_64 rng(42);
  for (size_t i = 0; i + 8 <= data.size(); i += 8) {
    const uint64_t v = rng();
    std::memcpy(&data[i], &v, 8);
  }
  const std::string local = temp_path("random.bin");
  const std::string back = temp_path("random.back");
  {
    std::ofstream out(local, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  const auto push = adb({"push", local, "/sdcard/Download/random.bin"});
  ASSERT_EQ(push.exit_code, 0) << push.out << push.err;
  const auto pull = adb({"pull", "/sdcard/Download/random.bin", back});
  ASSERT_EQ(pull.exit_code, 0) << pull.out << pull.err;
  EXPECT_EQ(uiw::test::sha256_hex(read_file(back)), uiw::test::sha256_hex(data));

  const auto ls = adb({"shell", "ls", "/sdcard/Download"});
  EXPECT_NE(ls.out.find("random.bin\n"), std::string::npos) << ls.out;
  const auto ls_l = adb({"shell", "ls", "-l", "/sdcard/Download/random.bin"});
  EXPECT_NE(ls_l.out.find("5242880"), std::string::npos) << ls_l.out;
  fs::remove(local);
  fs::remove(back);
}

TEST_F(SimTransport, PushIntoMissingFoldersCreatesThem) {
  const std::string local = temp_path("note.txt");
  std::ofstream(local) << "hello from the host\n";
  const auto push = adb({"push", local, "/data/local/tmp/new/deeper/note.txt"});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  EXPECT_EQ(adb({"shell", "cat", "/data/local/tmp/new/deeper/note.txt"}).out,
            "hello from the host\n");
  fs::remove(local);
}

TEST_F(SimTransport, PullOfAMissingFileFailsNamingIt) {
  const auto r = adb({"pull", "/sdcard/no-such-file.png", temp_path("never")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("/sdcard/no-such-file.png"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(temp_path("never")));
}

TEST_F(SimTransport, TenConcurrentShellsEachGetTheirOwnOutput) {
  std::vector<SimSession::Result> results(10);
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&results, i] {
      results[i] = adb(
          {"shell", "sleep 0.2; echo stream-" + std::to_string(i) + "; exit " + std::to_string(i)});
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(results[i].out, "stream-" + std::to_string(i) + "\n") << results[i].err;
    EXPECT_EQ(results[i].exit_code, i);
  }
}

TEST_F(SimTransport, FourSimulatorsAtOnceAreListedAndAnswer) {
  std::vector<SimSession::Sim> sims;
  for (int i = 0; i < 3; ++i) {
    sims.push_back(session_->start_sim({}, {"--serial-name", "multi" + std::to_string(i)}));
  }
  sims.push_back(*sim_);
  const auto devices = session_->adb({"devices"});
  for (const auto& sim : sims) {
    EXPECT_NE(devices.out.find(sim.serial + "\tdevice"), std::string::npos) << devices.out;
    const auto r = session_->adb({"-s", sim.serial, "shell", "echo", sim.serial});
    EXPECT_EQ(r.out, sim.serial + "\n");
  }
  for (int i = 0; i < 3; ++i) {
    const auto r = session_->adb({"-s", sims[i].serial, "shell", "getprop", "ro.serialno"});
    EXPECT_EQ(r.out, "multi" + std::to_string(i) + "\n");
    session_->stop_sim(sims[i]);
  }
}

TEST_F(SimTransport, GarbageFromAStrangerDoesNotKillTheDevice) {
  for (const std::string& garbage :
       {std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), std::string(24, '\xff'),
        // A well-formed header announcing an absurd payload, then an abrupt close.
        std::string("WRTE\x01\0\0\0\x01\0\0\0\xff\xff\xff\x7f\0\0\0\0\xa8\xad\xab\xba", 24)}) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(sim_->port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::send(fd, garbage.data(), garbage.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(garbage.size()));
    // An abrupt close: RST instead of FIN.
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
  }
  const auto r = adb({"shell", "echo", "still here"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "still here\n");
}

TEST_F(SimTransport, AFixtureAppIsInstalledAndDrawnThroughAdb) {
  const SimSession::Sim sim =
      session_->start_sim({uiw::test::source_path("fixtures/apps/popup_fake_close.yaml")});
  const auto packages = session_->adb({"-s", sim.serial, "shell", "pm", "list", "packages"});
  EXPECT_EQ(packages.exit_code, 0) << packages.err;
  EXPECT_NE(packages.out.find("package:com.uiw.fixture.duanju\n"), std::string::npos)
      << packages.out;

  // `adb logcat -d` arrives as `export ANDROID_LOG_TAGS=""; exec logcat -d`.
  const auto logcat = session_->adb({"-s", sim.serial, "logcat", "-d"});
  EXPECT_EQ(logcat.exit_code, 0) << logcat.err;
  EXPECT_FALSE(logcat.out.empty());

  const auto png = session_->adb({"-s", sim.serial, "exec-out", "screencap", "-p"});
  ASSERT_EQ(png.exit_code, 0) << png.err;
  ASSERT_GT(png.out.size(), 24u);
  EXPECT_EQ(png.out.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // IHDR width and height, big-endian: 1080 × 2400, the default screen.
  EXPECT_EQ(png.out.substr(16, 8), std::string("\0\0\x04\x38\0\0\x09\x60", 8));
  session_->stop_sim(sim);
}

TEST_F(SimTransport, AKilledSimulatorGoesOfflineAndComesBackWhenRestarted) {
  const SimSession::Sim sim = session_->start_sim({});
  ASSERT_EQ(session_->adb({"-s", sim.serial, "shell", "echo", "up"}).out, "up\n");
  session_->kill_sim(sim);
  EXPECT_TRUE(session_->wait_for_state(sim.serial, "offline", std::chrono::seconds(20)))
      << session_->adb({"devices"}).out;
  const auto offline = session_->adb({"-s", sim.serial, "shell", "echo", "up"});
  EXPECT_NE(offline.exit_code, 0);

  session_->restart_sim(sim);
  EXPECT_EQ(session_->device_state(sim.serial), "device");
  EXPECT_EQ(session_->adb({"-s", sim.serial, "shell", "echo", "back"}).out, "back\n");
  session_->stop_sim(sim);
}

// Found by fuzz/sim_transport_fuzzer: a shell v2 stdin packet whose length field says ~4 GiB made
// the simulator allocate it before reading a byte. It must end that stream with CLSE instead.
TEST(SimTransportFuzzRegression, AHugeShellStdinPacketClosesItsStream) {
  std::ifstream in(uiw::test::source_path("fixtures/fuzz/regressions/sim_transport_fuzzer/"
                                          "shell-stdin-huge-length"),
                   std::ios::binary);
  ASSERT_TRUE(in);
  const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Its CNXN, OPEN shell,v2: and WRTE; the garbage after them would drop the whole connection
  // and race the stream's own error.
  size_t end = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_LE(end + uiw::sim::kAdbHeaderSize, saved.size());
    uint32_t length = 0;
    for (int b = 3; b >= 0; --b)
      length = length << 8 | static_cast<unsigned char>(saved[end + 12 + static_cast<size_t>(b)]);
    end += uiw::sim::kAdbHeaderSize + length;
  }
  ASSERT_LE(end, saved.size());

  struct NoCommands : uiw::sim::CommandRunner {
    int run(std::string_view, uiw::sim::ShellIo&) override { return 0; }
  } runner;
  uiw::sim::DeviceProfile profile;
  uiw::sim::VirtualFs vfs;
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  uiw::sim::AdbConnection connection(fds[0], {profile, runner, vfs}, "regression");
  connection.start();
  ASSERT_EQ(::send(fds[1], saved.data(), end, MSG_NOSIGNAL), static_cast<ssize_t>(end));

  // Replies until CLSE for the client's stream 5, or 10 s.
  timeval wait{10, 0};
  ::setsockopt(fds[1], SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  bool closed = false;
  std::string buffer;
  char chunk[4096];
  while (!closed) {
    const ssize_t n = ::recv(fds[1], chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    while (buffer.size() >= uiw::sim::kAdbHeaderSize) {
      std::array<unsigned char, uiw::sim::kAdbHeaderSize> raw;
      std::memcpy(raw.data(), buffer.data(), raw.size());
      const auto header = uiw::sim::AdbHeader::decode(raw);
      ASSERT_TRUE(header);
      if (buffer.size() < raw.size() + header->length) break;
      buffer.erase(0, raw.size() + header->length);
      if (header->command == uiw::sim::adb_command::kClse && header->arg1 == 5) closed = true;
    }
  }
  EXPECT_TRUE(closed) << "the stream with the corrupt stdin packet was not closed";
  ::shutdown(fds[1], SHUT_RDWR);
  connection.shutdown();
  connection.join();
  ::close(fds[1]);
}

}  // namespace
