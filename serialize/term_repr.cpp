// term_repr.cpp: term::repr(), printing a value exactly as Python's repr would.
//
// Script users see these strings (the REPL, error messages, tests compare them),
// so they follow CPython's rules: quote choice, escapes, float formatting. It
// walks the tree with an explicit stack and must never recurse.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "serialize/small_stack.hpp"
#include "serialize/node_numbers.hpp"
#include "serialize/term.hpp"
#include "serialize/term_internal.hpp"

namespace weft {

using detail::term_walk;

namespace {

void append_hex(std::string& out, const char* prefix, std::uint32_t v, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    out += prefix;
    for (int i = digits - 1; i >= 0; --i) out += hex[(v >> (4 * i)) & 0xf];
}

// CPython's str.isprintable() for assigned code points: false for controls,
// separators other than ' ', format characters, surrogates, private use and
// noncharacters. (Unassigned code points print as themselves here.)
bool printable(std::uint32_t c) {
    if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) return false;
    if (c < 0x300) return true;
    struct range {
        std::uint32_t lo, hi;
    };
    static constexpr range hidden[] = {
        {0x600, 0x605},     {0x61c, 0x61c},     {0x6dd, 0x6dd},     {0x70f, 0x70f},
        {0x890, 0x891},     {0x8e2, 0x8e2},     {0x1680, 0x1680},   {0x180e, 0x180e},
        {0x2000, 0x200f},   {0x2028, 0x202f},   {0x205f, 0x2064},   {0x2066, 0x206f},
        {0x3000, 0x3000},   {0xd800, 0xf8ff},   {0xfeff, 0xfeff},   {0xfff9, 0xfffb},
        {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x1343f}, {0x1bca0, 0x1bca3},
        {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f}, {0xf0000, 0x10ffff},
    };
    for (const range& r : hidden)
        if (c >= r.lo && c <= r.hi) return false;
    return (c & 0xfffe) != 0xfffe;  // U+xFFFE and U+xFFFF in every plane
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if malformed.
std::size_t utf8_decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    std::size_t len;
    std::uint32_t min;
    if (c < 0x80) {
        cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(k) & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (b(k) & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

char pick_quote(std::string_view s) {
    bool single = s.find('\'') != std::string_view::npos;
    bool dbl = s.find('"') != std::string_view::npos;
    return (single && !dbl) ? '"' : '\'';
}

bool simple_escape(std::string& out, std::uint32_t c, char quote) {
    switch (c) {
        case '\t': out += "\\t"; return true;
        case '\n': out += "\\n"; return true;
        case '\r': out += "\\r"; return true;
        case '\\': out += "\\\\"; return true;
    }
    if (c == static_cast<unsigned char>(quote)) {
        out += '\\';
        out += quote;
        return true;
    }
    return false;
}

// A str's or bytes' repr stops (unclosed) once `out` reaches `limit` bytes.
void repr_str(std::string& out, std::string_view s, std::size_t limit) {
    char quote = pick_quote(s);
    out += quote;
    for (std::size_t i = 0; i < s.size();) {
        if (out.size() >= limit) return;
        std::uint32_t c;
        std::size_t len = utf8_decode(s, i, c);
        if (len == 0) {
            // Not UTF-8: shown the way Python shows a surrogate-escaped byte.
            append_hex(out, "\\udc", static_cast<unsigned char>(s[i]), 2);
            ++i;
            continue;
        }
        if (simple_escape(out, c, quote)) {
        } else if (c < 0x20 || c == 0x7f) {
            append_hex(out, "\\x", c, 2);
        } else if (c < 0x7f || printable(c)) {
            out.append(s.substr(i, len));
        } else if (c <= 0xff) {
            append_hex(out, "\\x", c, 2);
        } else if (c <= 0xffff) {
            append_hex(out, "\\u", c, 4);
        } else {
            append_hex(out, "\\U", c, 8);
        }
        i += len;
    }
    out += quote;
}

void repr_bytes(std::string& out, std::span<const std::byte> b, std::size_t limit) {
    std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
    char quote = pick_quote(s);
    out += 'b';
    out += quote;
    for (char ch : s) {
        if (out.size() >= limit) return;
        auto c = static_cast<unsigned char>(ch);
        if (simple_escape(out, c, quote)) continue;
        if (c < 0x20 || c >= 0x7f)
            append_hex(out, "\\x", c, 2);
        else
            out += ch;
    }
    out += quote;
}

// CPython's float repr: the shortest digits that round-trip, positional when
// the decimal exponent is in [-4, 16), else scientific with a 2-digit exponent.
void repr_float(std::string& out, double d) {
    if (std::isnan(d)) {
        out += "nan";
        return;
    }
    if (std::isinf(d)) {
        out += d < 0 ? "-inf" : "inf";
        return;
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, r.ptr - buf);  // like -1.2345e+20
    bool negative = sci.front() == '-';
    if (negative) sci.remove_prefix(1);
    std::size_t e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    int exp10 = 0;
    std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp10);
    int decpt = exp10 + 1;  // digits are 0.d1d2... times 10^decpt
    if (negative) out += '-';
    int n = static_cast<int>(digits.size());
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-decpt), '0');
            out += digits;
        } else if (decpt >= n) {
            out += digits;
            out.append(static_cast<std::size_t>(decpt - n), '0');
            out += ".0";
        } else {
            out.append(digits, 0, static_cast<std::size_t>(decpt));
            out += '.';
            out.append(digits, static_cast<std::size_t>(decpt));
        }
        return;
    }
    out += digits[0];
    if (n > 1) {
        out += '.';
        out.append(digits, 1);
    }
    int x = decpt - 1;
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    out += ebuf;
}

