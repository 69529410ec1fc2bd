#include "simdevice/virtual_fs.h"

#include <chrono>
#include <vector>

namespace uiw::sim {

namespace {

constexpr uint32_t kTypeMask = 0170000;
constexpr uint32_t kDirType = 0040000;
constexpr uint32_t kRegType = 0100000;
constexpr uint32_t kDirMode = kDirType | 0771;
constexpr uint64_t kDirSize = 3452;  // what Android's ext4/f2fs folders usually report

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Android's shared storage has several names for one folder; all lead to /sdcard.
std::string resolve(const std::string& path) {
  std::string p = VirtualFs::normalize(path);
  for (const char* alias : {"/storage/emulated/0", "/storage/self/primary", "/mnt/sdcard"}) {
    const std::string_view a(alias);
    if (p == a) return "/sdcard";
    if (p.size() > a.size() && p.starts_with(a) && p[a.size()] == '/') {
      return "/sdcard" + p.substr(a.size());
    }
  }
  return p;
}

}  // namespace

VirtualFs::VirtualFs() {
  const int64_t boot = now_seconds();
  nodes_["/"] = Node{FileStat{kDirMode, kDirSize, boot, next_ino_++}, nullptr};
  for (const char* dir :
       {"/sdcard", "/sdcard/Download", "/sdcard/DCIM", "/sdcard/Pictures", "/sdcard/Android",
        "/data", "/data/local", "/data/local/tmp", "/system", "/system/bin", "/vendor", "/dev",
        "/proc", "/storage", "/storage/emulated", "/storage/self", "/mnt", "/etc", "/cache"}) {
    nodes_[dir] = Node{FileStat{kDirMode, kDirSize, boot, next_ino_++}, nullptr};
  }
  // Listed under /storage/emulated like on a phone; paths below it resolve to /sdcard.
  nodes_["/storage/emulated/0"] = Node{FileStat{kDirMode, kDirSize, boot, next_ino_++}, nullptr};
}

std::string VirtualFs::normalize(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    const std::string part = path.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  if (parts.empty()) return "/";
  std::string out;
  for (const std::string& part : parts) out += "/" + part;
  return out;
}

std::optional<FileStat> VirtualFs::stat(const std::string& path) const {
  const std::string p = resolve(path);
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(p);
  if (it == nodes_.end()) return std::nullopt;
  return it->second.stat;
}

std::shared_ptr<const std::string> VirtualFs::read(const std::string& path) const {
  const std::string p = resolve(path);
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(p);
  if (it == nodes_.end() || it->second.stat.is_dir()) return nullptr;
  return it->second.contents;
}

bool VirtualFs::write(const std::string& path, std::string contents, uint32_t mode, int64_t mtime) {
  const std::string p = resolve(path);
  if (p == "/") return false;
  // Build the shared snapshot outside the lock: big pushes must not stall other readers.
  auto data = std::make_shared<const std::string>(std::move(contents));
  if ((mode & kTypeMask) == 0 || (mode & kTypeMask) == kDirType) {
    mode = kRegType | (mode & 07777);
  }
  std::lock_guard lock(mutex_);
  const auto existing = nodes_.find(p);
  if (existing != nodes_.end() && existing->second.stat.is_dir()) return false;
  // Every ancestor must be a directory or be creatable as one.
  std::vector<std::string> missing;
  for (std::string dir = parent_of(p);; dir = parent_of(dir)) {
    const auto it = nodes_.find(dir);
    if (it != nodes_.end()) {
      if (!it->second.stat.is_dir()) return false;
      break;
    }
    missing.push_back(dir);
  }
  const int64_t when = mtime != 0 ? mtime : now_seconds();
  for (const std::string& dir : missing) {
    nodes_[dir] = Node{FileStat{kDirMode, kDirSize, when, next_ino_++}, nullptr};
  }
  const uint64_t ino = existing != nodes_.end() ? existing->second.stat.ino : next_ino_++;
  nodes_[p] = Node{FileStat{mode, data->size(), when, ino}, std::move(data)};
  return true;
}

bool VirtualFs::mkdirs(const std::string& path) {
  const std::string p = resolve(path);
  std::lock_guard lock(mutex_);
  std::vector<std::string> missing;
  for (std::string dir = p;; dir = parent_of(dir)) {
    const auto it = nodes_.find(dir);
    if (it != nodes_.end()) {
      if (!it->second.stat.is_dir()) return false;
      break;
    }
    missing.push_back(dir);
  }
  const int64_t when = now_seconds();
  for (const std::string& dir : missing) {
    nodes_[dir] = Node{FileStat{kDirMode, kDirSize, when, next_ino_++}, nullptr};
  }
  return true;
}

bool VirtualFs::remove(const std::string& path, bool recursive) {
  const std::string p = resolve(path);
  if (p == "/") return false;
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(p);
  if (it == nodes_.end()) return false;
  if (it->second.stat.is_dir()) {
    const std::string prefix = p + "/";
    auto child = nodes_.lower_bound(prefix);
    const bool has_children = child != nodes_.end() && child->first.starts_with(prefix);
    if (has_children && !recursive) return false;
    while (child != nodes_.end() && child->first.starts_with(prefix)) child = nodes_.erase(child);
  }
  nodes_.erase(p);
  return true;
}

std::optional<std::vector<DirEntry>> VirtualFs::list(const std::string& path) const {
  const std::string p = resolve(path);
  std::lock_guard lock(mutex_);
  const auto it = nodes_.find(p);
  if (it == nodes_.end() || !it->second.stat.is_dir()) return std::nullopt;
  const std::string prefix = p == "/" ? "/" : p + "/";
  std::vector<DirEntry> entries;
  for (auto child = nodes_.upper_bound(prefix);
       child != nodes_.end() && child->first.starts_with(prefix); ++child) {
    const std::string name = child->first.substr(prefix.size());
    if (name.empty() || name.find('/') != std::string::npos) continue;
    entries.push_back(DirEntry{name, child->second.stat});
  }
  return entries;
}

}  // namespace uiw::sim
