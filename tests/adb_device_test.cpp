// uiw::adb against uiwitness-sim through the real adb server (a private one, never 5037): every
// service a scenario step uses, checked the way a user of the harness would notice it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "adb/adb_client.h"
#include "adb/device.h"
#include "common/error.h"
#include "detectors/ui_tree.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace uiw::adb {
namespace {

using test::SimSession;

// A form with a text field, for typing tests (written at run time: fixtures/ is not ours).
constexpr const char* kTypingApp = R"(package: com.uiw.test.typing
label: Typing
launcher: .MainActivity
activities:
  .MainActivity: {screen: form}
screens:
  form:
    nodes:
      - class: android.widget.EditText
        id: field
        bounds: [40, 300, 1040, 420]
)";

class AdbDeviceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("uiw-adb-device-test-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    std::ofstream(*dir_ / "typing.yaml") << kTypingApp;
    session_ = new SimSession();
    sim_ = new SimSession::Sim(session_->start_sim(
        {test::source_path("fixtures/apps/test/e2e_news.yaml"), (*dir_ / "typing.yaml").string()}));
    client_ = new AdbClient(ServerAddress::local(session_->adb_port()));
  }
  static void TearDownTestSuite() {
    delete client_;
    delete sim_;
    delete session_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    device_ = std::make_unique<Device>(*client_, sim_->serial);
    device_->shell("input keyevent HOME");
  }

  static std::filesystem::path* dir_;
  static SimSession* session_;
  static SimSession::Sim* sim_;
  static AdbClient* client_;
  std::unique_ptr<Device> device_;
};

std::filesystem::path* AdbDeviceTest::dir_ = nullptr;
SimSession* AdbDeviceTest::session_ = nullptr;
SimSession::Sim* AdbDeviceTest::sim_ = nullptr;
AdbClient* AdbDeviceTest::client_ = nullptr;

template <typename F>
Error expect_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected a uiw::Error";
  return Error(ErrorKind::kInternal, "no error");
}

TEST_F(AdbDeviceTest, ServerVersionAndDeviceListWithModel) {
  EXPECT_EQ(client_->version(Deadline::after(5s)), 0x29);
  bool found = false;
  for (const DeviceEntry& d : client_->devices(Deadline::after(5s))) {
    if (d.serial != sim_->serial) continue;
    found = true;
    EXPECT_EQ(d.state, "device");
    EXPECT_FALSE(d.model.empty());
  }
  EXPECT_TRUE(found) << sim_->serial << " not listed";
}

