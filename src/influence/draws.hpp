#pragma once
// Internal to src/influence: splitmix64, a small, fixed and portable
// generator, so sampled results and sensitivity runs are the same on every
// machine and run.
#include <cstdint>

namespace sahelmap::influence::detail {

struct SplitMix {
    std::uint64_t state;

    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [−1, 1).
    double symmetric() { return static_cast<double>(next() >> 11) * 0x1.0p-52 - 1; }
};

} // namespace sahelmap::influence::detail
