#include "harness/eval_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "common/error.h"
#include "detectors/image_file.h"
#include "detectors/ocr_service.h"
#include "detectors/static_rule_set.h"
#include "harness/coco_labels.h"
#include "harness/detection_metrics.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using detectors::Rect;

struct Family {
  const char* label;  // category name in the labels
  const char* rules;  // what stands for it on our side
};
constexpr Family kFamilies[] = {{"NAGGING", "pop-up surface or POP-*"},
                                {"DEFAULT CHOICE", "CON-01"}};

// What the report predicts for one family: any evidence, and the boxes to match.
std::pair<bool, std::vector<Rect>> predicted(const detectors::FrameReport& report,
                                             std::string_view family) {
  std::vector<Rect> boxes;
  bool any = false;
  if (family == "NAGGING") {
    for (const detectors::Observation* o : report.all("popup")) boxes.push_back(o->box);
    any = !boxes.empty();
    for (const detectors::Finding& f : report.findings) any |= f.rule.rfind("POP-", 0) == 0;
  } else {
    for (const detectors::Finding& f : report.findings) {
      if (f.rule != "CON-01" || f.boxes.empty()) continue;
      Rect u = f.boxes.front();
      for (const Rect& b : f.boxes)
        u = Rect{std::min(u.left, b.left), std::min(u.top, b.top), std::max(u.right, b.right),
                 std::max(u.bottom, b.bottom)};
      boxes.push_back(u);
    }
    any = !boxes.empty();
  }
  return {any, boxes};
}

fs::path image_path(const fs::path& dir, const std::string& file_name) {
  fs::path direct = dir / file_name;
  if (fs::exists(direct)) return direct;
  return dir / fs::path(file_name).filename();
}

}  // namespace

int run_eval(const EvalOptions& options, std::ostream& out) {
  using namespace detectors;
  const CocoLabels labels = CocoLabels::load(options.labels);
  if (!fs::is_directory(options.images))
    throw Error(ErrorKind::kNotFound, fmt::format("--images {} is not a folder", options.images));
  const RuleProfile profile = RuleProfile::find(options.profile);
  OcrService ocr(1);
  StaticRuleSet rules(profile, &ocr);

  std::map<std::string, Counts> image_counts, box_counts;
  std::vector<double> latencies, ocr_latencies;  // whole check, and its region OCR
  size_t ocr_reads = 0;
  nlohmann::json per_image = nlohmann::json::array();
  int done = 0;
  for (const LabelledImage& li : labels.images) {
    if (options.limit > 0 && done >= options.limit) break;
    ++done;
    Frame frame;
    frame.image = read_image_file(image_path(options.images, li.file_name).string());
    frame.density_dpi =
        options.density_dpi.value_or(guess_density_dpi(frame.width(), frame.height()));
    const OcrService::Usage ocr_before = ocr.usage();
    const auto start = std::chrono::steady_clock::now();
    const FrameReport report = rules.check(frame);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const OcrService::Usage ocr_after = ocr.usage();
    const double ocr_ms =
        std::chrono::duration<double, std::milli>(ocr_after.region_time - ocr_before.region_time)
            .count();
    const size_t reads = ocr_after.region_reads - ocr_before.region_reads;
    latencies.push_back(ms);
    ocr_latencies.push_back(ocr_ms);
    ocr_reads += reads;
    nlohmann::json row = {
        {"image", li.file_name}, {"ms", ms}, {"ocr_ms", ocr_ms}, {"ocr_reads", reads}};
    std::string line = fmt::format("{:>7.0f} ms  {}", ms, li.file_name);
    for (const Family& fam : kFamilies) {
      auto [any, boxes] = predicted(report, fam.label);
      auto it = li.boxes.find(fam.label);
      const std::vector<Rect> none;
      const std::vector<Rect>& truth = it == li.boxes.end() ? none : it->second;
      image_counts[fam.label] += image_level(any, !truth.empty());
      box_counts[fam.label] += box_level(boxes, truth);
      row[fam.label] = {{"predicted", any}, {"labelled", !truth.empty()}};
      if (any || !truth.empty())
        line +=
            fmt::format("  {}:{}{}", fam.label, any ? "+" : "-", truth.empty() ? "(no)" : "(yes)");
    }
    row["report"] = to_json(report);
    per_image.push_back(std::move(row));
    if (options.verbose && !options.json) out << line << '\n';
  }

  std::vector<std::string> not_covered;
  for (const std::string& c : labels.categories) {
    bool covered = c == "NO DP";
    for (const Family& fam : kFamilies) covered |= c == fam.label;
    if (!covered) not_covered.push_back(c);
  }
  const double median = percentile(latencies, 50), p95 = percentile(latencies, 95);
  const double ocr_median = percentile(ocr_latencies, 50);
  const double reads_per_frame = done > 0 ? static_cast<double>(ocr_reads) / done : 0;

  if (options.json) {
    nlohmann::json families = nlohmann::json::object();
    for (const Family& fam : kFamilies) {
      auto counts = [](const Counts& c) {
        return nlohmann::json{{"tp", c.tp},           {"fp", c.fp},
                              {"fn", c.fn},           {"precision", c.precision()},
                              {"recall", c.recall()}, {"f1", c.f1()}};
      };
      families[fam.label] = {{"predicted_by", fam.rules},
                             {"image", counts(image_counts[fam.label])},
                             {"box", counts(box_counts[fam.label])}};
    }
    nlohmann::json j = {{"images", done},
                        {"profile", profile.name()},
                        {"families", families},
                        {"not_covered", not_covered},
                        {"latency_ms", {{"median", median}, {"p95", p95}}},
                        {"ocr", {{"median_ms", ocr_median}, {"reads_per_frame", reads_per_frame}}},
                        {"per_image", per_image}};
    out << j.dump(2) << '\n';
    return 0;
  }
  out << fmt::format("{} images, profile {}, screenshot only\n", done, profile.name());
  out << fmt::format("{:<16} {:<24} {:>5} {:>5} {:>5}  {:>9} {:>6} {:>6}   {:>9} {:>6} {:>6}\n",
                     "family", "predicted by", "tp", "fp", "fn", "img prec", "recall", "F1",
                     "box prec", "recall", "F1");
  for (const Family& fam : kFamilies) {
    const Counts& i = image_counts[fam.label];
    const Counts& b = box_counts[fam.label];
    out << fmt::format(
        "{:<16} {:<24} {:>5} {:>5} {:>5}  {:>9.2f} {:>6.2f} {:>6.2f}   {:>9.2f} {:>6.2f} "
        "{:>6.2f}\n",
        fam.label, fam.rules, i.tp, i.fp, i.fn, i.precision(), i.recall(), i.f1(), b.precision(),
        b.recall(), b.f1());
  }
  std::string nc;
  for (const std::string& c : not_covered) nc += (nc.empty() ? "" : ", ") + c;
  out << fmt::format("not covered: {}\n", nc.empty() ? "-" : nc);
  out << fmt::format(
      "latency per frame: median {:.0f} ms, p95 {:.0f} ms; region OCR: median {:.0f} ms, {:.1f} "
      "reads\n",
      median, p95, ocr_median, reads_per_frame);
  return 0;
}

}  // namespace uiw::harness