// Decimal digits of a little-endian magnitude: repeated division by 10^9.
void repr_bignum(std::string& out, bignum_view b) {
    std::vector<std::uint32_t> limbs((b.magnitude.size() + 3) / 4, 0);
    for (std::size_t i = 0; i < b.magnitude.size(); ++i)
        limbs[i / 4] |= std::uint32_t(b.magnitude[i]) << (8 * (i % 4));
    std::vector<std::uint32_t> chunks;  // base 10^9, least significant first
    while (!limbs.empty()) {
        std::uint64_t rem = 0;
        for (std::size_t i = limbs.size(); i-- > 0;) {
            std::uint64_t cur = rem << 32 | limbs[i];
            limbs[i] = static_cast<std::uint32_t>(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        chunks.push_back(static_cast<std::uint32_t>(rem));
        while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
    }
    if (chunks.empty()) chunks.push_back(0);
    if (b.negative) out += '-';
    out += std::to_string(chunks.back());
    char buf[16];
    for (std::size_t i = chunks.size() - 1; i-- > 0;) {
        std::snprintf(buf, sizeof buf, "%09u", chunks[i]);
        out += buf;
    }
}

// Writes a leaf, or the opening bracket of a compound. Returns true when the
// caller must go on to print the compound's children.
bool repr_open(std::string& out, const term& t, node_numbers* names, std::size_t limit) {
    switch (t.kind()) {
        case term_kind::none: out += "None"; return false;
        case term_kind::boolean: out += t.as_bool() ? "True" : "False"; return false;
        case term_kind::integer: out += std::to_string(t.as_int()); return false;
        case term_kind::bignum: repr_bignum(out, t.as_bignum()); return false;
        case term_kind::floating: repr_float(out, t.as_float()); return false;
        case term_kind::str: repr_str(out, t.as_str(), limit); return false;
        case term_kind::bytes: repr_bytes(out, t.as_bytes(), limit); return false;
        case term_kind::pid: {
            pid p = t.as_pid();
            if (names) out += names->text(p);
            else append_raw(out, "", p.node, printed_serial(p), p.creation);
            return false;
        }
        case term_kind::ref: {
            ref r = t.as_ref();
            if (names) out += names->text(r);
            else append_raw(out, "#Ref", r.node, r.serial, r.creation);
            return false;
        }
        case term_kind::port: {
            port p = t.as_port();
            if (names) out += names->text(p);
            else append_raw(out, "#Port", p.node, p.serial, p.creation);
            return false;
        }
        case term_kind::function: {
            function_view f = t.as_function();
            out += "<function ";
            out += f.module;
            out += '.';
            out += f.name;
            out += '>';
            return false;
        }
        case term_kind::tuple: out += '('; break;
        case term_kind::list: out += '['; break;
        case term_kind::dict: out += '{'; break;
        case term_kind::set:
        case term_kind::frozenset:
            if (term_walk::child_count(t) == 0) {
                out += t.kind() == term_kind::set ? "set()" : "frozenset()";
                return false;
            }
            out += t.kind() == term_kind::set ? "{" : "frozenset({";
            return true;
    }
    if (term_walk::child_count(t) > 0) return true;
    out += t.is_tuple() ? ")" : t.is_list() ? "]" : "}";
    return false;
}

}  // namespace

std::string term::repr(node_numbers* names, std::size_t limit) const {
    std::string out;
    struct frame {
        const term* t;
        std::uint32_t next;
    };
    detail::small_stack<frame> work;
    if (repr_open(out, *this, names, limit)) work.push({this, 0});
    while (!work.empty() && out.size() < limit) {
        frame& f = work.top();
        const term& t = *f.t;
        std::uint32_t n = term_walk::child_count(t);
        if (f.next == n) {
            if (t.is_tuple()) out += n == 1 ? ",)" : ")";
            else if (t.kind() == term_kind::frozenset) out += "})";
            else out += t.is_list() ? "]" : "}";
            work.pop();
            continue;
        }
        std::uint32_t i = f.next++;
        if (t.is_dict() && (i & 1)) out += ": ";
        else if (i > 0) out += ", ";
        const term& c = term_walk::child(t, i);
        if (repr_open(out, c, names, limit)) work.push({&c, 0});  // may move f: not used after this
    }
    return out;
}

}  // namespace weft
