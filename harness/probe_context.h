#pragma once
// What a dynamic probe works with: the device, the screen reader, the recorder that keeps its
// before/after frames and findings, and the step's deadline. Probes prove behaviour by acting
// and observing (RULES.md, "proven by"); a probe that cannot run (no pop-up on screen, no link
// to tap) throws StepFailure saying why.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adb/device.h"
#include "adb/logcat_capture.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "harness/frame_recorder.h"
#include "harness/scenario.h"
#include "harness/screen_reader.h"
#include "harness/selector_resolver.h"

namespace uiw::harness {

struct ConsoleAddress {
  std::string host = "127.0.0.1";
  int port = 0;
};

struct ProbeContext {
  adb::Device& device;
  ScreenReader& screen;
  FrameRecorder& recorder;
  const SelectorResolver& resolver;
  const detectors::StaticRuleSet& rules;
  const detectors::RuleProfile& profile;
  const SettleOptions& settle;
  std::string app;                        // the scenario's package
  std::optional<ConsoleAddress> console;  // for motion (POP-09)
  std::string console_token_file;
  adb::Deadline deadline;
  nlohmann::json& record;  // the step's line in steps.jsonl: probes add what they did and saw
  adb::LogcatCapture* logcat = nullptr;  // the scenario's running capture (NavigationWatch)

  // Settles, saves the frame under `label` (static rules run on it) and notes it in the record.
  std::pair<ScreenCapture, SavedFrame> observe(const std::string& label, bool check = true);
  // Records a finding the probe proved, on the saved frame its boxes belong to (`image` is that
  // frame's pixels, for the annotated copy), and notes it in the record.
  void prove(detectors::Finding finding, const std::string& frame_file, const cv::Mat& image);
};

// Thrown when an expectation fails (a selector never showed up, an assertion, a probe with
// nothing to probe); infrastructure problems stay uiw::Error.
struct StepFailure {
  std::string message;
};

void run_popup_probe(const ProbeSpec& spec, ProbeContext& ctx);
void run_personalisation_probe(const ProbeSpec& spec, ProbeContext& ctx);
void run_link_probe(const ProbeSpec& spec, ProbeContext& ctx);

}  // namespace uiw::harness
