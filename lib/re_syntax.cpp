// re_syntax.cpp: Python's regular expression syntax on top of PCRE2's: the
// few rewrites that make PCRE2 read a Python pattern as Python does, Python's
// wording of compile errors (with Python's positions), and the parsing of
// sub()'s replacement templates.
//
// It must never compile or match anything (re_engine.cpp does), and never
// report a position in PCRE2's bytes of the rewritten text: positions are
// Python's, in the pattern the script wrote (code points for str).
#include <cstring>

#include "interp/heap/object.hpp"
#include "interp/objects/script_error.hpp"
#include "lib/re_internal.hpp"

namespace weft::lib::re {

namespace {

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_octal(char c) noexcept { return c >= '0' && c <= '7'; }
bool is_ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Python's position of a byte of a pattern: code points for str.
std::int64_t index_of(std::string_view text, bool is_bytes, std::size_t byte) {
    byte = std::min(byte, text.size());
    return is_bytes ? std::int64_t(byte) : std::int64_t(interp::count_code_points(text.substr(0, byte)));
}

std::uint32_t inline_flag(char c) noexcept {
    switch (c) {
    case 'a': return f_ascii;
    case 'i': return f_ignorecase;
    case 'L': return f_locale;
    case 'm': return f_multiline;
    case 's': return f_dotall;
    case 'u': return f_unicode;
    case 'x': return f_verbose;
    default: return 0;
    }
}

// What a pass over a Python pattern finds: the groups (capturing ones with
// their names), the parentheses and set left open at its end, and the
// group references, for describing PCRE2's errors in Python's words.
struct group_info {
    std::size_t open;       // the '(' byte
    std::string name;       // "" when unnamed
    std::size_t name_at;
};
struct reference {
    std::size_t at;         // the name's or number's first byte
    std::string name;       // (?P=name)
    std::int64_t number;    // \N, or -1
};
struct scan_result {
    std::vector<group_info> groups;
    std::vector<std::size_t> open_parens;
    std::int64_t open_set = -1;
    std::vector<reference> references;
};

scan_result scan(std::string_view s) {
    scan_result r;
    std::size_t n = s.size();
    bool in_set = false;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[i];
        if (c == '\\') {
            if (!in_set && i + 1 < n && is_digit(s[i + 1]) && s[i + 1] != '0') {
                std::size_t j = i + 1;
                std::int64_t number = 0;
                while (j < n && j < i + 3 && is_digit(s[j])) number = number * 10 + (s[j++] - '0');
                r.references.push_back({i + 1, "", number});
            }
            ++i;
            continue;
        }
        if (in_set) {
            if (c == ']') in_set = false;
            continue;
        }
        if (c == '[') {
            in_set = true;
            r.open_set = std::int64_t(i);
            std::size_t j = i + 1;
            if (j < n && s[j] == '^') ++j;
            if (j < n && s[j] == ']') i = j;  // a ']' first is a member
            continue;
        }
        if (c == ')') {
            if (!r.open_parens.empty()) r.open_parens.pop_back();
            continue;
        }
        if (c != '(') continue;
        r.open_parens.push_back(i);
        if (i + 1 < n && s[i + 1] == '?') {
            if (s.substr(i + 2, 2) == "P<") {
                std::size_t end = s.find('>', i + 4);
                if (end != std::string_view::npos) r.groups.push_back({i, std::string(s.substr(i + 4, end - i - 4)), i + 4});
            } else if (s.substr(i + 2, 2) == "P=") {
                std::size_t end = s.find(')', i + 4);
                if (end != std::string_view::npos) r.references.push_back({i + 4, std::string(s.substr(i + 4, end - i - 4)), -1});
            }
            continue;
        }
        if (i + 1 < n && s[i + 1] == '*') continue;  // PCRE2's (*VERB)
        r.groups.push_back({i, "", 0});
    }
    if (!in_set) r.open_set = -1;
    return r;
}

}  // namespace

