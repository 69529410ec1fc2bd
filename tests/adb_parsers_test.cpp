// Unit tests of uiw::adb's parsers and encoders: what they get from real devices (formats from
// recorded from Debian's adb and real phones) must come out as a user of the harness expects.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <opencv2/imgcodecs.hpp>

#include "adb/adb_client.h"
#include "adb/dumpsys_parser.h"
#include "adb/logcat_parser.h"
#include "adb/screencap_decoder.h"
#include "adb/server_address.h"
#include "adb/shell_quote.h"
#include "adb/shell_v2.h"
#include "adb/sync_client.h"
#include "common/error.h"
#include "tests/support/paths.h"

namespace uiw::adb {
namespace {

std::string packet(uint8_t id, std::string_view payload) {
  return ShellV2Parser::encode(static_cast<ShellV2Parser::PacketId>(id), payload);
}

TEST(ShellV2Parser, KeepsStdoutStderrAndExitApartAcrossArbitrarySplits) {
  const std::string stream = packet(1, "out1\n") + packet(2, "err1\n") + packet(1, "out2\n") +
                             packet(3, std::string(1, 42));
  for (size_t step = 1; step <= stream.size(); ++step) {
    ShellV2Parser parser;
    for (size_t i = 0; i < stream.size(); i += step) parser.feed(stream.substr(i, step));
    ASSERT_TRUE(parser.has_exit()) << "step " << step;
    EXPECT_EQ(parser.result().out, "out1\nout2\n");
    EXPECT_EQ(parser.result().err, "err1\n");
    EXPECT_EQ(parser.result().exit_code, 42);
  }
}

TEST(ShellV2Parser, ACutStreamHasNoExitCode) {
  ShellV2Parser parser;
  parser.feed(packet(1, "partial").substr(0, 7));
  EXPECT_FALSE(parser.has_exit());
  EXPECT_GT(parser.pending(), 0u);
}

TEST(ShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("com.pkg/.Main"), "com.pkg/.Main");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("$HOME;ls|x&y"), "'$HOME;ls|x&y'");
}

TEST(ShellQuote, InputTextWritesSpacesAsPercentSAndSplitsALiteralPercentS) {
  EXPECT_EQ(input_text_command("hello world"), "input text hello%sworld");
  EXPECT_EQ(input_text_command("100%sure"), "input text 100% && input text sure");
  EXPECT_EQ(input_text_command("a;b"), "input text 'a;b'");
  EXPECT_EQ(input_text_command(""), "");
}

TEST(ServerAddress, FollowsTheEnvironmentLikeAdb) {
  unsetenv("ADB_SERVER_SOCKET");
  unsetenv("ANDROID_ADB_SERVER_PORT");
  EXPECT_EQ(ServerAddress::from_environment().to_string(), "127.0.0.1:5037");
  setenv("ANDROID_ADB_SERVER_PORT", "6123", 1);
  EXPECT_EQ(ServerAddress::from_environment().port, 6123);
  setenv("ADB_SERVER_SOCKET", "tcp:farm-host-7:5038", 1);
  const ServerAddress remote = ServerAddress::from_environment();
  EXPECT_EQ(remote.host, "farm-host-7");
  EXPECT_EQ(remote.port, 5038);
  EXPECT_FALSE(remote.is_local());
  setenv("ADB_SERVER_SOCKET", "localfilesystem:/x", 1);
  try {
    ServerAddress::from_environment();
    FAIL() << "a socket spec we cannot use must be a config error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("tcp:HOST:PORT"), std::string::npos);
  }
  unsetenv("ADB_SERVER_SOCKET");
  unsetenv("ANDROID_ADB_SERVER_PORT");
}

TEST(DeviceList, ParsesDevicesLongListing) {
  const auto list = parse_device_list(
      "127.0.0.1:6001         device product:sdk_gphone64 model:Pixel_7 device:panther "
      "transport_id:3\n"
      "emulator-5554          offline transport_id:1\n"
      "R58M1234               no permissions (user in plugdev group) usb:1-1 transport_id:2\n");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].serial, "127.0.0.1:6001");
  EXPECT_EQ(list[0].state, "device");
  EXPECT_EQ(list[0].model, "Pixel_7");
  EXPECT_EQ(list[0].transport_id, "3");
  EXPECT_EQ(list[1].state, "offline");
  EXPECT_EQ(list[2].state, "no permissions (user in plugdev group)");
  EXPECT_TRUE(is_tcp_serial("127.0.0.1:6001"));
  EXPECT_FALSE(is_tcp_serial("emulator-5554"));
}

TEST(Dumpsys, ResumedActivityOnEveryAndroidVersion) {
  const auto android10 = parse_resumed_activity(
      "  Stack #1:\n    mResumedActivity: ActivityRecord{5e2c1f0 u0 com.uiw.news/.MainActivity "
      "t12}\n");
  ASSERT_TRUE(android10);
  EXPECT_EQ(android10->package, "com.uiw.news");
  EXPECT_EQ(android10->activity, "com.uiw.news.MainActivity");
  const auto android13 = parse_resumed_activity(
      "    topResumedActivity=ActivityRecord{8a1 u0 com.android.chrome/"
      "com.google.android.apps.chrome.Main t40}\n  ResumedActivity: ActivityRecord{8a1 u0 "
      "com.android.chrome/com.google.android.apps.chrome.Main t40}\n");
  ASSERT_TRUE(android13);
  EXPECT_EQ(android13->flatten(), "com.android.chrome/com.google.android.apps.chrome.Main");
  EXPECT_FALSE(parse_resumed_activity("  mResumedActivity: null\n"));
}

