#include "harness/detect_command.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <ostream>

#include "common/error.h"
#include "detectors/annotator.h"
#include "detectors/image_file.h"
#include "detectors/ocr_service.h"
#include "detectors/static_rule_set.h"

namespace uiw::harness {

int run_detect(const DetectOptions& options, std::ostream& out) {
  using namespace detectors;
  const RuleProfile profile = RuleProfile::find(options.profile);
  Frame frame;
  frame.image = read_image_file(options.image);
  if (options.tree) frame.tree = UiTree::load(*options.tree);
  frame.density_dpi =
      options.density_dpi.value_or(guess_density_dpi(frame.width(), frame.height()));
  if (frame.density_dpi < 60 || frame.density_dpi > 1000)
    throw Error(ErrorKind::kUsage, fmt::format("--density {} is not a screen density (60…1000 dpi)",
                                               frame.density_dpi));

  OcrService ocr(1);
  const auto start = std::chrono::steady_clock::now();
  const FrameReport report = StaticRuleSet(profile, &ocr).check(frame);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  if (options.annotate) {
    if (!cv::imwrite(*options.annotate, annotate(frame.image, report.findings)))
      throw Error(ErrorKind::kIo, fmt::format("cannot write {}", *options.annotate));
  }
  int serious = 0;
  for (const Finding& f : report.findings) serious += f.severity != Severity::kInfo;

  if (options.json) {
    nlohmann::json j = to_json(report);
    j["image"] = options.image;
    j["width"] = frame.width();
    j["height"] = frame.height();
    j["density"] = frame.density_dpi;
    j["tree"] = options.tree ? nlohmann::json(*options.tree) : nlohmann::json(nullptr);
    j["profile"] = profile.name();
    j["elapsed_ms"] = ms;
    if (options.annotate) j["annotated"] = *options.annotate;
    out << j.dump(2) << '\n';
  } else {
    out << fmt::format("{}: {}×{} px, {} dpi, {}, {:.0f} ms\n", options.image, frame.width(),
                       frame.height(), frame.density_dpi,
                       options.tree ? "with tree" : "screenshot only", ms);
    for (const Finding& f : report.findings) {
      out << fmt::format("  {} {}: {}\n", f.rule, to_string(f.severity), f.message);
      for (const Rect& b : f.boxes) out << fmt::format("      at {}\n", b.to_bounds_string());
    }
    for (const Observation& o : report.observations)
      out << fmt::format("  seen {} {}: {}\n", o.kind, o.box.to_bounds_string(), o.detail);
    if (report.findings.empty()) out << "  no findings\n";
    if (options.annotate) out << "  annotated frame: " << *options.annotate << '\n';
  }
  return serious > 0 ? 1 : 0;
}

}  // namespace uiw::harness
