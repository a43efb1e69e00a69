// compare.cpp: Python's == and < between values, deep and iterative:
// containers nested a million deep compare without recursing on the C++
// stack, and nothing here allocates on a heap (the objects stay put).
#include "interp/objects/compare.hpp"

#include <optional>
#include <string>
#include <vector>

#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"

namespace weft::interp {
namespace {

// Containers nested deeper than this in == raise RecursionError (as CPython
// does at its recursion limit): a structure that contains itself would
// otherwise be compared forever.
constexpr std::size_t max_compare_depth = 1'000'000;

bool is_sequence_pair(value a, value b, obj_kind k) noexcept { return is_kind(a, k) && is_kind(b, k); }

// Ranges are equal when they give the same numbers.
bool ranges_equal(value a, value b) noexcept {
    range_bounds x = range_of(a), y = range_of(b);
    std::int64_t n = x.length();
    if (n != y.length()) return false;
    if (n == 0) return true;
    if (x.start != y.start) return false;
    return n == 1 || x.step == y.step;
}

// == of two values that are not both lists, both tuples or both dicts.
bool leaf_equal(value a, value b) {
    if (is_kind(a, obj_kind::native) || is_kind(b, obj_kind::native)) {
        if (identical(a, b)) return true;
        if (is_native(a, native_kind::resource) && is_native(b, native_kind::resource))
            return default_equal(a, b);  // by what they name: a socket that came in a message
        return is_native(a, native_kind::range) && is_native(b, native_kind::range) && ranges_equal(a, b);
    }
    return default_equal(a, b);
}

[[noreturn]] void compare_type_error(value a, value b, bool reflected) {
    const char* ta = type_name_of(a);
    const char* tb = type_name_of(b);
    if (reflected)
        throw_script_error("TypeError",
                           std::string("'>' not supported between instances of '") + tb + "' and '" + ta + "'");
    throw_script_error("TypeError", std::string("'<' not supported between instances of '") + ta + "' and '" + tb + "'");
}

}  // namespace

bool values_equal(heap& h, value a, value b) {
    // Top level: NaN is not equal to itself (inside containers identity wins,
    // as in CPython's containers; see default_equal).
    auto container = [](value x, value y) {
        return is_sequence_pair(x, y, obj_kind::list) || is_sequence_pair(x, y, obj_kind::tuple) ||
               is_sequence_pair(x, y, obj_kind::dict);
    };
    if (!container(a, b)) return leaf_equal(a, b);
    // One frame per pair of open containers; nothing allocates, so the
    // objects stay where they are.
    struct frame {
        value x, y;
        std::uint32_t next;  // item index, or the dict entry position
    };
    std::vector<frame> stack;
    // Pushes a pair of containers, or answers at once for other pairs.
    auto open = [&](value x, value y) {
        if (identical(x, y)) return true;
        if (!container(x, y)) return leaf_equal(x, y);
        if (is_kind(x, obj_kind::list)) {
            if (as_list(x)->length != as_list(y)->length) return false;
        } else if (is_kind(x, obj_kind::tuple)) {
            if (as_tuple(x)->length() != as_tuple(y)->length()) return false;
        } else if (heap::dict_len(x) != heap::dict_len(y)) {
            return false;
        }
        if (stack.size() >= max_compare_depth)
            throw_script_error("RecursionError", "maximum recursion depth exceeded in comparison");
        stack.push_back({x, y, 0});
        return true;
    };
    if (!open(a, b)) return false;
    while (!stack.empty()) {
        frame& f = stack.back();
        value p, q;
        if (is_kind(f.x, obj_kind::list)) {
            list_obj* lx = as_list(f.x);
            list_obj* ly = as_list(f.y);
            if (f.next == lx->length) {
                stack.pop_back();
                continue;
            }
            p = lx->slots()[f.next];
            q = ly->slots()[f.next];
            ++f.next;
        } else if (is_kind(f.x, obj_kind::tuple)) {
            tuple_obj* tx = as_tuple(f.x);
            if (f.next == tx->length()) {
                stack.pop_back();
                continue;
            }
            p = tx->items()[f.next];
            q = as_tuple(f.y)->items()[f.next];
            ++f.next;
        } else {
            value key;
            if (!heap::dict_next(f.x, f.next, key, p)) {
                stack.pop_back();
                continue;
            }
            std::optional<value> other = h.dict_get(f.y, key);
            if (!other) return false;
            q = *other;
        }
        if (!open(p, q)) return false;  // may push: f is dangling from here
    }
    return true;
}

bool values_less(heap& h, value a, value b, bool reflected) {
    // Lexicographic order decides at the first pair of items that differ,
    // and then by that pair's own <: a loop, not a recursion.
    for (;;) {
        if (num::is_number(a) && num::is_number(b)) return num::compare(a, b) == std::partial_ordering::less;
        if (is_str(a) && is_str(b)) return str_view(a) < str_view(b);  // UTF-8 byte order is code point order
        if (is_bytes(a) && is_bytes(b)) return bytes_view(a) < bytes_view(b);
        bool lists = is_sequence_pair(a, b, obj_kind::list);
        if (!lists && !is_sequence_pair(a, b, obj_kind::tuple)) compare_type_error(a, b, reflected);
        std::uint32_t na = lists ? as_list(a)->length : as_tuple(a)->length();
        std::uint32_t nb = lists ? as_list(b)->length : as_tuple(b)->length();
        const value* xa = lists ? as_list(a)->slots() : as_tuple(a)->items();
        const value* xb = lists ? as_list(b)->slots() : as_tuple(b)->items();
        // The first pair that differs by ==.
        std::uint32_t n = na < nb ? na : nb;
        std::uint32_t i = 0;
        for (; i < n; ++i)
            if (!identical(xa[i], xb[i]) && !values_equal(h, xa[i], xb[i])) break;
        if (i == n) return na < nb;
        a = xa[i];
        b = xb[i];
    }
}

}  // namespace weft::interp
