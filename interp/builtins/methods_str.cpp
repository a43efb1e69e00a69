// methods_str.cpp: the searching and splitting methods of str: split join
// strip lstrip rstrip startswith endswith find rfind index count replace
// splitlines, as CPython 3.11's (argument rules, index clamping, messages),
// and the table of every str method (the case and class methods are in
// methods_str_case.cpp, format in str_format.cpp).
//
// Indices are code points, as in Python; the text is UTF-8. Every method
// copies the receiver's text off the heap before it allocates anything
// (views into the heap go stale on allocation). argv[0] is the str.
#include <string>
#include <vector>

#include "interp/builtins/internal.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/unicode/unicode_format.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

constexpr std::int64_t ssize_max = INT64_MAX;

// A str's text, off the heap, with code point <-> byte offset conversion.
struct text {
    std::string s;
    std::int64_t cps;
    bool ascii;

    explicit text(value v) : s(str_view(v)), cps(std::int64_t(str_length(v))), ascii(std::size_t(cps) == s.size()) {}

    // The byte offset of code point index i (0 <= i <= cps).
    std::size_t offset(std::int64_t i) const noexcept {
        if (ascii) return std::size_t(i);
        std::size_t b = 0;
        for (std::int64_t k = 0; k < i; ++k) {
            ++b;
            while (b < s.size() && is_utf8_continuation(static_cast<unsigned char>(s[b]))) ++b;
        }
        return b;
    }
    // The code point index of byte offset b (a character boundary).
    std::int64_t index(std::size_t b) const noexcept {
        return ascii ? std::int64_t(b) : std::int64_t(count_code_points(std::string_view(s).substr(0, b)));
    }
};

// CPython's ADJUST_INDICES for a sequence of n code points.
void adjust_indices(std::int64_t& start, std::int64_t& end, std::int64_t n) noexcept {
    if (end > n) {
        end = n;
    } else if (end < 0) {
        end += n;
        if (end < 0) end = 0;
    }
    if (start < 0) {
        start += n;
        if (start < 0) start = 0;
    }
}

// The optional [start, end] arguments at argv[first], argv[first + 1].
void slice_args(const value* argv, std::uint32_t argc, std::uint32_t first, std::int64_t& start, std::int64_t& end) {
    start = 0;
    end = ssize_max;
    if (argc > first) slice_bound(argv[first], start, slice_msg_none);
    if (argc > first + 1) slice_bound(argv[first + 1], end, slice_msg_none);
}

// A list of str pieces of `t` given as byte ranges.
value list_of_pieces(vm& m, const std::string& t, const std::vector<std::pair<std::size_t, std::size_t>>& pieces) {
    heap& h = m.heap();
    rooted out(h, h.alloc_list(pieces.size()));
    for (auto [from, to] : pieces) {
        value piece = h.alloc_str(std::string_view(t).substr(from, to - from));
        h.list_append(out, piece);
    }
    return out;
}

// The code point ending just before byte b, and where it starts.
char32_t decode_before(const std::string& s, std::size_t& b) {
    std::size_t start = b - 1;
    while (start > 0 && is_utf8_continuation(static_cast<unsigned char>(s[start]))) --start;
    char32_t cp = decode_utf8(s, start).cp;
    b = start;
    return cp;
}

// -- split, splitlines, join ----------------------------------------------------------

