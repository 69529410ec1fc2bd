#include "harness/eval_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

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
                                {"DEFAULT CHOICE", "CON-01, CON-02"}};

// What the report predicts for one family: the boxes to match, and what made each prediction
// (a surface's kind, a rule ID).
struct Prediction {
  std::vector<Rect> boxes;
  std::set<std::string> by;
  bool any() const { return !by.empty(); }
};

// "dimmed-card (confidence 0.80): …" → "dimmed-card"; "full-screen ad: countdown …" →
// "full-screen ad"; "dialog window in the UI tree" as it is.
std::string surface_kind(const std::string& detail) {
  const size_t end = detail.find_first_of("(:");
  std::string kind = detail.substr(0, end);
  while (!kind.empty() && kind.back() == ' ') kind.pop_back();
  return kind;
}

Prediction predicted(const detectors::FrameReport& report, std::string_view family) {
  Prediction p;
  if (family == "NAGGING") {
    for (const detectors::Observation* o : report.all("popup")) {
      p.boxes.push_back(o->box);
      p.by.insert(surface_kind(o->detail));
    }
    for (const detectors::Finding& f : report.findings)
      if (f.rule.rfind("POP-", 0) == 0 && p.boxes.empty()) p.by.insert(f.rule);
    return p;
  }
  for (const detectors::Finding& f : report.findings) {
    if ((f.rule != "CON-01" && f.rule != "CON-02") || f.boxes.empty()) continue;
    Rect u = f.boxes.front();
    for (const Rect& b : f.boxes)
      u = Rect{std::min(u.left, b.left), std::min(u.top, b.top), std::max(u.right, b.right),
               std::max(u.bottom, b.bottom)};
    p.boxes.push_back(u);
    p.by.insert(f.rule);
  }
  return p;
}

fs::path image_path(const fs::path& dir, const std::string& file_name) {
  fs::path direct = dir / file_name;
  if (fs::exists(direct)) return direct;
  return dir / fs::path(file_name).filename();
}

// One image's outcome per family.
struct Outcome {
  int fold = 0;
  std::map<std::string, Counts> image;  // family → image-level count (one of tp, fp, fn or none)
  std::map<std::string, Counts> box;
  std::map<std::string, std::set<std::string>> by;  // family → what made a true positive
};

nlohmann::json counts_json(const Counts& c) {
  return {{"tp", c.tp},           {"fp", c.fp},  {"fn", c.fn}, {"precision", c.precision()},
          {"recall", c.recall()}, {"f1", c.f1()}};
}

// The figures of the images in one fold (or all, fold < 0).
std::map<std::string, Counts> image_counts(const std::vector<Outcome>& outcomes, int fold) {
  std::map<std::string, Counts> c;
  for (const Outcome& o : outcomes)
    if (fold < 0 || o.fold == fold)
      for (const auto& [family, counts] : o.image) c[family] += counts;
  return c;
}

Counts count_in(const std::map<std::string, Counts>& counts, const std::string& family) {
  const auto it = counts.find(family);
  return it == counts.end() ? Counts{} : it->second;
}

struct FoldSummary {
  std::vector<std::map<std::string, Counts>> per_fold;
  std::vector<int> images;
  std::map<std::string, double> mean_f1;
  std::map<std::string, std::pair<double, int>> worst_f1;  // F1 and its fold
};

FoldSummary summarize_folds(const std::vector<Outcome>& outcomes, int folds) {
  FoldSummary s;
  for (int k = 0; k < folds; ++k) {
    s.per_fold.push_back(image_counts(outcomes, k));
    s.images.push_back(static_cast<int>(std::count_if(
        outcomes.begin(), outcomes.end(), [&](const Outcome& o) { return o.fold == k; })));
  }
  for (const Family& fam : kFamilies) {
    double sum = 0;
    std::pair<double, int> worst{2.0, -1};
    for (int k = 0; k < folds; ++k) {
      const double f1 = count_in(s.per_fold[k], fam.label).f1();
      sum += f1;
      if (f1 < worst.first) worst = {f1, k};
    }
    s.mean_f1[fam.label] = folds > 0 ? sum / folds : 0;
    s.worst_f1[fam.label] = worst;
  }
  return s;
}

// "full-screen ad 8, dimmed-card 5": what made the true positives of a family.
std::map<std::string, int> tp_sources(const std::vector<Outcome>& outcomes,
                                      const std::string& family) {
  std::map<std::string, int> n;
  for (const Outcome& o : outcomes) {
    const auto it = o.by.find(family);
    if (it == o.by.end()) continue;
    for (const std::string& by : it->second) ++n[by];
  }
  return n;
}

}  // namespace

