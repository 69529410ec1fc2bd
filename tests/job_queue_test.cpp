// The farm scheduler's rules, with worker threads and no devices: a failed job moves to a device
// that has not tried it, attempts are bounded, a quarantined device takes nothing, and no job is
// stranded when its device fails after the others went idle.
#include "harness/job_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace uiw::harness {
namespace {

std::vector<QueuedJob> jobs(size_t n, std::string pinned = {}) {
  std::vector<QueuedJob> out;
  for (size_t i = 0; i < n; ++i) out.push_back(QueuedJob{i, pinned, JobState::kWaiting, {}, {}});
  return out;
}

TEST(JobQueue, EveryJobRunsOnceWhenNothingFails) {
  JobQueue queue(jobs(20), {"a", "b", "c"}, 2);
  std::atomic<int> ran{0};
  std::vector<std::thread> workers;
  for (const std::string device : {"a", "b", "c"}) {
    workers.emplace_back([&, device] {
      while (auto job = queue.take(device)) {
        ++ran;
        queue.done(*job);
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(ran, 20);
  for (const QueuedJob& j : queue.jobs()) {
    EXPECT_EQ(j.state, JobState::kDone);
    EXPECT_EQ(j.attempts.size(), 1u);
  }
}

TEST(JobQueue, AFailedJobGoesToAnotherDeviceEvenWhenTheOthersWereIdle) {
  JobQueue queue(jobs(1), {"a", "b"}, 2);
  auto first = queue.take("a");
  ASSERT_TRUE(first);
  // b finds nothing free but must wait: a's job may come back.
  std::optional<size_t> b_got;
  std::thread b([&] {
    b_got = queue.take("b");
    if (b_got) queue.done(*b_got);
  });
  queue.quarantine("a", "device offline");
  EXPECT_TRUE(queue.retry(*first, "device offline"));
  b.join();
  ASSERT_TRUE(b_got);
  const QueuedJob j = queue.jobs()[0];
  EXPECT_EQ(j.state, JobState::kDone);
  ASSERT_EQ(j.attempts.size(), 2u);
  EXPECT_EQ(j.attempts[0].device, "a");
  EXPECT_EQ(j.attempts[0].error, "device offline");
  EXPECT_EQ(j.attempts[1].device, "b");
  EXPECT_FALSE(queue.take("a"));  // quarantined
}

TEST(JobQueue, AttemptsAreBounded) {
  JobQueue queue(jobs(1), {"a", "b", "c"}, 2);
  auto job = queue.take("a");
  ASSERT_TRUE(queue.retry(*job, "lost a"));
  job = queue.take("b");
  ASSERT_TRUE(job);
  EXPECT_FALSE(queue.retry(*job, "lost b"));
  const QueuedJob j = queue.jobs()[0];
  EXPECT_EQ(j.state, JobState::kGivenUp);
  EXPECT_NE(j.reason.find("2 attempts"), std::string::npos) << j.reason;
  EXPECT_FALSE(queue.take("c"));
}

TEST(JobQueue, AJobIsNotRetriedOnADeviceThatAlreadyFailedIt) {
  JobQueue queue(jobs(1), {"a"}, 3);
  auto job = queue.take("a");
  EXPECT_FALSE(queue.retry(*job, "timeout"));
  EXPECT_EQ(queue.jobs()[0].state, JobState::kGivenUp);
  EXPECT_FALSE(queue.take("a"));
}

TEST(JobQueue, PinnedJobsOfAQuarantinedDeviceAreGivenUpWithTheReason) {
  std::vector<QueuedJob> all = jobs(2, "a");
  all.push_back(QueuedJob{0, "b", JobState::kWaiting, {}, {}});
  JobQueue queue(std::move(all), {"a", "b"}, 2);
  queue.quarantine("a", "sys.boot_completed never became 1");
  const auto snapshot = queue.jobs();
  EXPECT_EQ(snapshot[0].state, JobState::kGivenUp);
  EXPECT_NE(snapshot[0].reason.find("sys.boot_completed"), std::string::npos);
  EXPECT_EQ(snapshot[2].state, JobState::kWaiting);
  auto job = queue.take("b");
  ASSERT_TRUE(job);
  EXPECT_EQ(*job, 2u);
}

TEST(JobQueue, AJobPutBackBeforeItStartedDoesNotCountAsAnAttempt) {
  JobQueue queue(jobs(1), {"a", "b"}, 1);
  auto job = queue.take("a");
  queue.put_back(*job);
  queue.quarantine("a", "not answering");
  job = queue.take("b");
  ASSERT_TRUE(job);
  queue.done(*job);
  const QueuedJob j = queue.jobs()[0];
  EXPECT_EQ(j.state, JobState::kDone);
  ASSERT_EQ(j.attempts.size(), 1u);
  EXPECT_EQ(j.attempts[0].device, "b");
}

TEST(JobQueue, WhenEveryDeviceIsGoneTheRemainingJobsAreGivenUp) {
  JobQueue queue(jobs(3), {"a", "b"}, 2);
  queue.quarantine("a", "offline");
  queue.quarantine("b", "offline");
  for (const QueuedJob& j : queue.jobs()) {
    EXPECT_EQ(j.state, JobState::kGivenUp);
    EXPECT_NE(j.reason.find("no device left"), std::string::npos) << j.reason;
  }
}

TEST(JobQueue, RejectsZeroAttempts) {
  EXPECT_ANY_THROW(JobQueue(jobs(1), {"a"}, 0));
}

}  // namespace
}  // namespace uiw::harness
