#include "harness/detect_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <ostream>

#include "common/error.h"
#include "detectors/annotator.h"
#include "detectors/droidbot_state.h"
#include "detectors/image_file.h"
#include "detectors/ocr_service.h"
#include "detectors/static_rule_set.h"
#include "detectors/tree_image_match.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using namespace detectors;

// A dump given where an image goes: judged from its tree alone.
bool is_tree_file(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  return ext == ".xml" || ext == ".json";
}

// A blank frame as large as the windows of `tree` reach: the rules read the tree; the pixel
// searches find nothing on it.
cv::Mat blank_frame_for(const UiTree& tree, const std::string& path) {
  int right = 0, bottom = 0;
  for (const UiNode& root : tree.roots()) {
    right = std::max(right, root.bounds.right);
    bottom = std::max(bottom, root.bounds.bottom);
  }
  // No screen is wider or taller than this; a dump claiming more is broken, not a tablet.
  constexpr int kMaxSide = 10000;
  if (right <= 0 || bottom <= 0 || right > kMaxSide || bottom > kMaxSide)
    throw Error(
        ErrorKind::kParse,
        fmt::format("{}: its windows reach [{},{}]: no screen of that size", path, right, bottom));
  return cv::Mat(bottom, right, CV_8UC3, cv::Scalar(255, 255, 255));
}

// The tree given for `image`, if any: --tree, or a same-name dump in --tree-dir.
std::optional<std::string> tree_for(const DetectOptions& options, const std::string& image) {
  if (options.tree) return options.tree;
  if (!options.tree_dir) return std::nullopt;
  for (const char* ext : {".xml", ".json"}) {
    const fs::path candidate =
        fs::path(*options.tree_dir) / (fs::path(image).stem().string() + ext);
    if (fs::exists(candidate)) return candidate.string();
  }
  return std::nullopt;
}

class FrameDetector {
 public:
  FrameDetector(const DetectOptions& options)
      : options_(options),
        profile_(RuleProfile::find(options.profile)),
        ocr_(1),
        rules_(profile_, &ocr_) {}

  // Checks one image; returns whether it has warnings or violations.
  bool check(const std::string& image, std::ostream& out, std::ostream& err) {
    Frame frame;
    const bool tree_only = is_tree_file(image);
    const std::optional<std::string> tree_file =
        tree_only ? std::optional<std::string>(image) : tree_for(options_, image);
    std::optional<std::string> mismatch;
    if (tree_only) {
      frame.tree = load_any_tree(image);
      frame.image = blank_frame_for(*frame.tree, image);
    } else {
      frame.image = read_image_file(image);
    }
    if (tree_file && !tree_only) {
      frame.tree = load_any_tree(*tree_file);
      mismatch = tree_mismatch(*frame.tree, frame.image);
      if (mismatch)
        err << fmt::format("uiwitness: warning: {} may not be the tree of {}: {}\n", *tree_file,
                           image, *mismatch);
    }
    frame.density_dpi =
        options_.density_dpi.value_or(guess_density_dpi(frame.width(), frame.height()));
    const auto start = std::chrono::steady_clock::now();
    const FrameReport report = rules_.check(frame);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (options_.annotate &&
        !cv::imwrite(*options_.annotate, annotate(frame.image, report.findings)))
      throw Error(ErrorKind::kIo, fmt::format("cannot write {}", *options_.annotate));
    bool serious = false;
    for (const Finding& f : report.findings) serious |= f.severity != Severity::kInfo;
    if (options_.json)
      print_json(image, frame, tree_file, mismatch, report, ms, out);
    else
      print_text(image, frame, tree_file, report, ms, out);
    return serious;
  }

 private:
  void print_json(const std::string& image, const Frame& frame,
                  const std::optional<std::string>& tree_file,
                  const std::optional<std::string>& mismatch, const FrameReport& report, double ms,
                  std::ostream& out) const {
    nlohmann::json j = to_json(report);
    j["image"] = image;
    j["width"] = frame.width();
    j["height"] = frame.height();
    j["density"] = frame.density_dpi;
    j["tree"] = tree_file ? nlohmann::json(*tree_file) : nlohmann::json(nullptr);
    if (mismatch) j["tree_mismatch"] = *mismatch;
    j["profile"] = profile_.name();
    j["elapsed_ms"] = ms;
    if (options_.annotate) j["annotated"] = *options_.annotate;
    // Several images stream one object per line, so a consumer reads results as they come.
    out << (options_.images.size() > 1 ? j.dump() : j.dump(2)) << std::endl;
  }

  void print_text(const std::string& image, const Frame& frame,
                  const std::optional<std::string>& tree_file, const FrameReport& report, double ms,
                  std::ostream& out) const {
    out << fmt::format("{}: {}×{} px, {} dpi, {}, {:.0f} ms\n", image, frame.width(),
                       frame.height(), frame.density_dpi,
                       tree_file == image ? "tree only (no screenshot)"
                       : tree_file        ? "with tree " + *tree_file
                                          : "screenshot only",
                       ms);
    for (const Finding& f : report.findings) {
      out << fmt::format("  {} {}: {}\n", f.rule, to_string(f.severity), f.message);
      for (const Rect& b : f.boxes) out << fmt::format("      at {}\n", b.to_bounds_string());
    }
    for (const Observation& o : report.observations)
      out << fmt::format("  seen {} {}: {}\n", o.kind, o.box.to_bounds_string(), o.detail);
    if (report.findings.empty()) out << "  no findings\n";
    if (options_.annotate) out << "  annotated frame: " << *options_.annotate << '\n';
    out << std::flush;
  }

  const DetectOptions& options_;
  const RuleProfile profile_;
  OcrService ocr_;
  StaticRuleSet rules_;
};

}  // namespace

int run_detect(const DetectOptions& options, std::ostream& out, std::ostream& err) {
  if (options.images.empty()) throw Error(ErrorKind::kUsage, "detect needs at least one IMAGE");
  if (options.images.size() > 1 && (options.tree || options.annotate))
    throw Error(ErrorKind::kUsage,
                "--tree and --annotate take one IMAGE; for several use --tree-dir DIR");
  for (const std::string& image : options.images)
    if (is_tree_file(image) && (options.tree || options.tree_dir || options.annotate))
      throw Error(ErrorKind::kUsage,
                  fmt::format("{} is a dump, judged on its own: no --tree, --tree-dir or "
                              "--annotate with it",
                              image));
  if (options.tree && options.tree_dir)
    throw Error(ErrorKind::kUsage, "give --tree or --tree-dir, not both");
  if (options.tree_dir && !fs::is_directory(*options.tree_dir))
    throw Error(ErrorKind::kNotFound,
                fmt::format("--tree-dir {} is not a folder", *options.tree_dir));
  if (options.density_dpi && (*options.density_dpi < 60 || *options.density_dpi > 1000))
    throw Error(ErrorKind::kUsage, fmt::format("--density {} is not a screen density (60…1000 dpi)",
                                               *options.density_dpi));
  FrameDetector detector(options);
  bool serious = false, failed = false;
  for (const std::string& image : options.images) {
    try {
      serious |= detector.check(image, out, err);
    } catch (const Error& e) {
      // One unreadable file must not cost the results of the others.
      if (options.images.size() == 1) throw;
      err << "uiwitness: " << e.what() << '\n';
      failed = true;
    }
  }
  return failed ? 2 : serious ? 1 : 0;
}

}  // namespace uiw::harness
