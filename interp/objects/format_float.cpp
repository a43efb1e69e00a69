// format_float.cpp: floats as text, a port of CPython's PyOS_double_to_string
// (Python/pystrtod.c, format_float_short). CPython takes its digits from
// David Gay's dtoa; here std::to_chars gives the same digits: the shortest
// round-trip digits (mode 0), or correctly rounded ones at a given number of
// significant digits (mode 2) or of places after the point (mode 3), both
// computed from the exact binary value. Then the digits are laid out as
// CPython lays them out.
#include <charconv>
#include <cmath>
#include <string>

#include "interp/objects/format.hpp"

namespace weft::interp {
namespace {

// dtoa's result for a finite, non-negative d: digits without leading or
// trailing zeros ("" or "0" for zero) and the position of the point: the
// value is 0.DIGITS * 10**decpt.
struct dtoa_result {
    std::string digits;
    long decpt = 0;
};

// From to_chars' scientific output "d[.ddd]e[+-]XX".
dtoa_result from_scientific(std::string_view s) {
    dtoa_result r;
    std::size_t e = s.find('e');
    for (std::size_t i = 0; i < e; ++i)
        if (s[i] != '.') r.digits += s[i];
    long exp = 0;
    std::from_chars(s.data() + e + 1 + (s[e + 1] == '+'), s.data() + s.size(), exp);
    while (r.digits.size() > 1 && r.digits.back() == '0') r.digits.pop_back();
    r.decpt = exp + 1;
    if (r.digits == "0") r.decpt = 1;  // dtoa's zero: "0", decpt 1
    return r;
}

// mode 0: shortest; mode 2: `ndigits` significant digits; mode 3: `ndigits`
// digits after the point.
dtoa_result dtoa(double d, int mode, int ndigits) {
    if (mode == 3) {
        std::string buf(std::size_t(330) + std::size_t(ndigits), '\0');
        auto res = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::fixed, ndigits);
        std::string_view s(buf.data(), std::size_t(res.ptr - buf.data()));
        dtoa_result r;
        std::size_t point = s.find('.');
        std::size_t int_len = point == std::string_view::npos ? s.size() : point;
        std::string all;
        all.reserve(s.size());
        for (char c : s)
            if (c != '.') all += c;
        std::size_t lead = all.find_first_not_of('0');
        if (lead == std::string::npos) {  // rounds to zero: no digits
            r.decpt = -ndigits;
            return r;
        }
        std::size_t last = all.find_last_not_of('0');
        r.digits = all.substr(lead, last + 1 - lead);
        r.decpt = long(int_len) - long(lead);
        return r;
    }
    char buf[64];
    std::to_chars_result res;
    std::string big;
    if (mode == 0) {
        res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
        return from_scientific(std::string_view(buf, std::size_t(res.ptr - buf)));
    }
    big.resize(std::size_t(ndigits) + 16);
    res = std::to_chars(big.data(), big.data() + big.size(), d, std::chars_format::scientific, ndigits - 1);
    return from_scientific(std::string_view(big.data(), std::size_t(res.ptr - big.data())));
}

}  // namespace

std::string double_to_string(double d, char code, int precision, float_format_flags flags) {
    bool upper = code == 'E' || code == 'F' || code == 'G';
    int mode = 0;
    switch (code) {
    case 'E':
    case 'e':
        code = 'e';
        mode = 2;
        ++precision;
        break;
    case 'F':
    case 'f':
        code = 'f';
        mode = 3;
        break;
    case 'G':
    case 'g':
        code = 'g';
        mode = 2;
        if (precision == 0) precision = 1;
        break;
    default:  // 'r'
        code = 'r';
        mode = 0;
        precision = 0;
        break;
    }
    bool negative = std::signbit(d);
    std::string out;
    if (std::isnan(d) || std::isinf(d)) {
        if (std::isnan(d)) negative = false;  // the sign of a NaN is ignored
        if (negative) out += '-';
        else if (flags.sign) out += '+';
        out += std::isnan(d) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        return out;
    }
    dtoa_result r = dtoa(std::fabs(d), mode, precision);
    const std::string& digits = r.digits;
    long decpt = r.decpt;
    long digits_len = long(digits.size());
    if (flags.no_neg_0 && negative && (digits_len == 0 || digits == "0")) negative = false;

    // Output the slice [vdigits_start, vdigits_end) of the digits padded with
    // zeros on both sides, the point after position decpt.
    long vdigits_end = digits_len;
    bool use_exp = false;
    switch (code) {
    case 'e':
        use_exp = true;
        vdigits_end = precision;
        break;
    case 'f':
        vdigits_end = decpt + precision;
        break;
    case 'g':
        if (decpt <= -4 || decpt > (flags.add_dot_0 ? precision - 1 : precision)) use_exp = true;
        if (flags.alt) vdigits_end = precision;
        break;
    default:  // 'r': exponent from 1e16 on
        if (decpt <= -4 || decpt > 16) use_exp = true;
        break;
    }
    long exp = 0;
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    long vdigits_start = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && flags.add_dot_0) vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
    else vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;

    out.reserve(std::size_t(vdigits_end - vdigits_start) + 12);
    if (negative) out += '-';
    else if (flags.sign) out += '+';
    if (decpt <= 0) {
        out.append(std::size_t(decpt - vdigits_start), '0');
        out += '.';
        out.append(std::size_t(-decpt), '0');
    } else {
        out.append(std::size_t(-vdigits_start), '0');
    }
    if (0 < decpt && decpt <= digits_len) {
        out.append(digits, 0, std::size_t(decpt));
        out += '.';
        out.append(digits, std::size_t(decpt));
    } else {
        out += digits;
    }
    if (digits_len < decpt) {
        out.append(std::size_t(decpt - digits_len), '0');
        out += '.';
        out.append(std::size_t(vdigits_end - decpt), '0');
    } else {
        out.append(std::size_t(vdigits_end - digits_len), '0');
    }
    if (out.back() == '.' && !flags.alt) out.pop_back();
    if (use_exp) {
        out += upper ? 'E' : 'e';
        out += exp < 0 ? '-' : '+';
        long mag = exp < 0 ? -exp : exp;
        if (mag < 10) out += '0';
        out += std::to_string(mag);
    }
    return out;
}

std::string repr_float(double d) {
    float_format_flags flags;
    flags.add_dot_0 = true;
    return double_to_string(d, 'r', 0, flags);
}

}  // namespace weft::interp
