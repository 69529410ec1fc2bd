#include "harness/bundle_verifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "common/error.h"
#include "harness/evidence_bundle.h"

namespace uiw::harness {

namespace fs = std::filesystem;

namespace {

// A manifest may have been edited by hand or by an attacker: a listed path must stay inside the
// bundle, or "verifying" it would read (and vouch for) files elsewhere.
bool inside_bundle(const std::string& path) {
  const fs::path p(path);
  if (path.empty() || !p.is_relative() || p.has_root_name() || p.has_root_directory()) return false;
  for (const fs::path& part : p)
    if (part == ".." || part == "." || part.empty()) return false;
  return true;
}

bool is_hex_sha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// How many whole lines follow the first `bytes` bytes of `file`, when those bytes hash to
// `expected`; nullopt when they do not or the tail ends mid-line.
std::optional<size_t> unrecorded_lines(const fs::path& file, std::uintmax_t bytes,
                                       const std::string& expected) {
  std::ifstream in(file, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (content.size() <= bytes || content.back() != '\n') return std::nullopt;
  if (sha256_hex(std::string_view(content).substr(0, bytes)) != expected) return std::nullopt;
  return static_cast<size_t>(std::count(content.begin() + bytes, content.end(), '\n'));
}

}  // namespace

VerifyResult verify_bundle(const fs::path& dir) {
  using Kind = VerifyProblem::Kind;
  VerifyResult result;
  result.dir = dir;
  const std::string manifest_name(kManifestFile);
  auto problem = [&](Kind kind, const std::string& path, std::string message) {
    result.problems.push_back({kind, path, std::move(message)});
  };

  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problem(Kind::kManifest, manifest_name,
            fmt::format("{}: not a directory; nothing to verify", dir.string()));
    return result;
  }
  const fs::path manifest_path = dir / kManifestFile;
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) {
    problem(Kind::kManifest, manifest_name,
            fmt::format("{}: missing or unreadable; {} is not an intact evidence bundle",
                        manifest_name, dir.string()));
    return result;
  }
  nlohmann::json manifest;
  bool interrupted = false;  // finish() was never called
  try {
    manifest = nlohmann::json::parse(in);
    interrupted = !manifest.contains("outcome") || manifest["outcome"].is_null();
  } catch (const nlohmann::json::exception& e) {
    problem(Kind::kManifest, manifest_name,
            fmt::format("{}: not valid JSON ({})", manifest_name, e.what()));
    return result;
  }
  if (!manifest.is_object()) {
    problem(Kind::kManifest, manifest_name, manifest_name + ": not a JSON object");
    return result;
  }
  const auto format = manifest.find("format");
  if (format == manifest.end() || *format != kBundleFormat)
    problem(Kind::kManifest, manifest_name,
            fmt::format("{}: format is {}, expected \"{}\"", manifest_name,
                        format == manifest.end() ? "missing" : format->dump(), kBundleFormat));
  const auto files = manifest.find("files");
  if (files == manifest.end() || !files->is_array()) {
    problem(Kind::kManifest, manifest_name, manifest_name + ": has no \"files\" list");
    return result;
  }

  std::set<std::string> listed;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const nlohmann::json& f = (*files)[i];
    const std::string where = fmt::format("{}: files[{}]", manifest_name, i);
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") ||
        !f["sha256"].is_string() || !f.contains("bytes") || !f["bytes"].is_number_unsigned()) {
      problem(Kind::kManifest, manifest_name,
              where + " lacks a string path, a string sha256 or a byte count");
      continue;
    }
    const std::string path = f["path"].get<std::string>();
    const std::string expected = f["sha256"].get<std::string>();
    const auto bytes = f["bytes"].get<std::uintmax_t>();
    if (!inside_bundle(path) || path == manifest_name) {
      problem(Kind::kManifest, manifest_name,
              fmt::format("{} path \"{}\" is not a file inside the bundle", where, path));
      continue;
    }
    if (!listed.insert(path).second) {
      problem(Kind::kManifest, path, fmt::format("{}: listed twice in {}", path, manifest_name));
      continue;
    }
    if (!is_hex_sha256(expected)) {
      problem(Kind::kManifest, path,
              fmt::format("{}: manifest hash \"{}\" is not a SHA-256", path, expected));
      continue;
    }
    const fs::path file = dir / path;
    const fs::file_status status = fs::symlink_status(file, ec);
    if (!fs::exists(status)) {
      problem(Kind::kMissing, path, fmt::format("{}: missing (listed in the manifest)", path));
      continue;
    }
    if (!fs::is_regular_file(status)) {
      problem(
          Kind::kMismatch, path,
          fmt::format("{}: not a regular file (a link or directory stands in its place)", path));
      continue;
    }
    const std::uintmax_t size = fs::file_size(file, ec);
    // steps.jsonl is appended to before the manifest is rewritten: a run killed between the two
    // leaves whole lines after the recorded prefix. In a bundle that never finished, the prefix
    // is verified and the extra lines are reported as unrecorded; after finish() they can only
    // have been added by hand.
    if (!ec && path == kStepsFile && size > bytes && interrupted) {
      const auto tail = unrecorded_lines(file, bytes, expected);
      if (tail) {
        ++result.files_checked;
        result.notes.push_back(
            fmt::format("{}: {} step line(s) written after the manifest's last update (the run was "
                        "interrupted); the {} recorded bytes verify",
                        path, *tail, bytes));
        continue;
      }
    }
    if (ec || size != bytes) {
      problem(Kind::kMismatch, path,
              fmt::format("{}: {} bytes, the manifest lists {}", path, ec ? 0 : size, bytes));
      continue;
    }
    std::string actual;
    try {
      actual = sha256_file(file);
    } catch (const Error& e) {
      problem(Kind::kMismatch, path, fmt::format("{}: {}", path, e.what()));
      continue;
    }
    if (actual != expected) {
      problem(Kind::kMismatch, path,
              fmt::format("{}: SHA-256 {} differs from the manifest's {} (modified)", path, actual,
                          expected));
      continue;
    }
    ++result.files_checked;
  }

  // Anything else on disk was not recorded by the harness.
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;  // a vanished entry is not a reason to stop listing the others
    if (it->is_directory(entry_ec) && !it->is_symlink(entry_ec)) continue;
    const std::string path = it->path().lexically_relative(dir).generic_string();
    if (path == manifest_name || path.ends_with(kTempSuffix)) continue;
    if (!listed.contains(path))
      problem(Kind::kUnlisted, path,
              fmt::format("{}: present in the bundle but not listed in the manifest", path));
  }
  if (ec)
    problem(Kind::kManifest, manifest_name,
            fmt::format("{}: cannot list the bundle directory: {}", dir.string(), ec.message()));
  return result;
}

}  // namespace uiw::harness
