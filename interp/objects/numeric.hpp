// numeric.hpp: Weft's arithmetic on ints and floats, exactly as Python's.
//
// Ints are small ints (48-bit, unboxed) or bignums (heap objects, GMP limbs);
// bool acts as the int 0 or 1. Every int result is normalized: a value that
// fits in 48 bits is a small int, never a bignum, so identical() and hashing
// (object.cpp: hash(int) == hash(float) for equal values, modulo 2**61 - 1)
// see one representation per number. Floats are IEEE doubles.
//
// Each operation takes its operands as values and returns a new value; it
// may allocate (a bignum result) and so move heap objects: the operands need
// not be rooted (they are read before anything is allocated), but the caller's
// other unrooted values go stale as after any allocation (heap.hpp).
//
// Errors are script_error (script_error.hpp) with CPython 3.11's kinds and
// messages: ZeroDivisionError ("division by zero", "integer division or
// modulo by zero", "integer modulo by zero", "float division by zero", "float
// floor division by zero", "float modulo", "float divmod()", "0.0 cannot be
// raised to a negative power"), OverflowError ("int too large to convert to
// float", "integer division result too large for a float", "(34, 'Numerical
// result out of range')" for a float ** that overflows, "cannot convert float
// infinity to integer"), ValueError ("negative shift count", "cannot convert
// float NaN to integer", parsing), TypeError ("unsupported operand type(s)
// for +: 'int' and 'str'", "can't multiply sequence by non-int of type
// 'float'", "bad operand type for unary -: 'str'", ...). A result too big for
// the heap (1 << 2**62, 10 ** 10**12) throws heap_exhausted, as an allocation
// would: the VM raises MemoryError, as CPython does.
//
// Where CPython would return a complex number (a negative float raised to a
// non-integral power), Weft has none and raises ValueError "negative number
// cannot be raised to a fractional power" (Python 2's message).
//
// Sequences: + and * on str, bytes, tuple and list (concatenation,
// repetition) and str % x are the VM's; it calls these functions only when
// that does not apply, and they then raise the TypeError Python would
// ("can only concatenate str (not "int") to str", "can't multiply sequence by
// non-int of type 'float'", ...).
//
// The VM's hot loop: the inline functions below try the small-int (and
// float) case first, branch-light, and call the out-of-line general case
// (numeric.cpp) otherwise. `*_small` are the bare fast paths for a VM that
// wants to dispatch itself: they return false when they do not apply.
#pragma once
#include <compare>
#include <cstdint>
#include <string_view>

#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"
#include "interp/objects/script_error.hpp"

