// math_module.cpp: `import math`, CPython 3.11's math module: the same
// functions, results and error messages ("math domain error", "math range
// error", "must be real number, not str" ...), on Weft's ints and floats.
//
// Floats go through the C library as CPython's do, with CPython's rules for
// what counts as a domain or a range error. Integer functions (gcd, lcm,
// factorial, comb, perm) work on ints of any size with GMP, and logarithms
// take ints too large for a float, as CPython's do. Nothing here keeps
// state: every function is a pure builtin.
#include "lib/math_module.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/objects/bigint.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_constant;
using interp::native_module;
using interp::value;
using interp::vm;
namespace bi = interp::bi;
namespace num = interp::num;

[[noreturn]] void domain_error() { interp::throw_script_error("ValueError", "math domain error"); }
[[noreturn]] void range_error() { interp::throw_script_error("OverflowError", "math range error"); }

// CPython's math_1: NaN out of a non-NaN is a domain error; an infinity out
// of a finite input is a range error where the function can overflow, else
// a domain error (log(0), 1/x-like poles).
double checked(double x, double r, bool can_overflow) {
    if (std::isnan(r) && !std::isnan(x)) domain_error();
    if (std::isinf(r) && std::isfinite(x)) {
        if (can_overflow) range_error();
        domain_error();
    }
    return r;
}

// A METH_O function of a real number: f(x) as CPython's math_1 checks it.
template <double (*F)(double), bool CanOverflow>
value real_function(vm&, value* argv, std::uint32_t argc, value kwargs, const char* fname) {
    bi::no_kwargs(kwargs, fname);
    bi::exactly_one(fname, argc);
    double x = num::to_double(argv[0]);
    return value::from_float(checked(x, F(x), CanOverflow));
}

#define WEFT_MATH_1(name, cfunc, can_overflow)                                               \
    value math_##name(vm& m, value* argv, std::uint32_t argc, value kwargs) {                \
        return real_function<static_cast<double (*)(double)>(cfunc), can_overflow>(m, argv, argc, kwargs, \
                                                                                   "math." #name); \
    }
WEFT_MATH_1(sqrt, std::sqrt, false)
WEFT_MATH_1(exp, std::exp, true)
WEFT_MATH_1(sin, std::sin, false)
WEFT_MATH_1(cos, std::cos, false)
WEFT_MATH_1(tan, std::tan, false)
WEFT_MATH_1(asin, std::asin, false)
WEFT_MATH_1(acos, std::acos, false)
WEFT_MATH_1(atan, std::atan, false)
WEFT_MATH_1(fabs, std::fabs, false)
#undef WEFT_MATH_1

// An int in operator.index's sense, or TypeError "'float' object cannot be
// interpreted as an integer" (no size limit, unlike bi::index_arg).
value integer_arg(value v) {
    if (!num::is_integer(v))
        interp::throw_script_error("TypeError", std::string("'") + interp::type_name_of(v) +
                                                    "' object cannot be interpreted as an integer");
    return v.is_bool() ? value::from_int(v.as_bool()) : v;
}

// -- Logarithms: ints of any size, as CPython's loghelper --------------------------

// v = x * 2**e with x in [0.5, 1), x correctly rounded (CPython's _PyLong_Frexp),
// for a positive int too large for a double.
double int_frexp(value v, long& e) {
    num::zview z(v);
    std::size_t bits = mpz_sizeinbase(z, 2);
    num::ztemp top;
    mpz_tdiv_q_2exp(top, z, bits - 64);  // the top 64 bits
    std::uint64_t q = mpz_getlimbn(top, 0);
    if (mpz_scan1(z, 0) < bits - 64) q |= 1;  // lower bits set: never a tie
    double x = std::ldexp(double(q), -64);     // rounds to nearest even
    e = long(bits);
    if (x == 1.0) {
        x = 0.5;
        ++e;
    }
    return x;
}

double log_of(value v, double (*f)(double)) {
    if (num::is_integer(v)) {
        num::zview z(v);
        if (mpz_sgn(z) <= 0) domain_error();
        if (mpz_sizeinbase(z, 2) <= 1000) return checked(num::to_double(v), f(num::to_double(v)), false);
        long e;
        double x = int_frexp(v, e);
        return f(x) + f(2.0) * double(e);
    }
    double x = num::to_double(v);
    return checked(x, f(x), false);
}

