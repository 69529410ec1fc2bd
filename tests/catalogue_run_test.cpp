// Every rule of RULES.md proven end to end, the way a user runs uiwitness: the fixture
// catalogue's scenarios through `uiwitness run` (the library entry point), the real adb binary
// and uiwitness-sim devices. Each violating fixture must yield exactly its rules, with the
// frames that show them in a bundle that verifies; each compliant one must yield none.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/bundle_verifier.h"
#include "harness/run_command.h"
#include "harness/run_report.h"
#include "tests/support/catalogue.h"
#include "tests/support/paths.h"
#include "tests/support/sim_session.h"

namespace {

namespace fs = std::filesystem;
using uiw::test::CatalogueEntry;
using uiw::test::SimSession;

struct BundleResult {
  fs::path dir;
  std::string outcome;
  std::vector<nlohmann::json> findings;
  std::set<std::string> rules;
};

class CatalogueRun : public testing::TestWithParam<CatalogueEntry> {
 public:
  static void SetUpTestSuite() {
    session_ = new SimSession();
    std::vector<std::string> apps;
    for (const auto& e : uiw::test::load_catalogue())
      apps.push_back(uiw::test::apps_dir() + "/" + e.file);

    uiw::harness::RunCommandOptions options;
    // Three devices share the queue, as a small farm would.
    for (int i = 0; i < 3; ++i) {
      const int port = uiw::test::pick_free_sim_port();
      auto sim = session_->start_sim(
          apps, {"--port", std::to_string(port), "--console-port", std::to_string(port - 1)});
      options.devices.push_back(sim.serial);
      options.consoles[sim.serial] = uiw::harness::ConsoleAddress{"127.0.0.1", port - 1};
    }
    for (const auto& e : uiw::test::load_catalogue()) {
      options.inputs.push_back(uiw::test::source_path("fixtures/" + e.scenario));
    }
    run_dir_ = new fs::path(fs::path(testing::TempDir()) / "catalogue-run");
    fs::remove_all(*run_dir_);
    options.out = *run_dir_;
    options.adb_server = uiw::adb::ServerAddress::local(session_->adb_port());
    std::ostringstream out, err;
    exit_code_ = uiw::harness::run_command(options, out, err);
    log_ = new std::string(out.str() + err.str());

    results_ = new std::map<std::string, BundleResult>();
    for (const auto& dir : uiw::harness::find_bundles(*run_dir_)) {
      std::ifstream manifest_file(dir / "manifest.json");
      const auto manifest = nlohmann::json::parse(manifest_file);
      BundleResult r;
      r.dir = dir;
      r.outcome = manifest.value("outcome", "");
      if (fs::exists(dir / "findings.json")) {
        std::ifstream findings_file(dir / "findings.json");
        for (const auto& f : nlohmann::json::parse(findings_file)) {
          r.findings.push_back(f);
          r.rules.insert(f["rule"].get<std::string>());
        }
      }
      (*results_)[manifest["scenario"]["name"].get<std::string>()] = r;
    }
  }
  static void TearDownTestSuite() {
    delete session_;
    delete results_;
    delete run_dir_;
    delete log_;
  }

 protected:
  static SimSession* session_;
  static std::map<std::string, BundleResult>* results_;  // by scenario name
  static fs::path* run_dir_;
  static std::string* log_;
  static int exit_code_;
};

SimSession* CatalogueRun::session_ = nullptr;
std::map<std::string, BundleResult>* CatalogueRun::results_ = nullptr;
fs::path* CatalogueRun::run_dir_ = nullptr;
std::string* CatalogueRun::log_ = nullptr;
int CatalogueRun::exit_code_ = -1;

TEST_P(CatalogueRun, YieldsExactlyItsRules) {
  const CatalogueEntry& entry = GetParam();
  ASSERT_FALSE(entry.scenario.empty()) << entry.file << " names no scenario";
  const std::string name = fs::path(entry.scenario).stem().string();
  const auto it = results_->find(name);
  ASSERT_NE(it, results_->end()) << "no bundle for " << name << "\n" << *log_;
  const BundleResult& r = it->second;

  const std::set<std::string> expected(entry.rules.begin(), entry.rules.end());
  EXPECT_EQ(r.rules, expected) << entry.file << ": " << entry.proves << "\nfindings in "
                               << (r.dir / "findings.json").string();
  for (const auto& rule : entry.complies_with) EXPECT_FALSE(r.rules.count(rule)) << rule;
  // Findings are exit 1 for the run, never 3 (infrastructure).
  EXPECT_EQ(exit_code_, 1) << *log_;
  // Violations fail the scenario; compliant apps pass it.
  EXPECT_EQ(r.outcome, expected.empty() ? "passed" : "failed") << (r.dir / "steps.jsonl").string();

  // Each finding points at a frame that is in the bundle; the bundle verifies.
  for (const auto& f : r.findings) {
    const std::string frame = f.value("frame", "");
    ASSERT_FALSE(frame.empty()) << f.dump();
    EXPECT_TRUE(fs::exists(r.dir / frame)) << frame;
  }
  const auto verified = uiw::harness::verify_bundle(r.dir);
  EXPECT_TRUE(verified.ok()) << r.dir;
}

std::string entry_name(const testing::TestParamInfo<CatalogueEntry>& info) {
  std::string name = fs::path(info.param.file).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CatalogueRun, testing::ValuesIn(uiw::test::load_catalogue()),
                         entry_name);

}  // namespace
