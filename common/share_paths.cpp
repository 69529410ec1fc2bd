#include "common/share_paths.h"

namespace uiw {

namespace fs = std::filesystem;

namespace {

fs::path exe_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

}  // namespace

fs::path shared_path(const fs::path& relative) {
  return exe_dir().parent_path() / "share" / "uiwitness" / relative;
}

fs::path simulator_binary() {
  return exe_dir() / "uiwitness-sim";
}

}  // namespace uiw