// split(sep=None, maxsplit=-1)
value str_split(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[2];
    parse_kwargs(kwargs, "split", {"sep", "maxsplit"}, kw);
    takes_args("split", argc - 1 + (kwargs.is_none() ? 0 : heap::dict_len(kwargs)), 0, 2);
    value sep = merge_arg("split", argv + 1, argc - 1, 0, kw[0], "sep");
    value maxsplit = merge_arg("split", argv + 1, argc - 1, 1, kw[1], "maxsplit");
    if (!sep.is_empty() && !sep.is_none() && !is_str(sep))
        type_error(std::string("must be str or None, not ") + type_name_of(sep));
    std::int64_t maxcount = maxsplit.is_empty() ? -1 : index_arg(maxsplit);
    if (maxcount < 0) maxcount = ssize_max;
    std::string t(str_view(argv[0]));
    std::vector<std::pair<std::size_t, std::size_t>> pieces;
    if (sep.is_empty() || sep.is_none()) {
        // Runs of whitespace separate; leading and trailing whitespace go.
        auto space_at = [&](std::size_t i, std::size_t& len) {
            utf8_char u = decode_utf8(t, i);
            len = u.len ? u.len : 1;
            return is_space(u.cp);
        };
        std::size_t i = 0, n = t.size(), len = 0;
        while (maxcount-- > 0) {
            while (i < n && space_at(i, len)) i += len;
            if (i == n) break;
            std::size_t j = i;
            while (i < n && !space_at(i, len)) i += len;
            pieces.emplace_back(j, i);
        }
        if (i < n) {
            while (i < n && space_at(i, len)) i += len;
            if (i != n) pieces.emplace_back(i, n);
        }
    } else {
        std::string s(str_view(sep));
        if (s.empty()) value_error("empty separator");
        std::size_t i = 0;
        while (maxcount-- > 0) {
            std::size_t j = t.find(s, i);
            if (j == std::string::npos) break;
            pieces.emplace_back(i, j);
            i = j + s.size();
        }
        pieces.emplace_back(i, t.size());
    }
    return list_of_pieces(m, t, pieces);
}

// splitlines(keepends=False): \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029 end lines.
value str_splitlines(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];
    parse_kwargs(kwargs, "splitlines", {"keepends"}, kw);
    takes_args("splitlines", argc - 1 + (kwargs.is_none() ? 0 : heap::dict_len(kwargs)), 0, 1);
    value keep = merge_arg("splitlines", argv + 1, argc - 1, 0, kw[0], "keepends");
    bool keepends = !keep.is_empty() && reverse_flag(keep);
    std::string t(str_view(argv[0]));
    std::vector<std::pair<std::size_t, std::size_t>> pieces;
    std::size_t i = 0, n = t.size();
    while (i < n) {
        std::size_t j = i, eol = 0;
        while (j < n) {
            auto c = static_cast<unsigned char>(t[j]);
            if (c == '\n' || c == '\v' || c == '\f' || c == 0x1C || c == 0x1D || c == 0x1E) eol = 1;
            else if (c == '\r') eol = (j + 1 < n && t[j + 1] == '\n') ? 2 : 1;
            else if (c == 0xC2 && j + 1 < n && static_cast<unsigned char>(t[j + 1]) == 0x85) eol = 2;
            else if (c == 0xE2 && j + 2 < n && static_cast<unsigned char>(t[j + 1]) == 0x80 &&
                     (static_cast<unsigned char>(t[j + 2]) == 0xA8 || static_cast<unsigned char>(t[j + 2]) == 0xA9))
                eol = 3;
            if (eol) break;
            ++j;
        }
        pieces.emplace_back(i, keepends ? j + eol : j);
        i = j + eol;
    }
    return list_of_pieces(m, t, pieces);
}

value str_join(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "str.join");
    exactly_one("str.join", argc - 1);
    value src = argv[1];
    bool iterable = is_kind(src, obj_kind::list) || is_kind(src, obj_kind::tuple) || is_str(src) || is_bytes(src) ||
                    is_kind(src, obj_kind::dict) || is_any_set(src) || is_native(src, native_kind::range) ||
                    is_native(src, native_kind::iterator);
    if (!iterable) type_error("can only join an iterable");
    std::string sep(str_view(argv[0]));
    rooted_values items(m.heap());
    collect_items(m, src, items);
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!is_str(items[i]))
            type_error("sequence item " + std::to_string(i) + ": expected str instance, " + type_name_of(items[i]) +
                       " found");
        if (i) out += sep;
        out += str_view(items[i]);
    }
    return new_str(m, out);
}

// -- strip ------------------------------------------------------------------------------