TEST(Dumpsys, FocusedWindowAppOrSystem) {
  EXPECT_EQ(parse_focused_window("  mCurrentFocus=Window{4f2a1b3 u0 com.pkg/com.pkg.Main}\n"),
            "com.pkg/com.pkg.Main");
  EXPECT_EQ(
      parse_focused_window("  mCurrentFocus=Window{9d u0 Application Not Responding: com.pkg}\n"),
      "Application Not Responding: com.pkg");
  EXPECT_FALSE(parse_focused_window("  mCurrentFocus=null\n"));
}

TEST(Logcat, ParsesThreadtimeAndStartIntents) {
  const std::string text =
      "--------- beginning of main\n"
      "06-01 12:00:01.123  1234  1250 I ActivityTaskManager: START u0 "
      "{act=android.intent.action.VIEW dat=https://news.example/article/42 flg=0x10000000 "
      "cmp=com.android.chrome/com.google.android.apps.chrome.Main} from uid 10123\n"
      "06-01 12:00:01.200  1234  1250 D SomeTag : unrelated: message\n"
      "06-01 12:00:02.000   555   555 I ActivityManager: START u0 "
      "{act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] "
      "cmp=com.uiw.news/.MainActivity} from uid 2000\n";
  const auto line =
      parse_threadtime_line("06-01 12:00:01.200  1234  1250 D SomeTag : unrelated: message");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->tag, "SomeTag");
  EXPECT_EQ(line->message, "unrelated: message");
  EXPECT_EQ(line->pid, 1234);
  EXPECT_EQ(line->level, 'D');
  const auto intents = parse_start_intents(text);
  ASSERT_EQ(intents.size(), 2u);
  EXPECT_EQ(intents[0].action, "android.intent.action.VIEW");
  EXPECT_EQ(intents[0].data, "https://news.example/article/42");
  EXPECT_EQ(intents[0].component, "com.android.chrome/com.google.android.apps.chrome.Main");
  EXPECT_EQ(intents[1].categories, std::vector<std::string>{"android.intent.category.LAUNCHER"});
  EXPECT_EQ(intents[1].component, "com.uiw.news/.MainActivity");
}

std::string raw_header(uint32_t w, uint32_t h, uint32_t format, bool colour_space) {
  std::string out;
  for (uint32_t v : {w, h, format}) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  if (colour_space) out.append(4, '\0');
  return out;
}

TEST(Screencap, DecodesBothRawHeaderLayoutsToTheSamePixels) {
  // 2x1 RGBA: red, then blue.
  const std::string pixels = std::string("\xff\x00\x00\xff\x00\x00\xff\xff", 8);
  for (bool colour_space : {false, true}) {
    const cv::Mat m = decode_raw_screencap(raw_header(2, 1, 1, colour_space) + pixels);
    ASSERT_EQ(m.cols, 2);
    ASSERT_EQ(m.rows, 1);
    EXPECT_EQ(m.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 255)) << "red, in BGR order";
    EXPECT_EQ(m.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 0, 0)) << "blue, in BGR order";
  }
}

TEST(Screencap, ACutTransferIsAParseErrorNamingTheSizes) {
  try {
    decode_raw_screencap(raw_header(100, 100, 1, true) + std::string(100, '\0'));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kParse);
    EXPECT_NE(std::string(e.what()).find("100x100"), std::string::npos);
  }
  EXPECT_THROW(decode_png_screencap("not a png"), Error);
}

// A SyncClient whose device answers with the bytes of a saved fuzz input (its first byte chose
// the request in fuzz/sync_fuzzer.cpp and is skipped here).
void sync_against_saved_reply(const std::string& name,
                              const std::function<void(SyncClient&)>& request) {
  std::ifstream in(test::source_path("fixtures/fuzz/regressions/sync_fuzzer/" + name),
                   std::ios::binary);
  ASSERT_TRUE(in) << name;
  const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ASSERT_EQ(::send(fds[1], saved.data() + 1, saved.size() - 1, MSG_NOSIGNAL),
            static_cast<ssize_t>(saved.size() - 1));
  ::shutdown(fds[1], SHUT_WR);
  SyncClient sync(HostConnection(TcpSocket::adopt(fds[0], "saved device")), "fuzz-device", false);
  request(sync);
  ::close(fds[1]);
}

// Found by fuzz/sync_fuzzer: a FAIL reply to push (and to pull) whose length field said ~4 GiB
// was allocated as is. A corrupt length is a protocol error naming the device.
TEST(SyncClient, AnAbsurdFailLengthIsAProtocolErrorNotAnAllocation) {
  for (const char* name : {"push-fail-huge-length", "recv-fail-huge-length"}) {
    sync_against_saved_reply(name, [&](SyncClient& sync) {
      try {
        if (std::string_view(name).starts_with("push"))
          sync.push("payload", "/data/local/tmp/f", Deadline::after(5s));
        else
          sync.pull("/sdcard/window_dump.xml", Deadline::after(5s));
        ADD_FAILURE() << name << ": no error";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kProtocol) << name << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find("fuzz-device"), std::string::npos) << e.what();
      }
    });
  }
}

}  // namespace
}  // namespace uiw::adb
