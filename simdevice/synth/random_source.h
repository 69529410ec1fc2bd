#pragma once
// The generator's only source of randomness: std::mt19937 (its output is fixed by the standard)
// with our own integer arithmetic on top, because std::uniform_*_distribution differ between
// standard libraries and a seed must give the same set everywhere.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <span>
#include <stdexcept>

namespace uiw::sim::synth {

class RandomSource {
 public:
  explicit RandomSource(uint32_t seed) : engine_(seed) {}

  // An independent stream per screen, so screen i is the same whatever was drawn before it (and
  // however many threads render): splitmix64 of the set's seed and the index.
  static RandomSource for_screen(uint64_t set_seed, uint64_t index);

  uint32_t next() { return static_cast<uint32_t>(engine_()); }
  // Uniform in [lo, hi], both included (rejection sampling: no modulo bias).
  int between(int lo, int hi);
  // Uniform in [lo, hi).
  double uniform(double lo, double hi);
  bool chance(double probability) { return uniform(0, 1) < probability; }

  // One element of an array, span or vector, each as likely.
  template <typename Range>
  const auto& pick(const Range& items) {
    if (std::size(items) == 0) throw std::logic_error("RandomSource::pick from an empty list");
    return items[static_cast<size_t>(between(0, static_cast<int>(std::size(items)) - 1))];
  }
  // An index drawn with the given relative weights.
  size_t weighted(std::span<const double> weights);

 private:
  std::mt19937 engine_;
};

}  // namespace uiw::sim::synth
