#include "harness/job_queue.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"

namespace uiw::harness {

JobQueue::JobQueue(std::vector<QueuedJob> jobs, std::vector<std::string> devices, int max_attempts)
    : jobs_(std::move(jobs)), devices_(std::move(devices)), max_attempts_(max_attempts) {
  if (max_attempts_ < 1) {
    throw Error(ErrorKind::kUsage,
                fmt::format("attempts must be at least 1 (got {})", max_attempts_));
  }
}

bool JobQueue::can_run(const QueuedJob& job, const std::string& device) const {
  if (job.state != JobState::kWaiting || quarantined_.contains(device)) return false;
  if (!job.pinned.empty() && job.pinned != device) return false;
  return std::none_of(job.attempts.begin(), job.attempts.end(),
                      [&](const JobAttempt& a) { return a.device == device; });
}

bool JobQueue::anyone_can_run(const QueuedJob& job) const {
  return std::any_of(devices_.begin(), devices_.end(),
                     [&](const std::string& d) { return can_run(job, d); });
}

void JobQueue::give_up_stranded() {
  for (QueuedJob& job : jobs_) {
    if (job.state != JobState::kWaiting || anyone_can_run(job)) continue;
    job.state = JobState::kGivenUp;
    if (!job.pinned.empty() && quarantined_.contains(job.pinned)) {
      job.reason = fmt::format("not run: {} was taken out of service ({})", job.pinned,
                               quarantined_.at(job.pinned));
    } else {
      std::vector<std::string> tried;
      for (const JobAttempt& a : job.attempts) tried.push_back(a.device);
      job.reason = tried.empty() ? std::string("not run: no device left in service")
                                 : fmt::format("no device left that has not failed it (tried {})",
                                               fmt::join(tried, ", "));
    }
  }
}

std::optional<size_t> JobQueue::take(const std::string& device) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (quarantined_.contains(device)) return std::nullopt;
    for (size_t i = 0; i < jobs_.size(); ++i) {
      if (!can_run(jobs_[i], device)) continue;
      jobs_[i].state = JobState::kRunning;
      jobs_[i].attempts.push_back({device, {}});
      ++running_;
      return i;
    }
    // A running job may still fail and come back for this device.
    if (running_ == 0) return std::nullopt;
    changed_.wait(lock);
  }
}

void JobQueue::put_back(size_t job) {
  std::lock_guard lock(mutex_);
  QueuedJob& j = jobs_.at(job);
  j.state = JobState::kWaiting;
  j.attempts.pop_back();
  --running_;
  give_up_stranded();
  changed_.notify_all();
}

void JobQueue::done(size_t job) {
  std::lock_guard lock(mutex_);
  jobs_.at(job).state = JobState::kDone;
  --running_;
  changed_.notify_all();
}

bool JobQueue::retry(size_t job, std::string error) {
  std::lock_guard lock(mutex_);
  QueuedJob& j = jobs_.at(job);
  j.attempts.back().error = std::move(error);
  --running_;
  j.state = JobState::kWaiting;
  bool again = static_cast<int>(j.attempts.size()) < max_attempts_ && anyone_can_run(j);
  if (!again) {
    j.state = JobState::kGivenUp;
    j.reason = static_cast<int>(j.attempts.size()) >= max_attempts_
                   ? fmt::format("gave up after {} attempt{}", j.attempts.size(),
                                 j.attempts.size() == 1 ? "" : "s")
                   : std::string("no device left that has not failed it");
  }
  changed_.notify_all();
  return again;
}

void JobQueue::quarantine(const std::string& device, std::string reason) {
  std::lock_guard lock(mutex_);
  quarantined_.emplace(device, std::move(reason));
  give_up_stranded();
  changed_.notify_all();
}

std::vector<QueuedJob> JobQueue::jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

}  // namespace uiw::harness
