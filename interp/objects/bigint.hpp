// bigint.hpp: GMP views of Weft ints, for code that does integer
// arithmetic beyond Python's operators (numeric.cpp, and lib/'s math:
// gcd, factorial, comb ...). A view reads a bignum's limbs where they lie;
// results come back as normalized ints (a small int when it fits).
#pragma once
#include <gmp.h>

#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp::num {

static_assert(GMP_LIMB_BITS == 64 && sizeof(mp_limb_t) == sizeof(limb), "bignum limbs are GMP limbs");

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

}  // namespace weft::interp::num
