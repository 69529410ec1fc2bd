#include "simdevice/synth/random_source.h"

namespace uiw::sim::synth {

RandomSource RandomSource::for_screen(uint64_t set_seed, uint64_t index) {
  uint64_t z = set_seed * 0x9E3779B97F4A7C15ull + index + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return RandomSource(static_cast<uint32_t>(z ^ (z >> 32)));
}

int RandomSource::between(int lo, int hi) {
  if (hi <= lo) return lo;
  const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo) + 1;
  const uint64_t limit = (uint64_t{1} << 32) - ((uint64_t{1} << 32) % span);
  uint64_t draw = next();
  while (draw >= limit) draw = next();
  return static_cast<int>(lo + static_cast<int64_t>(draw % span));
}

double RandomSource::uniform(double lo, double hi) {
  // 53 random bits, as std::generate_canonical would take them, but in a fixed order.
  const uint64_t high = next() >> 5;
  const uint64_t low = next() >> 6;
  const double unit =
      (static_cast<double>(high) * 67108864.0 + static_cast<double>(low)) / 9007199254740992.0;
  return lo + (hi - lo) * unit;
}

size_t RandomSource::weighted(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double draw = uniform(0, total);
  for (size_t i = 0; i < weights.size(); ++i) {
    if (draw < weights[i]) return i;
    draw -= weights[i];
  }
  return weights.empty() ? 0 : weights.size() - 1;
}

}  // namespace uiw::sim::synth
