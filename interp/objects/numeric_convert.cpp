// numeric_convert.cpp: conversions between ints, floats and text (int(),
// float(), int(text, base), float(text)), round() and hash() of numbers.
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "interp/objects/format.hpp"
#include "interp/objects/numeric_internal.hpp"
#include "interp/unicode/unicode_format.hpp"
#include "interp/unicode/utf8.hpp"

namespace weft::interp::num {

using namespace detail;

// -- int <-> float -----------------------------------------------------------------

double to_double(value v) {
    if (v.is_float()) return v.as_float();
    if (is_integer(v)) return int_to_double(v);
    throw_script_error("TypeError", std::string("must be real number, not ") + type_name(v));
}

value int_from_double(heap& h, double d) {
    if (std::isnan(d)) throw_script_error("ValueError", "cannot convert float NaN to integer");
    if (std::isinf(d)) throw_script_error("OverflowError", "cannot convert float infinity to integer");
    double t = std::trunc(d);
    if (t >= double(value::small_int_min) && t <= double(value::small_int_max)) return value::from_int(std::int64_t(t));
    ztemp z;
    mpz_set_d(z, t);  // exact: t is integral
    return from_mpz(h, z);
}

value int_from_limbs(heap& h, bool negative, const limb* limbs, std::size_t count) {
    while (count > 0 && limbs[count - 1] == 0) --count;
    if (count == 0) return value::from_int(0);
    if (count == 1) {
        limb l = limbs[0];
        if (!negative && l <= limb(value::small_int_max)) return value::from_int(std::int64_t(l));
        if (negative && l <= limb(value::small_int_max) + 1) return value::from_int(-std::int64_t(l));
    }
    return h.alloc_bignum(negative, std::span<const limb>(limbs, count));
}

bool to_int64(value v, std::int64_t& out) noexcept {
    if (v.is_int() || v.is_bool()) {
        out = small_of(v);
        return true;
    }
    if (!is_bignum(v)) return false;
    bignum_obj* b = as_bignum(v);
    if (b->limb_count() != 1) return false;  // normalized: never 0 limbs
    limb l = b->limbs()[0];
    if (!b->negative()) {
        if (l > limb(std::numeric_limits<std::int64_t>::max())) return false;
        out = std::int64_t(l);
    } else {
        if (l > limb(std::numeric_limits<std::int64_t>::max()) + 1) return false;
        out = std::int64_t(0 - l);
    }
    return true;
}

// -- Text ------------------------------------------------------------------------

namespace {

// CPython's _PyUnicode_TransformDecimalAndSpaceToASCII: whitespace becomes
// ' ', a Unicode decimal digit its ASCII digit, other non-ASCII '?'.
std::string ascii_numeric(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out += is_space(c) ? ' ' : char(c);
            ++i;
            continue;
        }
        utf8_char u = decode_utf8(text, i);
        if (u.len == 0) {  // not UTF-8 (never for a str): not a digit either
            out += '?';
            ++i;
            continue;
        }
        i += u.len;
        int d = decimal_value(u.cp);
        out += d >= 0 ? char('0' + d) : is_space(u.cp) ? ' ' : '?';
    }
    return out;
}

bool ascii_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

int digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

// The repr of `text`, cut to its first 200 code points (CPython's "%.200R").
std::string repr_200(std::string_view text) {
    std::string r = repr_str(text);
    std::size_t cps = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (is_utf8_continuation(static_cast<unsigned char>(r[i]))) continue;
        if (cps++ == 200) return r.substr(0, i);
    }
    return r;
}

[[noreturn]] void bad_int(std::string_view text, int base) {
    throw_script_error("ValueError",
                       "invalid literal for int() with base " + std::to_string(base) + ": " + repr_200(text));
}

[[noreturn]] void bad_float(std::string_view text) {
    throw_script_error("ValueError", "could not convert string to float: " + repr_str(text));
}

}  // namespace

