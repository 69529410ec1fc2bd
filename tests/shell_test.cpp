// The simulated /system/bin/sh: how command lines are split and run, and what the basic
// commands print, as adb's users see it.
#include "simdevice/shell.h"

#include <gtest/gtest.h>

#include "simdevice/basic_commands.h"
#include "simdevice/device_profile.h"
#include "simdevice/virtual_fs.h"

namespace {

using uiw::sim::DeviceProfile;
using uiw::sim::Shell;
using uiw::sim::ShellIo;
using uiw::sim::VirtualFs;

// What a client would see on its two streams.
class CapturedIo : public ShellIo {
 public:
  std::string out, err, in;
  bool gone = false;
  bool write_out(std::string_view b) override {
    out.append(b);
    return !gone;
  }
  bool write_err(std::string_view b) override {
    err.append(b);
    return !gone;
  }
  bool read_in(std::string& chunk) override {
    if (in.empty() || gone) return false;
    chunk = std::move(in);
    in.clear();
    return true;
  }
  bool cancelled() const override { return gone; }
  bool sleep_for(std::chrono::milliseconds) override { return !gone; }
};

class ShellTest : public ::testing::Test {
 protected:
  ShellTest() {
    uiw::sim::register_basic_commands(shell_, fs_, profile_);
    shell_.add("args", [](const std::vector<std::string>& argv, ShellIo& io) {
      for (size_t i = 1; i < argv.size(); ++i) io.write_out("<" + argv[i] + ">");
      io.write_out("\n");
      return 0;
    });
    shell_.add("both", [](const std::vector<std::string>&, ShellIo& io) {
      io.write_out("to-out\n");
      io.write_err("to-err\n");
      return 3;
    });
  }

  struct Run {
    int status;
    std::string out, err;
  };
  Run run(std::string_view line, std::string stdin_bytes = "") {
    CapturedIo io;
    io.in = std::move(stdin_bytes);
    const int status = shell_.run(line, io);
    return {status, io.out, io.err};
  }

  DeviceProfile profile_;
  VirtualFs fs_;
  Shell shell_;
};

TEST_F(ShellTest, SplitsWordsAsShDoes) {
  EXPECT_EQ(run("args a  'b c' \"d e\" f\\ g").out, "<a><b c><d e><f g>\n");
  EXPECT_EQ(run("args 'it'\\''s' \"say \\\"hi\\\"\" \"back\\\\slash\"").out,
            "<it's><say \"hi\"><back\\slash>\n");
  EXPECT_EQ(run("args '' \"\"").out, "<><>\n");
  EXPECT_EQ(run("args a'b'\"c\"d").out, "<abcd>\n");
}

TEST_F(ShellTest, SpecialCharactersInsideQuotesAreLiteral) {
  EXPECT_EQ(run("args '$HOME' '|' '&&' '>' \"a;b\" \"$x\"").out, "<$HOME><|><&&><>><a;b><$x>\n");
  // What `adb exec-out screencap -p` sends: every argument after the first single-quoted.
  EXPECT_EQ(run("args '-p' 'two words'").out, "<-p><two words>\n");
}

TEST_F(ShellTest, SequencesAndConditionals) {
  EXPECT_EQ(run("echo a; echo b").out, "a\nb\n");
  EXPECT_EQ(run("true && echo yes || echo no").out, "yes\n");
  EXPECT_EQ(run("false && echo yes || echo no").out, "no\n");
  EXPECT_EQ(run("false || false").status, 1);
  EXPECT_EQ(run("false; true").status, 0);
  EXPECT_EQ(run("echo a\necho b").out, "a\nb\n");
}

TEST_F(ShellTest, ExitStopsTheLineWithItsCode) {
  const auto r = run("echo first; exit 7; echo never");
  EXPECT_EQ(r.status, 7);
  EXPECT_EQ(r.out, "first\n");
  EXPECT_EQ(run("false; exit").status, 1);
}

TEST_F(ShellTest, AdbLogcatPrefixRunsTheCommand) {
  // `adb logcat -d` becomes exactly this line; `export` is accepted and `exec` runs the rest.
  const auto r = run("export ANDROID_LOG_TAGS=\"\"; exec echo -d");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "-d\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(run("exec echo once; echo never").out, "once\n");
  EXPECT_EQ(run("FOO=bar echo with-env").out, "with-env\n");
}

TEST_F(ShellTest, UnknownCommandAnswersLikeAndroid) {
  const auto r = run("nosuchtool --flag");
  EXPECT_EQ(r.status, 127);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "/system/bin/sh: nosuchtool: inaccessible or not found\n");
  EXPECT_EQ(run("/system/bin/echo full path").out, "full path\n");
}

