// Evidence bundles a reviewer can trust: written step by step, verifiable at any point, and any
// edit, deletion or addition afterwards is caught and named.
#include "harness/evidence_bundle.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "common/error.h"
#include "harness/bundle_verifier.h"
#include "harness/report_command.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

detectors::Finding finding(const std::string& rule, const std::string& message) {
  detectors::Finding f;
  f.rule = rule;
  f.message = message;
  return f;
}

class EvidenceBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "uiw-bundle-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  static BundleInfo info() {
    BundleInfo i;
    i.scenario_name = "consent pop-up";
    i.scenario_file = "/scenarios/consent.yaml";
    i.device_serial = "emulator-5554";
    i.device_model = "sdk_gphone64_x86_64";
    i.device_sdk = 34;
    i.device_release = "14";
    i.app_package = "com.example.shop";
    i.app_version = "3.2.1 (321)";
    i.tool_version = "0.1.0";
    i.started = "2024-05-01T09:30:00.000Z";
    return i;
  }

  static cv::Mat frame(int shade) { return cv::Mat(240, 120, CV_8UC3, cv::Scalar(shade, 80, 40)); }

  // A bundle with two steps, each with a frame and a tree, and one finding.
  EvidenceBundle write_two_steps(const fs::path& dir) {
    EvidenceBundle b = EvidenceBundle::create(dir, info());
    for (int i = 1; i <= 2; ++i) {
      const std::string png = b.add_image(fmt_frame(i), frame(i * 50));
      b.add_file("trees/00" + std::to_string(i) + ".xml", "<hierarchy rotation=\"0\"/>", "tree");
      b.append_step(
          {{"index", i}, {"name", "tap text \"同意\""}, {"outcome", "passed"}, {"frame", png}});
    }
    detectors::Finding f;
    f.rule = "POP-02";
    f.message = "close glyph 12 dp < 24 dp";
    f.frame = fmt_frame(2);
    b.add_findings({f});
    return b;
  }
  static std::string fmt_frame(int i) { return "frames/00" + std::to_string(i) + ".png"; }

  static json manifest(const fs::path& dir) {
    std::ifstream in(dir / "manifest.json");
    return json::parse(in);
  }
  static std::string messages(const VerifyResult& r) {
    std::string out;
    for (const VerifyProblem& p : r.problems) out += p.message + "\n";
    return out;
  }
  static std::vector<std::string> lines(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  fs::path root_;
};

TEST_F(EvidenceBundleTest, BundleWrittenStepByStepVerifiesAfterEveryCall) {
  const fs::path dir = root_ / "b";
  EvidenceBundle b = EvidenceBundle::create(dir, info());
  EXPECT_TRUE(verify_bundle(dir).ok())
      << "an empty bundle must verify: " << messages(verify_bundle(dir));
  b.add_image("frames/001.png", frame(10));
  EXPECT_TRUE(verify_bundle(dir).ok()) << messages(verify_bundle(dir));
  b.append_step({{"index", 1}, {"outcome", "passed"}});
  EXPECT_TRUE(verify_bundle(dir).ok()) << messages(verify_bundle(dir));
  b.append_step({{"index", 2}, {"outcome", "passed"}});
  EXPECT_TRUE(verify_bundle(dir).ok()) << messages(verify_bundle(dir));
  b.add_findings({finding("CON-01", "pre-selected")});
  EXPECT_TRUE(verify_bundle(dir).ok()) << messages(verify_bundle(dir));
  b.finish("failed");

  const VerifyResult r = verify_bundle(dir);
  EXPECT_TRUE(r.ok()) << messages(r);
  EXPECT_EQ(r.files_checked, 3u);  // the frame, steps.jsonl, findings.json

  const json m = manifest(dir);
  EXPECT_EQ(m["format"], "uiwitness-bundle/1");
  EXPECT_EQ(m["outcome"], "failed");
  EXPECT_TRUE(m["ended"].is_string());
  EXPECT_EQ(m["device"]["serial"], "emulator-5554");
  EXPECT_EQ(m["device"]["sdk"], 34);
  EXPECT_EQ(m["app"]["package"], "com.example.shop");
  EXPECT_EQ(m["scenario"]["file"], "/scenarios/consent.yaml");
  ASSERT_EQ(m["files"].size(), 3u);
  EXPECT_EQ(m["files"][0]["path"], "frames/001.png");
  EXPECT_EQ(m["files"][0]["kind"], "frame");
  EXPECT_EQ(m["files"][0]["sha256"], sha256_file(dir / "frames/001.png"));
  EXPECT_EQ(m["files"][0]["bytes"], fs::file_size(dir / "frames/001.png"));
  EXPECT_EQ(lines(dir / "steps.jsonl").size(), 2u);
  EXPECT_EQ(b.findings().size(), 1u);
  // The frame is a lossless PNG of what the device showed.
  const cv::Mat back = cv::imread((dir / "frames/001.png").string());
  EXPECT_EQ(back.size(), frame(10).size());
}

