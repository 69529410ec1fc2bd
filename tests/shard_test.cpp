// `uiwitness run --shard K/N`: N workers of a CI matrix each run a slice of the scenarios, and
// between them every scenario runs exactly once, whatever order each machine lists files in.
#include "harness/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "common/error.h"

namespace uiw::harness {
namespace {

std::vector<std::string> keys(size_t n) {
  std::vector<std::string> k;
  for (size_t i = 0; i < n; ++i) k.push_back("scenario_" + std::to_string(i * 7919 % 101));
  return k;
}

std::multiset<std::string> selected(const std::vector<std::string>& k, int shard, int n) {
  std::multiset<std::string> out;
  for (size_t i : shard_indices(k, shard, n)) out.insert(k[i]);
  return out;
}

TEST(ParseShard, AcceptsKOverN) {
  EXPECT_EQ(parse_shard("1/1"), (ShardSpec{1, 1}));
  EXPECT_EQ(parse_shard("2/4"), (ShardSpec{2, 4}));
  EXPECT_EQ(parse_shard("12/12"), (ShardSpec{12, 12}));
  EXPECT_EQ(parse_shard("3/10").to_string(), "3/10");
}

TEST(ParseShard, RejectsBadSpecsAsUsageErrorsQuotingThem) {
  for (const char* bad : {"0/3", "4/3", "x", "", "3", "1/0", "/3", "1/", "-1/3", "1/-3", "+1/3",
                          "1/3/4", " 1/3", "1/3 ", "a/b", "1.5/3", "99999999999/3", "1 / 3"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage) << bad;
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + bad + "\""), std::string::npos)
          << e.what();
    }
  }
}

TEST(ShardIndices, TheShardsAreDisjointAndTogetherHoldEveryJob) {
  for (size_t jobs : {0u, 1u, 2u, 5u, 17u, 40u}) {
    for (int n = 1; n <= 7; ++n) {
      const auto k = keys(jobs);
      std::vector<int> seen(jobs, 0);
      for (int shard = 1; shard <= n; ++shard)
        for (size_t i : shard_indices(k, shard, n)) ++seen.at(i);
      EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }))
          << jobs << " jobs in " << n << " shards";
    }
  }
}

TEST(ShardIndices, OneShardIsTheWholeRunInItsOrder) {
  const auto k = keys(9);
  const auto all = shard_indices(k, 1, 1);
  ASSERT_EQ(all.size(), 9u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
}

TEST(ShardIndices, TheSameScenariosInAnyOrderGiveTheSameSlices) {
  auto k = keys(23);
  std::vector<std::multiset<std::string>> first;
  for (int shard = 1; shard <= 4; ++shard) first.push_back(selected(k, shard, 4));
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(k.begin(), k.end(), rng);
    for (int shard = 1; shard <= 4; ++shard)
      EXPECT_EQ(selected(k, shard, 4), first[shard - 1]) << "shard " << shard;
  }
}

TEST(ShardIndices, SlicesDifferInSizeByAtMostOne) {
  const auto k = keys(11);
  for (int n = 1; n <= 11; ++n) {
    size_t lo = k.size(), hi = 0;
    for (int shard = 1; shard <= n; ++shard) {
      const size_t size = shard_indices(k, shard, n).size();
      lo = std::min(lo, size);
      hi = std::max(hi, size);
    }
    EXPECT_LE(hi - lo, 1u) << n << " shards";
  }
}

TEST(ShardIndices, IndicesComeBackAscending) {
  const auto k = keys(30);
  for (int shard = 1; shard <= 3; ++shard) {
    const auto idx = shard_indices(k, shard, 3);
    EXPECT_TRUE(std::is_sorted(idx.begin(), idx.end()));
  }
}

TEST(ShardIndices, MoreShardsThanJobsLeavesSomeEmpty) {
  const auto k = keys(2);
  EXPECT_EQ(shard_indices(k, 1, 5).size(), 1u);
  EXPECT_EQ(shard_indices(k, 2, 5).size(), 1u);
  EXPECT_TRUE(shard_indices(k, 5, 5).empty());
}

TEST(ShardIndices, AnImpossibleShardIsAUsageError) {
  const auto k = keys(3);
  for (auto [shard, n] : {std::pair{0, 3}, {4, 3}, {1, 0}, {-1, 2}}) {
    try {
      shard_indices(k, shard, n);
      ADD_FAILURE() << shard << "/" << n;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    }
  }
}

}  // namespace
}  // namespace uiw::harness
