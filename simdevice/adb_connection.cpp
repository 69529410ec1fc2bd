#include "simdevice/adb_connection.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "common/error.h"
#include "simdevice/fault_plan.h"
#include "simdevice/shell_service.h"
#include "simdevice/sync_service.h"

namespace uiw::sim {

namespace {

constexpr size_t kReadBufferSize = 64 * 1024;

enum class ServiceKind { kShellV2, kShellRaw, kExec, kSync };

struct ParsedService {
  ServiceKind kind;
  std::string command;
};

// "shell,v2,TERM=xterm,raw:CMD", "shell:CMD", "exec:CMD", "sync:"; nullopt for anything else.
std::optional<ParsedService> parse_service(std::string_view service) {
  while (!service.empty() && service.back() == '\0') service.remove_suffix(1);
  const size_t colon = service.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view head = service.substr(0, colon);
  const std::string command(service.substr(colon + 1));
  if (head == "exec") return ParsedService{ServiceKind::kExec, command};
  // `abb_exec:SERVICE\0ARG…` (adb install, adb shell cmd on new adb) is `cmd SERVICE ARG…`.
  if (head == "abb" || head == "abb_exec") {
    std::string line = "cmd";
    std::string_view rest = service.substr(colon + 1);
    while (!rest.empty()) {
      const size_t nul = rest.find('\0');
      line += " '";
      for (char c : rest.substr(0, nul))
        line += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += "'";
      rest = nul == std::string_view::npos ? std::string_view{} : rest.substr(nul + 1);
    }
    return ParsedService{head == "abb" ? ServiceKind::kShellV2 : ServiceKind::kExec, line};
  }
  if (head == "sync") return ParsedService{ServiceKind::kSync, command};
  if (head == "shell" || head.starts_with("shell,")) {
    bool v2 = false;
    std::string_view opts = head.substr(5);
    while (!opts.empty()) {
      opts.remove_prefix(1);  // ','
      const size_t comma = opts.find(',');
      if (opts.substr(0, comma) == "v2") v2 = true;
      opts = comma == std::string_view::npos ? std::string_view{} : opts.substr(comma);
    }
    return ParsedService{v2 ? ServiceKind::kShellV2 : ServiceKind::kShellRaw, command};
  }
  return std::nullopt;
}

}  // namespace

AdbConnection::AdbConnection(int fd, AdbServices services, std::string peer_name)
    : fd_(fd), services_(services), peer_name_(std::move(peer_name)) {
  read_buffer_.resize(kReadBufferSize);
  if (services_.faults != nullptr) drop_after_ = services_.faults->drop_after_for_new_connection();
}

AdbConnection::~AdbConnection() {
  shutdown();
  join();
  ::close(fd_);
}

void AdbConnection::start() {
  reader_ = std::thread([this] { reader_loop(); });
}

void AdbConnection::shutdown() {
  dead_ = true;
  ::shutdown(fd_, SHUT_RDWR);
}

void AdbConnection::join() {
  if (reader_.joinable()) reader_.join();
}

bool AdbConnection::send(uint32_t command, uint32_t arg0, uint32_t arg1, std::string_view payload) {
  if (dead_) return false;
  const auto header = AdbHeader::make(command, arg0, arg1, payload).encode();
  std::lock_guard lock(send_mutex_);
  // Header and payload in one syscall: with TCP_NODELAY two writes would be two segments.
  iovec iov[2];
  iov[0].iov_base = const_cast<unsigned char*>(header.data());
  iov[0].iov_len = header.size();
  iov[1].iov_base = const_cast<char*>(payload.data());
  iov[1].iov_len = payload.size();
  size_t total = header.size() + payload.size();
  // drop-after: the link dies mid-message, as a pulled cable or a crashed adbd leaves it.
  const bool drop = drop_after_ && written_ + total >= *drop_after_;
  if (drop) total = static_cast<size_t>(*drop_after_ - written_);
  size_t sent = 0;
  while (sent < total) {
    size_t skip = sent;
    size_t budget = total - sent;
    iovec parts[2];
    int count = 0;
    for (const iovec& v : iov) {
      if (skip >= v.iov_len) {
        skip -= v.iov_len;
        continue;
      }
      if (budget == 0) break;
      parts[count].iov_base = static_cast<char*>(v.iov_base) + skip;
      parts[count].iov_len = std::min(v.iov_len - skip, budget);
      budget -= parts[count].iov_len;
      skip = 0;
      ++count;
    }
    msghdr msg{};
    msg.msg_iov = parts;
    msg.msg_iovlen = static_cast<size_t>(count);
    const ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      // Includes the send timeout: a peer that stops reading for that long is gone.
      dead_ = true;
      ::shutdown(fd_, SHUT_RDWR);
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  written_ += sent;
  if (drop) {
    std::cerr << "uiwitness-sim: fault: drop-after: closing the connection from " << peer_name_
              << " after " << written_ << " bytes\n";
    dead_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    return false;
  }
  return true;
}

bool AdbConnection::read_exact(char* out, size_t n) {
  while (n > 0) {
    if (read_pos_ == read_end_) {
      read_pos_ = read_end_ = 0;
      const ssize_t got = ::recv(fd_, read_buffer_.data(), read_buffer_.size(), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      read_end_ = static_cast<size_t>(got);
    }
    const size_t take = std::min(n, read_end_ - read_pos_);
    std::memcpy(out, read_buffer_.data() + read_pos_, take);
    read_pos_ += take;
    out += take;
    n -= take;
  }
  return true;
}

void AdbConnection::reader_loop() {
  try {
    std::array<unsigned char, kAdbHeaderSize> raw{};
    while (!dead_) {
      if (!read_exact(reinterpret_cast<char*>(raw.data()), raw.size())) break;
      const std::optional<AdbHeader> header = AdbHeader::decode(raw);
      if (!header) {
        std::cerr << "uiwitness-sim: " << peer_name_
                  << " sent a malformed ADB message; dropping that connection\n";
        break;
      }
      std::string payload(header->length, '\0');
      if (!read_exact(payload.data(), payload.size())) break;
      handle(*header, std::move(payload));
      if (workers_.size() > 16) reap_workers(false);
    }
  } catch (const std::exception& e) {
    std::cerr << "uiwitness-sim: connection " << peer_name_ << ": " << e.what() << "\n";
  }
  dead_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  reap_workers(true);
  finished_ = true;
}

void AdbConnection::handle(const AdbHeader& header, std::string payload) {
  using namespace adb_command;
  switch (header.command) {
    case kCnxn: {
      // A (re)connect: adb forgets every stream it had with us.
      for (auto& [id, worker] : workers_) worker.stream->cancel();
      max_payload_ = std::clamp<size_t>(header.arg1, 4096, kAdbMaxPayload);
      send(kCnxn, kAdbVersion, kAdbMaxPayload, services_.profile.connect_banner());
      return;
    }
    case kOpen:
      reap_workers(false);
      open_stream(header.arg0, std::move(payload));
      return;
    case kOkay:
    case kWrte:
    case kClse: {
      const auto it = workers_.find(header.arg1);
      if (it == workers_.end() || it->second.stream->remote_id() != header.arg0) {
        return;  // a stream already gone (or never ours): adb tolerates silence
      }
      AdbStream& stream = *it->second.stream;
      if (header.command == kOkay) {
        stream.on_okay();
      } else if (header.command == kWrte) {
        stream.on_write(std::move(payload));
      } else {
        stream.on_close();
      }
      return;
    }
    default:
      // AUTH/STLS and unknown commands: we never asked for them; ignoring keeps adb connected.
      return;
  }
}

void AdbConnection::open_stream(uint32_t remote_id, std::string service) {
  const std::optional<ParsedService> parsed = parse_service(service);
  if (!parsed || remote_id == 0) {
    send(adb_command::kClse, 0, remote_id, {});
    return;
  }
  uint32_t local_id = next_local_id_++;
  if (next_local_id_ == 0) next_local_id_ = 1;
  while (local_id == 0 || workers_.count(local_id) != 0) local_id = next_local_id_++;

  auto stream = std::make_shared<AdbStream>(*this, local_id, remote_id, max_payload_);
  auto done = std::make_shared<std::atomic<bool>>(false);
  send(adb_command::kOkay, local_id, remote_id, {});
  AdbServices services = services_;
  std::thread thread([stream, done, services, parsed = *parsed, name = peer_name_] {
    try {
      switch (parsed.kind) {
        case ServiceKind::kShellV2:
          run_shell_service(*stream, services.runner, ShellProtocol::kV2, parsed.command);
          break;
        case ServiceKind::kShellRaw:
        case ServiceKind::kExec:
          run_shell_service(*stream, services.runner, ShellProtocol::kRaw, parsed.command);
          break;
        case ServiceKind::kSync:
          run_sync_service(*stream, services.fs);
          break;
      }
    } catch (const std::exception& e) {
      std::cerr << "uiwitness-sim: stream from " << name << " failed: " << e.what() << "\n";
    }
    stream->close();
    *done = true;
  });
  workers_.emplace(local_id, Worker{std::move(stream), std::move(thread), std::move(done)});
}

void AdbConnection::reap_workers(bool all) {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (all) it->second.stream->cancel();
    if (all || *it->second.done) {
      it->second.thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace uiw::sim
