// Rng: the seeded random generator of generation — xoshiro256** seeded through splitmix64, so
// the same seed gives the same numbers on every platform and build (unlike
// std::default_random_engine or std::uniform_real_distribution, whose output is
// implementation-defined). One Rng per generation request; not thread-safe. [worker]
#pragma once

#include <array>
#include <cstdint>

namespace toccata::ml {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) { reseed(seed); }

    void reseed(uint64_t seed);
    /// Next 64 random bits.
    uint64_t next();
    /// Uniform in [0, 1) with 53 random bits.
    double uniform();

    /// A seed from std::random_device, for requests that did not ask for one.
    static uint64_t randomSeed();

private:
    std::array<uint64_t, 4> m_state{};
};

}  // namespace toccata::ml