// strip(chars=None), lstrip, rstrip: which = both, left, right.
enum class side { both, left, right };
value strip(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, side which) {
    no_kwargs(kwargs, std::string("str.") + name);
    expected_args(name, argc - 1, 0, 1);
    value chars = argc > 1 ? argv[1] : value::none();
    if (!chars.is_none() && !is_str(chars)) type_error(std::string(name) + " arg must be None or str");
    std::string t(str_view(argv[0]));
    std::u32string set;
    bool spaces = chars.is_none();
    if (!spaces) {
        std::string_view c = str_view(chars);
        for (std::size_t i = 0; i < c.size();) {
            utf8_char u = decode_utf8(c, i);
            set += u.cp;
            i += u.len ? u.len : 1;
        }
    }
    auto strips = [&](char32_t cp) { return spaces ? is_space(cp) : set.find(cp) != std::u32string::npos; };
    std::size_t from = 0, to = t.size();
    if (which != side::right) {
        while (from < to) {
            utf8_char u = decode_utf8(t, from);
            if (!strips(u.cp)) break;
            from += u.len ? u.len : 1;
        }
    }
    if (which != side::left) {
        while (to > from) {
            std::size_t b = to;
            if (!strips(decode_before(t, b))) break;
            to = b;
        }
    }
    if (from == 0 && to == t.size()) return argv[0];  // immutable: the same str will do
    return new_str(m, std::string_view(t).substr(from, to - from));
}

value str_strip(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return strip(m, argv, argc, kwargs, "strip", side::both);
}
value str_lstrip(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return strip(m, argv, argc, kwargs, "lstrip", side::left);
}
value str_rstrip(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return strip(m, argv, argc, kwargs, "rstrip", side::right);
}

// -- startswith, endswith --------------------------------------------------------------

// CPython's tailmatch: does t[start:end] start (or end) with sub?
bool tailmatch(const text& t, std::string_view sub, std::int64_t start, std::int64_t end, bool at_end) {
    std::int64_t sub_len = std::int64_t(count_code_points(sub));
    adjust_indices(start, end, t.cps);
    end -= sub_len;
    if (end < start) return false;
    if (sub_len == 0) return true;
    std::size_t at = t.offset(at_end ? end : start);
    return std::string_view(t.s).substr(at, sub.size()) == sub;
}

value starts_ends(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, bool at_end) {
    (void)m;
    no_kwargs(kwargs, std::string("str.") + name);
    takes_args(name, argc - 1, 1, 3);
    value prefix = argv[1];
    std::int64_t start, end;
    slice_args(argv, argc, 2, start, end);
    text t(argv[0]);
    if (is_kind(prefix, obj_kind::tuple)) {
        tuple_obj* tp = as_tuple(prefix);
        for (std::uint32_t i = 0; i < tp->length(); ++i) {
            value p = tp->items()[i];
            if (!is_str(p))
                type_error(std::string("tuple for ") + name + " must only contain str, not " + type_name_of(p));
            if (tailmatch(t, str_view(p), start, end, at_end)) return value::true_value();
        }
        return value::false_value();
    }
    if (!is_str(prefix))
        type_error(std::string(name) + " first arg must be str or a tuple of str, not " + type_name_of(prefix));
    return value::boolean(tailmatch(t, str_view(prefix), start, end, at_end));
}

value str_startswith(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return starts_ends(m, argv, argc, kwargs, "startswith", false);
}
value str_endswith(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return starts_ends(m, argv, argc, kwargs, "endswith", true);
}

// -- find, rfind, index, count ------------------------------------------------------------

enum class search { find, rfind, index, rindex, count };

