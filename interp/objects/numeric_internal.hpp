// numeric_internal.hpp: GMP plumbing shared by numeric.cpp and
// numeric_convert.cpp (not for other users: include numeric.hpp).
#pragma once
#include <gmp.h>

#include <cstdint>

#include "interp/objects/numeric.hpp"

namespace weft::interp::num::detail {

static_assert(GMP_LIMB_BITS == 64 && sizeof(mp_limb_t) == sizeof(limb), "bignum limbs are GMP limbs");

// The int value of a small int or a bool.
std::int64_t small_of(value v) noexcept;

// A read-only mpz view of an integer value (small int, bool or bignum): a
// bignum's limbs are used in place, so the view dies at the next allocation.
class zview {
public:
    explicit zview(value v) noexcept;
    zview(const zview&) = delete;
    zview& operator=(const zview&) = delete;
    operator mpz_srcptr() const noexcept { return z_; }
    mpz_srcptr operator->() const noexcept { return z_; }  // for GMP's macros (mpz_sgn ...)

private:
    mpz_t z_;
    mp_limb_t limb_ = 0;
};

// A temporary mpz (GMP's own memory, not the heap).
class ztemp {
public:
    ztemp() noexcept { mpz_init(z_); }
    ~ztemp() { mpz_clear(z_); }
    ztemp(const ztemp&) = delete;
    ztemp& operator=(const ztemp&) = delete;
    operator mpz_ptr() noexcept { return z_; }
    operator mpz_srcptr() const noexcept { return z_; }
    mpz_srcptr operator->() const noexcept { return z_; }

private:
    mpz_t z_;
};

// The normalized int value of z (a small int when it fits).
value from_mpz(heap& h, mpz_srcptr z);
// Throws heap_exhausted when an int of `bits` bits cannot be made on h.
void check_result_bits(const heap& h, double bits);
// z as the nearest double (ties to even); overflow set past DBL_MAX.
double mpz_to_double(mpz_srcptr z, bool& overflow) noexcept;
// a / b (b != 0) as the nearest double (ties to even), as Python's int / int.
double mpz_ratio(mpz_srcptr a, mpz_srcptr b, bool& overflow);
// float(v) of an integer value; OverflowError when too large.
double int_to_double(value v);
// CPython's float_pow, float_divmod and float_rem.
double float_pow(double iv, double iw);
void float_divmod(double vx, double wx, double& floordiv, double& mod) noexcept;
double float_mod(double vx, double wx) noexcept;

}  // namespace weft::interp::num::detail