translated translate(std::string_view s, std::uint32_t flags, bool is_bytes) {
    translated t;
    t.flags = flags;
    t.text.reserve(s.size() + 8);
    t.origin.reserve(s.size() + 9);
    std::size_t n = s.size(), i = 0;
    // Leading inline flags, Python's global flags: into `flags`, since PCRE2
    // knows no (?a) (?u) (?L) and .flags must show them.
    while (i + 2 < n && s[i] == '(' && s[i + 1] == '?') {
        std::size_t j = i + 2;
        std::uint32_t got = 0;
        while (j < n && inline_flag(s[j])) got |= inline_flag(s[j++]);
        if (j >= n || s[j] != ')' || j == i + 2) break;
        t.flags |= got;
        i = j + 1;
    }
    auto put = [&](std::string_view text, std::size_t from) {
        for (char c : text) {
            t.text.push_back(c);
            t.origin.push_back(std::uint32_t(from));
        }
    };
    bool verbose = t.flags & f_verbose;
    bool in_set = false;
    while (i < n) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[i + 1];
            if (!in_set && e == 'Z') {  // Python's \Z is the very end: PCRE2's \z
                put("\\z", i);
                i += 2;
                continue;
            }
            std::size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : 0;
            if (!is_bytes && digits && i + 2 + digits <= n) {
                bool hex = true;
                for (std::size_t k = 0; k < digits; ++k) hex = hex && is_hex(s[i + 2 + k]);
                if (hex) {
                    put("\\x{", i);
                    put(s.substr(i + 2, digits), i + 2);
                    put("}", i + 2 + digits - 1);
                    i += 2 + digits;
                    continue;
                }
            }
            put(s.substr(i, 2), i);
            i += 2;
            continue;
        }
        if (in_set) {
            if (c == ']') in_set = false;
            put(s.substr(i, 1), i);
            ++i;
            continue;
        }
        if (c == '[') {
            in_set = true;
            std::size_t j = i + 1;
            if (j < n && s[j] == '^') ++j;
            if (j < n && s[j] == ']') ++j;  // a ']' first is a member, as in PCRE2
            put(s.substr(i, j - i), i);
            for (std::size_t k = 0; k < j - i; ++k) t.origin[t.origin.size() - (j - i) + k] = std::uint32_t(i + k);
            i = j;
            continue;
        }
        if (verbose && c == '#') {  // a comment: nothing in it opens a set
            std::size_t end = s.find('\n', i);
            if (end == std::string_view::npos) end = n;
            for (std::size_t k = i; k < end; ++k) put(s.substr(k, 1), k);
            i = end;
            continue;
        }
        if (c == '{' && i + 1 < n && s[i + 1] == ',') {  // Python's {,n} is {0,n}
            std::size_t j = i + 2;
            while (j < n && is_digit(s[j])) ++j;
            if (j < n && s[j] == '}') {
                put("{0", i);
                ++i;
                continue;
            }
        }
        put(s.substr(i, 1), i);
        ++i;
    }
    t.origin.push_back(std::uint32_t(n));
    return t;
}

