#include "harness/merge_command.h"

#include <fmt/format.h>

#include <map>
#include <ostream>
#include <string>

#include "common/error.h"
#include "harness/evidence_bundle.h"
#include "harness/report_command.h"
#include "harness/run_report.h"

namespace uiw::harness {

namespace fs = std::filesystem;

namespace {

// Beside the target while a bundle is being put in place, then renamed: a merge that dies half
// way leaves no half bundle at the real path (the next merge removes the leftover).
constexpr std::string_view kMergeTempSuffix = ".uiw-merge-tmp";

struct Source {
  fs::path bundle;
  fs::path input;
  std::string manifest_sha;
  bool present = false;  // already at its path in the output, identical
};

// True when `inner` is `outer` or below it.
bool contains(const fs::path& outer, const fs::path& inner) {
  const fs::path rel = inner.lexically_relative(outer);
  return !rel.empty() && *rel.begin() != "..";
}

fs::path normalised(const fs::path& p) {
  return fs::weakly_canonical(fs::absolute(p));
}

std::string short_sha(const std::string& sha) {
  return sha.substr(0, 12);
}

// Hard link when source and target share a file system (no bytes copied, and a farm's frames
// add up), a copy otherwise. Either way the bytes, and so the manifest's hashes, are the same.
void link_or_copy(const fs::path& from, const fs::path& to, MergeStats& stats) {
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (!ec) {
    ++stats.linked;
    return;
  }
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec)
    throw Error(ErrorKind::kIo,
                fmt::format("cannot copy {} to {}: {}", from.string(), to.string(), ec.message()));
  ++stats.copied;
}

void place_bundle(const Source& src, const fs::path& target, MergeStats& stats) {
  fs::path temp = target;
  temp += kMergeTempSuffix;
  std::error_code ec;
  fs::remove_all(temp, ec);
  fs::create_directories(temp, ec);
  if (ec)
    throw Error(ErrorKind::kIo, fmt::format("cannot create {}: {}", temp.string(), ec.message()));
  for (auto it = fs::recursive_directory_iterator(src.bundle);
       it != fs::recursive_directory_iterator(); ++it) {
    const fs::path rel = it->path().lexically_relative(src.bundle);
    if (it->is_directory()) {
      fs::create_directories(temp / rel);
    } else if (it->is_regular_file() && !it->path().string().ends_with(kTempSuffix)) {
      // *.uiw-tmp: a write a kill interrupted, never part of the evidence.
      link_or_copy(it->path(), temp / rel, stats);
    }
  }
  fs::rename(temp, target, ec);
  if (ec)
    throw Error(ErrorKind::kIo, fmt::format("cannot move {} to {}: {}", temp.string(),
                                            target.string(), ec.message()));
}

}  // namespace

MergeStats merge_runs(const std::vector<fs::path>& inputs, const fs::path& out) {
  if (inputs.empty()) throw Error(ErrorKind::kUsage, "merge needs at least one run directory");
  const fs::path out_abs = normalised(out);
  for (const fs::path& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec))
      throw Error(ErrorKind::kNotFound,
                  fmt::format("{} is not a directory (merge wants the run directories of shards)",
                              input.string()));
    const fs::path in_abs = normalised(input);
    if (contains(in_abs, out_abs) || contains(out_abs, in_abs))
      throw Error(ErrorKind::kUsage,
                  fmt::format("--out {} and the input {} contain one another; merge into a "
                              "directory of its own",
                              out.string(), input.string()));
  }

  // Plan everything before writing anything: a conflict leaves the output untouched.
  MergeStats stats;
  std::map<std::string, Source> plan;  // bundle path relative to the run → where it comes from
  std::vector<std::string> conflicts;
  for (const fs::path& input : inputs) {
    const std::vector<fs::path> bundles = find_bundles(input);
    if (bundles.empty()) stats.empty_inputs.push_back(input);
    for (const fs::path& bundle : bundles) {
      const std::string rel = bundle.lexically_relative(input).generic_string();
      if (rel == ".")
        throw Error(ErrorKind::kUsage,
                    fmt::format("{} is one evidence bundle, not a run directory; merge the "
                                "directories `uiwitness run --out` wrote",
                                input.string()));
      const std::string sha = sha256_file(bundle / kManifestFile);
      const auto [it, inserted] = plan.emplace(rel, Source{bundle, input, sha});
      if (inserted) continue;
      if (it->second.manifest_sha == sha) {
        ++stats.duplicates;
      } else {
        conflicts.push_back(fmt::format(
            "{}: in {} and in {} with different evidence (manifest SHA-256 {}… and {}…)", rel,
            it->second.input.string(), input.string(), short_sha(it->second.manifest_sha),
            short_sha(sha)));
      }
    }
  }
  if (plan.empty()) {
    std::vector<std::string> names;
    for (const fs::path& input : inputs) names.push_back(input.string());
    throw Error(ErrorKind::kNotFound,
                fmt::format("no evidence bundle (manifest.json) in {}", fmt::join(names, ", ")));
  }
  for (auto& [rel, src] : plan) {
    const fs::path target = out / rel;
    std::error_code ec;
    if (!fs::exists(target, ec)) continue;
    if (fs::is_regular_file(target / kManifestFile, ec) &&
        sha256_file(target / kManifestFile) == src.manifest_sha) {
      src.present = true;
      ++stats.duplicates;
    } else {
      conflicts.push_back(fmt::format("{}: {} already exists with other evidence than {}", rel,
                                      target.string(), src.bundle.string()));
    }
  }
  if (!conflicts.empty())
    throw Error(ErrorKind::kConfig,
                fmt::format("cannot merge into {}: {} bundle path(s) hold different evidence "
                            "(the same scenario on the same device in two runs: shards of one "
                            "run must share N and differ in K):\n  {}",
                            out.string(), conflicts.size(), fmt::join(conflicts, "\n  ")));

  for (const auto& [rel, src] : plan) {
    ++stats.bundles;
    if (src.present) continue;
    const fs::path target = out / rel;
    fs::create_directories(target.parent_path());
    place_bundle(src, target, stats);
  }
  return stats;
}

int run_merge_command(const std::vector<fs::path>& inputs, const fs::path& out, std::ostream& log) {
  const MergeStats stats = merge_runs(inputs, out);
  log << fmt::format(
      "merged {} bundle(s) from {} run director{} into {}: {} file(s) hard-linked, {} copied",
      stats.bundles, inputs.size(), inputs.size() == 1 ? "y" : "ies", out.string(), stats.linked,
      stats.copied);
  if (stats.duplicates > 0)
    log << fmt::format("; {} identical duplicate(s) kept once", stats.duplicates);
  log << '\n';
  for (const fs::path& empty : stats.empty_inputs)
    log << fmt::format("  note: {} holds no bundle (an empty shard?)\n", empty.string());
  return run_report_command(out, log);
}

}  // namespace uiw::harness