namespace weft::interp::num {

// -- Classification ------------------------------------------------------------

inline bool is_bignum(value v) noexcept { return is_kind(v, obj_kind::bignum); }
// int in Python's sense: small int, bignum or bool.
inline bool is_integer(value v) noexcept { return v.is_int() || v.is_bool() || is_bignum(v); }
inline bool is_number(value v) noexcept { return v.is_float() || is_integer(v); }

// Python's truthiness: None and False, 0, 0.0 (and -0.0), empty str, bytes,
// tuple, list and dict are false; everything else (NaN, bignums, pids, refs,
// functions) is true.
bool truthy_object(value v) noexcept;
inline bool truthy(value v) noexcept {
    if (v.is_int()) return v.as_int() != 0;
    if (v.is_bool()) return v.as_bool();
    if (v.is_float()) return v.as_float() != 0.0;  // NaN is true, as in Python
    if (v.is_none()) return false;
    return truthy_object(v);
}

// -- Small-int fast paths ------------------------------------------------------

// Both operands small ints: one compare on the two tags.
inline bool both_small(value a, value b) noexcept {
    return ((a.bits() ^ value::int_tag) | (b.bits() ^ value::int_tag)) <= value::payload_mask;
}
// r in the small-int range (one unsigned compare, no signed overflow).
inline bool fits(std::int64_t r) noexcept {
    return std::uint64_t(r) - std::uint64_t(value::small_int_min) <=
           std::uint64_t(value::small_int_max) - std::uint64_t(value::small_int_min);
}

inline bool add_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    std::int64_t r = a.as_int() + b.as_int();  // 49 bits at most: no overflow
    if (!fits(r)) return false;
    out = value::from_int(r);
    return true;
}
inline bool sub_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    std::int64_t r = a.as_int() - b.as_int();
    if (!fits(r)) return false;
    out = value::from_int(r);
    return true;
}
inline bool mul_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    std::int64_t r;
    if (__builtin_mul_overflow(a.as_int(), b.as_int(), &r) || !fits(r)) return false;
    out = value::from_int(r);
    return true;
}
// Python's floor division and modulo (the result takes the divisor's sign).
inline bool floordiv_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b) || b.as_int() == 0) return false;
    std::int64_t x = a.as_int(), y = b.as_int();
    std::int64_t q = x / y;
    q -= unsigned(x % y != 0) & unsigned((x ^ y) < 0);
    if (!fits(q)) return false;  // only small_int_min // -1
    out = value::from_int(q);
    return true;
}
inline bool mod_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b) || b.as_int() == 0) return false;
    std::int64_t x = a.as_int(), y = b.as_int();
    std::int64_t r = x % y;
    r += (unsigned(r != 0) & unsigned((r ^ y) < 0)) ? y : 0;
    out = value::from_int(r);
    return true;
}
// &, |, ^ of two 48-bit sign-extended ints are 48-bit sign-extended ints.
inline bool and_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    out = value::from_int(a.as_int() & b.as_int());
    return true;
}
inline bool or_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    out = value::from_int(a.as_int() | b.as_int());
    return true;
}
inline bool xor_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    out = value::from_int(a.as_int() ^ b.as_int());
    return true;
}
inline bool lshift_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b)) return false;
    std::int64_t x = a.as_int(), n = b.as_int();
    if (std::uint64_t(n) > 47) return false;  // negative or wide: the general case
    std::int64_t r = std::int64_t(std::uint64_t(x) << n);
    if ((r >> n) != x || !fits(r)) return false;
    out = value::from_int(r);
    return true;
}
inline bool rshift_small(value a, value b, value& out) noexcept {
    if (!both_small(a, b) || b.as_int() < 0) return false;
    std::int64_t n = b.as_int();
    out = value::from_int(a.as_int() >> (n > 63 ? 63 : n));
    return true;
}
// a <=> b for two small ints.
inline bool compare_small(value a, value b, std::partial_ordering& out) noexcept {
    if (!both_small(a, b)) return false;
    out = a.as_int() <=> b.as_int();
    return true;
}

// -- The operations --------------------------------------------------------------

namespace detail {
value add_slow(heap& h, value a, value b);
value sub_slow(heap& h, value a, value b);
value mul_slow(heap& h, value a, value b);
value truediv_slow(heap& h, value a, value b);
value floordiv_slow(heap& h, value a, value b);
value mod_slow(heap& h, value a, value b);
value lshift_slow(heap& h, value a, value b);
value rshift_slow(heap& h, value a, value b);
value bitwise_slow(heap& h, value a, value b, char op);
std::partial_ordering compare_slow(value a, value b);
}  // namespace detail

inline value add(heap& h, value a, value b) {
    value r;
    if (add_small(a, b, r)) [[likely]] return r;
    if (both_floats(a, b)) return value::from_float(a.as_float() + b.as_float());
    return detail::add_slow(h, a, b);
}
inline value sub(heap& h, value a, value b) {
    value r;
    if (sub_small(a, b, r)) [[likely]] return r;
    if (both_floats(a, b)) return value::from_float(a.as_float() - b.as_float());
    return detail::sub_slow(h, a, b);
}
inline value mul(heap& h, value a, value b) {
    value r;
    if (mul_small(a, b, r)) [[likely]] return r;
    if (both_floats(a, b)) return value::from_float(a.as_float() * b.as_float());
    return detail::mul_slow(h, a, b);
}
// `/`: always a float for numbers (int / int correctly rounded, as Python).
inline value truediv(heap& h, value a, value b) {
    // Small ints are exact doubles (48 bits), so one division rounds correctly.
    if (both_small(a, b) && b.as_int() != 0) return value::from_float(double(a.as_int()) / double(b.as_int()));
    if (both_floats(a, b) && b.as_float() != 0.0) return value::from_float(a.as_float() / b.as_float());
    return detail::truediv_slow(h, a, b);
}
inline value floordiv(heap& h, value a, value b) {
    value r;
    if (floordiv_small(a, b, r)) [[likely]] return r;
    return detail::floordiv_slow(h, a, b);
}
inline value mod(heap& h, value a, value b) {
    value r;
    if (mod_small(a, b, r)) [[likely]] return r;
    return detail::mod_slow(h, a, b);
}
inline value lshift(heap& h, value a, value b) {
    value r;
    if (lshift_small(a, b, r)) [[likely]] return r;
    return detail::lshift_slow(h, a, b);
}
inline value rshift(heap& h, value a, value b) {
    value r;
    if (rshift_small(a, b, r)) [[likely]] return r;
    return detail::rshift_slow(h, a, b);
}
inline value and_(heap& h, value a, value b) {
    value r;
    if (and_small(a, b, r)) [[likely]] return r;
    return detail::bitwise_slow(h, a, b, '&');
}
inline value or_(heap& h, value a, value b) {
    value r;
    if (or_small(a, b, r)) [[likely]] return r;
    return detail::bitwise_slow(h, a, b, '|');
}
inline value xor_(heap& h, value a, value b) {
    value r;
    if (xor_small(a, b, r)) [[likely]] return r;
    return detail::bitwise_slow(h, a, b, '^');
}

