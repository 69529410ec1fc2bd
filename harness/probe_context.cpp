#include "harness/probe_context.h"

namespace uiw::harness {

std::pair<ScreenCapture, SavedFrame> ProbeContext::observe(const std::string& label, bool check) {
  SettleResult settled = screen.settle(settle, deadline.capped(settle.ceiling));
  SavedFrame saved = recorder.save(settled.capture, label, check);
  record["frames"].push_back(saved.frame);
  if (!saved.annotated.empty()) record["annotated"].push_back(saved.annotated);
  for (const auto& f : saved.findings) record["findings"].push_back(f.rule);
  return {std::move(settled.capture), std::move(saved)};
}

void ProbeContext::prove(detectors::Finding finding, const std::string& frame_file,
                         const cv::Mat& image) {
  finding.frame = frame_file;
  const std::string rule = finding.rule;
  const std::string annotated = recorder.record(std::move(finding), image);
  record["findings"].push_back(rule);
  if (!annotated.empty()) record["annotated"].push_back(annotated);
}

}  // namespace uiw::harness
