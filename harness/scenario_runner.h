#pragma once
// ScenarioRunner: plays one scenario on one device into one evidence bundle. Each step settles
// the screen, resolves its selector (polling until the step's timeout, dismissing pop-ups that
// stand in the way and recording what they show), acts, settles again, saves the frame and runs
// the static rules on it, and appends its line to steps.jsonl before the next step starts — so a
// run killed at any point leaves every finished step on disk.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adb/device.h"
#include "detectors/rule_profile.h"
#include "detectors/static_rule_set.h"
#include "harness/frame_recorder.h"
#include "harness/probe_context.h"
#include "harness/scenario.h"
#include "harness/screen_reader.h"
#include "harness/selector_resolver.h"

namespace uiw::harness {

class EvidenceBundle;

struct RunnerOptions {
  std::chrono::milliseconds step_timeout{10'000};    // a step without its own `timeout`
  std::chrono::milliseconds device_timeout{20'000};  // one device call (screenshot, tap, dump)
  SettleOptions settle;
  bool dismiss_popups = true;  // the pop-up watcher
  int max_dismissals = 3;      // per step
  // Where POP-09 injects motion; unset: "emulator-N" serials use 127.0.0.1:N, others have none.
  std::optional<ConsoleAddress> console;
  std::string console_token_file;  // empty: the emulator's default
  bool progress = false;           // one line per step on `log`
};

enum class ScenarioOutcome { kPassed, kFailed, kError };
std::string_view to_string(ScenarioOutcome outcome);

struct ScenarioResult {
  ScenarioOutcome outcome = ScenarioOutcome::kPassed;
  std::string error;  // the failed expectation or the infrastructure error
  std::vector<detectors::Finding> findings;
  int steps_run = 0;
  int steps_failed = 0;
  std::chrono::milliseconds elapsed{0};
  // 0 clean, 1 findings or failed expectations, 3 infrastructure failure.
  int exit_code() const;
};

class ScenarioRunner {
 public:
  ScenarioRunner(adb::Device& device, const adb::DeviceInfo& info,
                 const detectors::RuleProfile& profile, const detectors::StaticRuleSet& rules,
                 detectors::OcrService* ocr, EvidenceBundle& bundle, RunnerOptions options,
                 std::ostream* log = nullptr);

  ScenarioResult run(const Scenario& scenario);

 private:
  struct StepContext;
  void run_steps(const std::vector<Step>& steps, const std::string& prefix);
  void run_step(const Step& step, const std::string& number);
  void execute(const Step& step, StepContext& ctx);

  // The current screen, settled; reuses the last capture when nothing happened since.
  const ScreenCapture& look(StepContext& ctx);
  // For one device call. A step's own timeout bounds how long it waits for the screen; a device
  // that does not answer a single call in this time is an infrastructure failure.
  adb::Deadline call_deadline() const { return adb::Deadline::after(options_.device_timeout); }
  // Polls for the selector until the deadline; dismisses pop-ups in the way.
  ElementMatch wait_for(const Selector& selector, adb::Deadline deadline, StepContext& ctx);
  std::optional<ElementMatch> find_now(const Selector& selector, StepContext& ctx);
  bool dismiss_popup(StepContext& ctx);
  // After an action: settle, save the frame, run the rules.
  void observe(const std::string& label, StepContext& ctx, bool check = true);
  void mark_changed() { current_.reset(); }

  std::string package_for(const Step& step) const;
  std::optional<ConsoleAddress> console_address() const;

  adb::Device& device_;
  adb::DeviceInfo info_;
  const detectors::RuleProfile& profile_;
  const detectors::StaticRuleSet& rules_;
  EvidenceBundle& bundle_;
  RunnerOptions options_;
  std::ostream* log_;
  ScreenReader screen_;
  SelectorResolver resolver_;
  std::optional<FrameRecorder> recorder_;
  const Scenario* scenario_ = nullptr;
  std::unique_ptr<adb::LogcatCapture> logcat_;
  std::optional<ScreenCapture> current_;  // the last settled look, until something acts
  std::string current_frame_;             // its saved file, when saved
  int step_counter_ = 0;
};

}  // namespace uiw::harness