compile_failure describe_compile_error(std::string_view s, bool is_bytes, const translated& t, int code,
                                       std::size_t offset) {
    std::size_t at = t.origin[std::min(offset, t.origin.size() - 1)];
    auto pos = [&](std::size_t byte) { return index_of(s, is_bytes, byte); };
    scan_result r = scan(s);
    switch (code) {
    case 101: return {"bad escape (end of pattern)", pos(s.empty() ? 0 : s.size() - 1)};
    case 103: {  // an escape PCRE2 does not know: the backslash before `at`
        std::size_t b = s.rfind('\\', at ? at - 1 : 0);
        if (b != std::string_view::npos && b + 1 < s.size()) {
            std::size_t len = 1;
            while (b + 1 + len < s.size() && !(static_cast<unsigned char>(s[b + 1 + len]) < 0x80 ||
                                               (static_cast<unsigned char>(s[b + 1 + len]) & 0xC0) == 0xC0))
                ++len;
            return {"bad escape \\" + std::string(s.substr(b + 1, len)), pos(b)};
        }
        break;
    }
    case 104: {
        std::size_t b = s.rfind('{', at);
        if (b != std::string_view::npos) return {"min repeat greater than max repeat", pos(b + 1)};
        break;
    }
    case 106:
        if (r.open_set >= 0) return {"unterminated character set", pos(std::size_t(r.open_set))};
        break;
    case 108: {  // "X-Y" ends at `at`
        std::size_t dash = s.rfind('-', at ? at - 1 : 0);
        if (dash != std::string_view::npos && dash > 0) {
            std::size_t from = dash - 1;
            while (from > 0 && !is_bytes && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) --from;
            std::size_t end = dash + 2;
            while (end < s.size() && !is_bytes && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
            return {"bad character range " + std::string(s.substr(from, end - from)), pos(from)};
        }
        break;
    }
    case 109: {  // a quantifier with nothing (or another quantifier) before it
        auto quantifier = [&](std::size_t k) { return s[k] == '*' || s[k] == '+' || s[k] == '?' || s[k] == '{'; };
        std::size_t q = at < s.size() && quantifier(at) ? at : at ? at - 1 : 0;
        while (q > 0 && !quantifier(q)) --q;
        bool after_repeat = q > 0 && (s[q - 1] == '*' || s[q - 1] == '+' || s[q - 1] == '?' || s[q - 1] == '}');
        return {after_repeat ? "multiple repeat" : "nothing to repeat", pos(q)};
    }
    case 114:
        if (!r.open_parens.empty()) return {"missing ), unterminated subpattern", pos(r.open_parens.back())};
        break;
    case 115:  // a reference to a group that does not exist
        for (const reference& ref : r.references) {
            if (ref.number < 0) {
                bool known = false;
                for (const group_info& g : r.groups) known = known || g.name == ref.name;
                if (!known) return {"unknown group name '" + ref.name + "'", pos(ref.at)};
            } else if (std::size_t(ref.number) > r.groups.size()) {
                return {"invalid group reference " + std::to_string(ref.number), pos(ref.at)};
            }
        }
        break;
    case 122: return {"unbalanced parenthesis", pos(at)};
    case 125: return {"look-behind requires fixed-width pattern", -1};
    case 143:
        for (std::size_t k = 0; k < r.groups.size(); ++k)
            for (std::size_t j = 0; j < k; ++j)
                if (!r.groups[k].name.empty() && r.groups[k].name == r.groups[j].name)
                    return {"redefinition of group name '" + r.groups[k].name + "' as group " + std::to_string(k + 1) +
                                "; was group " + std::to_string(j + 1),
                            pos(r.groups[k].name_at)};
        break;
    default: break;
    }
    // PCRE2's own words where Python's are not known for this error.
    PCRE2_UCHAR text[256];
    pcre2_get_error_message(code, text, sizeof text);
    return {reinterpret_cast<const char*>(text), pos(at)};
}

// -- Templates ------------------------------------------------------------------------------

std::vector<template_piece> parse_template(const compiled& c, std::string_view repl) {
    std::vector<template_piece> out;
    std::string lit;
    bool is_bytes = c.is_bytes;
    auto fail = [&](std::string msg, std::size_t byte) -> compile_failure {
        return {std::move(msg), index_of(repl, is_bytes, byte)};
    };
    auto group = [&](std::int64_t g) {
        if (!lit.empty()) out.push_back({std::move(lit), -1});
        lit.clear();
        out.push_back({"", g});
    };
    auto put_code = [&](std::uint32_t cp) {
        if (is_bytes || cp < 0x80) {
            lit.push_back(char(cp));
        } else if (cp < 0x800) {
            lit.push_back(char(0xC0 | cp >> 6));
            lit.push_back(char(0x80 | (cp & 0x3F)));
        } else {
            lit.push_back(char(0xE0 | cp >> 12));
            lit.push_back(char(0x80 | (cp >> 6 & 0x3F)));
            lit.push_back(char(0x80 | (cp & 0x3F)));
        }
    };
    std::size_t n = repl.size();
    for (std::size_t i = 0; i < n;) {
        char ch = repl[i];
        if (ch != '\\') {
            lit.push_back(ch);
            ++i;
            continue;
        }
        if (i + 1 >= n) throw fail("bad escape (end of pattern)", i);
        char e = repl[i + 1];
        if (e == 'g') {
            if (i + 2 >= n || repl[i + 2] != '<') throw fail("missing <", i + 2);
            std::size_t close = repl.find('>', i + 3);
            if (close == std::string_view::npos) throw fail("missing >, unterminated name", i + 3);
            std::string_view name = repl.substr(i + 3, close - i - 3);
            if (name.empty()) throw fail("missing group name", i + 3);
            bool digits = true;
            for (char d : name) digits = digits && is_digit(d);
            if (digits) {
                std::int64_t g = 0;
                for (char d : name) g = std::min<std::int64_t>(g * 10 + (d - '0'), 1'000'000'000);
                if (g > std::int64_t(c.groups)) throw fail("invalid group reference " + std::string(name), i + 3);
                group(g);
            } else {
                bool ident = !is_digit(name[0]);
                for (char d : name)
                    ident = ident && (is_ascii_letter(d) || is_digit(d) || d == '_' || static_cast<unsigned char>(d) >= 0x80);
                if (!ident) throw fail("bad character in group name '" + std::string(name) + "'", i + 3);
                std::int64_t g = -1;
                for (const auto& [k, v] : c.names)
                    if (k == name) g = v;
                if (g < 0) interp::throw_script_error("IndexError", "unknown group name '" + std::string(name) + "'");
                group(g);
            }
            i = close + 1;
            continue;
        }
        if (e == '0') {  // octal: \0, \0n, \0nn
            std::uint32_t v = 0;
            std::size_t j = i + 2;
            while (j < n && j < i + 4 && is_octal(repl[j])) v = v * 8 + std::uint32_t(repl[j++] - '0');
            put_code(v);
            i = j;
            continue;
        }
        if (is_digit(e)) {
            if (i + 2 < n && is_digit(repl[i + 2])) {
                if (is_octal(e) && is_octal(repl[i + 2]) && i + 3 < n && is_octal(repl[i + 3])) {
                    std::uint32_t v = std::uint32_t(e - '0') * 64 + std::uint32_t(repl[i + 2] - '0') * 8 +
                                      std::uint32_t(repl[i + 3] - '0');
                    if (v > 0377)
                        throw fail("octal escape value \\" + std::string(repl.substr(i + 1, 3)) +
                                       " outside of range 0-0o377",
                                   i);
                    put_code(v);
                    i += 4;
                    continue;
                }
                std::int64_t g = (e - '0') * 10 + (repl[i + 2] - '0');
                if (g > std::int64_t(c.groups)) throw fail("invalid group reference " + std::to_string(g), i + 1);
                group(g);
                i += 3;
                continue;
            }
            std::int64_t g = e - '0';
            if (g > std::int64_t(c.groups)) throw fail("invalid group reference " + std::to_string(g), i + 1);
            group(g);
            i += 2;
            continue;
        }
        static constexpr std::string_view escapes = "a\ab\bf\fn\nr\rt\tv\v\\\\";
        if (std::size_t k = escapes.find(e); k != std::string_view::npos && k % 2 == 0) {
            lit.push_back(escapes[k + 1]);
            i += 2;
            continue;
        }
        if (is_ascii_letter(e)) throw fail(std::string("bad escape \\") + e, i);
        lit.push_back('\\');  // any other escape stays as written
        ++i;
    }
    if (!lit.empty()) out.push_back({std::move(lit), -1});
    return out;
}

}  // namespace weft::lib::re
