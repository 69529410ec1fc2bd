#include "simdevice/sync_service.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>

namespace uiw::sim {

namespace {

constexpr uint32_t make_id(const char (&s)[5]) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}

constexpr uint32_t kStat = make_id("STAT");
constexpr uint32_t kSta2 = make_id("STA2");
constexpr uint32_t kLst2 = make_id("LST2");
constexpr uint32_t kList = make_id("LIST");
constexpr uint32_t kLis2 = make_id("LIS2");
constexpr uint32_t kDent = make_id("DENT");
constexpr uint32_t kDnt2 = make_id("DNT2");
constexpr uint32_t kSend = make_id("SEND");
constexpr uint32_t kRecv = make_id("RECV");
constexpr uint32_t kData = make_id("DATA");
constexpr uint32_t kDone = make_id("DONE");
constexpr uint32_t kOkay = make_id("OKAY");
constexpr uint32_t kFail = make_id("FAIL");
constexpr uint32_t kQuit = make_id("QUIT");

constexpr size_t kMaxPathLength = 1024;  // adbd's limit
constexpr size_t kMaxDataChunk = 64 * 1024;
constexpr size_t kFlushThreshold = 256 * 1024;
constexpr uint32_t kEnoent = 2;

void put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint32_t get32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

// Replies are gathered and written per request (or when large), so a `ls` of many entries or a
// pull of many chunks does not cost one WRTE round trip per record.
class SyncSession {
 public:
  SyncSession(AdbStream& stream, VirtualFs& fs) : stream_(stream), fs_(fs) {}

  void run() {
    for (;;) {
      char header[8];
      if (!stream_.read_exact(header, sizeof header)) return;
      const uint32_t id = get32(header);
      const uint32_t length = get32(header + 4);
      if (id == kQuit) return;
      if (length > kMaxPathLength) {
        fail("path too long");
        return;
      }
      std::string path(length, '\0');
      if (!stream_.read_exact(path.data(), length)) return;
      bool keep_going = true;
      if (id == kStat) {
        stat_v1(path);
      } else if (id == kSta2 || id == kLst2) {
        stat_v2(id, path);
      } else if (id == kList) {
        list(path, false);
      } else if (id == kLis2) {
        list(path, true);
      } else if (id == kRecv) {
        recv(path);
      } else if (id == kSend) {
        keep_going = send(path);
      } else {
        fail("unknown sync request");
        keep_going = false;
      }
      if (!flush() || !keep_going) return;
    }
  }

 private:
  void stat_v1(const std::string& path) {
    const auto st = fs_.stat(path);
    put32(out_, kStat);
    put32(out_, st ? st->mode : 0);
    put32(out_, st ? static_cast<uint32_t>(st->size) : 0);
    put32(out_, st ? static_cast<uint32_t>(st->mtime) : 0);
  }

  void put_stat_v2(uint32_t id, const std::optional<FileStat>& st) {
    put32(out_, id);
    put32(out_, st ? 0 : kEnoent);
    put64(out_, st ? 0xfd00 : 0);  // dev
    put64(out_, st ? st->ino : 0);
    put32(out_, st ? st->mode : 0);
    put32(out_, st ? (st->is_dir() ? 2 : 1) : 0);  // nlink
    put32(out_, st ? 2000 : 0);                    // uid: shell
    put32(out_, st ? 1015 : 0);                    // gid: sdcard_rw
    put64(out_, st ? st->size : 0);
    for (int i = 0; i < 3; ++i) put64(out_, st ? static_cast<uint64_t>(st->mtime) : 0);
  }

  void stat_v2(uint32_t id, const std::string& path) { put_stat_v2(id, fs_.stat(path)); }

  void list(const std::string& path, bool v2) {
    const auto entries = fs_.list(path);
    if (entries) {
      for (const DirEntry& e : *entries) {
        if (v2) {
          put_stat_v2(kDnt2, e.stat);
        } else {
          put32(out_, kDent);
          put32(out_, e.stat.mode);
          put32(out_, static_cast<uint32_t>(e.stat.size));
          put32(out_, static_cast<uint32_t>(e.stat.mtime));
        }
        put32(out_, static_cast<uint32_t>(e.name.size()));
        out_ += e.name;
        if (out_.size() >= kFlushThreshold && !flush()) return;
      }
    }
    // DONE is a zeroed entry of the same shape.
    if (v2) {
      put_stat_v2(kDone, FileStat{});
      std::fill(out_.end() - 72 + 4, out_.end(), '\0');
    } else {
      put32(out_, kDone);
      for (int i = 0; i < 3; ++i) put32(out_, 0);
    }
    put32(out_, 0);
  }

  void recv(const std::string& path) {
    const auto st = fs_.stat(path);
    if (st && st->is_dir()) {
      fail("open failed: Is a directory");
      return;
    }
    const auto contents = fs_.read(path);
    if (!contents) {
      fail("open failed: No such file or directory");
      return;
    }
    std::string_view rest(*contents);
    while (!rest.empty()) {
      const size_t n = std::min(rest.size(), kMaxDataChunk);
      put32(out_, kData);
      put32(out_, static_cast<uint32_t>(n));
      out_.append(rest.substr(0, n));
      rest.remove_prefix(n);
      if (out_.size() >= kFlushThreshold && !flush()) return;
    }
    put32(out_, kDone);
    put32(out_, 0);
  }

  // SEND "path,mode": DATA… then DONE mtime. The client sends everything before it reads the
  // reply, so even a doomed push is read to its end and answered with FAIL.
  bool send(const std::string& spec) {
    std::string path = spec;
    uint32_t mode = 0100644;
    const size_t comma = spec.rfind(',');
    if (comma != std::string::npos) {
      path = spec.substr(0, comma);
      const std::string_view digits = std::string_view(spec).substr(comma + 1);
      uint32_t parsed = 0;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
      if (ec == std::errc() && ptr == digits.data() + digits.size()) mode = parsed;
    }
    std::string data;
    for (;;) {
      char header[8];
      if (!stream_.read_exact(header, sizeof header)) return false;
      const uint32_t id = get32(header);
      const uint32_t value = get32(header + 4);
      if (id == kData) {
        if (value > kMaxDataChunk) {
          fail("data chunk too large");
          return false;
        }
        const size_t old = data.size();
        data.resize(old + value);
        if (!stream_.read_exact(data.data() + old, value)) return false;
      } else if (id == kDone) {
        if (fs_.stat(path) && fs_.stat(path)->is_dir()) {
          fail("couldn't create file: Is a directory");
        } else if (!fs_.write(path, std::move(data), mode, static_cast<int64_t>(value))) {
          fail("couldn't create file: Not a directory");
        } else {
          put32(out_, kOkay);
          put32(out_, 0);
        }
        return true;
      } else {
        fail("invalid data message");
        return false;
      }
    }
  }

  void fail(std::string_view message) {
    put32(out_, kFail);
    put32(out_, static_cast<uint32_t>(message.size()));
    out_.append(message);
  }

  bool flush() {
    if (out_.empty()) return true;
    const bool ok = stream_.write(out_);
    out_.clear();
    return ok;
  }

  AdbStream& stream_;
  VirtualFs& fs_;
  std::string out_;
};

}  // namespace

void run_sync_service(AdbStream& stream, VirtualFs& fs) {
  SyncSession(stream, fs).run();
}

}  // namespace uiw::sim