// `**` (int ** negative int is a float, as Python; int ** int is exact).
value pow(heap& h, value a, value b);
// divmod(a, b): a tuple (a // b, a % b).
value divmod(heap& h, value a, value b);

// Unary -, +, abs(), ~ (bool operands give ints: -True == -1, ~True == -2).
value neg(heap& h, value a);
value pos(heap& h, value a);
value abs(heap& h, value a);
value invert(heap& h, value a);

// Numbers compared exactly as Python compares them (an int against a float by
// their exact values, also for bignums; NaN is unordered with everything).
// For operands that are not both numbers it raises the TypeError of '<'; the
// VM, which knows the operator (and orders str, bytes, tuples and lists
// itself), calls compare_error for the others.
inline std::partial_ordering compare(value a, value b) {
    std::partial_ordering r = std::partial_ordering::unordered;
    if (compare_small(a, b, r)) [[likely]] return r;
    if (both_floats(a, b)) return a.as_float() <=> b.as_float();
    return detail::compare_slow(a, b);
}

// round(x) and round(x, ndigits), as Python's (half to even; a float with
// ndigits rounds its exact binary value; ndigits None means absent).
value round(heap& h, value x, value ndigits = value::none());

// -- Conversions ---------------------------------------------------------------

// float(x) of a number (OverflowError "int too large to convert to float";
// TypeError "must be real number, not str" for a non-number).
double to_double(value v);
// int(x) of a float: truncation toward zero (ValueError for NaN,
// OverflowError for an infinity, as Python).
value int_from_double(heap& h, double d);
// An int from GMP-style limbs (normalized: a small int when it fits).
value int_from_limbs(heap& h, bool negative, const limb* limbs, std::size_t count);
// An integer value that fits in int64_t (small int, bool or bignum).
bool to_int64(value v, std::int64_t& out) noexcept;

// int(text, base) (base 0 or 2..36): surrounding whitespace, a sign, the
// base prefix (0x 0o 0b; required for base 0), single underscores between
// digits, Unicode decimal digits, as Python. ValueError "invalid literal for
// int() with base 10: 'x'", "int() base must be >= 2 and <= 36, or 0".
// (CPython 3.11's 4300-digit limit on int/str conversion is not applied.)
value parse_int(heap& h, std::string_view text, int base = 10);
// float(text): decimal literals with underscores, inf, infinity, nan (any
// case, signed), surrounding whitespace, Unicode decimal digits. ValueError
// "could not convert string to float: 'x'".
double parse_float(std::string_view text);

// Python's hash() of a number (equal numbers hash alike; hash(-1) == -2 as
// CPython's, otherwise the same number object.cpp's default_hash gives).
std::int64_t hash(value v);

// -- TypeErrors ----------------------------------------------------------------

// "unsupported operand type(s) for OP: 'A' and 'B'", or the sequence wording
// for + and * ("can only concatenate list (not "int") to list", "can't concat
// int to bytes", "can't multiply sequence by non-int of type 'float'").
[[noreturn]] void binop_error(std::string_view op, value a, value b);
// "'<' not supported between instances of 'int' and 'str'".
[[noreturn]] void compare_error(std::string_view op, value a, value b);

}  // namespace weft::interp::num