TEST_F(EvidenceBundleTest, FindingsFileHoldsEveryFindingAdded) {
  const fs::path dir = root_ / "b";
  EvidenceBundle b = EvidenceBundle::create(dir, info());
  b.add_findings({finding("POP-02", "small")});
  b.add_findings({finding("POP-06", "fake <close> & \"x\"")});
  std::ifstream in(dir / "findings.json");
  const json findings = json::parse(in);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0]["rule"], "POP-02");
  EXPECT_EQ(findings[1]["message"], "fake <close> & \"x\"");
  EXPECT_TRUE(verify_bundle(dir).ok());
}

TEST_F(EvidenceBundleTest, EditingOneByteOfAFrameFailsNamingIt) {
  const fs::path dir = root_ / "b";
  write_two_steps(dir).finish("passed");
  {
    std::fstream f(dir / "frames/002.png", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    char c = 0;
    f.seekg(100);
    f.get(c);
    f.seekp(100);
    f.put(static_cast<char>(c ^ 0x01));
  }
  const VerifyResult r = verify_bundle(dir);
  ASSERT_EQ(r.problems.size(), 1u) << messages(r);
  EXPECT_EQ(r.problems[0].kind, VerifyProblem::Kind::kMismatch);
  EXPECT_EQ(r.problems[0].path, "frames/002.png");
  EXPECT_NE(r.problems[0].message.find("frames/002.png"), std::string::npos);

  std::ostringstream out;
  EXPECT_EQ(run_verify(dir, out), 1);
  EXPECT_NE(out.str().find("FAIL"), std::string::npos);
  EXPECT_NE(out.str().find("frames/002.png"), std::string::npos) << out.str();
}

TEST_F(EvidenceBundleTest, EditingStepsOrManifestIsCaught) {
  const fs::path dir = root_ / "b";
  write_two_steps(dir).finish("passed");
  { std::ofstream(dir / "steps.jsonl", std::ios::app) << "{\"index\":3,\"outcome\":\"passed\"}\n"; }
  VerifyResult r = verify_bundle(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems[0].path, "steps.jsonl");

  // A manifest cut short is a reported problem, not a crash.
  const fs::path other = root_ / "c";
  write_two_steps(other).finish("passed");
  fs::resize_file(other / "manifest.json", 40);
  r = verify_bundle(other);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, VerifyProblem::Kind::kManifest);
  EXPECT_NE(r.problems[0].message.find("manifest.json"), std::string::npos);

  // A manifest rewritten to vouch for a file outside the bundle is refused.
  json m = manifest(dir);
  m["files"].push_back({{"path", "../outside"}, {"sha256", std::string(64, '0')}, {"bytes", 1}});
  std::ofstream(dir / "manifest.json") << m.dump();
  r = verify_bundle(dir);
  EXPECT_NE(messages(r).find("../outside"), std::string::npos) << messages(r);
}

TEST_F(EvidenceBundleTest, AStepLoggedJustBeforeAKillIsKeptNotCalledTampering) {
  // The runner appends a step line, then the manifest is rewritten; a kill in between leaves a
  // line the manifest does not cover yet. The recorded prefix still verifies.
  const fs::path dir = root_ / "b";
  { auto bundle = write_two_steps(dir); }  // never finished: the run died
  {
    std::ofstream(dir / "steps.jsonl", std::ios::app)
        << "{\"index\":\"3\",\"outcome\":\"passed\"}\n";
  }
  VerifyResult r = verify_bundle(dir);
  EXPECT_TRUE(r.ok()) << messages(r);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("1 step line"), std::string::npos) << r.notes[0];

  // An edit inside the recorded prefix is still tampering.
  std::string steps;
  {
    std::ifstream in(dir / "steps.jsonl");
    steps.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  steps[2] = steps[2] == 'i' ? 'j' : 'i';
  std::ofstream(dir / "steps.jsonl", std::ios::trunc) << steps;
  r = verify_bundle(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems[0].path, "steps.jsonl");
}

TEST_F(EvidenceBundleTest, DeletingAFileFailsNamingIt) {
  const fs::path dir = root_ / "b";
  write_two_steps(dir).finish("passed");
  fs::remove(dir / "trees/001.xml");
  const VerifyResult r = verify_bundle(dir);
  ASSERT_EQ(r.problems.size(), 1u) << messages(r);
  EXPECT_EQ(r.problems[0].kind, VerifyProblem::Kind::kMissing);
  EXPECT_NE(r.problems[0].message.find("trees/001.xml"), std::string::npos);
  std::ostringstream out;
  EXPECT_EQ(run_verify(dir, out), 1);
}

