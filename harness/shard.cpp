#include "harness/shard.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>

#include "common/error.h"

namespace uiw::harness {

namespace {

[[noreturn]] void bad_shard(std::string_view text) {
  throw Error(ErrorKind::kUsage,
              fmt::format("--shard wants K/N with 1 <= K <= N, e.g. 2/4 for the second of four "
                          "shards; not \"{}\"",
                          text));
}

// A whole decimal number, digits only: from_chars alone would accept "-1" and stop at "3x".
bool parse_int(std::string_view text, int& value) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

ShardSpec parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) bad_shard(text);
  ShardSpec spec;
  if (!parse_int(text.substr(0, slash), spec.k) || !parse_int(text.substr(slash + 1), spec.n))
    bad_shard(text);
  if (spec.n < 1 || spec.k < 1 || spec.k > spec.n) bad_shard(text);
  return spec;
}

std::vector<size_t> shard_indices(const std::vector<std::string>& job_keys, int k, int n) {
  if (n < 1 || k < 1 || k > n) bad_shard(fmt::format("{}/{}", k, n));
  std::vector<size_t> order(job_keys.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return job_keys[a] < job_keys[b]; });
  std::vector<size_t> mine;
  for (size_t p = static_cast<size_t>(k - 1); p < order.size(); p += static_cast<size_t>(n))
    mine.push_back(order[p]);
  std::sort(mine.begin(), mine.end());
  return mine;
}

}  // namespace uiw::harness