value math_log(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.log");
    if (argc < 1 || argc > 2) interp::throw_script_error("TypeError", "math.log requires 1 to 2 arguments");
    double r = log_of(argv[0], [](double x) { return std::log(x); });
    if (argc == 2) {
        double base = log_of(argv[1], [](double x) { return std::log(x); });
        if (base == 0.0) interp::throw_script_error("ZeroDivisionError", "float division by zero");
        r /= base;
    }
    return value::from_float(r);
}

value math_log2(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.log2");
    bi::exactly_one("math.log2", argc);
    return value::from_float(log_of(argv[0], [](double x) { return std::log2(x); }));
}

value math_log10(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.log10");
    bi::exactly_one("math.log10", argc);
    return value::from_float(log_of(argv[0], [](double x) { return std::log10(x); }));
}

// -- Functions of two reals ------------------------------------------------------------

value math_pow(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.pow");
    bi::expected_args("pow", argc, 2, 2);
    double x = num::to_double(argv[0]), y = num::to_double(argv[1]);
    double r;
    if (!std::isfinite(x) || !std::isfinite(y)) {  // CPython's special cases, as C99 has them
        if (std::isnan(x)) {
            r = y == 0.0 ? 1.0 : x;
        } else if (std::isnan(y)) {
            r = x == 1.0 ? 1.0 : y;
        } else if (std::isinf(x)) {
            bool odd_y = std::isfinite(y) && std::fmod(std::fabs(y), 2.0) == 1.0;
            r = y > 0 ? (odd_y ? x : std::fabs(x)) : y == 0 ? 1.0 : (odd_y ? std::copysign(0.0, x) : 0.0);
        } else {
            double ax = std::fabs(x);
            r = ax == 1.0 ? 1.0 : (y > 0 && ax > 1.0) ? y : (y < 0 && ax < 1.0) ? -y : 0.0;
        }
        return value::from_float(r);
    }
    r = std::pow(x, y);
    if (std::isnan(r)) domain_error();  // a negative number to a fractional power
    if (std::isinf(r)) {
        if (x == 0.0) domain_error();  // 0.0 to a negative power
        range_error();
    }
    return value::from_float(r);
}

value math_atan2(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.atan2");
    bi::expected_args("atan2", argc, 2, 2);
    return value::from_float(std::atan2(num::to_double(argv[0]), num::to_double(argv[1])));
}

value math_hypot(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.hypot");
    std::vector<double> xs(argc);
    bool any_inf = false, any_nan = false;
    double largest = 0.0;
    for (std::uint32_t i = 0; i < argc; ++i) {
        xs[i] = std::fabs(num::to_double(argv[i]));
        any_inf |= std::isinf(xs[i]);
        any_nan |= std::isnan(xs[i]);
        if (xs[i] > largest) largest = xs[i];
    }
    if (any_inf) return value::from_float(std::numeric_limits<double>::infinity());
    if (any_nan) return value::from_float(std::numeric_limits<double>::quiet_NaN());
    if (argc == 2) return value::from_float(std::hypot(xs[0], xs[1]));
    if (largest == 0.0 || argc == 1) return value::from_float(largest);
    // Scaled by the largest, summed in long double: no overflow, no underflow.
    long double sum = 0;
    for (double x : xs) sum += (long double)(x / largest) * (x / largest);
    return value::from_float(double(largest * std::sqrt(sum)));
}

value math_isclose(vm&, value* argv, std::uint32_t argc, value kwargs) {
    value kw[4];
    bi::parse_kwargs(kwargs, "isclose", {"a", "b", "rel_tol", "abs_tol"}, kw);
    if (argc > 2)
        interp::throw_script_error("TypeError", "isclose() takes exactly 2 positional arguments (" +
                                                    std::to_string(argc) + " given)");
    value va = bi::merge_arg("isclose", argv, argc, 0, kw[0], "a");
    value vb = bi::merge_arg("isclose", argv, argc, 1, kw[1], "b");
    if (va.is_empty()) interp::throw_script_error("TypeError", "isclose() missing required argument 'a' (pos 1)");
    if (vb.is_empty()) interp::throw_script_error("TypeError", "isclose() missing required argument 'b' (pos 2)");
    double a = num::to_double(va), b = num::to_double(vb);
    double rel_tol = kw[2].is_empty() ? 1e-09 : num::to_double(kw[2]);
    double abs_tol = kw[3].is_empty() ? 0.0 : num::to_double(kw[3]);
    if (rel_tol < 0.0 || abs_tol < 0.0) interp::throw_script_error("ValueError", "tolerances must be non-negative");
    if (a == b) return value::boolean(true);
    if (std::isinf(a) || std::isinf(b)) return value::boolean(false);
    double diff = std::fabs(b - a);
    return value::boolean(diff <= std::fabs(rel_tol * b) || diff <= std::fabs(rel_tol * a) || diff <= abs_tol);
}