TEST_F(ShellTest, RedirectionsBetweenStreams) {
  auto r = run("both 2>&1");
  EXPECT_EQ(r.out, "to-out\nto-err\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.status, 3);
  r = run("both >&2");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "to-out\nto-err\n");
  r = run("both 1>&2");
  EXPECT_EQ(r.err, "to-out\nto-err\n");
  r = run("both 2>/dev/null");
  EXPECT_EQ(r.out, "to-out\n");
  EXPECT_EQ(r.err, "");
  r = run("both >/dev/null 2>&1");
  EXPECT_EQ(r.out + r.err, "");
}

TEST_F(ShellTest, UnsupportedSyntaxIsAClearError) {
  auto r = run("echo a | cat");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("pipes are not supported"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  r = run("echo a > /sdcard/x");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/sdcard/x"), std::string::npos) << r.err;
  r = run("echo 'unterminated");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unterminated"), std::string::npos);
}

TEST_F(ShellTest, EchoAndSleep) {
  EXPECT_EQ(run("echo -n no newline").out, "no newline");
  EXPECT_EQ(run("echo").out, "\n");
  EXPECT_EQ(run("sleep 0.01").status, 0);
  const auto bad = run("sleep soon");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("soon"), std::string::npos);
}

TEST_F(ShellTest, CatPrintsFilesAndNamesMissingOnes) {
  fs_.write("/sdcard/a.txt", "alpha\n");
  auto r = run("cat /sdcard/a.txt /sdcard/nope.txt");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "alpha\n");
  EXPECT_EQ(r.err, "cat: /sdcard/nope.txt: No such file or directory\n");
  EXPECT_EQ(run("cat", "piped stdin").out, "piped stdin");
}

TEST_F(ShellTest, RmLsMkdir) {
  fs_.write("/sdcard/Download/one.txt", "1");
  fs_.write("/sdcard/Download/two.txt", "22");
  EXPECT_EQ(run("ls /sdcard/Download").out, "one.txt\ntwo.txt\n");
  EXPECT_EQ(run("rm /sdcard/Download/one.txt").status, 0);
  EXPECT_EQ(run("ls /sdcard/Download").out, "two.txt\n");
  auto r = run("rm /sdcard/Download/one.txt");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "rm: /sdcard/Download/one.txt: No such file or directory\n");
  EXPECT_EQ(run("rm -f /sdcard/Download/one.txt").status, 0);
  EXPECT_EQ(run("rm /sdcard/Download").status, 1);
  EXPECT_EQ(run("rm -rf /sdcard/Download").status, 0);
  EXPECT_FALSE(fs_.stat("/sdcard/Download"));

  EXPECT_EQ(run("mkdir /sdcard/x/y").status, 1);
  EXPECT_EQ(run("mkdir -p /sdcard/x/y").status, 0);
  EXPECT_TRUE(fs_.stat("/sdcard/x/y")->is_dir());
  EXPECT_EQ(run("mkdir /sdcard/x").err, "mkdir: '/sdcard/x': File exists\n");

  const auto missing = run("ls /nowhere");
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "ls: /nowhere: No such file or directory\n");
  const auto long_list = run("ls -l /sdcard/x");
  EXPECT_TRUE(long_list.out.starts_with("total ")) << long_list.out;
  EXPECT_NE(long_list.out.find(" y\n"), std::string::npos);
  EXPECT_EQ(long_list.out.find("drwx"), 8u);
}

TEST_F(ShellTest, GetpropAndWm) {
  EXPECT_EQ(run("getprop ro.product.model").out, "uiwitness_sim\n");
  EXPECT_EQ(run("getprop no.such.prop").out, "\n");
  const std::string all = run("getprop").out;
  EXPECT_NE(all.find("[sys.boot_completed]: [1]\n"), std::string::npos);
  EXPECT_NE(all.find("[ro.sf.lcd_density]: [420]\n"), std::string::npos);
  EXPECT_NE(all.find("[ro.product.cpu.abi]: [x86_64]\n"), std::string::npos);
  EXPECT_LT(all.find("[dev.bootcomplete]"), all.find("[sys.boot_completed]"));
  EXPECT_EQ(run("wm size").out, "Physical size: 1080x2400\n");
  EXPECT_EQ(run("wm density").out, "Physical density: 420\n");
}

TEST_F(ShellTest, ACommandThatThrowsFailsOnlyItself) {
  shell_.add("boom", [](const std::vector<std::string>&, ShellIo&) -> int {
    throw std::runtime_error("it broke");
  });
  const auto r = run("boom; echo after");
  EXPECT_EQ(r.err, "boom: it broke\n");
  EXPECT_EQ(r.out, "after\n");
}

TEST(DeviceProfileTest, BannerCarriesIdentityAndFeatures) {
  DeviceProfile profile;
  profile.model = "Pixel_7";
  const std::string banner = profile.connect_banner();
  EXPECT_TRUE(banner.starts_with("device::ro.product.name=sdk_gphone64_x86_64;")) << banner;
  EXPECT_NE(banner.find("ro.product.model=Pixel_7;"), std::string::npos);
  EXPECT_NE(banner.find("features=shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir"), std::string::npos);
}

}  // namespace
