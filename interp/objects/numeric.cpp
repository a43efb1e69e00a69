// numeric.cpp: the general cases of Weft's arithmetic (bignums, bools,
// int/float mixing, errors). The small-int fast paths are inline in
// numeric.hpp; parsing, conversions and round() are in numeric_convert.cpp.
//
// Bignums are worked on through GMP: a read-only mpz view of an operand's
// limbs (mpz_roinit_n, no copy) or of a small int's one limb, the result in a
// temporary mpz, then copied into a new heap object (or a small int when it
// fits). The views point into the heap, so every one of them is dead before
// the result is allocated.
#include "interp/objects/numeric_internal.hpp"

#include <cmath>
#include <limits>

namespace weft::interp::num {

using namespace detail;

namespace detail {

std::int64_t small_of(value v) noexcept { return v.is_bool() ? std::int64_t(v.as_bool()) : v.as_int(); }

double mpz_to_double(mpz_srcptr z, bool& overflow) noexcept {
    overflow = false;
    std::size_t bits = mpz_sizeinbase(z, 2);
    if (bits <= 53) return mpz_get_d(z);  // exact
    if (bits > 1024) {
        overflow = true;
        return 0;
    }
    mpz_t mag_storage;
    mpz_srcptr mag = mpz_roinit_n(mag_storage, mpz_limbs_read(z), mp_size_t(mpz_size(z)));
    std::size_t drop = bits - 53;
    // The top 53 bits, then round half to even on the bits dropped.
    mpz_t top;
    mpz_init(top);
    mpz_tdiv_q_2exp(top, mag, drop);
    std::uint64_t mant = mpz_get_ui(top);
    mpz_clear(top);
    bool half = mpz_tstbit(mag, drop - 1);
    bool sticky = mpz_scan1(mag, 0) < drop - 1;
    if (half && (sticky || (mant & 1))) ++mant;
    double r = std::ldexp(double(mant), int(drop));
    if (std::isinf(r)) overflow = true;
    return mpz_sgn(z) < 0 ? -r : r;
}

double mpz_ratio(mpz_srcptr a, mpz_srcptr b, bool& overflow) {
    overflow = false;
    bool negative = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
    if (mpz_sgn(a) == 0) return negative ? -0.0 : 0.0;
    mpz_t sa, sb;
    mpz_srcptr x = mpz_roinit_n(sa, mpz_limbs_read(a), mp_size_t(mpz_size(a)));  // |a|
    mpz_srcptr y = mpz_roinit_n(sb, mpz_limbs_read(b), mp_size_t(mpz_size(b)));  // |b|
    long la = long(mpz_sizeinbase(x, 2)), lb = long(mpz_sizeinbase(y, 2));
    if (la - lb > 1026) {  // at least 2**1025: too large whatever the rounding
        overflow = true;
        return 0;
    }
    if (lb - la > 1080) return negative ? -0.0 : 0.0;  // below half the smallest subnormal
    // q = floor(|a| * 2**shift / |b|) has 55 or 56 bits; the rest is `sticky`.
    long shift = lb - la + 55;
    ztemp num, den, q, r;
    if (shift >= 0) {
        mpz_mul_2exp(num, x, mp_bitcnt_t(shift));
        mpz_set(den, y);
    } else {
        mpz_set(num, x);
        mpz_mul_2exp(den, y, mp_bitcnt_t(-shift));
    }
    mpz_tdiv_qr(q, r, num, den);
    bool sticky = mpz_sgn(r) != 0;
    long bq = long(mpz_sizeinbase(q, 2));
    // Keep 53 bits, fewer in the subnormal range (bit i of q is worth 2**(i - shift)).
    long drop = bq - 53;
    if (drop < shift - 1074) drop = shift - 1074;
    std::uint64_t mant = 0;
    if (drop <= bq) {
        ztemp m;
        mpz_tdiv_q_2exp(m, q, mp_bitcnt_t(drop));
        mant = mpz_get_ui(m);
        bool half = mpz_tstbit(q, mp_bitcnt_t(drop - 1));
        bool below = sticky || mpz_scan1(q, 0) < mp_bitcnt_t(drop - 1);
        if (half && (below || (mant & 1))) ++mant;
    }
    double res = std::ldexp(double(mant), int(drop - shift));
    if (std::isinf(res)) overflow = true;
    return negative ? -res : res;
}

double int_to_double(value v) {
    if (!v.is_obj()) return double(small_of(v));
    zview z(v);
    bool overflow;
    double d = mpz_to_double(z, overflow);
    if (overflow) throw_script_error("OverflowError", "int too large to convert to float");
    return d;
}

double float_pow(double iv, double iw) {
    auto is_odd_integer = [](double x) { return std::fmod(std::fabs(x), 2.0) == 1.0; };
    if (iw == 0) return 1.0;                          // v**0 is 1, even 0**0 and nan**0
    if (std::isnan(iv)) return iv;
    if (std::isnan(iw)) return iv == 1.0 ? 1.0 : iw;  // 1**nan is 1
    if (std::isinf(iw)) {
        iv = std::fabs(iv);
        if (iv == 1.0) return 1.0;
        if ((iw > 0.0) == (iv > 1.0)) return std::fabs(iw);
        return 0.0;
    }
    if (std::isinf(iv)) {
        bool odd = is_odd_integer(iw);
        if (iw > 0.0) return odd ? iv : std::fabs(iv);
        return odd ? std::copysign(0.0, iv) : 0.0;
    }
    if (iv == 0.0) {
        bool odd = is_odd_integer(iw);
        if (iw < 0.0) throw_script_error("ZeroDivisionError", "0.0 cannot be raised to a negative power");
        return odd ? iv : 0.0;
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != std::floor(iw))  // CPython returns a complex here; Weft has none
            throw_script_error("ValueError", "negative number cannot be raised to a fractional power");
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0) return negate ? -1.0 : 1.0;
    double ix = std::pow(iv, iw);
    if (std::isinf(ix)) throw_script_error("OverflowError", "(34, 'Numerical result out of range')");
    return negate ? -ix : ix;
}

void float_divmod(double vx, double wx, double& floordiv, double& mod) noexcept {
    mod = std::fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, wx);
    }
    if (div != 0.0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        floordiv = std::copysign(0.0, vx / wx);
    }
}

