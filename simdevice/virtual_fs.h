#pragma once
// The simulated device's file system: an in-memory tree of files and directories shared by the
// sync service (push, pull, stat, list) and shell commands (cat, rm, ls, screencap FILE,
// uiautomator dump FILE). Thread-safe; file contents are shared, immutable snapshots, so a pull
// never sees a half-written file.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace uiw::sim {

struct FileStat {
  uint32_t mode = 0;  // st_mode: S_IFREG|0644, S_IFDIR|0755 …
  uint64_t size = 0;
  int64_t mtime = 0;  // seconds since the epoch
  uint64_t ino = 0;
  bool is_dir() const { return (mode & 0170000) == 0040000; }
};

struct DirEntry {
  std::string name;
  FileStat stat;
};

class VirtualFs {
 public:
  // Starts with Android's usual top folders: /sdcard, /data/local/tmp, /system/bin, …
  VirtualFs();

  std::optional<FileStat> stat(const std::string& path) const;
  // nullptr when missing or a directory.
  std::shared_ptr<const std::string> read(const std::string& path) const;
  // Creates missing parent directories (adb's fixed_push_mkdir). False if a parent is a file or
  // the path is a directory.
  bool write(const std::string& path, std::string contents, uint32_t mode = 0100644,
             int64_t mtime = 0 /* now */);
  bool mkdirs(const std::string& path);
  // Removes a file (or, with recursive, a directory tree). False when missing.
  bool remove(const std::string& path, bool recursive = false);
  // Entries of a directory, sorted by name; nullopt when not a directory.
  std::optional<std::vector<DirEntry>> list(const std::string& path) const;

  // "/a/b/../c/" → "/a/c"; relative paths are taken from "/".
  static std::string normalize(const std::string& path);

 private:
  struct Node {
    FileStat stat;
    std::shared_ptr<const std::string> contents;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Node> nodes_;  // normalized path → node
  uint64_t next_ino_ = 1;
};

}  // namespace uiw::sim
