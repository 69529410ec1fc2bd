// Faults a real farm shows, injected by `uiwitness-sim --faults`, against the real `uiwitness
// run`: a one-off fault is retried and the run ends as it would without it; a persistent one ends
// in exit 3 naming what failed. Never a hang (every run has a deadline), never a crash, and the
// evidence bundle always verifies.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "adb/adb_process.h"
#include "adb/screencap_decoder.h"
#include "common/error.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using uiw::test::SimSession;
using Clock = std::chrono::steady_clock;

// A scenario that exercises every capture path: launch, a settled frame, a selector.
constexpr const char* kScenario =
    "name: consent\n"
    "app: com.uiw.fixture.jizhang\n"
    "steps:\n"
    "  - launch: {clear_data: true}\n"
    "  - check\n"
    "  - assert_visible: {text_regex: \".*同意.*\"}\n";

// Far beyond a healthy run here (a few seconds), well below the ctest timeout: a run still going
// at this point hangs.
constexpr auto kRunDeadline = 150s;

class FaultInjection : public testing::Test {
 protected:
  static void SetUpTestSuite() { session_ = new SimSession(); }
  static void TearDownTestSuite() { delete session_; }

  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("fault-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "consent.yaml") << kScenario;
  }

  struct Outcome {
    int exit_code = -1;
    std::string output;  // stdout + stderr
    std::chrono::milliseconds elapsed{0};
    int verify_exit = -1;
    std::string verify_output;
    std::string steps;  // steps.jsonl of the bundle
  };

  static uiw::adb::ProcessResult uiwitness(const std::vector<std::string>& args,
                                           std::chrono::milliseconds deadline = kRunDeadline) {
    return uiw::adb::run_process(
        uiw::test::bin_path("uiwitness"), args,
        {"ANDROID_ADB_SERVER_PORT=" + std::to_string(session_->adb_port()), "ANDROID_SERIAL"},
        uiw::adb::Deadline::after(deadline));
  }

  SimSession::Sim start(const std::string& faults) {
    return session_->start_sim({uiw::test::source_path("fixtures/apps/consent_compliant.yaml")},
                               {"--faults", faults});
  }

  // Runs the scenario on the sim, then verifies the run's bundles.
  Outcome run(const SimSession::Sim& sim) {
    const fs::path out = dir_ / "run";
    const auto start = Clock::now();
    const auto r = uiwitness(
        {"run", (dir_ / "consent.yaml").string(), "--device", sim.serial, "--out", out.string()});
    Outcome o;
    o.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    EXPECT_FALSE(r.timed_out) << "uiwitness run hung: " << r.out << r.err;
    o.exit_code = r.exit_code;
    o.output = r.out + r.err;
    const auto v = uiwitness({"verify", out.string()}, 60s);
    o.verify_exit = v.exit_code;
    o.verify_output = v.out + v.err;
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      if (e.path().filename() == "steps.jsonl") {
        std::ifstream in(e.path());
        o.steps.assign(std::istreambuf_iterator<char>(in), {});
      }
    }
    std::cout << "  run took " << o.elapsed.count() << " ms, exit " << o.exit_code << "\n";
    return o;
  }

  static bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
  }

  static SimSession* session_;
  fs::path dir_;
};

SimSession* FaultInjection::session_ = nullptr;

#define EXPECT_VERIFIES(o) EXPECT_EQ((o).verify_exit, 0) << (o).verify_output

TEST_F(FaultInjection, WithoutFaultsTheScenarioPasses) {
  const auto sim = start("delay=0ms");  // a plan that does nothing: the wrapper alone is inert
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, AMalformedSpecExitsTwoNamingTheBadPart) {
  const auto r =
      uiw::adb::run_process(uiw::test::bin_path("uiwitness-sim"),
                            {"--port", "6999", "--faults", "delay=1s,corupt-png@first:1"}, {},
                            uiw::adb::Deadline::after(10s));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "'corupt-png@first:1'")) << r.err;
  EXPECT_TRUE(has(r.err, "unknown fault")) << r.err;
}

// ---- uiautomator dump: "could not get idle state"