double float_mod(double vx, double wx) noexcept {
    double mod = std::fmod(vx, wx);
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) mod += wx;
    } else {
        mod = std::copysign(0.0, wx);
    }
    return mod;
}

}  // namespace detail

namespace {

bool both_integers(value a, value b) noexcept { return is_integer(a) && is_integer(b); }
bool both_numbers(value a, value b) noexcept { return is_number(a) && is_number(b); }
// Neither is a bignum: both fit in int64 with room to spare (48 bits).
bool both_unboxed(value a, value b) noexcept { return !a.is_obj() && !b.is_obj(); }

bool is_sequence(value v) noexcept {
    return is_str(v) || is_bytes(v) || is_kind(v, obj_kind::tuple) || is_kind(v, obj_kind::list);
}

[[noreturn]] void unary_error(std::string_view op, value a) {
    throw_script_error("TypeError", "bad operand type for " + std::string(op) + ": '" + type_name(a) + "'");
}

}  // namespace

bool truthy_object(value v) noexcept {
    if (!v.is_obj()) return false;  // the internal empty marker
    obj* o = v.as_obj();
    switch (o->kind) {
    case obj_kind::str: return static_cast<str_obj*>(o)->byte_len != 0;
    case obj_kind::bytes: return static_cast<bytes_obj*>(o)->len != 0;
    case obj_kind::shared_str:
    case obj_kind::shared_bytes: return !static_cast<shared_obj*>(o)->view().empty();
    case obj_kind::tuple: return static_cast<tuple_obj*>(o)->length() != 0;
    case obj_kind::list: return static_cast<list_obj*>(o)->length != 0;
    case obj_kind::dict: return static_cast<dict_obj*>(o)->count != 0;
    case obj_kind::set: return static_cast<set_obj*>(o)->used != 0;
    default: return true;  // bignums are never 0; pids, refs, functions
    }
}