TEST_F(EvidenceBundleTest, UnlistedExtraFileIsReported) {
  const fs::path dir = root_ / "b";
  write_two_steps(dir).finish("passed");
  std::ofstream(dir / "frames/003-planted.png") << "not from the device";
  // A temp file left by a write that was killed before its rename is not evidence, not a problem.
  std::ofstream(dir / "frames/004.png.uiw-tmp") << "half";
  const VerifyResult r = verify_bundle(dir);
  ASSERT_EQ(r.problems.size(), 1u) << messages(r);
  EXPECT_EQ(r.problems[0].kind, VerifyProblem::Kind::kUnlisted);
  EXPECT_EQ(r.problems[0].path, "frames/003-planted.png");
  EXPECT_NE(r.problems[0].message.find("not listed"), std::string::npos);
}

TEST_F(EvidenceBundleTest, BundleAbandonedMidRunVerifiesAndKeepsItsSteps) {
  const fs::path dir = root_ / "b";
  {
    EvidenceBundle b = write_two_steps(dir);
    // Destroyed without finish(), as when the runner throws.
  }
  VerifyResult r = verify_bundle(dir);
  EXPECT_TRUE(r.ok()) << messages(r);
  EXPECT_EQ(lines(dir / "steps.jsonl").size(), 2u);
  const json m = manifest(dir);
  EXPECT_TRUE(m["outcome"].is_null());
  EXPECT_TRUE(m["ended"].is_null());
}

TEST_F(EvidenceBundleTest, ProcessKilledBetweenStepsLeavesAVerifiableBundle) {
  const fs::path dir = root_ / "killed";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The harness process, killed by CI's timeout between step 3 and step 4.
    EvidenceBundle b = EvidenceBundle::create(dir, info());
    for (int i = 1; i <= 3; ++i) {
      b.add_image("frames/00" + std::to_string(i) + ".png", frame(i));
      b.append_step({{"index", i}, {"outcome", "passed"}});
    }
    raise(SIGKILL);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  const VerifyResult r = verify_bundle(dir);
  EXPECT_TRUE(r.ok()) << messages(r);
  const std::vector<std::string> steps = lines(dir / "steps.jsonl");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(json::parse(steps[2])["index"], 3);
}

TEST_F(EvidenceBundleTest, EvidenceIsNeverOverwritten) {
  const fs::path dir = root_ / "b";
  EvidenceBundle b = write_two_steps(dir);
  EXPECT_THROW(b.add_file("frames/001.png", "other", "frame"), Error);
  EXPECT_THROW(b.add_file("../escape.png", "x", "frame"), Error);
  EXPECT_THROW(b.add_file("/tmp/abs.png", "x", "frame"), Error);
  EXPECT_THROW(b.add_file("manifest.json", "{}", "other"), Error);
  EXPECT_THROW(b.add_file("steps.jsonl", "", "other"), Error);
  EXPECT_THROW(b.add_file("frames/009.png", "x", "screenshot"), Error);
  EXPECT_TRUE(verify_bundle(dir).ok()) << messages(verify_bundle(dir));
  // A second bundle cannot be created over the first.
  try {
    EvidenceBundle::create(dir, info());
    FAIL() << "create() over an existing bundle must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos);
  }
  b.finish("passed");
  EXPECT_THROW(b.finish("failed"), Error);
}

TEST_F(EvidenceBundleTest, VerifyChecksEveryBundleOfARun) {
  write_two_steps(root_ / "run/consent/emulator-5554").finish("passed");
  write_two_steps(root_ / "run/consent/emulator-5556").finish("failed");
  std::ostringstream out;
  EXPECT_EQ(run_verify(root_ / "run", out), 0) << out.str();
  EXPECT_NE(out.str().find("2 of 2 bundle(s) intact"), std::string::npos) << out.str();

  fs::remove(root_ / "run/consent/emulator-5556/findings.json");
  std::ostringstream again;
  EXPECT_EQ(run_verify(root_ / "run", again), 1);
  EXPECT_NE(again.str().find("emulator-5556"), std::string::npos) << again.str();
  EXPECT_NE(again.str().find("findings.json"), std::string::npos) << again.str();

  std::ostringstream none;
  fs::create_directories(root_ / "empty");
  EXPECT_THROW(run_verify(root_ / "empty", none), Error);
}

}  // namespace
}  // namespace uiw::harness
