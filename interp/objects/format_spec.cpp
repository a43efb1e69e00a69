// format_spec.cpp: Python's format-spec mini-language (format(), f-strings,
// str.format), a port of CPython 3.11's Python/formatter_unicode.c: the
// same parse, the same checks in the same order, the same messages, the same
// padding and digit grouping (zero padding with '=' pads inside the groups:
// format(1234, '09,') == '0,001,234').
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "interp/objects/format.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/unicode/unicode_format.hpp"
#include "interp/unicode/utf8.hpp"

namespace weft::interp {
namespace {

struct spec_t {
    char32_t fill = ' ';
    char32_t align = '>';
    char sign = 0;             // '+', '-', ' ', or 0
    bool no_neg_0 = false;     // 'z'
    bool alternate = false;    // '#'
    std::int64_t width = -1;
    char thousands = 0;        // ',' or '_', 0 for none
    int group = 3;             // digits per group (4 for '_' with b o x X)
    std::int64_t precision = -1;
    char32_t type = 0;
};

[[noreturn]] void value_error(std::string message) { throw_script_error("ValueError", std::move(message)); }

std::string utf8_of(char32_t cp) {
    std::string s;
    append_utf8(s, cp);
    return s;
}

std::string hex_of(std::uint32_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    do {
        s.insert(s.begin(), digits[v & 0xF]);
        v >>= 4;
    } while (v);
    return s;
}

// "'c'" for a printable ASCII type code, else "'\x..'", as CPython.
std::string code_text(char32_t c) {
    if (c > 32 && c < 128) return std::string("'") + char(c) + "'";
    return "'\\x" + hex_of(std::uint32_t(c)) + "'";
}

[[noreturn]] void unknown_code(char32_t type, value v) {
    value_error("Unknown format code " + code_text(type) + " for object of type '" + type_name(v) + "'");
}

std::u32string decode(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        utf8_char u = decode_utf8(s, i);
        if (u.len == 0) {  // not UTF-8 (never a str): take the byte as it is
            out += char32_t(static_cast<unsigned char>(s[i]));
            ++i;
        } else {
            out += u.cp;
            i += u.len;
        }
    }
    return out;
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += !is_utf8_continuation(c);
    return n;
}

bool is_align(char32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

// Digits as a width or precision; -1 digits on overflow (after the error).
int get_integer(const std::u32string& s, std::size_t& pos, std::int64_t& result) {
    std::int64_t acc = 0;
    int n = 0;
    for (; pos < s.size(); ++pos, ++n) {
        int d = decimal_value(s[pos]);
        if (d < 0) break;
        if (acc > (INT64_MAX - d) / 10) value_error("Too many decimal digits in format string");
        acc = acc * 10 + d;
    }
    result = acc;
    return n;
}

spec_t parse(std::string_view raw, value v, char32_t default_type, char32_t default_align) {
    std::u32string s = decode(raw);
    spec_t f;
    f.align = default_align;
    f.type = default_type;
    std::size_t pos = 0, end = s.size();
    bool align_given = false, fill_given = false;
    if (end - pos >= 2 && is_align(s[pos + 1])) {
        f.align = s[pos + 1];
        f.fill = s[pos];
        fill_given = align_given = true;
        pos += 2;
    } else if (end - pos >= 1 && is_align(s[pos])) {
        f.align = s[pos];
        align_given = true;
        ++pos;
    }
    if (pos < end && (s[pos] == '+' || s[pos] == '-' || s[pos] == ' ')) f.sign = char(s[pos++]);
    if (pos < end && s[pos] == 'z') {
        f.no_neg_0 = true;
        ++pos;
    }
    if (pos < end && s[pos] == '#') {
        f.alternate = true;
        ++pos;
    }
    if (!fill_given && pos < end && s[pos] == '0') {
        f.fill = '0';
        if (!align_given && default_align == '>') f.align = '=';
        ++pos;
    }
    if (get_integer(s, pos, f.width) == 0) f.width = -1;
    if (pos < end && s[pos] == ',') {
        f.thousands = ',';
        ++pos;
    }
    if (pos < end && s[pos] == '_') {
        if (f.thousands) value_error("Cannot specify both ',' and '_'.");
        f.thousands = '_';
        ++pos;
    }
    if (pos < end && s[pos] == ',' && f.thousands == '_') value_error("Cannot specify both ',' and '_'.");
    if (pos < end && s[pos] == '.') {
        ++pos;
        if (get_integer(s, pos, f.precision) == 0) value_error("Format specifier missing precision");
    }
    if (end - pos > 1)
        value_error("Invalid format specifier '" + std::string(raw) + "' for object of type '" + type_name(v) + "'");
    if (end - pos == 1) f.type = s[pos];
    if (f.thousands) {
        switch (f.type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f.thousands == '_') {
                f.group = 4;
                break;
            }
            [[fallthrough]];
        default:
            value_error(std::string("Cannot specify '") + f.thousands + "' with " + code_text(f.type) + ".");
        }
    }
    return f;
}

void append_fill(std::string& out, char32_t fill, std::int64_t n) {
    if (n <= 0) return;
    std::string one = utf8_of(fill);
    if (one.size() == 1) {
        out.append(std::size_t(n), one[0]);
        return;
    }
    for (std::int64_t i = 0; i < n; ++i) out += one;
}

// CPython's _PyUnicode_InsertThousandsGrouping: the digits in groups (from
// the right), padded with zeros (inside the groups) to min_width.
std::string group_digits(std::string_view digits, std::int64_t min_width, char sep, int group) {
    min_width = std::max<std::int64_t>(0, min_width);
    std::vector<std::string> chunks;  // right to left
    std::int64_t remaining = std::int64_t(digits.size());
    std::size_t digits_pos = digits.size();
    bool use_sep = false, broken = false;
    auto fill = [&](std::int64_t n_chars, std::int64_t n_zeros) {
        std::string chunk(std::size_t(n_zeros), '0');
        digits_pos -= std::size_t(n_chars);
        chunk.append(digits.substr(digits_pos, std::size_t(n_chars)));
        if (use_sep) chunk += sep;
        chunks.push_back(std::move(chunk));
    };
    if (sep) {
        for (;;) {
            std::int64_t len = std::min<std::int64_t>(group, std::max<std::int64_t>(std::max(remaining, min_width), 1));
            std::int64_t n_zeros = std::max<std::int64_t>(0, len - remaining);
            std::int64_t n_chars = std::max<std::int64_t>(0, std::min(remaining, len));
            fill(n_chars, n_zeros);
            use_sep = true;
            remaining -= n_chars;
            min_width -= len;
            if (remaining <= 0 && min_width <= 0) {
                broken = true;
                break;
            }
            min_width -= 1;  // the separator
        }
    }
    if (!broken) {
        std::int64_t len = std::max<std::int64_t>(std::max(remaining, min_width), 1);
        std::int64_t n_zeros = std::max<std::int64_t>(0, len - remaining);
        std::int64_t n_chars = std::max<std::int64_t>(0, std::min(remaining, len));
        fill(n_chars, n_zeros);
    }
    std::string out;
    for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) out += *it;
    return out;
}