TEST_F(AdbDeviceTest, ShellKeepsStdoutStderrAndExitCodeApart) {
  const ShellResult r = device_->shell("echo to-out; echo to-err >&2; exit 3");
  EXPECT_EQ(r.out, "to-out\n");
  EXPECT_EQ(r.err, "to-err\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(device_->shell("true").exit_code, 0);

  const ShellResult missing = device_->shell("no-such-tool --x");
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("no-such-tool: inaccessible or not found"), std::string::npos);

  const Error e = expect_error([&] { device_->shell_checked("no-such-tool"); });
  EXPECT_EQ(e.kind(), ErrorKind::kCommandFailed);
  EXPECT_NE(std::string(e.what()).find("exit code 127"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("inaccessible or not found"), std::string::npos);
}

TEST_F(AdbDeviceTest, FiveMegabyteBinaryRoundTripsIntact) {
  std::string blob(5 * 1024 * 1024, '\0');
  std::mt19937 rng(7);
  for (char& c : blob) c = static_cast<char>(rng() & 0xff);
  const std::string remote = "/sdcard/uiw-blob.bin";
  device_->push(blob, remote);

  const auto st = device_->stat(remote);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->size, blob.size());
  EXPECT_TRUE(st->is_regular());
  EXPECT_EQ(test::sha256_hex(device_->pull(remote)), test::sha256_hex(blob));
  // exec: is binary-safe too.
  EXPECT_EQ(test::sha256_hex(device_->exec("cat " + remote)), test::sha256_hex(blob));

  const std::string local = (*dir_ / "pulled.bin").string();
  device_->pull_to_file(remote, local);
  std::ifstream in(local, std::ios::binary);
  const std::string pulled((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(test::sha256_hex(pulled), test::sha256_hex(blob));

  bool listed = false;
  for (const RemoteDirEntry& e : device_->list("/sdcard")) {
    if (e.name == "uiw-blob.bin") listed = e.stat.size == blob.size();
  }
  EXPECT_TRUE(listed);
  device_->shell_checked("rm " + remote);
  EXPECT_FALSE(device_->stat(remote));
}

TEST_F(AdbDeviceTest, PullOfAMissingFileNamesThePath) {
  const Error e = expect_error([&] { device_->pull("/sdcard/does-not-exist.txt"); });
  EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(std::string(e.what()), "pull /sdcard/does-not-exist.txt: No such file or directory");
  // The device is still usable afterwards.
  EXPECT_EQ(device_->shell("echo ok").out, "ok\n");
}

TEST_F(AdbDeviceTest, InfoReportsTheDevice) {
  const DeviceInfo info = device_->info();
  EXPECT_EQ(info.serial, sim_->serial);
  EXPECT_FALSE(info.model.empty());
  EXPECT_EQ(info.sdk, 34);
  EXPECT_EQ(info.width, 1080);
  EXPECT_EQ(info.height, 2400);
  EXPECT_EQ(info.density, 420);
}

TEST_F(AdbDeviceTest, RawAndPngScreenshotsShowTheSameScreen) {
  device_->launch("com.uiw.test.news");
  const cv::Mat raw = device_->screenshot_raw();
  const cv::Mat png = device_->screenshot_png();
  ASSERT_EQ(raw.cols, 1080);
  ASSERT_EQ(raw.rows, 2400);
  ASSERT_EQ(raw.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(raw, png, cv::NORM_INF), 0) << "raw and PNG captures differ";
  // The news app's red title bar (#D32F2F) and blue button (#1565C0), in BGR.
  EXPECT_EQ(raw.at<cv::Vec3b>(150, 540), cv::Vec3b(0x2F, 0x2F, 0xD3));
  EXPECT_EQ(raw.at<cv::Vec3b>(480, 540), cv::Vec3b(0xC0, 0x65, 0x15));
  EXPECT_EQ(cv::norm(device_->screenshot(), raw, cv::NORM_INF), 0);
}

TEST_F(AdbDeviceTest, OldAndroidRawHeaderDecodesToo) {
  // SDK 27 writes the 12-byte header (no colour space word).
  SimSession::Sim old = session_->start_sim({test::source_path("fixtures/apps/test/e2e_news.yaml")},
                                            {"--sdk", "27", "--screen", "720x1280"});
  Device device(*client_, old.serial);
  const std::string bytes = device.exec("screencap");
  EXPECT_EQ(bytes.size(), 12u + 720u * 1280u * 4u);
  const cv::Mat raw = device.screenshot_raw();
  EXPECT_EQ(raw.cols, 720);
  EXPECT_EQ(raw.rows, 1280);
  EXPECT_EQ(cv::norm(raw, device.screenshot_png(), cv::NORM_INF), 0);
  session_->stop_sim(old);
}

TEST_F(AdbDeviceTest, HierarchyComesBackAsCleanXml) {
  device_->launch("com.uiw.test.news");
  const std::string xml = device_->ui_hierarchy();
  EXPECT_TRUE(xml.starts_with("<?xml")) << xml.substr(0, 80);
  EXPECT_TRUE(xml.ends_with("</hierarchy>"))
      << "confirmation line not stripped: " << xml.substr(xml.size() - 80);
  const auto tree = detectors::UiTree::parse(xml);
  const auto* button =
      tree.find_first([](const detectors::UiNode& n) { return n.text == "打开设置"; });
  ASSERT_NE(button, nullptr);
  EXPECT_EQ(button->resource_id, "com.uiw.test.news:id/btn_settings");
}

TEST_F(AdbDeviceTest, TextWithEveryShellMetacharacterArrivesLiterally) {
  device_->launch("com.uiw.test.typing");
  device_->tap(540, 360);  // focus the field
  const std::string text =
      "a b  'single' \"double\" $HOME ${X} $(id) `id` ; ls & bg | pipe \\ back * ? [x] ~ # "
      "100% 50%s <in >out 2>&1 (sub) {b} !bang\ttab";
  device_->input_text(text);
  const auto tree = detectors::UiTree::parse(device_->ui_hierarchy());
  const auto* field = tree.find_first(
      [](const detectors::UiNode& n) { return n.resource_id == "com.uiw.test.typing:id/field"; });
  ASSERT_NE(field, nullptr);
  EXPECT_EQ(field->text, text);
}

TEST_F(AdbDeviceTest, TapChangesTheResumedActivityAndKeysGoBack) {
  device_->launch("com.uiw.test.news");
  ForegroundState state = device_->foreground();
  ASSERT_TRUE(state.resumed_activity);
  EXPECT_EQ(state.resumed_activity->flatten(), "com.uiw.test.news/com.uiw.test.news.MainActivity");
  EXPECT_EQ(state.focused_window, "com.uiw.test.news/com.uiw.test.news.MainActivity");

  device_->tap(540, 480);  // 打开设置 → SettingsActivity
  state = device_->foreground();
  ASSERT_TRUE(state.resumed_activity);
  EXPECT_EQ(state.resumed_activity->short_form(), "com.uiw.test.news/.SettingsActivity");

  device_->key_event("BACK");
  EXPECT_EQ(device_->foreground().resumed_activity->short_form(),
            "com.uiw.test.news/.MainActivity");
  device_->key_event(3);  // HOME
  EXPECT_EQ(device_->foreground().resumed_activity->package, "com.android.launcher3");
}

TEST_F(AdbDeviceTest, ResumedActivityOnAndroid10Format) {
  SimSession::Sim old =
      session_->start_sim({test::source_path("fixtures/apps/test/e2e_news.yaml")}, {"--sdk", "29"});
  Device device(*client_, old.serial);
  device.launch("com.uiw.test.news");
  EXPECT_NE(device.shell("dumpsys activity activities").out.find("mResumedActivity:"),
            std::string::npos);
  const ForegroundState state = device.foreground();
  ASSERT_TRUE(state.resumed_activity);
  EXPECT_EQ(state.resumed_activity->short_form(), "com.uiw.test.news/.MainActivity");
  session_->stop_sim(old);
}

TEST_F(AdbDeviceTest, LogcatCaptureDuringAStepHoldsItsStartIntents) {
  device_->launch("com.uiw.test.news");
  device_->logcat_clear();
  const std::string path = (*dir_ / "step.logcat").string();
  auto capture = device_->capture_logcat(path);
  device_->tap(540, 770);  // "查看原文": opens https://news.example/article/42 in the browser
  capture->stop(std::chrono::milliseconds(500));
  EXPECT_FALSE(capture->device_lost());

  const auto intents = capture->start_intents();
  ASSERT_FALSE(intents.empty()) << "captured: " << capture->text();
  const StartIntent& view = intents.back();
  EXPECT_EQ(view.action, "android.intent.action.VIEW");
  EXPECT_EQ(view.data, "https://news.example/article/42");
  EXPECT_EQ(view.component.substr(0, view.component.find('/')), "com.android.chrome");
  EXPECT_EQ(device_->foreground().resumed_activity->package, "com.android.chrome");
  // The same record is in a plain dump.
  EXPECT_FALSE(parse_start_intents(device_->logcat_dump()).empty());
}

TEST_F(AdbDeviceTest, AppLifecycle) {
  device_->start_activity("com.uiw.test.news/.SettingsActivity");
  EXPECT_EQ(device_->foreground().resumed_activity->short_form(),
            "com.uiw.test.news/.SettingsActivity");
  device_->force_stop("com.uiw.test.news");
  EXPECT_NE(device_->foreground().resumed_activity->package, "com.uiw.test.news");
  device_->clear_data("com.uiw.test.news");

  Error e = expect_error([&] { device_->launch("com.example.not.installed"); });
  EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  EXPECT_NE(std::string(e.what()).find("com.example.not.installed"), std::string::npos);
  e = expect_error([&] { device_->start_activity("com.uiw.test.news/.NoSuchActivity"); });
  EXPECT_NE(std::string(e.what()).find("NoSuchActivity"), std::string::npos) << e.what();
  e = expect_error([&] { device_->clear_data("com.example.not.installed"); });
  EXPECT_EQ(e.kind(), ErrorKind::kCommandFailed);
}

TEST_F(AdbDeviceTest, InstallPushesTheApkAndRunsPmInstall) {
  // uiwitness-sim's APKs are fixture apps: installing one makes it launchable.
  std::ifstream in(test::source_path("fixtures/apps/test/e2e_news.yaml"));
  std::stringstream yaml;
  yaml << in.rdbuf();
  std::string text = yaml.str();
  const std::string from = "package: com.uiw.test.news";
  text.replace(text.find(from), from.size(), "package: com.uiw.test.installed");
  const std::string apk = (*dir_ / "installed.apk").string();
  std::ofstream(apk) << text;

  device_->install(apk);
  device_->launch("com.uiw.test.installed");
  EXPECT_EQ(device_->foreground().resumed_activity->short_form(),
            "com.uiw.test.installed/.MainActivity");
  // The temporary copy never stays on the device.
  EXPECT_FALSE(device_->stat("/data/local/tmp/uiw-install-installed.apk"));

  const std::string bad = (*dir_ / "fake.apk").string();
  std::ofstream(bad) << "PK\x03\x04 not really an apk";
  const Error e = expect_error([&] { device_->install(bad); });
  EXPECT_EQ(e.kind(), ErrorKind::kCommandFailed);
  EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("INSTALL_PARSE_FAILED_NOT_APK"), std::string::npos)
      << e.what();
}

TEST_F(AdbDeviceTest, UnknownDeviceIsNotFoundByName) {
  Device ghost(*client_, "127.0.0.1:1");
  const Error e = expect_error([&] { ghost.shell("echo hi", Deadline::after(5s)); });
  EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
}

TEST_F(AdbDeviceTest, TrackDevicesSeesAddOfflineAndRemove) {
  DeviceTracker tracker = client_->track_devices(Deadline::after(5s));
  tracker.next(Deadline::after(2s));  // the initial list
  SimSession::Sim extra =
      session_->start_sim({test::source_path("fixtures/apps/test/e2e_news.yaml")});
  auto wait_for = [&](DeviceEvent::Kind kind, const std::string& state) {
    const Deadline deadline = Deadline::after(20s);
    while (!deadline.expired()) {
      for (const DeviceEvent& e : tracker.next(deadline)) {
        // A device may appear already online (added) or pass through offline first (changed).
        const bool kind_ok = e.kind == kind || (kind == DeviceEvent::Kind::kAdded &&
                                                e.kind == DeviceEvent::Kind::kStateChanged);
        if (e.serial == extra.serial && kind_ok && e.state == state) return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(wait_for(DeviceEvent::Kind::kAdded, "device"));
  session_->kill_sim(extra);
  EXPECT_TRUE(wait_for(DeviceEvent::Kind::kStateChanged, "offline"));
  session_->stop_sim(extra);  // adb disconnect
  EXPECT_TRUE(wait_for(DeviceEvent::Kind::kRemoved, ""));
}

}  // namespace
}  // namespace uiw::adb
