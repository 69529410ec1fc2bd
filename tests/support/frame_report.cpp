#include "tests/support/frame_report.h"

namespace uiw::test {

detectors::Frame tree_frame(const std::string& xml) {
  detectors::Frame f;
  f.density_dpi = 480;
  f.image = cv::Mat(1920, 1080, CV_8UC3, cv::Scalar(250, 250, 250));
  f.tree = detectors::UiTree::parse(xml, "test dump");
  return f;
}

std::set<std::string> rules_of(const detectors::FrameReport& report) {
  std::set<std::string> out;
  for (const detectors::Finding& f : report.findings)
    if (f.severity != detectors::Severity::kInfo) out.insert(f.rule);
  return out;
}

std::string describe(const detectors::FrameReport& report) {
  std::string s;
  for (const detectors::Finding& f : report.findings) s += "\n  " + f.rule + ": " + f.message;
  for (const detectors::Observation& o : report.observations)
    s += "\n  seen " + o.kind + ": " + o.detail;
  return s;
}

}  // namespace uiw::test
