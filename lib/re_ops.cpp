// re_ops.cpp: what `re` does with a compiled pattern and a subject: search,
// match, fullmatch, findall, finditer, sub, subn and split, with Python's
// rules (empty matches next to a previous match, findall's groups, sub's
// templates and functions, split's groups and maxsplit).
//
// It must never read a heap string's bytes across an allocation (the
// subject is copied when it could move: a small str of an actor's heap),
// never keep an argument unrooted across one, and never leave a long call
// uncharged: it charges a reduction per 64 bytes it may scan before it
// scans, and one per match, as the interpreter's long builtins do, so that
// a call over a large text moves the actors queued behind it first.
#include <algorithm>
#include <string>

#include "interp/builtins/args.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/vm/vm.hpp"
#include "lib/re_internal.hpp"

namespace weft::lib::re {

using interp::root_scope;
using interp::rooted;
namespace bi = interp::bi;

namespace {

constexpr std::size_t bytes_per_reduction = 64;

bool callable(value v) noexcept {
    using interp::native_kind;
    return interp::is_native(v, native_kind::function) || interp::is_native(v, native_kind::builtin) ||
           interp::is_native(v, native_kind::bound_method);
}

// The subject's text, which stays put while the operation allocates.
struct subject_text {
    std::string copy;
    std::string_view view;
    bool is_bytes = false;
    std::int64_t length = 0;  // Python's len()
};

void text_of(const compiled& c, value s, subject_text& t) {
    bool str = interp::is_str(s), bytes = interp::is_bytes(s);
    if (!str && !bytes)
        bi::type_error(std::string("expected string or bytes-like object, got '") + interp::type_name_of(s) + "'");
    if (str && c.is_bytes) bi::type_error("cannot use a bytes pattern on a string-like object");
    if (bytes && !c.is_bytes) bi::type_error("cannot use a string pattern on a bytes-like object");
    std::string_view v = str ? interp::str_view(s) : interp::bytes_view(s);
    interp::obj_kind k = s.as_obj()->kind;
    bool moves = (k == interp::obj_kind::str || k == interp::obj_kind::bytes) && !s.as_obj()->frozen();
    if (moves) {
        t.copy.assign(v);
        v = t.copy;
    }
    t.view = v;
    t.is_bytes = bytes;
    t.length = bytes ? std::int64_t(v.size()) : std::int64_t(interp::str_length(s));
}

// pos and endpos as Python clamps them: 0 <= pos, endpos <= len.
void bounds(value pos, value endpos, std::int64_t length, std::int64_t& p, std::int64_t& e) {
    p = pos.is_empty() ? 0 : bi::index_arg(pos);
    e = endpos.is_empty() ? length : bi::index_arg(endpos);
    p = std::clamp<std::int64_t>(p, 0, length);
    e = std::clamp<std::int64_t>(e, 0, length);
}

// A part of the subject as a new str or bytes (allocates).
value piece(vm& m, const subject_text& t, std::size_t from, std::size_t to) {
    std::string_view s = t.view.substr(from, to - from);
    return t.is_bytes ? m.heap().alloc_bytes(s) : m.heap().alloc_str(s);
}

// A group's text, or `missing` when it took no part (allocates).
value group_piece(vm& m, const subject_text& t, const std::vector<PCRE2_SIZE>& ov, std::size_t g, value missing) {
    if (ov[2 * g] == PCRE2_UNSET) return missing;
    return piece(m, t, ov[2 * g], ov[2 * g + 1]);
}

// The walk every operation but search shares: matches from byte `from` on,
// each at or after the previous one's end, an empty one never where the
// previous match ended empty (Python 3.7's rule: PCRE2_NOTEMPTY_ATSTART).
struct scanner {
    scanner(vm& vm_, const compiled& c_, const subject_text& t_, std::size_t end_, std::size_t at_)
        : m(vm_), c(c_), t(t_), end(end_), at(at_) {}
    vm& m;
    const compiled& c;
    const subject_text& t;
    std::size_t end;  // bytes: endpos
    std::size_t at;
    bool must_advance = false;
    std::vector<PCRE2_SIZE> ov;
    bool next() {
        if (at > end) return false;
        if (!run_match(m, c, t.view.substr(0, end), at, must_advance ? PCRE2_NOTEMPTY_ATSTART : 0, ov)) return false;
        m.charge(1);
        must_advance = ov[0] == ov[1];
        at = ov[1];
        return true;
    }
};

}  // namespace

value op_search(vm& m, const compiled& c, value pattern, value subject, value pos, value endpos, anchor a) {
    value held[2] = {pattern, subject};
    root_scope keep(m.heap(), held, 2);
    subject_text t;
    text_of(c, subject, t);
    std::int64_t p, e;
    bounds(pos, endpos, t.length, p, e);
    if (e < p) return value::none();
    positions at(t.view, t.is_bytes, std::size_t(t.length));
    std::size_t bp = at.to_byte(p);
    std::size_t be = e == t.length ? t.view.size() : at.to_byte(e);
    m.charge((be - bp) / bytes_per_reduction);
    std::vector<PCRE2_SIZE> ov;
    std::uint32_t options = a == anchor::search ? 0 : a == anchor::match ? PCRE2_ANCHORED : PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    if (!run_match(m, c, t.view.substr(0, be), bp, options, ov)) return value::none();
    if (held[0].is_none()) held[0] = make_pattern(m.heap(), c);
    return make_match(m, held[1], held[0], p, e, ov, at);
}

value op_findall(vm& m, const compiled& c, value pattern, value subject, value pos, value endpos, bool iter) {
    // ..., the list, an item, the empty text unset groups give
    value held[5] = {pattern, subject, value::none(), value::none(), value::none()};
    root_scope keep(m.heap(), held, 5);
    subject_text t;
    text_of(c, subject, t);
    std::int64_t p, e;
    bounds(pos, endpos, t.length, p, e);
    held[2] = m.heap().alloc_list();
    if (e < p) return held[2];
    positions at(t.view, t.is_bytes, std::size_t(t.length));
    std::size_t bp = at.to_byte(p);
    std::size_t be = e == t.length ? t.view.size() : at.to_byte(e);
    m.charge((be - bp) / bytes_per_reduction);
    if (iter && held[0].is_none()) held[0] = make_pattern(m.heap(), c);
    scanner s{m, c, t, be, bp};
    if (c.groups > 0) held[4] = t.is_bytes ? m.heap().alloc_bytes(std::string_view()) : m.heap().alloc_str("");
    if (!iter && c.groups <= 1) {
        // The common case, texts only: all the spans first, then a list of
        // the right size, so that the list never grows and copies.
        std::vector<std::pair<PCRE2_SIZE, PCRE2_SIZE>> spans;
        std::size_t g = c.groups;
        while (s.next()) spans.emplace_back(s.ov[2 * g], s.ov[2 * g + 1]);
        held[2] = m.heap().alloc_list(spans.size());
        for (const auto& [from, to] : spans) {
            held[3] = from == PCRE2_UNSET ? held[4] : piece(m, t, from, to);
            m.heap().list_append(held[2], held[3]);
        }
        return held[2];
    }
    while (s.next()) {
        if (iter) {
            held[3] = make_match(m, held[1], held[0], p, e, s.ov, at);
        } else if (c.groups == 0) {
            held[3] = piece(m, t, s.ov[0], s.ov[1]);
        } else {
            if (c.groups == 1) {
                held[3] = group_piece(m, t, s.ov, 1, held[4]);
            } else {
                bi::rooted_values items(m.heap());
                for (std::size_t g = 1; g <= c.groups; ++g) {
                    value v = group_piece(m, t, s.ov, g, held[4]);
                    items.push_back(v);
                }
                held[3] = m.heap().alloc_tuple(std::span<const value>(items.data(), items.size()));
            }
        }
        m.heap().list_append(held[2], held[3]);
    }
    return held[2];
}

value op_sub(vm& m, const compiled& c, value pattern, value repl, value subject, value count, bool subn) {
    value held[5] = {pattern, subject, repl, value::none(), value::none()};  // ..., a match, the function's result
    root_scope keep(m.heap(), held, 5);
    bool function = callable(repl);
    // A str template for a bytes pattern (or the reverse) is taken as a
    // literal that fails only where Python's join meets it: at a first match.
    bool mismatched = false;
    std::vector<template_piece> pieces;
    if (!function) {
        if (!interp::is_str(repl) && !interp::is_bytes(repl))
            bi::type_error(std::string("decoding to str: need a bytes-like object, ") + interp::type_name_of(repl) +
                           " found");
        mismatched = c.is_bytes != interp::is_bytes(repl);
        std::string_view r = interp::is_bytes(repl) ? interp::bytes_view(repl) : interp::str_view(repl);
        try {
            if (!mismatched) pieces = parse_template(c, r);
        } catch (const compile_failure& f) {
            raise_error(m, f, repl);
        }
    }
    subject_text t;
    text_of(c, subject, t);
    std::int64_t limit = count.is_empty() ? 0 : bi::index_arg(count);
    positions at(t.view, t.is_bytes, std::size_t(t.length));
    m.charge(t.view.size() / bytes_per_reduction);
    scanner s{m, c, t, t.view.size(), 0};
    std::string out;
    std::size_t last = 0;
    std::int64_t n = 0;
    std::size_t items = 0;  // the pieces Python's join would see, for its error message
    while ((limit == 0 || n < limit) && limit >= 0 && s.next()) {
        if (last < s.ov[0]) {
            out.append(t.view.substr(last, s.ov[0] - last));
            ++items;
        }
        if (function) {
            if (held[0].is_none()) held[0] = make_pattern(m.heap(), c);
            held[3] = make_match(m, held[1], held[0], 0, t.length, s.ov, at);
            std::vector<PCRE2_SIZE> kept = s.ov;  // the callback may match on this thread
            value r = m.call(held[2], std::span<const value>(&held[3], 1));
            s.ov = std::move(kept);
            held[4] = r;
            if (!r.is_none()) {
                if (c.is_bytes ? !interp::is_bytes(r) : !interp::is_str(r))
                    bi::type_error("sequence item " + std::to_string(items) + ": expected " +
                                   (c.is_bytes ? "a bytes-like object" : "str instance") + ", " +
                                   interp::type_name_of(r) + " found");
                out.append(c.is_bytes ? interp::bytes_view(r) : interp::str_view(r));
                ++items;
            }
        } else if (mismatched) {
            bi::type_error("sequence item " + std::to_string(items) + ": expected " +
                           (c.is_bytes ? "a bytes-like object" : "str instance") + ", " +
                           interp::type_name_of(held[2]) + " found");
        } else {
            for (const template_piece& p : pieces) {
                if (p.group < 0)
                    out.append(p.literal);
                else if (s.ov[2 * std::size_t(p.group)] != PCRE2_UNSET)
                    out.append(t.view.substr(s.ov[2 * std::size_t(p.group)],
                                             s.ov[2 * std::size_t(p.group) + 1] - s.ov[2 * std::size_t(p.group)]));
            }
            ++items;
        }
        last = s.ov[1];
        ++n;
    }
    out.append(t.view.substr(last));
    m.charge(out.size() / bytes_per_reduction);
    value result = t.is_bytes ? m.heap().alloc_bytes(out) : m.heap().alloc_str(out);
    if (!subn) return result;
    held[3] = result;
    value pair[2] = {held[3], value::from_int(n)};
    return m.heap().alloc_tuple(std::span<const value>(pair, 2));
}

value op_split(vm& m, const compiled& c, value pattern, value subject, value maxsplit) {
    value held[4] = {pattern, subject, value::none(), value::none()};  // ..., the list, an item
    root_scope keep(m.heap(), held, 4);
    subject_text t;
    text_of(c, subject, t);
    std::int64_t limit = maxsplit.is_empty() ? 0 : bi::index_arg(maxsplit);
    held[2] = m.heap().alloc_list();
    m.charge(t.view.size() / bytes_per_reduction);
    scanner s{m, c, t, t.view.size(), 0};
    std::size_t last = 0;
    std::int64_t n = 0;
    while (limit >= 0 && (limit == 0 || n < limit) && s.next()) {
        held[3] = piece(m, t, last, s.ov[0]);
        m.heap().list_append(held[2], held[3]);
        for (std::size_t g = 1; g <= c.groups; ++g) {
            held[3] = group_piece(m, t, s.ov, g, value::none());
            m.heap().list_append(held[2], held[3]);
        }
        last = s.ov[1];
        ++n;
    }
    held[3] = piece(m, t, last, t.view.size());
    m.heap().list_append(held[2], held[3]);
    return held[2];
}

}  // namespace weft::lib::re