int run_eval(const EvalOptions& options, std::ostream& out) {
  using namespace detectors;
  const CocoLabels labels = CocoLabels::load(options.labels);
  if (!fs::is_directory(options.images))
    throw Error(ErrorKind::kNotFound, fmt::format("--images {} is not a folder", options.images));
  if (options.folds == 1 || options.folds < 0)
    throw Error(ErrorKind::kUsage, fmt::format("--folds {}: give 2 or more", options.folds));
  const RuleProfile profile = RuleProfile::find(options.profile);
  OcrService ocr(1);
  StaticRuleSet rules(profile, &ocr);

  std::vector<Outcome> outcomes;
  std::vector<double> latencies, ocr_latencies;  // whole check, and its region OCR
  size_t ocr_reads = 0;
  nlohmann::json per_image = nlohmann::json::array();
  for (const LabelledImage& li : labels.images) {
    if (options.limit > 0 && static_cast<int>(outcomes.size()) >= options.limit) break;
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
    Outcome outcome;
    outcome.fold = fold_of(li.file_name, std::max(options.folds, 1));
    nlohmann::json row = {{"image", li.file_name},
                          {"fold", outcome.fold},
                          {"ms", ms},
                          {"ocr_ms", ocr_ms},
                          {"ocr_reads", reads}};
    std::string line = fmt::format("{:>7.0f} ms  {}", ms, li.file_name);
    for (const Family& fam : kFamilies) {
      const Prediction p = predicted(report, fam.label);
      auto it = li.boxes.find(fam.label);
      const std::vector<Rect> none;
      const std::vector<Rect>& truth = it == li.boxes.end() ? none : it->second;
      outcome.image[fam.label] = image_level(p.any(), !truth.empty());
      outcome.box[fam.label] = box_level(p.boxes, truth);
      if (p.any() && !truth.empty()) outcome.by[fam.label] = p.by;
      row[fam.label] = {{"predicted", p.any()},
                        {"labelled", !truth.empty()},
                        {"by", std::vector<std::string>(p.by.begin(), p.by.end())}};
      if (p.any() || !truth.empty())
        line += fmt::format("  {}:{}{}", fam.label, p.any() ? "+" : "-",
                            truth.empty() ? "(no)" : "(yes)");
    }
    row["report"] = to_json(report);
    per_image.push_back(std::move(row));
    outcomes.push_back(std::move(outcome));
    if (options.verbose && !options.json) out << line << '\n';
  }

  const int done = static_cast<int>(outcomes.size());
  std::map<std::string, Counts> all_images = image_counts(outcomes, -1), all_boxes;
  for (const Outcome& o : outcomes)
    for (const auto& [family, c] : o.box) all_boxes[family] += c;
  std::vector<std::string> not_covered;
  for (const std::string& c : labels.categories) {
    bool covered = c == "NO DP";
    for (const Family& fam : kFamilies) covered |= c == fam.label;
    if (!covered) not_covered.push_back(c);
  }
  const double median = percentile(latencies, 50), p95 = percentile(latencies, 95);
  const double ocr_median = percentile(ocr_latencies, 50);
  const double reads_per_frame = done > 0 ? static_cast<double>(ocr_reads) / done : 0;
  const FoldSummary folds = summarize_folds(outcomes, options.folds);

  if (options.json) {
    nlohmann::json families = nlohmann::json::object();
    for (const Family& fam : kFamilies) {
      nlohmann::json f = {{"predicted_by", fam.rules},
                          {"image", counts_json(all_images[fam.label])},
                          {"box", counts_json(all_boxes[fam.label])},
                          {"true_positives_by", tp_sources(outcomes, fam.label)}};
      if (options.folds >= 2) {
        nlohmann::json per = nlohmann::json::array();
        for (int k = 0; k < options.folds; ++k)
          per.push_back({{"fold", k},
                         {"images", folds.images[k]},
                         {"image", counts_json(count_in(folds.per_fold[k], fam.label))}});
        f["folds"] = {{"per_fold", per},
                      {"mean_f1", folds.mean_f1.at(fam.label)},
                      {"worst_f1", folds.worst_f1.at(fam.label).first},
                      {"worst_fold", folds.worst_f1.at(fam.label).second}};
      }
      families[fam.label] = std::move(f);
    }
    nlohmann::json j = {{"images", done},
                        {"profile", profile.name()},
                        {"folds", options.folds},
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
    const Counts& i = all_images[fam.label];
    const Counts& b = all_boxes[fam.label];
    out << fmt::format(
        "{:<16} {:<24} {:>5} {:>5} {:>5}  {:>9.2f} {:>6.2f} {:>6.2f}   {:>9.2f} {:>6.2f} "
        "{:>6.2f}\n",
        fam.label, fam.rules, i.tp, i.fp, i.fn, i.precision(), i.recall(), i.f1(), b.precision(),
        b.recall(), b.f1());
  }
  for (const Family& fam : kFamilies) {
    std::string by;
    for (const auto& [source, n] : tp_sources(outcomes, fam.label))
      by += fmt::format("{}{} {}", by.empty() ? "" : ", ", source, n);
    out << fmt::format("true positives of {} by: {}\n", fam.label, by.empty() ? "-" : by);
  }
  if (options.folds >= 2) {
    out << fmt::format("{} folds by file name (FNV-1a of the name mod {}), image level:\n",
                       options.folds, options.folds);
    std::string head = fmt::format("{:<6} {:>6}", "fold", "images");
    for (const Family& fam : kFamilies)
      head += fmt::format("   {:<16} {:>5} {:>6} {:>5}", fam.label, "prec", "recall", "F1");
    out << head << '\n';
    for (int k = 0; k < options.folds; ++k) {
      std::string row = fmt::format("{:<6} {:>6}", k, folds.images[k]);
      for (const Family& fam : kFamilies) {
        const Counts& c = count_in(folds.per_fold[k], fam.label);
        row += fmt::format("   {:<16} {:>5.2f} {:>6.2f} {:>5.2f}",
                           fmt::format("{}/{}/{}", c.tp, c.fp, c.fn), c.precision(), c.recall(),
                           c.f1());
      }
      out << row << '\n';
    }
    for (const Family& fam : kFamilies)
      out << fmt::format("{}: mean F1 {:.3f}, worst fold {} F1 {:.3f}\n", fam.label,
                         folds.mean_f1.at(fam.label), folds.worst_f1.at(fam.label).second,
                         folds.worst_f1.at(fam.label).first);
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