value parse_int(heap& h, std::string_view text, int base) {
    if (base != 0 && (base < 2 || base > 36)) throw_script_error("ValueError", "int() base must be >= 2 and <= 36, or 0");
    const int given_base = base;
    std::string s = ascii_numeric(text);
    std::size_t i = 0, end = s.size();
    while (i < end && ascii_space(s[i])) ++i;
    while (end > i && ascii_space(s[end - 1])) --end;
    bool negative = false;
    if (i < end && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    auto at = [&](std::size_t k) { return k < end ? s[k] : '\0'; };
    bool zero_only = false;  // base 0 without a prefix: "0", "00", "0_0" but not "010"
    if (base == 0) {
        char p = char(at(i + 1) | 0x20);
        if (at(i) != '0') base = 10;
        else if (p == 'x') base = 16;
        else if (p == 'o') base = 8;
        else if (p == 'b') base = 2;
        else zero_only = true, base = 10;
    }
    if (at(i) == '0') {
        char p = char(at(i + 1) | 0x20);
        if ((base == 16 && p == 'x') || (base == 8 && p == 'o') || (base == 2 && p == 'b')) {
            i += 2;
            if (at(i) == '_') ++i;  // one underscore may follow the prefix
        }
    }
    // Digits with single underscores between them.
    std::string digits;
    digits.reserve(end - i);
    char prev = '_';  // no leading underscore (after the prefix's one)
    for (; i < end; ++i) {
        char c = s[i];
        if (c == '_') {
            if (prev == '_') bad_int(text, given_base);
        } else if (digit_value(c) < base) {
            digits += c;
        } else {
            bad_int(text, given_base);
        }
        prev = c;
    }
    if (prev == '_' || digits.empty()) bad_int(text, given_base);
    if (zero_only && digits.find_first_not_of('0') != std::string::npos) bad_int(text, given_base);
    if (digits.size() <= 12 || (base <= 10 && digits.size() <= 14)) {  // < 2**47 in any base: no GMP
        std::int64_t v = 0;
        for (char c : digits) v = v * base + digit_value(c);
        if (value::fits_small_int(negative ? -v : v)) return value::from_int(negative ? -v : v);
    }
    ztemp z;
    mpz_set_str(z, digits.c_str(), base);  // valid by construction
    if (negative) mpz_neg(z, z);
    return from_mpz(h, z);
}

double parse_float(std::string_view text) {
    std::string s = ascii_numeric(text);
    // Underscores only between digits (CPython's _Py_string_to_number_with_underscores).
    if (s.find('_') != std::string::npos) {
        std::string kept;
        char prev = '\0';
        for (char c : s) {
            bool prev_digit = prev >= '0' && prev <= '9';
            if (c == '_') {
                if (!prev_digit) bad_float(text);
            } else {
                if (prev == '_' && !(c >= '0' && c <= '9')) bad_float(text);
                kept += c;
            }
            prev = c;
        }
        if (prev == '_') bad_float(text);
        s = std::move(kept);
    }
    std::size_t i = 0, end = s.size();
    while (i < end && ascii_space(s[i])) ++i;
    while (end > i && ascii_space(s[end - 1])) --end;
    bool negative = false;
    if (i < end && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    std::string_view body(s.data() + i, end - i);
    auto lower_is = [&](std::string_view word) {
        if (body.size() != word.size()) return false;
        for (std::size_t k = 0; k < word.size(); ++k)
            if (char(body[k] | 0x20) != word[k]) return false;
        return true;
    };
    if (lower_is("inf") || lower_is("infinity")) return negative ? -HUGE_VAL : HUGE_VAL;
    if (lower_is("nan")) return std::numeric_limits<double>::quiet_NaN();
    // digits [. digits] | . digits, then [e [sign] digits]
    std::size_t k = 0, n = body.size();
    auto is_digit = [&](std::size_t j) { return j < n && body[j] >= '0' && body[j] <= '9'; };
    std::size_t int_digits = 0, frac_digits = 0;
    while (is_digit(k)) ++k, ++int_digits;
    if (k < n && body[k] == '.') {
        ++k;
        while (is_digit(k)) ++k, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) bad_float(text);
    std::size_t mantissa_end = k;
    if (k < n && (body[k] | 0x20) == 'e') {
        std::size_t j = k + 1;
        if (j < n && (body[j] == '+' || body[j] == '-')) ++j;
        if (!is_digit(j)) bad_float(text);
        while (is_digit(j)) ++j;
        k = j;
    }
    if (k != n) bad_float(text);
    double d = 0;
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + n, d, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        // Overflow or underflow: which one, from the decimal exponent of the
        // first significant digit (the case is always far from 10**0).
        long exp10 = 0;
        if (mantissa_end < n) {
            std::string_view e = body.substr(mantissa_end + 1);
            bool eneg = !e.empty() && e[0] == '-';
            if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
            for (char c : e) {
                exp10 = exp10 * 10 + (c - '0');
                if (exp10 > 1'000'000'000) break;
            }
            if (eneg) exp10 = -exp10;
        }
        long lead = 0;  // position of the first non-zero digit relative to the point
        std::size_t j = 0;
        while (j < int_digits && body[j] == '0') ++j;
        if (j < int_digits) {
            lead = long(int_digits - j);
        } else {
            std::size_t f = int_digits + 1;
            while (f < mantissa_end && body[f] == '0') ++f;
            lead = -long(f - int_digits - 1);
        }
        d = (lead + exp10 > 0) ? HUGE_VAL : 0.0;
    } else if (ec != std::errc() || ptr != body.data() + n) {
        bad_float(text);
    }
    return negative ? -d : d;
}

// -- round -------------------------------------------------------------------------

namespace {

// CPython's float.__round__(ndigits): the exact binary value of x rounded
// half to even at 10**-nd, then correctly rounded back to a double.
double round_float(double x, std::int64_t nd) {
    if (!std::isfinite(x) || nd > 323) return x;  // NDIGITS_MAX
    if (nd < -308) return 0.0 * x;                // NDIGITS_MIN
    if (x == 0.0) return x;
    int e2 = 0;
    double fr = std::frexp(std::fabs(x), &e2);
    auto m = std::uint64_t(std::ldexp(fr, 53));
    e2 -= 53;  // |x| == m * 2**e2
    ztemp num, den, p, q, r;
    mpz_set_ui(num, m);
    mpz_set_ui(den, 1);
    if (e2 >= 0) mpz_mul_2exp(num, num, mp_bitcnt_t(e2));
    else mpz_mul_2exp(den, den, mp_bitcnt_t(-e2));
    mpz_ui_pow_ui(p, 10, static_cast<unsigned long>(nd < 0 ? -nd : nd));
    if (nd >= 0) mpz_mul(num, num, p);
    else mpz_mul(den, den, p);
    mpz_tdiv_qr(q, r, num, den);
    mpz_mul_2exp(r, r, 1);
    int c = mpz_cmp(r, den);
    if (c > 0 || (c == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
    // q * 10**-nd, correctly rounded by from_chars.
    std::string text(mpz_sizeinbase(q, 10) + 2, '\0');
    mpz_get_str(text.data(), 10, q);
    text.resize(std::strlen(text.c_str()));
    std::size_t qdigits = text.size();
    text += 'e';
    text += std::to_string(-nd);
    double res = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), res);
    (void)ptr;
    if (ec == std::errc::result_out_of_range) res = (long(qdigits) - nd > 0) ? HUGE_VAL : 0.0;
    if (std::isinf(res)) throw_script_error("OverflowError", "rounded value too large to represent");
    return std::copysign(res, x);
}

}  // namespace

value round(heap& h, value x, value ndigits) {
    if (!is_number(x))
        throw_script_error("TypeError", std::string("type ") + type_name(x) + " doesn't define __round__ method");
    if (ndigits.is_none()) {
        if (is_integer(x)) return pos(h, x);
        double d = x.as_float();
        double r = std::round(d);  // half away from zero; then half to even
        if (std::fabs(d - r) == 0.5) r = 2.0 * std::round(d / 2.0);
        return int_from_double(h, r);
    }
    if (!is_integer(ndigits))
        throw_script_error("TypeError",
                           std::string("'") + type_name(ndigits) + "' object cannot be interpreted as an integer");
    std::int64_t nd = 0;
    if (!to_int64(ndigits, nd))  // clip, as PyNumber_AsSsize_t
        nd = as_bignum(ndigits)->negative() ? std::numeric_limits<std::int64_t>::min()
                                            : std::numeric_limits<std::int64_t>::max();
    if (x.is_float()) return value::from_float(round_float(x.as_float(), nd));
    if (nd >= 0) return pos(h, x);
    // x - (x mod 10**k), the remainder taken to the nearest (ties: even quotient).
    ztemp res;
    {
        zview z(x);
        std::uint64_t k = nd == std::numeric_limits<std::int64_t>::min() ? std::uint64_t(1) << 63 : std::uint64_t(-nd);
        if (k > mpz_sizeinbase(z, 10) + 1) return value::from_int(0);  // |x| < 10**k / 2
        ztemp p, q, r, twice;
        mpz_ui_pow_ui(p, 10, static_cast<unsigned long>(k));
        mpz_fdiv_qr(q, r, z, p);
        mpz_mul_2exp(twice, r, 1);
        int c = mpz_cmp(twice, p);
        if (c > 0 || (c == 0 && mpz_odd_p(q))) mpz_sub(r, r, p);
        mpz_sub(res, z, r);
    }
    return from_mpz(h, res);
}

// -- hash --------------------------------------------------------------------------

std::int64_t hash(value v) {
    auto x = static_cast<std::int64_t>(default_hash(v));
    return x == -1 ? -2 : x;
}

}  // namespace weft::interp::num
