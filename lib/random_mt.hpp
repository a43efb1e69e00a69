// random_mt.hpp: the Mersenne Twister (MT19937) exactly as CPython's
// Modules/_randommodule.c runs it: the same seeding (init_by_array over the
// 32-bit words of the seed), the same 53-bit random() and the same
// getrandbits(k), so that a Weft program seeded like a Python one draws the
// very same numbers.
//
// Plain C++ with no interpreter types: lib/random_module.cpp keeps one per
// actor. It must never be shared between threads or actors (no lock).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace weft::lib {

class mersenne_twister {
public:
    // CPython's init_by_array: the key is the seed's absolute value split
    // into 32-bit words, least significant first ({0} for zero).
    void seed_by_array(std::span<const std::uint32_t> key) noexcept;
    // 624 words from the system (getrandom(2)), as CPython's
    // random_seed_urandom.
    void seed_from_system();

    std::uint32_t next32() noexcept;
    // random(): a double in [0, 1) from 53 bits of two draws.
    double random() noexcept;
    // getrandbits(k) for 0 < k <= 64, as a number.
    std::uint64_t bits64(unsigned k) noexcept;
    // getrandbits(k) for any k > 0, as little-endian 32-bit words (the last
    // word holds the top k % 32 bits), the order CPython fills them in.
    void bits(std::uint64_t k, std::vector<std::uint32_t>& words);

private:
    void init_genrand(std::uint32_t s) noexcept;

    static constexpr int n = 624;
    std::array<std::uint32_t, n> mt_{};
    int index_ = n + 1;  // never seeded: the first draw would seed it (it is always seeded first)
};

}  // namespace weft::lib
