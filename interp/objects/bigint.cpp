// bigint.cpp: GMP views of Weft ints and ints made from GMP results.
#include "interp/objects/bigint.hpp"

#include <cstdint>
#include <limits>
#include <span>

namespace weft::interp::num {

zview::zview(value v) noexcept {
    if (v.is_obj()) {
        bignum_obj* b = as_bignum(v);
        mpz_roinit_n(z_, reinterpret_cast<const mp_limb_t*>(b->limbs()), b->size);
    } else {
        std::int64_t i = v.is_bool() ? std::int64_t(v.as_bool()) : v.as_int();
        limb_ = i < 0 ? 0 - mp_limb_t(i) : mp_limb_t(i);
        mpz_roinit_n(z_, &limb_, i < 0 ? -1 : (i > 0 ? 1 : 0));
    }
}

value from_mpz(heap& h, mpz_srcptr z) {
    std::size_t n = mpz_size(z);
    if (n == 0) return value::from_int(0);
    if (n == 1) {
        mp_limb_t l = mpz_getlimbn(z, 0);
        if (mpz_sgn(z) > 0 && l <= mp_limb_t(value::small_int_max)) return value::from_int(std::int64_t(l));
        if (mpz_sgn(z) < 0 && l <= mp_limb_t(value::small_int_max) + 1) return value::from_int(-std::int64_t(l));
    }
    const limb* p = reinterpret_cast<const limb*>(mpz_limbs_read(z));
    return h.alloc_bignum(mpz_sgn(z) < 0, std::span<const limb>(p, n));
}

void check_result_bits(const heap& h, double bits) {
    // A bignum's limb count is an int32; GMP's own limit is about the same.
    constexpr double max_bytes = double(std::numeric_limits<std::int32_t>::max() - 2) * 8;
    double bytes = bits / 8 + 16;
    if (bytes > max_bytes || bytes > double(h.limit_bytes())) {
        std::size_t req = bytes >= 9e18 ? std::numeric_limits<std::size_t>::max() : std::size_t(bytes);
        throw heap_exhausted(req, h.limit_bytes());
    }
}

}  // namespace weft::interp::num
