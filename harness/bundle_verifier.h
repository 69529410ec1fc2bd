#pragma once
// `uiwitness verify`: does an evidence bundle still hold exactly what its manifest says? Every
// listed file must exist with its size and SHA-256, and no file may have been slipped in beside
// them. Each problem names the file so a reviewer knows which piece of evidence to distrust.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace uiw::harness {

struct VerifyProblem {
  enum class Kind {
    kManifest,  // manifest.json missing, unreadable or malformed
    kMissing,   // listed, not on disk
    kMismatch,  // listed, on disk, other size or SHA-256
    kUnlisted,  // on disk, not listed
  };
  Kind kind = Kind::kManifest;
  std::string path;     // relative to the bundle ("frames/003.png"); "manifest.json" for kManifest
  std::string message;  // one line naming the file: "frames/003.png: SHA-256 … differs …"
};

struct VerifyResult {
  std::filesystem::path dir;
  std::size_t files_checked = 0;  // listed files whose hash matched
  std::vector<VerifyProblem> problems;
  std::vector<std::string> notes;  // not problems: e.g. steps logged after the last manifest update
  bool ok() const { return problems.empty(); }
};

// Never throws for a damaged bundle: every defect, including a malformed manifest, is a problem.
VerifyResult verify_bundle(const std::filesystem::path& dir);

}  // namespace uiw::harness