// -- Rounding and classification ---------------------------------------------------------

template <double (*Round)(double)>
value rounded(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* fname) {
    bi::no_kwargs(kwargs, fname);
    bi::exactly_one(fname, argc);
    value v = argv[0];
    if (num::is_integer(v)) return v.is_bool() ? value::from_int(v.as_bool()) : v;
    if (!v.is_float() && std::string_view(fname) == "math.trunc")
        interp::throw_script_error("TypeError", std::string("type ") + interp::type_name_of(v) +
                                                    " doesn't define __trunc__ method");
    return num::int_from_double(m.heap(), Round(num::to_double(v)));
}

value math_floor(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return rounded<static_cast<double (*)(double)>(std::floor)>(m, argv, argc, kwargs, "math.floor");
}
value math_ceil(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return rounded<static_cast<double (*)(double)>(std::ceil)>(m, argv, argc, kwargs, "math.ceil");
}
value math_trunc(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return rounded<static_cast<double (*)(double)>(std::trunc)>(m, argv, argc, kwargs, "math.trunc");
}

value classified(value* argv, std::uint32_t argc, value kwargs, const char* fname, bool (*test)(double)) {
    bi::no_kwargs(kwargs, fname);
    bi::exactly_one(fname, argc);
    return value::boolean(test(num::to_double(argv[0])));
}
value math_isnan(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return classified(argv, argc, kwargs, "math.isnan", [](double x) { return std::isnan(x); });
}
value math_isinf(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return classified(argv, argc, kwargs, "math.isinf", [](double x) { return std::isinf(x); });
}
value math_isfinite(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return classified(argv, argc, kwargs, "math.isfinite", [](double x) { return std::isfinite(x); });
}

// -- Integer functions, any size ------------------------------------------------------------

value math_gcd(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.gcd");
    num::ztemp r;
    for (std::uint32_t i = 0; i < argc; ++i) mpz_gcd(r, r, num::zview(integer_arg(argv[i])));
    return num::from_mpz(m.heap(), r);
}

value math_lcm(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.lcm");
    num::ztemp r;
    mpz_set_ui(r, 1);
    for (std::uint32_t i = 0; i < argc; ++i) mpz_lcm(r, r, num::zview(integer_arg(argv[i])));
    return num::from_mpz(m.heap(), r);
}

constexpr const char* int64_max_text = "9223372036854775807";

// A non-negative int that fits in 64 bits, or the error CPython gives.
std::uint64_t count_arg(value v, const char* negative_message, const char* overflow_message) {
    num::zview z(integer_arg(v));
    if (mpz_sgn(z) < 0) interp::throw_script_error("ValueError", negative_message);
    if (mpz_sizeinbase(z, 2) > 63) interp::throw_script_error("OverflowError", overflow_message);
    return mpz_get_ui(z);
}

value factorial_of(vm& m, value n) {
    std::uint64_t k = count_arg(n, "factorial() not defined for negative values",
                                (std::string("factorial() argument should not exceed ") + int64_max_text).c_str());
    num::check_result_bits(m.heap(), std::lgamma(double(k) + 1) / std::numbers::ln2);
    num::ztemp r;
    mpz_fac_ui(r, k);
    return num::from_mpz(m.heap(), r);
}

value math_factorial(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.factorial");
    bi::exactly_one("math.factorial", argc);
    return factorial_of(m, argv[0]);
}

// n and k of comb and perm; false when k > n (the result is 0).
bool choose_args(value vn, value vk, num::ztemp& n, std::uint64_t& k, bool symmetric) {
    mpz_set(n, num::zview(integer_arg(vn)));
    value ik = integer_arg(vk);
    if (mpz_sgn(n) < 0) interp::throw_script_error("ValueError", "n must be a non-negative integer");
    if (mpz_sgn(num::zview(ik)) < 0) interp::throw_script_error("ValueError", "k must be a non-negative integer");
    if (mpz_cmp(num::zview(ik), n) > 0) return false;
    num::ztemp kk;
    mpz_set(kk, num::zview(ik));
    if (symmetric) {  // comb(n, k) == comb(n, n - k): the smaller one
        num::ztemp rest;
        mpz_sub(rest, n, kk);
        if (mpz_cmp(rest, kk) < 0) mpz_set(kk, rest);
    }
    if (mpz_sizeinbase(kk, 2) > 63)
        interp::throw_script_error("OverflowError", std::string(symmetric ? "min(n - k, k)" : "k") +
                                                        " must not exceed " + int64_max_text);
    k = mpz_get_ui(kk);
    return true;
}

