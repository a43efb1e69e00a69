// numeric_internal.hpp: GMP plumbing shared by numeric.cpp and
// numeric_convert.cpp (not for other users: include numeric.hpp).
#pragma once
#include <gmp.h>

#include <cstdint>

#include "interp/objects/bigint.hpp"
#include "interp/objects/numeric.hpp"

namespace weft::interp::num::detail {

// The int value of a small int or a bool.
std::int64_t small_of(value v) noexcept;

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