// CPython's calc_number_widths + fill_number:
//   <lpadding> <sign> <prefix> <spadding> <grouped digits> <point> <remainder> <rpadding>
std::string fill_number(const spec_t& f, bool negative, std::string_view prefix, std::string_view digits,
                        bool has_decimal, std::string_view remainder) {
    char sign = 0;
    if (f.sign == '+') sign = negative ? '-' : '+';
    else if (f.sign == ' ') sign = negative ? '-' : ' ';
    else if (negative) sign = '-';
    std::int64_t n_other =
        (sign ? 1 : 0) + std::int64_t(prefix.size()) + (has_decimal ? 1 : 0) + std::int64_t(code_points(remainder));
    std::int64_t min_width = (f.fill == '0' && f.align == '=') ? f.width - n_other : 0;
    std::string grouped = digits.empty() ? std::string() : group_digits(digits, min_width, f.thousands, f.group);
    std::int64_t padding = f.width - (n_other + std::int64_t(grouped.size()));
    std::int64_t lpad = 0, spad = 0, rpad = 0;
    if (padding > 0) {
        switch (f.align) {
        case '<': rpad = padding; break;
        case '^':
            lpad = padding / 2;
            rpad = padding - lpad;
            break;
        case '=': spad = padding; break;
        default: lpad = padding; break;
        }
    }
    std::string out;
    append_fill(out, f.fill, lpad);
    if (sign) out += sign;
    out += prefix;
    append_fill(out, f.fill, spad);
    out += grouped;
    if (has_decimal) out += '.';
    out += remainder;
    append_fill(out, f.fill, rpad);
    return out;
}

