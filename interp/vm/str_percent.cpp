// str_percent.cpp: `str % args` and `bytes % args`, Python's printf-style
// formatting, as CPython 3.11's PyUnicode_Format and _PyBytes_FormatEx do it: the same parse of each directive
// (`%(key)` flags width .precision, `*` taking a width or precision from the
// arguments, h/l/L ignored), the same conversions (s r a c d i u o x X e E f
// F g G and %%), the same padding rules, and the same errors with their
// messages and positions ("unsupported format character 'y' (0x79) at index
// 1"). Floats go through double_to_string, the formatter of repr and
// format(), so their digits are CPython's. bytes differ where CPython's do:
// %s and %b take bytes only, %r is %a, %c takes a byte, keys are bytes,
// and widths count bytes.
//
// An operator of the VM (ops::arith sends `%` with a str on the left here).
// It must never call back into script code nor keep a view into the heap
// across an allocation.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "interp/objects/bigint.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/ops.hpp"

namespace weft::interp::ops {

namespace {

enum : unsigned { f_ljust = 1, f_sign = 2, f_blank = 4, f_alt = 8, f_zero = 16 };

struct directive {
    unsigned flags = 0;
    std::int64_t width = -1;
    std::int64_t prec = -1;
    bool sign = false;  // a number: the sign and the zero fill apply
    char32_t ch = 0;
};

[[noreturn]] void type_error(const std::string& m) { throw_script_error("TypeError", m); }
[[noreturn]] void value_error(const std::string& m) { throw_script_error("ValueError", m); }

// The state of one formatting: the arguments as CPython's formatter keeps
// them (a tuple and the next index, or one value: arglen -1).
struct formatter {
    vm& m;
    bool bytes;  // bytes % args: fmt holds bytes, out gets bytes
    std::u32string fmt;
    std::size_t pos = 0;
    // The arguments (a tuple, or the one value) and the mapping of %(key)
    // directives (or empty()): two rooted slots, read afresh after any
    // allocation.
    value* held;
    value& args() { return held[0]; }
    value& dict() { return held[1]; }
    std::int64_t arglen = -1, argidx = -2;
    std::string out;

