#include "harness/frame_recorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "detectors/annotator.h"
#include "harness/evidence_bundle.h"

namespace uiw::harness {

namespace {

// Two findings of one rule are the same when their first boxes mostly overlap (or neither has
// a box): the same pop-up seen again, not a second problem.
bool same_finding(const detectors::Finding& a, const detectors::Finding& b) {
  if (a.rule != b.rule) return false;
  if (a.boxes.empty() || b.boxes.empty()) return a.boxes.empty() && b.boxes.empty();
  return detectors::iou(a.boxes.front(), b.boxes.front()) >= 0.6;
}

}  // namespace

std::string file_label(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x80 || std::isalnum(c) || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 48 && (c & 0xC0) != 0x80) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  // Never cut a UTF-8 sequence in half.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
  return out.empty() ? "frame" : out;
}

FrameRecorder::FrameRecorder(EvidenceBundle& bundle, const detectors::StaticRuleSet& static_rules,
                             std::vector<std::string> rules, std::string app)
    : bundle_(bundle),
      static_rules_(static_rules),
      rules_(std::move(rules)),
      app_(std::move(app)) {}

bool FrameRecorder::wants(std::string_view rule) const {
  return rules_.empty() || std::find(rules_.begin(), rules_.end(), rule) != rules_.end();
}

bool FrameRecorder::is_new(const detectors::Finding& finding) const {
  return std::none_of(findings_.begin(), findings_.end(),
                      [&](const auto& f) { return same_finding(f, finding); });
}

SavedFrame FrameRecorder::save(const ScreenCapture& capture, const std::string& label, bool check) {
  return save_and_judge(capture, label, check, nullptr);
}

SavedFrame FrameRecorder::save(const ScreenCapture& capture, const std::string& label,
                               const detectors::FrameReport& report) {
  return save_and_judge(capture, label, true, &report);
}

SavedFrame FrameRecorder::save_and_judge(const ScreenCapture& capture, const std::string& label,
                                         bool check, const detectors::FrameReport* known) {
  SavedFrame saved;
  const std::string base = fmt::format("{:03d}-{}", ++sequence_, file_label(label));
  saved.frame = bundle_.add_image("frames/" + base + ".png", capture.frame.image);
  if (!capture.tree_xml.empty()) {
    saved.tree = bundle_.add_file("trees/" + base + ".xml", capture.tree_xml, "tree");
  }
  const auto& resumed = capture.foreground.resumed_activity;
  if (!check || (!app_.empty() && resumed && resumed->package != app_)) return saved;

  if (known) {
    saved.report = *known;
  } else {
    const auto start = std::chrono::steady_clock::now();
    saved.report = static_rules_.check(capture.frame);
    saved.check_time = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
  }
  for (auto& finding : saved.report.findings) {
    finding.frame = saved.frame;
    if (wants(finding.rule) && is_new(finding)) saved.findings.push_back(finding);
  }
  if (!saved.findings.empty()) {
    saved.annotated =
        bundle_.add_image("annotated/" + base + ".png",
                          detectors::annotate(capture.frame.image, saved.findings), "annotated");
    findings_.insert(findings_.end(), saved.findings.begin(), saved.findings.end());
    bundle_.add_findings(saved.findings);
  }
  return saved;
}

std::string FrameRecorder::record(detectors::Finding finding, const cv::Mat& frame_image) {
  if (!wants(finding.rule) || !is_new(finding)) return {};
  std::string annotated;
  if (!frame_image.empty()) {
    // frames/012-popup.png → annotated/012-popup-POP-06.png
    std::string stem = std::filesystem::path(finding.frame).stem().string();
    if (stem.empty()) stem = fmt::format("{:03d}-probe", ++sequence_);
    annotated = bundle_.add_image("annotated/" + stem + "-" + finding.rule + ".png",
                                  detectors::annotate(frame_image, {finding}), "annotated");
  }
  findings_.push_back(finding);
  bundle_.add_findings({finding});
  return annotated;
}

}  // namespace uiw::harness