std::string format_string(std::string_view s, const spec_t& f) {
    if (f.sign == ' ') value_error("Space not allowed in string format specifier");
    if (f.sign) value_error("Sign not allowed in string format specifier");
    if (f.no_neg_0) value_error("Negative zero coercion (z) not allowed in string format specifier");
    if (f.alternate) value_error("Alternate form (#) not allowed in string format specifier");
    if (f.align == '=') value_error("'=' alignment not allowed in string format specifier");
    auto len = std::int64_t(code_points(s));
    if (f.precision >= 0 && len > f.precision) {  // the first `precision` code points
        std::size_t i = 0;
        for (std::int64_t n = 0; i < s.size(); ++i) {
            if (is_utf8_continuation(static_cast<unsigned char>(s[i]))) continue;
            if (n++ == f.precision) break;
        }
        s = s.substr(0, i);
        len = f.precision;
    }
    std::int64_t total = f.width > len ? f.width : len;
    std::int64_t lpad = f.align == '>' ? total - len : f.align == '^' ? (total - len) / 2 : 0;
    std::string out;
    append_fill(out, f.fill, lpad);
    out += s;
    append_fill(out, f.fill, total - len - lpad);
    return out;
}

std::string format_float(double val, const spec_t& f) {
    if (f.precision > INT_MAX) value_error("precision too big");
    float_format_flags flags;
    flags.alt = f.alternate;
    flags.no_neg_0 = f.no_neg_0;
    char32_t type = f.type;
    int default_precision = 6;
    if (type == 0) {  // like 'g', but always a digit after the point; repr without a precision
        flags.add_dot_0 = true;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n') type = 'g';  // the C locale
    bool percent = false;
    if (type == '%') {
        type = 'f';
        val *= 100;
        percent = true;
    }
    int precision = int(f.precision);
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';
    std::string buf = double_to_string(val, char(type), precision, flags);
    if (percent) buf += '%';
    std::string_view b = buf;
    bool negative = !b.empty() && b[0] == '-';
    if (negative) b.remove_prefix(1);
    std::size_t ndig = 0;
    while (ndig < b.size() && b[ndig] >= '0' && b[ndig] <= '9') ++ndig;
    bool has_decimal = ndig < b.size() && b[ndig] == '.';
    std::string_view remainder = b.substr(ndig + (has_decimal ? 1 : 0));
    return fill_number(f, negative, {}, b.substr(0, ndig), has_decimal, remainder);
}

std::string format_int(value v, const spec_t& f) {
    if (f.precision != -1) value_error("Precision not allowed in integer format specifier");
    if (f.no_neg_0) value_error("Negative zero coercion (z) not allowed in integer format specifier");
    if (f.type == 'c') {
        if (f.sign) value_error("Sign not allowed with integer format specifier 'c'");
        if (f.alternate) value_error("Alternate form (#) not allowed with integer format specifier 'c'");
        std::int64_t x = 0;
        if (!num::to_int64(v, x)) throw_script_error("OverflowError", "Python int too large to convert to C long");
        if (x < 0 || x > 0x10FFFF) throw_script_error("OverflowError", "%c arg not in range(0x110000)");
        if (x >= 0xD800 && x <= 0xDFFF)  // a lone surrogate: not UTF-8, so not a Weft str
            value_error("surrogates not allowed");
        return fill_number(f, false, {}, {}, false, utf8_of(char32_t(x)));
    }
    int base = 10;
    const char* prefix = "";
    switch (f.type) {
    case 'b': base = 2, prefix = "0b"; break;
    case 'o': base = 8, prefix = "0o"; break;
    case 'x': base = 16, prefix = "0x"; break;
    case 'X': base = 16, prefix = "0X"; break;
    default: break;  // 'd', 'n'
    }
    std::string digits = int_to_string(v, base);
    bool negative = digits[0] == '-';
    if (negative) digits.erase(0, 1);
    if (f.type == 'X')
        for (char& c : digits) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
    return fill_number(f, negative, f.alternate ? prefix : "", digits, false, {});
}

}  // namespace

std::string format_value(heap& h, value v, std::string_view spec, const native_repr& natives) {
    (void)h;
    if (spec.empty()) return str(v, natives);
    if (is_str(v)) {
        spec_t f = parse(spec, v, 's', '<');
        if (f.type != 's') unknown_code(f.type, v);
        return format_string(str_view(v), f);
    }
    if (num::is_integer(v)) {
        spec_t f = parse(spec, v, 'd', '>');
        switch (f.type) {
        case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
            return format_int(v, f);
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
            return format_float(num::to_double(v), f);
        default:
            unknown_code(f.type, v);
        }
    }
    if (v.is_float()) {
        spec_t f = parse(spec, v, 0, '>');
        switch (f.type) {
        case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
            return format_float(v.as_float(), f);
        default:
            unknown_code(f.type, v);
        }
    }
    throw_script_error("TypeError", std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
}

}  // namespace weft::interp
