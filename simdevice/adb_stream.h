#pragma once
// One ADB stream (OPEN … CLSE) as its service sees it: a byte pipe to the adb client with adb's
// flow control. The connection's reader thread feeds it (on_*); the service's own thread reads
// and writes. Every method is thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace uiw::sim {

// Where a stream's messages go: the connection's socket.
class AdbPacketSink {
 public:
  virtual ~AdbPacketSink() = default;
  // False once the connection is gone.
  virtual bool send(uint32_t command, uint32_t arg0, uint32_t arg1, std::string_view payload) = 0;
};

class AdbStream {
 public:
  AdbStream(AdbPacketSink& sink, uint32_t local_id, uint32_t remote_id, size_t max_payload);

  uint32_t local_id() const { return local_id_; }
  uint32_t remote_id() const { return remote_id_; }

  // Service side.
  // Sends bytes as WRTEs of at most max_payload, each after the peer's OKAY for the previous
  // one. False once the stream is closed (the client went).
  bool write(std::string_view bytes);
  // Next WRTE payload from the client; false once the stream is closed and nothing is left.
  bool read(std::string& chunk);
  // Exactly n bytes across WRTE boundaries (the sync protocol ignores them); false if the
  // stream closes first.
  bool read_exact(char* out, size_t n);
  // True once the client closed the stream or the connection dropped.
  bool closed() const;
  // Sleeps until the stream closes or the time passes; false if it closed.
  bool wait_for_close(std::chrono::milliseconds duration);
  // The service is done: sends CLSE unless the peer already closed.
  void close();

  // Connection side (reader thread).
  void on_okay();
  void on_write(std::string payload);
  void on_close();  // the peer's CLSE
  void cancel();    // the connection dropped or the server stops

 private:
  // Chunks queued beyond this wait for the service to read them before we acknowledge, so a
  // fast pusher cannot fill memory; below it we acknowledge at once for latency.
  static constexpr size_t kAckLimit = 2 * 1024 * 1024;

  AdbPacketSink& sink_;
  const uint32_t local_id_;
  const uint32_t remote_id_;
  const size_t max_payload_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool can_send_ = true;      // no WRTE of ours awaits its OKAY
  bool closed_ = false;       // peer closed, connection dropped, or we closed
  bool close_sent_ = false;   // no CLSE needed any more
  bool ack_pending_ = false;  // a received WRTE not yet acknowledged
  std::deque<std::string> incoming_;
  size_t incoming_bytes_ = 0;
  size_t head_offset_ = 0;  // bytes of incoming_.front() consumed by read_exact
};

}  // namespace uiw::sim