// -- + - * ---------------------------------------------------------------------

namespace detail {

value add_slow(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        if (both_unboxed(a, b)) return h.make_int(small_of(a) + small_of(b));
        ztemp r;
        mpz_add(r, zview(a), zview(b));
        return from_mpz(h, r);
    }
    if (both_numbers(a, b)) return value::from_float(to_double(a) + to_double(b));
    binop_error("+", a, b);
}

value sub_slow(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        if (both_unboxed(a, b)) return h.make_int(small_of(a) - small_of(b));
        ztemp r;
        mpz_sub(r, zview(a), zview(b));
        return from_mpz(h, r);
    }
    if (both_numbers(a, b)) return value::from_float(to_double(a) - to_double(b));
    binop_error("-", a, b);
}

value mul_slow(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        ztemp r;
        {
            zview x(a), y(b);
            check_result_bits(h, double(mpz_sizeinbase(x, 2)) + double(mpz_sizeinbase(y, 2)));
            mpz_mul(r, x, y);
        }
        return from_mpz(h, r);
    }
    if (both_numbers(a, b)) return value::from_float(to_double(a) * to_double(b));
    binop_error("*", a, b);
}

// -- / // % divmod ------------------------------------------------------------

value truediv_slow(heap& h, value a, value b) {
    (void)h;
    if (both_integers(a, b)) {
        zview x(a), y(b);
        if (mpz_sgn(y) == 0) throw_script_error("ZeroDivisionError", "division by zero");
        if (mpz_sizeinbase(x, 2) <= 53 && mpz_sizeinbase(y, 2) <= 53)  // exact doubles: one rounding
            return value::from_float(mpz_get_d(x) / mpz_get_d(y));
        bool overflow;
        double d = mpz_ratio(x, y, overflow);
        if (overflow) throw_script_error("OverflowError", "integer division result too large for a float");
        return value::from_float(d);
    }
    if (both_numbers(a, b)) {
        double x = to_double(a), y = to_double(b);
        if (y == 0.0) throw_script_error("ZeroDivisionError", "float division by zero");
        return value::from_float(x / y);
    }
    binop_error("/", a, b);
}

value floordiv_slow(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        ztemp q;
        {
            zview x(a), y(b);
            if (mpz_sgn(y) == 0) throw_script_error("ZeroDivisionError", "integer division or modulo by zero");
            mpz_fdiv_q(q, x, y);
        }
        return from_mpz(h, q);
    }
    if (both_numbers(a, b)) {
        double x = to_double(a), y = to_double(b);
        if (y == 0.0) throw_script_error("ZeroDivisionError", "float floor division by zero");
        double q, r;
        float_divmod(x, y, q, r);
        return value::from_float(q);
    }
    binop_error("//", a, b);
}

value mod_slow(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        ztemp r;
        {
            zview x(a), y(b);
            if (mpz_sgn(y) == 0) throw_script_error("ZeroDivisionError", "integer modulo by zero");
            mpz_fdiv_r(r, x, y);
        }
        return from_mpz(h, r);
    }
    if (both_numbers(a, b)) {
        double x = to_double(a), y = to_double(b);
        if (y == 0.0) throw_script_error("ZeroDivisionError", "float modulo");
        return value::from_float(float_mod(x, y));
    }
    binop_error("%", a, b);
}

}  // namespace detail

value divmod(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        ztemp q, r;
        {
            zview x(a), y(b);
            if (mpz_sgn(y) == 0) throw_script_error("ZeroDivisionError", "integer division or modulo by zero");
            mpz_fdiv_qr(q, r, x, y);
        }
        rooted qv(h, from_mpz(h, q));
        value rv = from_mpz(h, r);
        value items[2] = {qv, rv};
        return h.alloc_tuple(items);
    }
    if (both_numbers(a, b)) {
        double x = to_double(a), y = to_double(b);
        if (y == 0.0) throw_script_error("ZeroDivisionError", "float divmod()");
        double q, r;
        float_divmod(x, y, q, r);
        value items[2] = {value::from_float(q), value::from_float(r)};
        return h.alloc_tuple(items);
    }
    binop_error("divmod()", a, b);
}

