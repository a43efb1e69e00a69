// random_mt.cpp: see random_mt.hpp. The constants and steps are those of
// the MT19937 reference code that CPython's _randommodule.c keeps.
#include "lib/random_mt.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace weft::lib {

namespace {
constexpr int m_ = 397;
constexpr std::uint32_t matrix_a = 0x9908b0dfU;
constexpr std::uint32_t upper_mask = 0x80000000U;
constexpr std::uint32_t lower_mask = 0x7fffffffU;
}  // namespace

void mersenne_twister::init_genrand(std::uint32_t s) noexcept {
    mt_[0] = s;
    for (int i = 1; i < n; ++i) mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + std::uint32_t(i);
    index_ = n;
}

void mersenne_twister::seed_by_array(std::span<const std::uint32_t> key) noexcept {
    init_genrand(19650218U);
    std::size_t i = 1, j = 0;
    const std::size_t len = key.size();
    for (std::size_t k = n > len ? n : len; k; --k) {
        mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] + std::uint32_t(j);
        ++i;
        ++j;
        if (i >= n) {
            mt_[0] = mt_[n - 1];
            i = 1;
        }
        if (j >= len) j = 0;
    }
    for (std::size_t k = n - 1; k; --k) {
        mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - std::uint32_t(i);
        ++i;
        if (i >= n) {
            mt_[0] = mt_[n - 1];
            i = 1;
        }
    }
    mt_[0] = 0x80000000U;  // the state is never all zero
}

void mersenne_twister::seed_from_system() {
    std::array<std::uint32_t, n> key;
    auto* p = reinterpret_cast<unsigned char*>(key.data());
    std::size_t got = 0;
    while (got < sizeof key) {
        ssize_t r = getrandom(p + got, sizeof key - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        }
        got += std::size_t(r);
    }
    seed_by_array(key);
}

std::uint32_t mersenne_twister::next32() noexcept {
    static constexpr std::uint32_t mag01[2] = {0U, matrix_a};
    if (index_ >= n) {
        int kk = 0;
        for (; kk < n - m_; ++kk) {
            std::uint32_t y = (mt_[kk] & upper_mask) | (mt_[kk + 1] & lower_mask);
            mt_[kk] = mt_[kk + m_] ^ (y >> 1) ^ mag01[y & 1U];
        }
        for (; kk < n - 1; ++kk) {
            std::uint32_t y = (mt_[kk] & upper_mask) | (mt_[kk + 1] & lower_mask);
            mt_[kk] = mt_[kk + (m_ - n)] ^ (y >> 1) ^ mag01[y & 1U];
        }
        std::uint32_t y = (mt_[n - 1] & upper_mask) | (mt_[0] & lower_mask);
        mt_[n - 1] = mt_[m_ - 1] ^ (y >> 1) ^ mag01[y & 1U];
        index_ = 0;
    }
    std::uint32_t y = mt_[index_++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

double mersenne_twister::random() noexcept {
    std::uint32_t a = next32() >> 5, b = next32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

std::uint64_t mersenne_twister::bits64(unsigned k) noexcept {
    if (k <= 32) return next32() >> (32 - k);
    std::uint64_t low = next32();
    std::uint64_t high = next32() >> (64 - k);
    return high << 32 | low;
}

void mersenne_twister::bits(std::uint64_t k, std::vector<std::uint32_t>& words) {
    words.resize((k - 1) / 32 + 1);
    for (auto& w : words) {
        std::uint32_t r = next32();
        if (k < 32) r >>= (32 - k);
        w = r;
        k -= k < 32 ? k : 32;
    }
}

}  // namespace weft::lib