    value next_arg() {
        if (argidx < arglen) {
            std::int64_t i = argidx++;
            if (arglen < 0) return args();
            return as_tuple(args())->items()[i];
        }
        type_error("not enough arguments for format string");
    }
    bool at_end() const { return pos >= fmt.size(); }
    // The next character of the directive; "incomplete format" when the
    // format string ends inside one.
    char32_t read() {
        if (at_end()) value_error("incomplete format");
        return fmt[pos++];
    }
};

// A character of the format (a code point, or a byte of a bytes format).
void put(const formatter& f, std::string& out, char32_t c) {
    if (f.bytes) out += char(c);
    else append_utf8(out, c);
}

// The first n characters (code points, or bytes) of s.
std::string_view prefix_of(std::string_view s, std::size_t n, bool bytes) {
    if (bytes) return s.substr(0, n);
    std::size_t i = 0;
    for (; i < s.size() && n; --n) {
        ++i;
        while (i < s.size() && is_utf8_continuation(static_cast<unsigned char>(s[i]))) ++i;
    }
    return s.substr(0, i);
}

// The number `*` stands for.
std::int64_t star_arg(formatter& f) {
    value v = f.next_arg();
    std::int64_t n;
    if (!num::is_integer(v)) type_error("* wants int");
    if (!num::to_int64(v, n)) throw_script_error("OverflowError", "Python int too large to convert to C ssize_t");
    return n;
}

std::int64_t digits(formatter& f, char32_t& ch, std::int64_t limit, const char* too_big) {
    std::int64_t n = ch - '0';
    for (;;) {
        ch = f.read();
        if (ch < '0' || ch > '9') return n;
        if (n > (limit - std::int64_t(ch - '0')) / 10) value_error(too_big);
        n = n * 10 + (ch - '0');
    }
}

// The directive after a '%' (not "%%"); leaves f.pos after its conversion character.
directive parse(formatter& f) {
    directive d;
    char32_t ch = f.read();
    if (ch == '(') {
        if (f.dict().is_empty()) type_error("format requires a mapping");
        std::size_t start = f.pos;
        int depth = 1;
        while (depth > 0 && !f.at_end()) {
            char32_t c = f.fmt[f.pos++];
            if (c == ')') --depth;
            else if (c == '(') ++depth;
        }
        if (depth > 0) value_error("incomplete format key");
        std::string key;
        for (std::size_t k = start; k + 1 < f.pos; ++k) put(f, key, f.fmt[k]);
        value kv = f.bytes ? f.m.heap().alloc_bytes(key) : f.m.heap().alloc_str(key);
        f.args() = getitem(f.m, f.dict(), kv);
        f.arglen = -1;
        f.argidx = -2;
        ch = f.read();
    }
    for (;; ch = f.read()) {
        if (ch == '-') d.flags |= f_ljust;
        else if (ch == '+') d.flags |= f_sign;
        else if (ch == ' ') d.flags |= f_blank;
        else if (ch == '#') d.flags |= f_alt;
        else if (ch == '0') d.flags |= f_zero;
        else break;
    }
    if (ch == '*') {
        d.width = star_arg(f);
        if (d.width < 0) {
            d.flags |= f_ljust;
            d.width = -d.width;
        }
        ch = f.read();
    } else if (ch >= '0' && ch <= '9') {
        d.width = digits(f, ch, INT64_MAX, "width too big");
    }
    if (ch == '.') {
        d.prec = 0;
        ch = f.read();
        if (ch == '*') {
            std::int64_t p = star_arg(f);
            if (p > INT32_MAX || p < INT32_MIN)
                throw_script_error("OverflowError", "Python int too large to convert to C int");
            d.prec = p < 0 ? 0 : p;
            ch = f.read();
        } else if (ch >= '0' && ch <= '9') {
            d.prec = digits(f, ch, INT32_MAX, "precision too big");
        }
    }
    if (ch == 'h' || ch == 'l' || ch == 'L') ch = f.read();
    d.ch = ch;
    return d;
}

// %d %i %u %o %x %X: CPython's mainformatlong and _PyUnicode_FormatLong.
std::string format_int(vm& m, value v, directive& d, bool bytes) {
    char type = char(d.ch);
    char shown = bytes && type == 'i' ? 'd' : type;  // bytes' messages call %i %d
    bool index_only = type == 'o' || type == 'x' || type == 'X';
    auto wrong = [&]() -> std::string {
        type_error(std::string("%") + shown + " format: " + (index_only ? "an integer" : "a real number") +
                   " is required, not " + type_name_of(v));
    };
    value i = v;
    if (v.is_float()) {
        if (index_only) wrong();
        i = num::int_from_double(m.heap(), std::trunc(v.as_float()));
    } else if (!num::is_integer(v)) {
        wrong();
    }
    std::string text = int_to_string(i, type == 'o' ? 8 : type == 'x' || type == 'X' ? 16 : 10);
    std::string sign;
    if (!text.empty() && text[0] == '-') {
        sign = "-";
        text.erase(0, 1);
    }
    if (d.prec > std::int64_t(text.size())) text.insert(0, std::size_t(d.prec) - text.size(), '0');
    if ((d.flags & f_alt) && index_only) text.insert(0, type == 'o' ? "0o" : "0x");
    text.insert(0, sign);
    if (type == 'X')
        for (char& c : text) c = char(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string format_float(value v, const directive& d, bool bytes) {
    double x = 0;
    try {
        if (v.is_float()) x = v.as_float();
        else if (num::is_integer(v)) x = num::to_double(v);  // OverflowError "int too large to convert to float"
        else type_error(std::string("must be real number, not ") + type_name_of(v));
    } catch (const script_error&) {
        if (!bytes) throw;
        type_error(std::string("float argument required, not ") + type_name_of(v));  // bytes' wording, for any failure
    }
    float_format_flags flags;
    flags.alt = (d.flags & f_alt) != 0;
    return double_to_string(x, char(d.ch), d.prec < 0 ? 6 : int(d.prec), flags);
}

std::string format_byte(value v) {
    if (is_bytes(v) && bytes_view(v).size() == 1) return std::string(bytes_view(v));
    if (!num::is_integer(v)) type_error("%c requires an integer in range(256) or a single byte");
    std::int64_t c;
    if (!num::to_int64(v, c) || c < 0 || c > 255) throw_script_error("OverflowError", "%c arg not in range(256)");
    return std::string(1, char(c));
}

std::string format_char(value v) {
    if (is_str(v)) {
        std::string_view s = str_view(v);
        if (count_code_points(s) == 1) return std::string(s);
        type_error("%c requires int or char");
    }
    if (!num::is_integer(v)) type_error("%c requires int or char");
    std::int64_t c;
    if (!num::to_int64(v, c) || c < 0 || c > 0x10ffff)
        throw_script_error("OverflowError", "%c arg not in range(0x110000)");
    std::string out;
    append_utf8(out, char32_t(c));
    return out;
}

// unicode_format_arg_output: sign, "0x" prefix, fill and padding.
void output(std::string& out, const std::string& text, directive& d, bool bytes) {
    std::string_view s = text;
    std::int64_t len = std::int64_t(bytes ? s.size() : count_code_points(s));
    if ((d.ch == 's' || d.ch == 'r' || d.ch == 'a' || (bytes && d.ch == 'b')) && d.prec >= 0 && len > d.prec) {
        s = prefix_of(s, std::size_t(d.prec), bytes);
        len = d.prec;
    }
    char fill = d.sign && (d.flags & f_zero) ? '0' : ' ';
    char signchar = 0;
    if (d.sign) {
        if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
            signchar = s[0];
            s.remove_prefix(1);
            --len;
        } else if (d.flags & f_sign) {
            signchar = '+';
        } else if (d.flags & f_blank) {
            signchar = ' ';
        } else {
            d.sign = false;
        }
    }
    std::int64_t width = d.width < len ? len : d.width;
    if (d.sign) {
        if (fill != ' ') out += signchar;
        if (width > len) --width;
    }
    bool prefix = (d.flags & f_alt) && (d.ch == 'x' || d.ch == 'X' || d.ch == 'o');
    std::string_view pre;
    if (prefix) {
        pre = s.substr(0, 2);
        s.remove_prefix(2);
        if (fill != ' ') out += pre;
        width = width < 2 ? 0 : width - 2;
        len -= 2;
    }
    if (width > len && !(d.flags & f_ljust)) {
        out.append(std::size_t(width - len), fill);
        width = len;
    }
    if (fill == ' ') {
        if (d.sign) out += signchar;
        if (prefix) out += pre;
    }
    out += s;
    if (width > len) out.append(std::size_t(width - len), ' ');
}

const char* not_all_converted(bool bytes) {
    return bytes ? "not all arguments converted during bytes formatting"
                 : "not all arguments converted during string formatting";
}

void format_one(formatter& f) {
    if (!f.at_end() && f.fmt[f.pos] == '%') {
        ++f.pos;
        f.out += '%';
        return;
    }
    directive d = parse(f);
    // A width or precision past what the heap could hold is MemoryError, as
    // making the str would be, before any C++ buffer tries to grow that far.
    std::size_t cap = std::min<std::size_t>(f.m.heap().limit_bytes(), std::size_t(1) << 34);
    std::int64_t widest = std::max(d.width, d.prec);  // -1 when neither is given
    if (widest > 0 && std::uint64_t(widest) > cap) throw heap_exhausted(std::size_t(widest), cap);
    value v = f.next_arg();
    std::string text;
    switch (f.bytes && d.ch == 'r' ? 'a' : f.bytes && d.ch == 'b' ? 's' : d.ch) {
    case 's':
        if (f.bytes) {
            if (!is_bytes(v))
                type_error(std::string("%b requires a bytes-like object, or an object that implements __bytes__, not '") +
                           type_name_of(v) + "'");
            text = bytes_view(v);
        } else {
            text = is_str(v) ? std::string(str_view(v)) : f.m.str(v);
        }
        break;
    case 'r': text = f.m.repr(v); break;
    case 'a': text = std::string(str_view(to_repr(f.m, v, true))); break;
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        text = format_int(f.m, v, d, f.bytes);
        d.sign = true;
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        text = format_float(v, d, f.bytes);
        d.sign = true;
        break;
    case 'c': text = f.bytes ? format_byte(v) : format_char(v); break;
    default: {
        // CPython's bytes formatter shows a byte past 0x7f as a negative
        // char, which its own error formatting refuses.
        if (f.bytes && d.ch > 0x7f)
            throw_script_error("OverflowError", "character argument not in range(0x110000)");
        char shown = d.ch >= 31 && d.ch <= 126 ? char(d.ch) : '?';
        char hex[16];
        std::snprintf(hex, sizeof hex, "%x", unsigned(d.ch));
        value_error(std::string("unsupported format character '") + shown + "' (0x" + hex + ") at index " +
                    std::to_string(f.pos - 1));
    }
    }
    output(f.out, text, d, f.bytes);
    if (!f.dict().is_empty() && f.argidx < f.arglen) type_error(not_all_converted(f.bytes));
}

// What CPython's PyMapping_Check says of a value that is neither a tuple
// nor a str: it has __getitem__.
bool is_mapping(value v) {
    return is_bytes(v) || is_kind(v, obj_kind::list) || is_kind(v, obj_kind::dict) ||
           (v.is_obj() && is_native(v, native_kind::range));
}

}  // namespace

// Both formatters: `format` is a str or a bytes.
value percent_format(vm& m, value format, value args) {
    value held[2] = {args, value::empty()};
    root_scope keep(m.heap(), held, 2);
    bool bytes = is_bytes(format);
    formatter f{m, bytes, {}, 0, held, -1, -2, {}};
    std::string_view s = bytes ? bytes_view(format) : str_view(format);
    f.fmt.reserve(s.size());
    for (std::size_t k = 0; k < s.size();) {
        if (bytes) {
            f.fmt.push_back(static_cast<unsigned char>(s[k++]));
            continue;
        }
        utf8_char c = decode_utf8(s, k);
        f.fmt.push_back(c.cp);
        k += c.len ? c.len : 1;
    }
    bool tuple = is_kind(args, obj_kind::tuple);
    if (tuple) {
        f.arglen = as_tuple(args)->length();
        f.argidx = 0;
    }
    if (!tuple && !is_str(args) && !(bytes && is_bytes(args)) && is_mapping(args)) f.dict() = args;
    while (f.pos < f.fmt.size()) {
        char32_t c = f.fmt[f.pos++];
        if (c != '%') {
            put(f, f.out, c);
            continue;
        }
        format_one(f);
        m.charge(1);
    }
    if (f.argidx < f.arglen && f.dict().is_empty()) type_error(not_all_converted(bytes));
    return bytes ? m.heap().alloc_bytes(f.out) : m.heap().alloc_str(f.out);
}

}  // namespace weft::interp::ops