// -- ** ----------------------------------------------------------------------------

value pow(heap& h, value a, value b) {
    if (both_integers(a, b)) {
        zview x(a), y(b);
        if (mpz_sgn(y) < 0) return value::from_float(float_pow(int_to_double(a), int_to_double(b)));
        if (both_unboxed(a, b)) {  // by squaring while it fits in int64
            std::int64_t base = small_of(a), e = small_of(b), r = 1;
            bool ok = true;
            while (ok) {
                if (e & 1) ok = !__builtin_mul_overflow(r, base, &r);
                e >>= 1;
                if (e == 0) break;
                ok = ok && !__builtin_mul_overflow(base, base, &base);
            }
            if (ok) return h.make_int(r);
        }
        // 0, 1 and -1 to any power, before looking at how big the power is.
        if (mpz_cmpabs_ui(x, 1) <= 0) {
            if (mpz_sgn(x) >= 0) return value::from_int(mpz_sgn(y) == 0 ? 1 : mpz_sgn(x));
            return value::from_int(mpz_odd_p(y) ? -1 : 1);
        }
        if (!mpz_fits_ulong_p(y)) check_result_bits(h, std::numeric_limits<double>::infinity());
        unsigned long e = mpz_get_ui(y);
        long exp2 = 0;
        double m = mpz_get_d_2exp(&exp2, x);  // |x| = |m| * 2**exp2, 0.5 <= |m| < 1
        check_result_bits(h, double(e) * (double(exp2) + std::log2(std::fabs(m))));
        ztemp r;
        mpz_pow_ui(r, x, e);
        return from_mpz(h, r);
    }
    if (both_numbers(a, b)) return value::from_float(float_pow(to_double(a), to_double(b)));
    binop_error("** or pow()", a, b);
}

// -- Shifts and bitwise ---------------------------------------------------------

namespace detail {

value lshift_slow(heap& h, value a, value b) {
    if (!both_integers(a, b)) binop_error("<<", a, b);
    ztemp r;
    {
        zview x(a), y(b);
        if (mpz_sgn(y) < 0) throw_script_error("ValueError", "negative shift count");
        if (mpz_sgn(x) == 0) return value::from_int(0);
        if (!mpz_fits_ulong_p(y)) check_result_bits(h, std::numeric_limits<double>::infinity());
        unsigned long n = mpz_get_ui(y);
        check_result_bits(h, double(mpz_sizeinbase(x, 2)) + double(n));
        mpz_mul_2exp(r, x, n);
    }
    return from_mpz(h, r);
}

value rshift_slow(heap& h, value a, value b) {
    if (!both_integers(a, b)) binop_error(">>", a, b);
    ztemp r;
    {
        zview x(a), y(b);
        if (mpz_sgn(y) < 0) throw_script_error("ValueError", "negative shift count");
        if (!mpz_fits_ulong_p(y) || mpz_get_ui(y) >= mpz_sizeinbase(x, 2))
            return value::from_int(mpz_sgn(x) < 0 ? -1 : 0);
        mpz_fdiv_q_2exp(r, x, mpz_get_ui(y));  // floor, as Python's >> on negatives
    }
    return from_mpz(h, r);
}

value bitwise_slow(heap& h, value a, value b, char op) {
    if (!both_integers(a, b)) binop_error(std::string_view(&op, 1), a, b);
    if (a.is_bool() && b.is_bool()) {  // bool & bool is a bool, as in Python
        bool x = a.as_bool(), y = b.as_bool();
        return value::boolean(op == '&' ? (x && y) : op == '|' ? (x || y) : (x != y));
    }
    if (both_unboxed(a, b)) {
        std::int64_t x = small_of(a), y = small_of(b);
        return value::from_int(op == '&' ? (x & y) : op == '|' ? (x | y) : (x ^ y));
    }
    ztemp r;
    {
        zview x(a), y(b);
        if (op == '&') mpz_and(r, x, y);
        else if (op == '|') mpz_ior(r, x, y);
        else mpz_xor(r, x, y);
    }
    return from_mpz(h, r);
}

// -- Comparison ------------------------------------------------------------------

std::partial_ordering compare_slow(value a, value b) {
    if (!both_numbers(a, b)) compare_error("<", a, b);
    if (both_integers(a, b)) {
        if (both_unboxed(a, b)) return small_of(a) <=> small_of(b);
        return mpz_cmp(zview(a), zview(b)) <=> 0;
    }
    if (a.is_float() && b.is_float()) return a.as_float() <=> b.as_float();
    // One float, one int: compare exactly (small ints are exact doubles).
    bool flip = !a.is_float();
    double d = flip ? b.as_float() : a.as_float();
    value i = flip ? a : b;
    std::partial_ordering r = std::partial_ordering::unordered;
    if (std::isnan(d)) return r;
    if (!i.is_obj()) {
        r = d <=> double(small_of(i));
    } else {
        int c = mpz_cmp_d(zview(i), d);  // exact, infinities included
        r = 0 <=> c;                      // d <=> i
    }
    if (!flip) return r;
    return 0 <=> r;  // i <=> d
}

}  // namespace detail

