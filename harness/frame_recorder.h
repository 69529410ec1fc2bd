#pragma once
// FrameRecorder: what the runner and the probes do with every screen they look at as evidence —
// save the frame and its dump into the bundle under a numbered name, run the static rules on it,
// keep each new finding once (a pop-up seen on five steps is one finding, on its first frame)
// and save the annotated frame next to the raw one.
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "detectors/finding.h"
#include "detectors/static_rule_set.h"
#include "harness/screen_reader.h"

namespace uiw::harness {

class EvidenceBundle;

struct SavedFrame {
  std::string frame;              // bundle-relative PNG path
  std::string tree;               // bundle-relative XML path; empty when there was no dump
  std::string annotated;          // bundle-relative PNG path; empty when no new finding
  detectors::FrameReport report;  // everything the static rules saw
  std::vector<detectors::Finding> findings;  // the new ones, recorded in the bundle
  std::chrono::milliseconds check_time{0};   // spent in the static rules
};

class FrameRecorder {
 public:
  // `rules`: the rule IDs to report (empty: every rule the profile enables). `app`: the package
  // under test; frames of other apps (the browser a link opened, the launcher) are saved but not
  // judged — their screens are not the app's doing. Empty: every frame is judged.
  FrameRecorder(EvidenceBundle& bundle, const detectors::StaticRuleSet& static_rules,
                std::vector<std::string> rules, std::string app = {});

  // Saves the capture as frames/NNN-label.png (+ trees/NNN-label.xml) and, unless `check` is
  // false, runs the static rules on it.
  SavedFrame save(const ScreenCapture& capture, const std::string& label, bool check = true);
  // The same when the caller already ran the static rules on this very capture: `report` is
  // used instead of running them again.
  SavedFrame save(const ScreenCapture& capture, const std::string& label,
                  const detectors::FrameReport& report);
  // Records a finding a probe proved (it names its frame itself). Kept once, like the rest; with
  // the frame's image, an annotated copy is saved too. Returns the annotated file, or "" when
  // none was saved (no image, or the finding was not new).
  std::string record(detectors::Finding finding, const cv::Mat& frame_image = {});

  // Whether `rule` is in scope for this scenario.
  bool wants(std::string_view rule) const;
  const std::vector<detectors::Finding>& findings() const { return findings_; }
  int frames_saved() const { return sequence_; }
  EvidenceBundle& bundle() { return bundle_; }

 private:
  SavedFrame save_and_judge(const ScreenCapture& capture, const std::string& label, bool check,
                            const detectors::FrameReport* known);
  bool is_new(const detectors::Finding& finding) const;

  EvidenceBundle& bundle_;
  const detectors::StaticRuleSet& static_rules_;
  std::vector<std::string> rules_;
  std::string app_;
  std::vector<detectors::Finding> findings_;
  int sequence_ = 0;
};

// "tap text \"跳过\"" → "tap-text-跳过": safe in a file name, still readable.
std::string file_label(std::string_view text);

}  // namespace uiw::harness
