#pragma once
// JobQueue: the farm scheduler's shared state. One worker per device takes jobs from it; a job
// whose device failed goes back for a device that has not tried it yet (bounded attempts); a
// device that fails its health check is quarantined and takes nothing more. take() waits while
// another worker's job may still come back, so a job is never stranded because its device died
// after the others had gone idle. Every job ends done or given up with a reason.
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace uiw::harness {

struct JobAttempt {
  std::string device;  // FarmDevice::name
  std::string error;   // why it did not count (the device failed); empty for the final attempt
};

enum class JobState { kWaiting, kRunning, kDone, kGivenUp };

struct QueuedJob {
  size_t scenario = 0;  // index into the run's scenarios
  std::string pinned;   // the device it must run on (--every-device); empty: any
  JobState state = JobState::kWaiting;
  std::vector<JobAttempt> attempts;
  std::string reason;  // kGivenUp: why
};

class JobQueue {
 public:
  // `devices`: the workers' names; `max_attempts` ≥ 1 bounds how often one job is started.
  JobQueue(std::vector<QueuedJob> jobs, std::vector<std::string> devices, int max_attempts);

  // The next job for `device` (now kRunning, with a new attempt), waiting while none is free but
  // some job is still running elsewhere. nullopt: nothing more for this device (or it is
  // quarantined).
  std::optional<size_t> take(const std::string& device);
  // A job taken but not started (the device failed its health check first): waiting again, the
  // attempt forgotten.
  void put_back(size_t job);
  // The job's last attempt is its result.
  void done(size_t job);
  // The job's device failed during it (`error`). Waiting again when attempts are left and a
  // device that has not tried it is still in service (returns true); otherwise given up.
  bool retry(size_t job, std::string error);
  // The device takes no more jobs; jobs only it could run are given up.
  void quarantine(const std::string& device, std::string reason);

  // A snapshot (under the lock).
  std::vector<QueuedJob> jobs() const;

 private:
  bool can_run(const QueuedJob& job, const std::string& device) const;
  bool anyone_can_run(const QueuedJob& job) const;
  void give_up_stranded();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<QueuedJob> jobs_;
  std::vector<std::string> devices_;
  std::map<std::string, std::string> quarantined_;
  int max_attempts_;
  int running_ = 0;
};

}  // namespace uiw::harness