// -- Unary -------------------------------------------------------------------------

value neg(heap& h, value a) {
    if (a.is_int() || a.is_bool()) return h.make_int(-small_of(a));
    if (a.is_float()) return value::from_float(-a.as_float());
    if (is_bignum(a)) {
        ztemp r;
        mpz_neg(r, zview(a));
        return from_mpz(h, r);
    }
    unary_error("unary -", a);
}

value pos(heap& h, value a) {
    (void)h;
    if (a.is_bool()) return value::from_int(a.as_bool());
    if (is_number(a)) return a;
    unary_error("unary +", a);
}

value abs(heap& h, value a) {
    if (a.is_int() || a.is_bool()) {
        std::int64_t x = small_of(a);
        return h.make_int(x < 0 ? -x : x);
    }
    if (a.is_float()) return value::from_float(std::fabs(a.as_float()));
    if (is_bignum(a)) {
        if (!as_bignum(a)->negative()) return a;
        ztemp r;
        mpz_neg(r, zview(a));
        return from_mpz(h, r);
    }
    unary_error("abs()", a);
}

value invert(heap& h, value a) {
    if (a.is_int() || a.is_bool()) return value::from_int(~small_of(a));  // stays in 48 bits
    if (is_bignum(a)) {
        ztemp r;
        mpz_com(r, zview(a));
        return from_mpz(h, r);
    }
    unary_error("unary ~", a);
}

// -- Errors ------------------------------------------------------------------------

void binop_error(std::string_view op, value a, value b) {
    std::string ta = type_name(a), tb = type_name(b);
    if (op == "+") {
        if (is_str(a) && !is_str(b))
            throw_script_error("TypeError", "can only concatenate str (not \"" + tb + "\") to str");
        if (is_bytes(a) && !is_bytes(b)) throw_script_error("TypeError", "can't concat " + tb + " to bytes");
        for (obj_kind k : {obj_kind::list, obj_kind::tuple}) {
            if (is_kind(a, k) && !is_kind(b, k))
                throw_script_error("TypeError", "can only concatenate " + ta + " (not \"" + tb + "\") to " + ta);
        }
    }
    if (op == "*") {
        if (is_sequence(a) && !is_integer(b))
            throw_script_error("TypeError", "can't multiply sequence by non-int of type '" + tb + "'");
        if (is_sequence(b) && !is_integer(a))
            throw_script_error("TypeError", "can't multiply sequence by non-int of type '" + ta + "'");
    }
    throw_script_error("TypeError",
                       "unsupported operand type(s) for " + std::string(op) + ": '" + ta + "' and '" + tb + "'");
}

void compare_error(std::string_view op, value a, value b) {
    throw_script_error("TypeError", "'" + std::string(op) + "' not supported between instances of '" +
                                        type_name(a) + "' and '" + type_name(b) + "'");
}

}  // namespace weft::interp::num
