#pragma once
// One adb server's TCP connection to the simulated device. A reader thread parses messages,
// answers CNXN, opens streams (each service on its own thread) and routes OKAY/WRTE/CLSE to
// them. Garbage or a dropped socket ends this connection only.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "simdevice/adb_message.h"
#include "simdevice/adb_stream.h"
#include "simdevice/device_profile.h"
#include "simdevice/shell_io.h"
#include "simdevice/virtual_fs.h"

namespace uiw::sim {

class FaultPlan;

// What services run against; owned by whoever owns the server, outlives every connection.
struct AdbServices {
  const DeviceProfile& profile;
  CommandRunner& runner;
  VirtualFs& fs;
  FaultPlan* faults = nullptr;  // --faults: drop-after acts here
};

class AdbConnection : public AdbPacketSink {
 public:
  // Takes ownership of the connected socket `fd`.
  AdbConnection(int fd, AdbServices services, std::string peer_name);
  ~AdbConnection() override;
  AdbConnection(const AdbConnection&) = delete;
  AdbConnection& operator=(const AdbConnection&) = delete;

  void start();
  // Ends the connection from another thread: the reader wakes, cancels its streams, exits.
  void shutdown();
  bool finished() const { return finished_; }
  // Waits for the reader (and through it every stream thread) to end.
  void join();

  bool send(uint32_t command, uint32_t arg0, uint32_t arg1, std::string_view payload) override;

 private:
  struct Worker {
    std::shared_ptr<AdbStream> stream;
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void reader_loop();
  bool read_exact(char* out, size_t n);
  void handle(const AdbHeader& header, std::string payload);
  void open_stream(uint32_t remote_id, std::string service);
  void reap_workers(bool all);

  const int fd_;
  AdbServices services_;
  const std::string peer_name_;
  std::thread reader_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> dead_{false};

  std::mutex send_mutex_;
  uint64_t written_ = 0;                 // bytes sent on the socket; under send_mutex_
  std::optional<uint64_t> drop_after_;   // fault injection: cut the link at this many bytes
  size_t max_payload_ = kAdbMaxPayload;  // min(peer's maxdata, ours); reader thread only
  uint32_t next_local_id_ = 1;           // reader thread only
  std::map<uint32_t, Worker> workers_;   // by local id; reader thread only

  // Buffered socket reads: several small messages usually arrive together.
  std::string read_buffer_;
  size_t read_pos_ = 0;
  size_t read_end_ = 0;
};

}  // namespace uiw::sim
