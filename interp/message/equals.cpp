// equals.cpp: Python's == between a part of a message and a heap
// value, for receive patterns (see codec.hpp). Recursive, bounded at
// 100 levels; never allocates.
#include "interp/message/codec.hpp"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "interp/message/codec_stack.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "serialize/codec.hpp"
#include "serialize/layout.hpp"
#include "serialize/shared_binary.hpp"

namespace weft::interp {

using namespace weft::layout;
using detail::inline_stack;
using detail::not_in_program;

namespace {

constexpr int max_equal_depth = 100;

// An integer as sign and magnitude bytes, little-endian, no high zero bytes.
struct int_mag {
    bool negative = false;
    std::span<const std::byte> mag;
    friend bool operator==(const int_mag& a, const int_mag& b) {
        return a.negative == b.negative && a.mag.size() == b.mag.size() &&
               (a.mag.empty() || std::memcmp(a.mag.data(), b.mag.data(), a.mag.size()) == 0);
    }
};

int_mag trimmed(bool negative, std::span<const std::byte> m) {
    while (!m.empty() && m.back() == std::byte{0}) m = m.first(m.size() - 1);
    return {negative && !m.empty(), m};
}

int_mag from_int64(std::int64_t i, std::byte (&buf)[8]) {
    std::uint64_t u = i < 0 ? 0 - std::uint64_t(i) : std::uint64_t(i);
    std::memcpy(buf, &u, 8);
    return trimmed(i < 0, buf);
}

// Python compares int and float exactly: the float must be integral, and
// then its integer (up to 2^1024, 129 bytes) must be the int.
bool int_equals_float(const int_mag& i, double d) {
    if (!std::isfinite(d) || d != std::trunc(d)) return false;
    std::byte buf[144] = {};
    double m = std::fabs(d);
    if (m < 18446744073709551616.0) {  // 2^64
        auto u = static_cast<std::uint64_t>(m);
        std::memcpy(buf, &u, 8);
    } else {
        int e;
        double f = std::frexp(m, &e);  // m = f * 2^e, f in [0.5, 1)
        auto mant = static_cast<std::uint64_t>(std::ldexp(f, 53));
        int shift = e - 53;
        std::uint64_t part = mant << (shift % 8);
        std::memcpy(buf + shift / 8, &part, 8);
    }
    return i == trimmed(d < 0, buf);
}

bool view_integer(term_view v, int_mag& out, std::byte (&buf)[8]) {
    switch (v.kind()) {
    case term_kind::boolean: out = from_int64(v.as_bool(), buf); return true;
    case term_kind::integer: out = from_int64(v.as_int(), buf); return true;
    case term_kind::bignum: {
        bignum_view b = v.as_bignum();
        out = trimmed(b.negative, b.magnitude);
        return true;
    }
    default: return false;
    }
}

bool heap_integer(value x, int_mag& out, std::byte (&buf)[8]) {
    if (x.is_int() || x.is_bool()) {
        out = from_int64(x.is_int() ? x.as_int() : x.as_bool(), buf);
        return true;
    }
    if (!is_kind(x, obj_kind::bignum)) return false;
    bignum_obj* b = as_bignum(x);
    out = trimmed(b->negative(), {reinterpret_cast<const std::byte*>(b->limbs()), b->limb_count() * sizeof(limb)});
    return true;
}

bool numbers_equal(term_view v, value x) {
    term_kind k = v.kind();
    if (k == term_kind::integer && x.is_int()) return v.as_int() == x.as_int();  // the common case
    std::byte vb[8], xb[8];
    int_mag vi, xi;
    bool v_int = view_integer(v, vi, vb), x_int = heap_integer(x, xi, xb);
    bool v_float = k == term_kind::floating;
    if (v_int && x_int) return vi == xi;
    if (v_float && x.is_float()) return v.as_float() == x.as_float();
    if (v_int && x.is_float()) return int_equals_float(vi, x.as_float());
    if (v_float && x_int) return int_equals_float(xi, v.as_float());
    return false;
}

// A function in a message equals x when it decodes to x: the same builtin,
// or the same top-level function (frozen, no defaults or captures).
bool function_equals(const program& prog, term_view v, value x) {
    if (is_native(x, native_kind::builtin))
        return v.function_module() == prog.builtin_module(builtin_of(x)) && v.function_name() == builtin_of(x)->name;
    if (!is_native(x, native_kind::function) || !x.as_obj()->frozen() || as_native(x)->traced != 0 ||
        v.capture_count() != 0)
        return false;
    const proto* p = function_proto(x);
    return p->mod && v.function_module() == p->mod->name && v.function_index() == p->id &&
           v.function_name() == p->name;
}

bool equal_at(const program& prog, term_view v, value x, int depth) {
    term_kind k = v.kind();
    switch (k) {
    case term_kind::none: return x.is_none();
    case term_kind::boolean:
    case term_kind::integer:
    case term_kind::bignum:
    case term_kind::floating: return numbers_equal(v, x);
    case term_kind::str: return is_str(x) && v.as_str() == str_view(x);
    case term_kind::bytes: {
        if (!is_bytes(x)) return false;
        std::span<const std::byte> a = v.as_bytes();
        std::string_view b = bytes_view(x);
        return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
    }
    case term_kind::pid: return is_kind(x, obj_kind::pid) && as_pid(x)->p == v.as_pid();
    case term_kind::ref: return is_kind(x, obj_kind::ref) && as_ref(x)->r == v.as_ref();
    case term_kind::port: return is_native(x, native_kind::resource) && is_port(x) && port_of(x) == v.as_port();
    case term_kind::function: return function_equals(prog, v, x);
    case term_kind::tuple:
    case term_kind::list: {
        obj_kind want = k == term_kind::tuple ? obj_kind::tuple : obj_kind::list;
        if (depth >= max_equal_depth || !is_kind(x, want)) return false;
        std::size_t n = want == obj_kind::tuple ? as_tuple(x)->length() : as_list(x)->length;
        const value* items = want == obj_kind::tuple ? as_tuple(x)->items() : as_list(x)->slots();
        if (v.size() != n) return false;
        for (std::size_t i = 0; i < n; ++i)
            if (!equal_at(prog, v[i], items[i], depth + 1)) return false;
        return true;
    }
    case term_kind::set:
    case term_kind::frozenset: {  // {1} == frozenset({1}), as in Python; order does not matter
        if (depth >= max_equal_depth || !is_any_set(x) || v.size() != heap::set_len(x)) return false;
        for (std::size_t i = 0; i < v.size(); ++i) {
            std::uint32_t pos = 0;
            value key;
            std::uint64_t hash = 0;
            bool found = false;
            while (!found && heap::set_next(x, pos, key, hash)) found = equal_at(prog, v[i], key, depth + 1);
            if (!found) return false;
        }
        return true;
    }
    case term_kind::dict: {
        if (depth >= max_equal_depth || !is_kind(x, obj_kind::dict)) return false;
        std::size_t n = v.size();
        if (n != heap::dict_len(x)) return false;
        // Order does not matter. Hashing a view as the heap hashes values
        // would duplicate default_hash; pattern constants are small, so scan.
        for (std::size_t i = 0; i < n; ++i) {
            term_view key = v.key(i);
            std::uint32_t pos = 0;
            value hk, hv;
            bool found = false;
            while (!found && heap::dict_next(x, pos, hk, hv)) found = equal_at(prog, key, hk, depth + 1);
            if (!found || !equal_at(prog, v.value(i), hv, depth + 1)) return false;
        }
        return true;
    }
    }
    return false;
}

}  // namespace

bool view_equals(const program& prog, term_view v, value x) { return equal_at(prog, v, x, 0); }

}  // namespace weft::interp
