// farm.yaml as users write it: what each entry means, and mistakes named by file, line and column.
#include "harness/farm_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;

class FarmConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / "farm-config" / "night";
    fs::create_directories(dir_);
  }

  FarmConfig load(const std::string& text) {
    std::ofstream(dir_ / "farm.yaml") << text;
    return load_farm_config(dir_ / "farm.yaml");
  }

  // The message of the error loading `text` throws.
  std::string error_of(const std::string& text) {
    try {
      load(text);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kConfig) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "loaded without an error:\n" << text;
    return {};
  }

  fs::path dir_;
};

TEST_F(FarmConfigTest, ReadsEveryKindOfDevice) {
  const FarmConfig farm = load(R"(
adb_server: 127.0.0.1:5038
attempts: 3
ocr_engines: 2
devices:
  - emulator-5554
  - serial: R58M123ABC
    console: 10.0.0.2:5556
emulators:
  - avd: Pixel_7_API_34
    count: 4
    boot: quick
    options: [-gpu, swiftshader_indirect]
    binary: sdk/emulator/emulator
  - avd: Pixel_7_API_34
    snapshot: logged-in
simulators:
  - count: 2
    apps: [apps, /opt/more-apps]
    options: [--sdk, "30"]
servers:
  - 10.0.0.7:5037
  - address: "[fd00::7]:5037"
    devices: [emulator-5556]
)");
  ASSERT_TRUE(farm.adb_server);
  EXPECT_EQ(farm.adb_server->port, 5038);
  EXPECT_EQ(farm.attempts, 3);
  EXPECT_EQ(farm.ocr_engines, 2);
  ASSERT_EQ(farm.devices.size(), 2u);
  EXPECT_EQ(farm.devices[0].serial, "emulator-5554");
  EXPECT_FALSE(farm.devices[0].console);
  ASSERT_TRUE(farm.devices[1].console);
  EXPECT_EQ(farm.devices[1].console->host, "10.0.0.2");
  EXPECT_EQ(farm.devices[1].console->port, 5556);

  ASSERT_EQ(farm.emulators.size(), 2u);
  EXPECT_EQ(farm.emulators[0].count, 4);
  EXPECT_EQ(farm.emulators[0].boot, adb::BootMode::kQuick);
  EXPECT_FALSE(farm.emulators[0].window);
  EXPECT_EQ(farm.emulators[0].options, (std::vector<std::string>{"-gpu", "swiftshader_indirect"}));
  // Paths are relative to the farm file, wherever uiwitness runs from.
  EXPECT_EQ(farm.emulators[0].binary, (dir_ / "sdk/emulator/emulator").string());
  EXPECT_EQ(farm.emulators[1].boot, adb::BootMode::kSnapshot);
  EXPECT_EQ(farm.emulators[1].snapshot, "logged-in");
  EXPECT_EQ(farm.emulators[1].count, 1);

  ASSERT_EQ(farm.simulators.size(), 1u);
  EXPECT_EQ(farm.simulators[0].apps,
            (std::vector<std::string>{(dir_ / "apps").string(), "/opt/more-apps"}));
  EXPECT_EQ(farm.simulators[0].options, (std::vector<std::string>{"--sdk", "30"}));

  ASSERT_EQ(farm.servers.size(), 2u);
  EXPECT_EQ(farm.servers[0].address.host, "10.0.0.7");
  EXPECT_TRUE(farm.servers[0].devices.empty());
  EXPECT_EQ(farm.servers[1].address.host, "fd00::7");
  EXPECT_EQ(farm.servers[1].devices, (std::vector<std::string>{"emulator-5556"}));
}

TEST_F(FarmConfigTest, DefaultsAreTwoAttemptsAndColdBoots) {
  const FarmConfig farm = load("emulators:\n  - avd: Small\n");
  EXPECT_EQ(farm.attempts, 2);
  EXPECT_FALSE(farm.ocr_engines);
  EXPECT_FALSE(farm.adb_server);
  EXPECT_EQ(farm.emulators[0].boot, adb::BootMode::kCold);
  EXPECT_EQ(farm.emulators[0].boot_timeout, std::chrono::seconds(300));
}

TEST_F(FarmConfigTest, MistakesNameFileLineAndColumn) {
  const std::string file = (dir_ / "farm.yaml").string();
  EXPECT_EQ(error_of("simulators:\n  - count: 2\n    aps: x\n")
                .rfind(file + ":3:5: unknown key 'aps'", 0),
            0u);
  EXPECT_NE(error_of("servers:\n  - address: nowhere\n").find(":2:14: address must be HOST:PORT"),
            std::string::npos);
  EXPECT_NE(error_of("emulators:\n  - count: 2\n").find("needs `avd:`"), std::string::npos);
  EXPECT_NE(error_of("emulators:\n  - avd: A\n    boot: warm\n")
                .find(":3:11: boot must be cold, quick or snapshot"),
            std::string::npos);
  EXPECT_NE(error_of("emulators:\n  - avd: A\n    boot: snapshot\n").find("needs `snapshot: NAME`"),
            std::string::npos);
  EXPECT_NE(
      error_of("attempts: 0\ndevices: [a]\n").find(":1:11: attempts must be between 1 and 10"),
      std::string::npos);
  EXPECT_NE(error_of("simulators:\n  - count: many\n").find("count must be a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("devices: emulator-5554\n").find("devices must be a list"), std::string::npos);
  EXPECT_NE(error_of("attempts: 2\n").find("the farm has no devices"), std::string::npos);
  EXPECT_NE(error_of("").find("the farm file is empty"), std::string::npos);
  EXPECT_NE(error_of("devices: [a\n").find(file + ":"), std::string::npos);
}

TEST_F(FarmConfigTest, AMissingFileIsNotFound) {
  try {
    load_farm_config(dir_ / "absent.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find("absent.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace uiw::harness