TEST_F(FaultInjection, OneIdleStateFailureIsRetried) {
  // The first failure is shown to adb itself, proving the fault is live; the second hits the run.
  const auto sim = start("dump-idle-fail@first:2");
  const auto direct = session_->adb({"-s", sim.serial, "shell", "uiautomator", "dump", "/dev/tty"});
  EXPECT_TRUE(has(direct.out + direct.err, "ERROR: could not get idle state.")) << direct.out;
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, PersistentIdleStateFailureIsNamedAndTheEvidenceSaysPixelsOnly) {
  const auto sim = start("dump-idle-fail");
  const Outcome o = run(sim);
  // Screens that animate forever never get idle: the harness goes on with pixels (OCR finds
  // the text) and each step says why its tree is missing. A selector it could not see would end
  // in exit 3 naming the dump failure.
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o.steps, "\"tree_error\"")) << o.steps;
  EXPECT_TRUE(has(o.steps, "could not get idle state")) << o.steps;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, AbsenceIsNotAssertedOnFramesWithoutAHierarchy) {
  // A tree selector found nowhere in frames the device gave no hierarchy for may still be on
  // screen: the step ends in exit 3 naming the dump failure instead of passing. A pixel
  // selector's absence still counts.
  std::ofstream(dir_ / "consent.yaml")
      << "name: consent\n"
         "app: com.uiw.fixture.jizhang\n"
         "steps:\n"
         "  - launch: {clear_data: true}\n"
         "  - assert_not_visible: {ocr: \"no such words\"}\n"
         "  - assert_not_visible: {id: no_such_view, timeout: 2s}\n";
  const auto sim = start("dump-idle-fail");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_TRUE(has(o.output, "cannot tell whether id no_such_view is on screen")) << o.output;
  EXPECT_TRUE(has(o.output, "could not get idle state")) << o.output;
  EXPECT_TRUE(has(o.steps, R"(ocr \"no such words\"","outcome":"passed")"))
      << "the ocr assertion did not pass: " << o.steps;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

// ---- uiautomator dump cut short

TEST_F(FaultInjection, OneTruncatedDumpIsRetried) {
  const auto sim = start("truncate-dump@first:2");
  const auto direct = session_->adb({"-s", sim.serial, "shell", "uiautomator", "dump", "/dev/tty"});
  EXPECT_FALSE(has(direct.out, "</hierarchy>")) << "the dump was not cut";
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, PersistentlyTruncatedDumpsAreNamed) {
  const auto sim = start("truncate-dump");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o.steps, "wrote no hierarchy")) << o.steps;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

// ---- corrupt PNG screenshots (raw-unsupported sends the client to `screencap -p`)

TEST_F(FaultInjection, OneCorruptPngIsRetried) {
  const auto sim = start("raw-unsupported,corrupt-png@first:2");
  const auto direct = session_->adb({"-s", sim.serial, "exec-out", "screencap", "-p"});
  EXPECT_THROW(uiw::adb::decode_png_screencap(direct.out), uiw::Error);
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, PersistentlyCorruptPngsEndInAnInfrastructureError) {
  const auto sim = start("raw-unsupported,corrupt-png");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_TRUE(has(o.output, "screenshot is not a valid PNG")) << o.output;
  EXPECT_TRUE(has(o.output, "failed 3 times")) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

// ---- slow replies

TEST_F(FaultInjection, DelayedRepliesUnderTheDeadlineOnlySlowTheRun) {
  const auto sim = start("delay=300ms@every:2");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, AReplyBeyondTheDeadlineEndsInATimeout) {
  // Longer than the runner's 20 s per device call: the call gives up, the run does not hang.
  const auto sim = start("delay=60s:screencap");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_TRUE(has(o.output, "screencap")) << o.output;
  EXPECT_TRUE(has(o.output, "did not finish within") || has(o.output, "sent no image within"))
      << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

// ---- shell commands exiting non-zero

TEST_F(FaultInjection, OneFailedForegroundQueryIsRetried) {
  const auto sim = start("shell-exit=1:dumpsys activity@first:2");
  const auto direct = session_->adb({"-s", sim.serial, "shell", "dumpsys", "activity"});
  EXPECT_EQ(direct.exit_code, 1) << direct.out << direct.err;
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, APersistentlyFailingForegroundQueryEndsInAnInfrastructureError) {
  const auto sim = start("shell-exit=1:dumpsys activity");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_TRUE(has(o.output, "foreground query")) << o.output;
  EXPECT_TRUE(has(o.output, "exit code 1")) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

// ---- the adb connection dropped mid-transfer

TEST_F(FaultInjection, AConnectionDroppedOnceIsRecovered) {
  // The first raw screenshot (about 10 MB) is cut at 2 MB; adb sees the device go offline and
  // reconnects; the harness waits for it and carries on.
  const auto sim = start("drop-after=2M@first:1");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

TEST_F(FaultInjection, ALinkThatKeepsDroppingEndsInAnInfrastructureError) {
  // Every connection dies after 64 KB: less than one PNG screenshot, so no capture can finish.
  const auto sim = start("drop-after=64K");
  const Outcome o = run(sim);
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_TRUE(has(o.output, "offline") || has(o.output, "went away") ||
              has(o.output, "sent no bytes (the link dropped"))
      << o.output;
  EXPECT_VERIFIES(o);
  session_->stop_sim(sim);
}

}  // namespace
