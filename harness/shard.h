#pragma once
// `uiwitness run --shard K/N`: the K-th of N disjoint slices of a run's scenarios, so a CI matrix
// or a Kubernetes indexed job of N workers covers every scenario exactly once, and
// `uiwitness merge` joins their run directories again (docs/ARCHITECTURE.md, "Scale out with what
// exists").
//
// The slice must be the same on every machine, whatever its directory listing order or checkout
// path: jobs are identified by a key that holds neither (the runner uses scenario name + file
// name), sorted by it, and the job at sorted position p goes to shard p % N + 1. Round robin over
// the sorted keys rather than a hash: shard sizes differ by at most one, so with a handful of
// scenarios no worker idles while another runs them all. A scenario added later may move others
// to another shard, which does not matter: every nightly run is re-sharded and merged as a whole.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace uiw::harness {

struct ShardSpec {
  int k = 1;  // 1-based: 1..n
  int n = 1;
  std::string to_string() const { return std::to_string(k) + "/" + std::to_string(n); }
  bool operator==(const ShardSpec&) const = default;
};

// "2/4" → {2, 4}. Throws uiw::Error(kUsage) for anything but two decimal integers with
// 1 ≤ K ≤ N ("0/3", "4/3", "x", "1/3/4", " 1/3").
ShardSpec parse_shard(std::string_view text);

// Indices into job_keys of the jobs shard K of N runs, ascending (the run keeps its own order).
// Deterministic in the keys' values, not their order: the same multiset of keys in any order
// selects the same keys. Equal keys are ordered by their index. The N shards are disjoint and
// together hold every index once. Throws uiw::Error(kUsage) unless 1 ≤ k ≤ n.
std::vector<size_t> shard_indices(const std::vector<std::string>& job_keys, int k, int n);

}  // namespace uiw::harness
