// uiwitness-synth: writes a reproducible set of domain-randomised, labelled synthetic phone
// screens (images, their uiautomator dumps, COCO labels) for training and evaluating detectors.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

#include "common/error.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/synth/synth_set_writer.h"

namespace {

void print_summary(const uiw::sim::synth::SynthSetSummary& summary,
                   const uiw::sim::synth::SynthSetOptions& options, double seconds) {
  std::cout << fmt::format(
      "uiwitness-synth: {} screens ({} PNG, {} JPEG, {} screen recordings) in {}, seed {}, "
      "{:.1f} s ({:.0f} ms a screen)\n",
      summary.images, summary.images - summary.jpegs, summary.jpegs, summary.recordings,
      options.out.string(), options.seed, seconds,
      summary.images > 0 ? 1000 * seconds / summary.images : 0.0);
  std::cout << "screens per kind:\n";
  for (const auto& [kind, n] : summary.kind_counts)
    std::cout << fmt::format("  {:<24} {}\n", kind, n);
  std::cout << "annotations per category:\n";
  for (const auto& [name, n] : summary.category_counts) {
    std::cout << fmt::format("  {:<24} {}\n", name, n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "uiwitness-synth: writes labelled synthetic phone screens: DIR/images/NAME.png|.jpg, "
      "DIR/images/NAME.xml (the screen's uiautomator dump) and DIR/labels.coco.json (widgets, "
      "pop-up surfaces, close marks, buttons, DEFAULT CHOICE / NAGGING / NO DP). The same seed "
      "writes the same bytes."};
  uiw::sim::synth::SynthSetOptions options;
  std::string out;
  cli.add_option("--out", out, "output folder (created; files of the same names are replaced)")
      ->required();
  cli.add_option("--count", options.count, "number of screens")
      ->required()
      ->check(CLI::Range(1, 1'000'000));
  cli.add_option("--seed", options.seed, "seed of the set (a non-negative integer)")->required();
  cli.add_option("--jpeg-share", options.shares.jpeg,
                 "share of images saved as JPEG at quality 40-95 (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cli.add_option("--recording-share", options.shares.recording,
                 "share of images framed as a desktop screen recording (default 0.12)")
      ->check(CLI::Range(0.0, 1.0));
  cli.add_option("--jobs", options.jobs, "threads (default: one per core)")
      ->check(CLI::Range(0, 256));
  bool quiet = false;
  cli.add_flag("--quiet", quiet, "print only errors");
  try {
    cli.parse(argc, argv);
    if (out.empty()) throw CLI::ValidationError("--out", "give a folder to write the set to");
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);  // prints help or the error naming the option
    return code == 0 ? 0 : 2;
  }
  options.out = out;
  try {
    const uiw::sim::ScreenRenderer renderer;
    const auto start = std::chrono::steady_clock::now();
    int last_reported = 0;
    const auto progress = [&](int done) {
      if (quiet || done - last_reported < 250) return;
      last_reported = done;
      std::cerr << fmt::format("  {}/{} screens\n", done, options.count);
    };
    const auto summary = uiw::sim::synth::write_synth_set(options, renderer, progress);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet) print_summary(summary, options, seconds);
  } catch (const uiw::Error& e) {
    std::cerr << "uiwitness-synth: " << e.what() << "\n";
    return e.kind() == uiw::ErrorKind::kUsage || e.kind() == uiw::ErrorKind::kConfig ? 2 : 3;
  }
  return 0;
}
