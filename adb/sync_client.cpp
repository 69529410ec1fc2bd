#include "adb/sync_client.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "adb/little_endian.h"
#include "common/error.h"

namespace uiw::adb {

namespace {

constexpr size_t kMaxChunk = 64 * 1024;  // the sync protocol's DATA limit
constexpr size_t kMaxPath = 1024;
// adbd's FAIL messages are an strerror line; anything this long is a corrupt stream.
constexpr uint32_t kMaxFailMessage = 64 * 1024;

ErrorKind kind_for(std::string_view message) {
  if (message.find("No such file") != std::string_view::npos) return ErrorKind::kNotFound;
  return ErrorKind::kCommandFailed;
}

std::string errno_text(uint32_t error) {
  if (error == 2) return "No such file or directory";
  return std::strerror(static_cast<int>(error));
}

}  // namespace

SyncClient::SyncClient(HostConnection connection, std::string serial, bool stat_v2)
    : connection_(std::move(connection)), serial_(std::move(serial)), stat_v2_(stat_v2) {}

SyncClient::~SyncClient() {
  if (!connection_.socket().is_open() || !usable_) return;
  try {
    send_request("QUIT", "", Deadline::after(200ms));
  } catch (const Error&) {
    // The device may be gone already; nothing to do about it in a destructor.
  }
}

void SyncClient::send_request(const char (&id)[5], std::string_view data, Deadline deadline) {
  if (data.size() > kMaxPath && std::strcmp(id, "SEND") != 0) {
    throw Error(ErrorKind::kUsage, fmt::format("remote path too long ({} bytes)", data.size()));
  }
  std::string out(id, 4);
  append_le32(out, static_cast<uint32_t>(data.size()));
  out.append(data);
  connection_.socket().write_all(out, deadline);
}

void SyncClient::read_exact(char* out, size_t n, Deadline deadline) {
  try {
    connection_.socket().read_exact(out, n, deadline);
  } catch (const Error&) {
    usable_ = false;
    throw;
  }
}

uint32_t SyncClient::read_u32(Deadline deadline) {
  char b[4];
  read_exact(b, 4, deadline);
  return load_le32(b);
}

std::string SyncClient::read_fail_message(Deadline deadline) {
  return read_fail_body(read_u32(deadline), deadline);
}

std::string SyncClient::read_fail_body(uint32_t length, Deadline deadline) {
  // The length comes from the device: a corrupt stream must not make us allocate gigabytes.
  if (length > kMaxFailMessage) {
    usable_ = false;
    throw Error(ErrorKind::kProtocol, fmt::format("sync: FAIL message of {} bytes from {}: the "
                                                  "stream is corrupt",
                                                  length, serial_));
  }
  std::string message(length, '\0');
  if (length > 0) read_exact(message.data(), length, deadline);
  return message;
}

std::optional<FileStat> SyncClient::stat(const std::string& path, Deadline deadline) {
  if (stat_v2_) {
    send_request("STA2", path, deadline);
    char reply[72];
    read_exact(reply, sizeof reply, deadline);
    if (std::memcmp(reply, "STA2", 4) != 0) {
      usable_ = false;
      throw Error(ErrorKind::kProtocol, "sync stat " + path + ": unexpected reply from " + serial_);
    }
    const uint32_t error = load_le32(reply + 4);
    if (error == 2) return std::nullopt;
    if (error != 0) {
      throw Error(ErrorKind::kCommandFailed, "stat " + path + ": " + errno_text(error));
    }
    FileStat st;
    st.mode = load_le32(reply + 24);
    st.size = load_le64(reply + 40);
    st.mtime = static_cast<int64_t>(load_le64(reply + 56));
    return st;
  }
  send_request("STAT", path, deadline);
  char reply[16];
  read_exact(reply, sizeof reply, deadline);
  if (std::memcmp(reply, "STAT", 4) != 0) {
    usable_ = false;
    throw Error(ErrorKind::kProtocol, "sync stat " + path + ": unexpected reply from " + serial_);
  }
  FileStat st;
  st.mode = load_le32(reply + 4);
  st.size = load_le32(reply + 8);
  st.mtime = load_le32(reply + 12);
  if (st.mode == 0) return std::nullopt;
  return st;
}

std::vector<RemoteDirEntry> SyncClient::list(const std::string& path, Deadline deadline) {
  send_request("LIST", path, deadline);
  std::vector<RemoteDirEntry> out;
  for (;;) {
    char header[20];  // DENT mode size mtime namelen
    read_exact(header, sizeof header, deadline);
    if (std::memcmp(header, "DONE", 4) == 0) return out;
    if (std::memcmp(header, "FAIL", 4) == 0) {
      usable_ = false;  // the 16 bytes after FAIL were already consumed as part of the header
      throw Error(ErrorKind::kCommandFailed, "ls " + path + ": failed on " + serial_);
    }
    if (std::memcmp(header, "DENT", 4) != 0) {
      usable_ = false;
      throw Error(ErrorKind::kProtocol, "sync ls " + path + ": unexpected reply from " + serial_);
    }
    RemoteDirEntry e;
    e.stat.mode = load_le32(header + 4);
    e.stat.size = load_le32(header + 8);
    e.stat.mtime = load_le32(header + 12);
    const uint32_t length = load_le32(header + 16);
    if (length > kMaxPath) {
      usable_ = false;
      throw Error(ErrorKind::kProtocol, "sync ls " + path + ": name too long from " + serial_);
    }
    e.name.resize(length);
    if (length > 0) read_exact(e.name.data(), length, deadline);
    if (e.name != "." && e.name != "..") out.push_back(std::move(e));
  }
}

template <typename Sink>
void SyncClient::receive(const std::string& path, Deadline deadline, Sink&& sink) {
  send_request("RECV", path, deadline);
  std::string chunk;
  for (;;) {
    char header[8];
    read_exact(header, sizeof header, deadline);
    const uint32_t length = load_le32(header + 4);
    if (std::memcmp(header, "DONE", 4) == 0) return;
    if (std::memcmp(header, "FAIL", 4) == 0) {
      std::string message = read_fail_body(length, deadline);
      // adbd says "open failed: No such file or directory"; the path and the reason are what
      // a person needs.
      if (kind_for(message) == ErrorKind::kNotFound) message = "No such file or directory";
      throw Error(kind_for(message), "pull " + path + ": " + message);
    }
    if (std::memcmp(header, "DATA", 4) != 0 || length > kMaxChunk) {
      usable_ = false;
      throw Error(ErrorKind::kProtocol, "pull " + path + ": corrupt sync stream from " + serial_);
    }
    chunk.resize(length);
    if (length > 0) read_exact(chunk.data(), length, deadline);
    sink(std::string_view(chunk));
  }
}

std::string SyncClient::pull(const std::string& path, Deadline deadline) {
  std::string out;
  receive(path, deadline, [&out](std::string_view piece) { out.append(piece); });
  return out;
}

void SyncClient::pull_to_file(const std::string& remote, const std::string& local,
                              Deadline deadline) {
  const std::string part = local + ".part";
  std::ofstream file(part, std::ios::binary | std::ios::trunc);
  if (!file) throw Error(ErrorKind::kIo, "pull " + remote + ": cannot write " + part);
  try {
    receive(remote, deadline, [&](std::string_view piece) {
      file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      if (!file) throw Error(ErrorKind::kIo, "pull " + remote + ": writing " + part + " failed");
    });
    file.close();
    std::filesystem::rename(part, local);
  } catch (...) {
    file.close();
    std::error_code ec;
    std::filesystem::remove(part, ec);
    throw;
  }
}

void SyncClient::push(std::string_view bytes, const std::string& remote, Deadline deadline,
                      uint32_t mode, int64_t mtime) {
  send_request("SEND", remote + "," + std::to_string(mode), deadline);
  // DATA records are sent in batches: one write per ~256 KiB keeps syscalls few.
  std::string batch;
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kMaxChunk);
    batch.append("DATA", 4);
    append_le32(batch, static_cast<uint32_t>(n));
    batch.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (batch.size() >= 256 * 1024) {
      connection_.socket().write_all(batch, deadline);
      batch.clear();
    }
  }
  batch.append("DONE", 4);
  append_le32(batch, static_cast<uint32_t>(mtime != 0 ? mtime : std::time(nullptr)));
  connection_.socket().write_all(batch, deadline);
  char reply[8];
  read_exact(reply, sizeof reply, deadline);
  if (std::memcmp(reply, "OKAY", 4) == 0) return;
  if (std::memcmp(reply, "FAIL", 4) == 0) {
    const std::string message = read_fail_body(load_le32(reply + 4), deadline);
    throw Error(kind_for(message), "push " + remote + ": " + message);
  }
  usable_ = false;
  throw Error(ErrorKind::kProtocol, "push " + remote + ": unexpected reply from " + serial_);
}

void SyncClient::push_file(const std::string& local, const std::string& remote, Deadline deadline,
                           uint32_t mode) {
  std::ifstream file(local, std::ios::binary);
  if (!file) throw Error(ErrorKind::kNotFound, "push: cannot read local file " + local);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  push(bytes, remote, deadline, mode);
}

}  // namespace uiw::adb