value find_like(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, search how) {
    (void)m;
    no_kwargs(kwargs, std::string("str.") + name);
    takes_args(name, argc - 1, 1, 3);
    if (!is_str(argv[1])) type_error(std::string("must be str, not ") + type_name_of(argv[1]));
    std::int64_t start, end;
    slice_args(argv, argc, 2, start, end);
    text t(argv[0]);
    std::string sub(str_view(argv[1]));
    std::int64_t sub_len = std::int64_t(count_code_points(sub));
    adjust_indices(start, end, t.cps);
    if (how == search::count) {
        if (end - start < sub_len) return value::from_int(0);
        if (sub_len == 0) return value::from_int(end - start + 1);
        std::size_t from = t.offset(start), to = t.offset(end);
        std::int64_t count = 0;
        for (std::size_t at = t.s.find(sub, from); at != std::string::npos && at + sub.size() <= to;
             at = t.s.find(sub, at + sub.size()))
            ++count;
        return value::from_int(count);
    }
    std::int64_t found = -1;
    if (end - start >= sub_len) {
        if (sub_len == 0) {
            found = how == search::rfind || how == search::rindex ? end : start;
        } else {
            std::size_t from = t.offset(start), to = t.offset(end);
            std::string_view window = std::string_view(t.s).substr(from, to - from);
            bool from_right = how == search::rfind || how == search::rindex;
            std::size_t at = from_right ? window.rfind(sub) : window.find(sub);
            if (at != std::string_view::npos) found = t.index(from + at);
        }
    }
    if (found < 0 && (how == search::index || how == search::rindex)) value_error("substring not found");
    return value::from_int(found);
}

value str_find(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return find_like(m, argv, argc, kwargs, "find", search::find);
}
value str_rfind(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return find_like(m, argv, argc, kwargs, "rfind", search::rfind);
}
value str_index(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return find_like(m, argv, argc, kwargs, "index", search::index);
}
value str_rindex(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return find_like(m, argv, argc, kwargs, "rindex", search::rindex);
}
value str_count(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return find_like(m, argv, argc, kwargs, "count", search::count);
}

// -- replace ----------------------------------------------------------------------------

// replace(old, new, count=-1, /)
value str_replace(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "str.replace");
    expected_args("replace", argc - 1, 2, 3);
    for (std::uint32_t i = 1; i <= 2; ++i)
        if (!is_str(argv[i]))
            type_error("replace() argument " + std::to_string(i) + " must be str, not " + type_name_of(argv[i]));
    std::int64_t count = argc > 3 ? index_arg(argv[3]) : -1;
    if (count < 0) count = ssize_max;
    std::string t(str_view(argv[0])), old(str_view(argv[1])), rep(str_view(argv[2]));
    std::string out;
    if (old.empty()) {
        // The replacement goes before every code point and at the end.
        std::size_t i = 0;
        while (count > 0 && i <= t.size()) {
            out += rep;
            --count;
            if (i == t.size()) {
                i = t.size() + 1;
                break;
            }
            std::size_t len = 1;
            while (i + len < t.size() && is_utf8_continuation(static_cast<unsigned char>(t[i + len]))) ++len;
            out.append(t, i, len);
            i += len;
        }
        if (i < t.size()) out.append(t, i, std::string::npos);
        return new_str(m, out);
    }
    std::size_t i = 0;
    for (std::size_t at = t.find(old); count > 0 && at != std::string::npos; at = t.find(old, i), --count) {
        out.append(t, i, at - i);
        out += rep;
        i = at + old.size();
    }
    if (i == 0) return argv[0];  // nothing replaced: the same str will do
    out.append(t, i, std::string::npos);
    return new_str(m, out);
}

constexpr builtin_def str_methods[] = {
    {"split", str_split},   {"splitlines", str_splitlines}, {"join", str_join},
    {"strip", str_strip},   {"lstrip", str_lstrip},         {"rstrip", str_rstrip},
    {"startswith", str_startswith},                         {"endswith", str_endswith},
    {"find", str_find},     {"rfind", str_rfind},           {"index", str_index},
    {"rindex", str_rindex},
    {"count", str_count},   {"replace", str_replace},
};

}  // namespace

const builtin_def* find_str_method(std::string_view name) noexcept {
    for (const builtin_def& d : str_methods)
        if (name == d.name) return &d;
    if (const builtin_def* d = find_str_case_method(name)) return d;
    if (const builtin_def* d = find_str_layout_method(name)) return d;
    if (name == str_encode_def.name) return &str_encode_def;
    if (name == str_format_def.name) return &str_format_def;
    return nullptr;
}

}  // namespace weft::interp::bi
