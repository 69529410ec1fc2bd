#pragma once
// SyncClient: the `sync:` service (what `adb push/pull/ls` use): stat, list, pull, push.
// Requests are ID + u32 length + data; replies are a byte stream (not aligned with anything).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adb/deadline.h"
#include "adb/host_connection.h"

namespace uiw::adb {

struct FileStat {
  uint32_t mode = 0;  // st_mode; 0 when the file does not exist (v1)
  uint64_t size = 0;
  int64_t mtime = 0;
  bool is_directory() const { return (mode & 0170000) == 0040000; }
  bool is_regular() const { return (mode & 0170000) == 0100000; }
};

struct RemoteDirEntry {
  std::string name;
  FileStat stat;
};

class SyncClient {
 public:
  // `connection` must have had `sync:` accepted. stat_v2: the device advertised it.
  SyncClient(HostConnection connection, std::string serial, bool stat_v2);
  ~SyncClient();  // sends QUIT (best effort)
  SyncClient(SyncClient&&) = default;

  // nullopt when the path does not exist.
  std::optional<FileStat> stat(const std::string& path, Deadline deadline);
  std::vector<RemoteDirEntry> list(const std::string& path, Deadline deadline);
  // Whole file in memory. Missing file → kNotFound "pull PATH: No such file or directory".
  std::string pull(const std::string& path, Deadline deadline);
  // Streams to a local file (written to PATH.part, renamed when complete).
  void pull_to_file(const std::string& remote, const std::string& local, Deadline deadline);
  void push(std::string_view bytes, const std::string& remote, Deadline deadline,
            uint32_t mode = 0644, int64_t mtime = 0);
  void push_file(const std::string& local, const std::string& remote, Deadline deadline,
                 uint32_t mode = 0644);

 private:
  void send_request(const char (&id)[5], std::string_view data, Deadline deadline);
  void read_exact(char* out, size_t n, Deadline deadline);
  uint32_t read_u32(Deadline deadline);
  std::string read_fail_message(Deadline deadline);
  // The message of a FAIL reply whose length was already read; kProtocol if it is absurd.
  std::string read_fail_body(uint32_t length, Deadline deadline);
  template <typename Sink>
  void receive(const std::string& path, Deadline deadline, Sink&& sink);

  HostConnection connection_;
  std::string serial_;
  bool stat_v2_;
  bool usable_ = true;  // false after a protocol error: the stream position is unknown
};

}  // namespace uiw::adb
