// term_view.cpp: in-place reads of serialized terms (see term_view.hpp).
//
// Every accessor checks the union tag first and answers empty/zero on a
// mismatch, so a pattern probing the wrong kind is harmless. No accessor
// allocates; equality with a term walks with an explicit stack, not recursion.
#include "serialize/term_view.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include "serialize/envelope.hpp"
#include "serialize/shared_binary.hpp"
#include "serialize/small_stack.hpp"
#include "serialize/term_internal.hpp"
#include "serialize/wire_read.hpp"

namespace weft {

using namespace layout;
using detail::read_composite;
using detail::read_data;
using detail::read_struct;
using detail::read_text;
using detail::term_walk;

term_view::term_view() noexcept : term_view(detail::zero_words, term_data_words, nullptr) {}

term_view term_view::root(std::span<const std::uint64_t> words, std::span<shared_binary* const> binaries) noexcept {
    if (words.empty()) return term_view();
    detail::struct_ref s = read_struct(words.data(), term_data_words, term_pointers);
    return term_view(s.data, s.data_words, binaries.data());
}

term_view term_view::root(const envelope& e) noexcept { return root(e.words(), e.binaries()); }

std::uint16_t term_view::tag() const noexcept { return detail::read_tag(data_); }

term_kind term_view::kind() const noexcept {
    static constexpr term_kind kinds[tag_count] = {
        term_kind::none,  term_kind::boolean, term_kind::integer, term_kind::bignum, term_kind::floating,
        term_kind::str,   term_kind::bytes,   term_kind::str,     term_kind::bytes,  term_kind::tuple,
        term_kind::list,  term_kind::dict,    term_kind::pid,     term_kind::ref,    term_kind::function,
        term_kind::port,  term_kind::set,     term_kind::frozenset,
    };
    std::uint16_t t = tag();
    return t < tag_count ? kinds[t] : term_kind::none;
}

bool term_view::as_bool() const noexcept { return tag() == tag_bool && (data_[0] >> term_bool_bit & 1); }
std::int64_t term_view::as_int() const noexcept {
    return tag() == tag_int ? static_cast<std::int64_t>(data_[term_value_word]) : 0;
}
double term_view::as_float() const noexcept {
    return tag() == tag_float ? std::bit_cast<double>(data_[term_value_word]) : 0.0;
}

std::string_view term_view::as_str() const noexcept {
    switch (tag()) {
        case tag_str: return read_text(pointer());
        case tag_shared_str: return binaries_[static_cast<std::uint32_t>(data_[term_value_word])]->view();
        default: return {};
    }
}

std::span<const std::byte> term_view::as_bytes() const noexcept {
    switch (tag()) {
        case tag_bytes: return read_data(pointer());
        case tag_shared_bytes: return binaries_[static_cast<std::uint32_t>(data_[term_value_word])]->bytes();
        default: return {};
    }
}

shared_binary* term_view::shared() const noexcept {
    std::uint16_t t = tag();
    if (t != tag_shared_str && t != tag_shared_bytes) return nullptr;
    return binaries_[static_cast<std::uint32_t>(data_[term_value_word])];
}

bignum_view term_view::as_bignum() const noexcept {
    if (tag() != tag_bignum) return {};
    auto d = read_data(pointer());
    if (d.empty()) return {};
    return {d[0] == std::byte{1}, d.subspan(1)};
}

pid term_view::as_pid() const noexcept {
    if (tag() != tag_pid) return {};
    detail::struct_ref s = read_struct(pointer(), id_data_words, id_pointers);
    return {static_cast<std::uint32_t>(s.data[0]), static_cast<std::uint32_t>(s.data[0] >> 32), s.data[1]};
}

ref term_view::as_ref() const noexcept {
    if (tag() != tag_ref) return {};
    detail::struct_ref s = read_struct(pointer(), id_data_words, id_pointers);
    return {static_cast<std::uint32_t>(s.data[0]), static_cast<std::uint32_t>(s.data[0] >> 32), s.data[1]};
}

port term_view::as_port() const noexcept {
    if (tag() != tag_port) return {};
    detail::struct_ref s = read_struct(pointer(), id_data_words, id_pointers);
    return {static_cast<std::uint32_t>(s.data[0]), static_cast<std::uint32_t>(s.data[0] >> 32), s.data[1]};
}

std::size_t term_view::size() const noexcept {
    switch (tag()) {
        case tag_tuple:
        case tag_list:
        case tag_set:
        case tag_frozenset:
        case tag_dict: return read_composite(pointer()).count;
        case tag_str:
        case tag_shared_str: return as_str().size();
        case tag_bytes:
        case tag_shared_bytes: return as_bytes().size();
        default: return 0;
    }
}

term_view term_view::operator[](std::size_t i) const noexcept {
    if (tag() != tag_tuple && tag() != tag_list && tag() != tag_set && tag() != tag_frozenset) return term_view();
    detail::struct_ref s = read_composite(pointer()).at(i);
    return term_view(s.data, s.data_words, binaries_);
}

term_view term_view::key(std::size_t i) const noexcept {
    if (tag() != tag_dict) return term_view();
    detail::struct_ref s = read_struct(read_composite(pointer()).at(i).pointer(0), term_data_words, term_pointers);
    return term_view(s.data, s.data_words, binaries_);
}

term_view term_view::value(std::size_t i) const noexcept {
    if (tag() != tag_dict) return term_view();
    detail::struct_ref s = read_struct(read_composite(pointer()).at(i).pointer(1), term_data_words, term_pointers);
    return term_view(s.data, s.data_words, binaries_);
}

namespace {
detail::struct_ref function_struct(const std::uint64_t* p) {
    return read_struct(p, function_data_words, function_pointers);
}
}  // namespace

std::string_view term_view::function_module() const noexcept {
    return tag() == tag_function ? read_text(function_struct(pointer()).pointer(layout::function_module)) : std::string_view();
}
std::string_view term_view::function_name() const noexcept {
    return tag() == tag_function ? read_text(function_struct(pointer()).pointer(layout::function_name)) : std::string_view();
}
std::uint32_t term_view::function_index() const noexcept {
    return tag() == tag_function ? static_cast<std::uint32_t>(function_struct(pointer()).data[0]) : 0;
}
std::size_t term_view::capture_count() const noexcept {
    return tag() == tag_function ? read_composite(function_struct(pointer()).pointer(function_captures)).count : 0;
}
term_view term_view::capture(std::size_t i) const noexcept {
    if (tag() != tag_function) return term_view();
    detail::struct_ref s = read_composite(function_struct(pointer()).pointer(function_captures)).at(i);
    return term_view(s.data, s.data_words, binaries_);
}

// ---- equality with a term ----------------------------------------------------

namespace {

bool same_bytes(std::span<const std::byte> a, std::span<const std::byte> b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// Equal as leaves, or compounds of the same kind and size (children not yet compared).
bool shallow_equal(const term_view& v, const term& t) {
    if (v.kind() != t.kind()) return false;
    switch (t.kind()) {
        case term_kind::none: return true;
        case term_kind::boolean: return v.as_bool() == t.as_bool();
        case term_kind::integer: return v.as_int() == t.as_int();
        case term_kind::floating: {
            double a = v.as_float(), b = t.as_float();
            return a == b || (std::isnan(a) && std::isnan(b));
        }
        case term_kind::pid: return v.as_pid() == t.as_pid();
        case term_kind::ref: return v.as_ref() == t.as_ref();
        case term_kind::port: return v.as_port() == t.as_port();
        case term_kind::bignum: {
            bignum_view a = v.as_bignum(), b = t.as_bignum();
            return a.negative == b.negative && same_bytes(a.magnitude, b.magnitude);
        }
        case term_kind::str: return v.as_str() == t.as_str();
        case term_kind::bytes: return same_bytes(v.as_bytes(), t.as_bytes());
        case term_kind::tuple:
        case term_kind::list:
        case term_kind::set:
        case term_kind::frozenset:
        case term_kind::dict: return v.size() == t.size();
        case term_kind::function: {
            function_view f = t.as_function();
            return v.function_module() == f.module && v.function_index() == f.index &&
                   v.function_name() == f.name && v.capture_count() == f.captures.size();
        }
    }
    return false;
}

}  // namespace

bool operator==(const term_view& v, const term& t) {
    if (!shallow_equal(v, t)) return false;
    struct frame {
        term_view v;
        const term* t;
        std::uint32_t next;
        std::uint32_t end;
    };
    // Children in term_walk numbering: dict entries count twice, a function's
    // captures come after its three fixed children.
    auto child_view = [](const term_view& parent, term_kind k, std::uint32_t i) {
        if (k == term_kind::dict) return (i & 1) ? parent.value(i / 2) : parent.key(i / 2);
        if (k == term_kind::function) return parent.capture(i - detail::function_fixed_children);
        return parent[i];
    };
    auto push = [](detail::small_stack<frame>& work, const term_view& cv, const term& ct) {
        if (!term_walk::has_children(ct)) return;
        std::uint32_t first = ct.is_function() ? detail::function_fixed_children : 0;
        work.push({cv, &ct, first, term_walk::child_count(ct)});
    };
    detail::small_stack<frame> work;
    push(work, v, t);
    while (!work.empty()) {
        frame& f = work.top();
        if (f.next == f.end) {
            work.pop();
            continue;
        }
        std::uint32_t i = f.next++;
        term_view cv = child_view(f.v, f.t->kind(), i);
        const term& ct = term_walk::child(*f.t, i);
        if (!shallow_equal(cv, ct)) return false;
        push(work, cv, ct);  // may move f: not used after this
    }
    return true;
}

}  // namespace weft