value math_comb(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.comb");
    bi::expected_args("comb", argc, 2, 2);
    num::ztemp n, r;
    std::uint64_t k;
    if (!choose_args(argv[0], argv[1], n, k, true)) return value::from_int(0);
    // GMP computes outside the actor's heap: check first that the result can
    // be had (comb(n, k) <= n**k / k!), or an absurd one aborts the process.
    num::check_result_bits(m.heap(), double(k) * double(mpz_sizeinbase(n, 2)) - std::lgamma(double(k) + 1) / std::numbers::ln2);
    mpz_bin_ui(r, n, k);
    return num::from_mpz(m.heap(), r);
}

value math_perm(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "math.perm");
    bi::expected_args("perm", argc, 1, 2);
    if (argc == 1 || argv[1].is_none()) return factorial_of(m, argv[0]);
    num::ztemp n, r, f;
    std::uint64_t k;
    if (!choose_args(argv[0], argv[1], n, k, false)) return value::from_int(0);
    num::check_result_bits(m.heap(), double(k) * double(mpz_sizeinbase(n, 2)));  // perm(n, k) <= n**k
    mpz_bin_ui(r, n, k);  // n! / (n-k)! == comb(n, k) * k!
    mpz_fac_ui(f, k);
    mpz_mul(r, r, f);
    return num::from_mpz(m.heap(), r);
}

// -- The module -------------------------------------------------------------------------------

#define WEFT_MATH_DEF(name) constexpr builtin_def def_##name{#name, math_##name};
WEFT_MATH_DEF(sqrt)
WEFT_MATH_DEF(exp)
WEFT_MATH_DEF(log)
WEFT_MATH_DEF(log2)
WEFT_MATH_DEF(log10)
WEFT_MATH_DEF(pow)
WEFT_MATH_DEF(sin)
WEFT_MATH_DEF(cos)
WEFT_MATH_DEF(tan)
WEFT_MATH_DEF(asin)
WEFT_MATH_DEF(acos)
WEFT_MATH_DEF(atan)
WEFT_MATH_DEF(atan2)
WEFT_MATH_DEF(hypot)
WEFT_MATH_DEF(floor)
WEFT_MATH_DEF(ceil)
WEFT_MATH_DEF(trunc)
WEFT_MATH_DEF(fabs)
WEFT_MATH_DEF(isnan)
WEFT_MATH_DEF(isinf)
WEFT_MATH_DEF(isfinite)
WEFT_MATH_DEF(isclose)
WEFT_MATH_DEF(gcd)
WEFT_MATH_DEF(lcm)
WEFT_MATH_DEF(factorial)
WEFT_MATH_DEF(comb)
WEFT_MATH_DEF(perm)
#undef WEFT_MATH_DEF

constexpr std::array<const builtin_def*, 27> functions = {
    &def_sqrt,  &def_exp,   &def_log,   &def_log2,  &def_log10,   &def_pow,     &def_sin,
    &def_cos,   &def_tan,   &def_asin,  &def_acos,  &def_atan,    &def_atan2,   &def_hypot,
    &def_floor, &def_ceil,  &def_trunc, &def_fabs,  &def_isnan,   &def_isinf,   &def_isfinite,
    &def_isclose, &def_gcd, &def_lcm,   &def_factorial, &def_comb, &def_perm,
};

constexpr std::array<native_constant, 5> constants = {{
    {"pi", [](interp::frozen_arena&, const interp::native_context&) { return value::from_float(std::numbers::pi); }},
    {"e", [](interp::frozen_arena&, const interp::native_context&) { return value::from_float(std::numbers::e); }},
    {"tau", [](interp::frozen_arena&, const interp::native_context&) { return value::from_float(2 * std::numbers::pi); }},
    {"inf", [](interp::frozen_arena&, const interp::native_context&) { return value::from_float(std::numeric_limits<double>::infinity()); }},
    {"nan", [](interp::frozen_arena&, const interp::native_context&) { return value::from_float(std::numeric_limits<double>::quiet_NaN()); }},
}};

constexpr native_module module_def{"math", functions, constants};

}  // namespace

const native_module& math_module() noexcept { return module_def; }

}  // namespace weft::lib
