#include "simdevice/adb_stream.h"

#include <algorithm>
#include <cstring>

#include "simdevice/adb_message.h"

namespace uiw::sim {

AdbStream::AdbStream(AdbPacketSink& sink, uint32_t local_id, uint32_t remote_id, size_t max_payload)
    : sink_(sink), local_id_(local_id), remote_id_(remote_id), max_payload_(max_payload) {}

bool AdbStream::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), max_payload_);
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return can_send_ || closed_; });
      if (closed_) return false;
      can_send_ = false;
    }
    if (!sink_.send(adb_command::kWrte, local_id_, remote_id_, bytes.substr(0, n))) {
      cancel();
      return false;
    }
    bytes.remove_prefix(n);
  }
  return true;
}

bool AdbStream::read(std::string& chunk) {
  bool ack = false;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !incoming_.empty() || closed_; });
    if (incoming_.empty()) return false;
    chunk = std::move(incoming_.front());
    incoming_.pop_front();
    if (head_offset_ > 0) {
      chunk.erase(0, head_offset_);
      head_offset_ = 0;
    }
    incoming_bytes_ -= std::min(incoming_bytes_, chunk.size());
    if (ack_pending_ && incoming_bytes_ <= kAckLimit && !closed_) {
      ack_pending_ = false;
      ack = true;
    }
  }
  if (ack) sink_.send(adb_command::kOkay, local_id_, remote_id_, {});
  return true;
}

bool AdbStream::read_exact(char* out, size_t n) {
  while (n > 0) {
    bool ack = false;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !incoming_.empty() || closed_; });
      if (incoming_.empty()) return false;
      std::string& head = incoming_.front();
      const size_t take = std::min(n, head.size() - head_offset_);
      std::memcpy(out, head.data() + head_offset_, take);
      out += take;
      n -= take;
      head_offset_ += take;
      incoming_bytes_ -= take;
      if (head_offset_ == head.size()) {
        incoming_.pop_front();
        head_offset_ = 0;
      }
      if (ack_pending_ && incoming_bytes_ <= kAckLimit && !closed_) {
        ack_pending_ = false;
        ack = true;
      }
    }
    if (ack) sink_.send(adb_command::kOkay, local_id_, remote_id_, {});
  }
  return true;
}

bool AdbStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool AdbStream::wait_for_close(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, duration, [&] { return closed_; });
}

void AdbStream::close() {
  bool send = false;
  {
    std::lock_guard lock(mutex_);
    send = !close_sent_;
    close_sent_ = true;
    closed_ = true;
  }
  changed_.notify_all();
  if (send) sink_.send(adb_command::kClse, local_id_, remote_id_, {});
}

void AdbStream::on_okay() {
  {
    std::lock_guard lock(mutex_);
    can_send_ = true;
  }
  changed_.notify_all();
}

void AdbStream::on_write(std::string payload) {
  bool ack = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;  // a late WRTE for a stream we closed: adb expects nothing
    incoming_bytes_ += payload.size();
    incoming_.push_back(std::move(payload));
    if (incoming_bytes_ <= kAckLimit) {
      ack = true;
    } else {
      ack_pending_ = true;
    }
  }
  changed_.notify_all();
  if (ack) sink_.send(adb_command::kOkay, local_id_, remote_id_, {});
}

void AdbStream::on_close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    close_sent_ = true;  // adb forgets the stream on its CLSE; answering is pointless
  }
  changed_.notify_all();
}

void AdbStream::cancel() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    close_sent_ = true;  // nobody left to tell
  }
  changed_.notify_all();
}

}  // namespace uiw::sim
