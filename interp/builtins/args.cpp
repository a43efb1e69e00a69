// args.cpp: argument checking and conversion for builtins and
// methods, worded exactly as CPython 3.11 words its errors (each family of
// CPython functions has its own wording: METH_O, METH_NOARGS, Argument
// Clinic ...), plus the small value helpers the builtin files share.
//
// Nothing here allocates on a Weft heap unless its comment says so.
#include <limits>
#include <vector>

#include "interp/builtins/internal.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {

void type_error(std::string message) { throw_script_error("TypeError", std::move(message)); }
void value_error(std::string message) { throw_script_error("ValueError", std::move(message)); }

namespace {
std::string plural(std::uint32_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}
}  // namespace

void no_kwargs(value kwargs, std::string_view fname) {
    if (kwargs.is_none() || heap::dict_len(kwargs) == 0) return;
    type_error(std::string(fname) + "() takes no keyword arguments");
}

void exactly_one(std::string_view fname, std::uint32_t n) {
    if (n != 1) type_error(std::string(fname) + "() takes exactly one argument (" + std::to_string(n) + " given)");
}

void no_args(std::string_view fname, std::uint32_t n) {
    if (n != 0) type_error(std::string(fname) + "() takes no arguments (" + std::to_string(n) + " given)");
}

void expected_args(std::string_view fname, std::uint32_t n, std::uint32_t min, std::uint32_t max) {
    if (n >= min && n <= max) return;
    std::string f(fname);
    if (min == max) type_error(f + " expected " + plural(min, "argument") + ", got " + std::to_string(n));
    if (n < min) type_error(f + " expected at least " + plural(min, "argument") + ", got " + std::to_string(n));
    type_error(f + " expected at most " + plural(max, "argument") + ", got " + std::to_string(n));
}

void takes_args(std::string_view fname, std::uint32_t n, std::uint32_t min, std::uint32_t max) {
    if (n >= min && n <= max) return;
    std::string f(fname);
    if (n < min)
        type_error(f + "() takes at least " + plural(min, "argument") + " (" + std::to_string(n) + " given)");
    type_error(f + "() takes at most " + plural(max, "argument") + " (" + std::to_string(n) + " given)");
}

void parse_kwargs(value kwargs, std::string_view fname, std::initializer_list<std::string_view> names, value* out) {
    for (std::size_t i = 0; i < names.size(); ++i) out[i] = value::empty();
    if (kwargs.is_none()) return;
    std::uint32_t pos = 0;
    value k, v;
    while (heap::dict_next(kwargs, pos, k, v)) {
        std::string_view key = is_str(k) ? str_view(k) : std::string_view();
        std::size_t i = 0;
        for (std::string_view n : names) {
            if (n == key) break;
            ++i;
        }
        if (i == names.size())
            type_error("'" + std::string(key) + "' is an invalid keyword argument for " + std::string(fname) + "()");
        out[i] = v;
    }
}

value merge_arg(std::string_view fname, const value* argv, std::uint32_t argc, std::uint32_t pos, value kw,
                std::string_view kwname) {
    if (pos < argc) {
        if (!kw.is_empty())
            type_error("argument for " + std::string(fname) + "() given by name ('" + std::string(kwname) +
                       "') and position (" + std::to_string(pos + 1) + ")");
        return argv[pos];
    }
    return kw;
}

void key_error(vm& m, value key) {
    value args = m.heap().alloc_tuple(std::span<const value>(&key, 1));  // roots the key while allocating
    m.raise_exception(m.make_exception(find_exception_class("KeyError"), args));
}

std::int64_t index_arg(value v) {
    if (!num::is_integer(v))
        type_error(std::string("'") + type_name_of(v) + "' object cannot be interpreted as an integer");
    std::int64_t i = 0;
    if (!num::to_int64(v, i))
        throw_script_error("OverflowError", "Python int too large to convert to C ssize_t");
    return i;
}

bool slice_bound(value v, std::int64_t& out, const char* message) {
    if (v.is_none()) return false;
    if (!num::is_integer(v)) type_error(message);
    if (!num::to_int64(v, out))
        out = as_bignum(v)->negative() ? std::numeric_limits<std::int64_t>::min()
                                       : std::numeric_limits<std::int64_t>::max();
    return true;
}

void clamp_slice(std::int64_t& start, std::int64_t& end, std::int64_t n) noexcept {
    if (start < 0) {
        start += n;
        if (start < 0) start = 0;
    }
    if (end < 0) {
        end += n;
        if (end < 0) end = 0;
    }
    if (end > n) end = n;
}

value new_str(vm& m, std::string_view utf8) { return m.heap().alloc_str(utf8); }

bool reverse_flag(value v) {
    if (!num::is_integer(v))
        type_error(std::string("'") + type_name_of(v) + "' object cannot be interpreted as an integer");
    return num::truthy(v);
}

void collect_items(vm& m, value iterable, rooted_values& out) {
    // Lists and tuples copy at once (a list's length as it is now, so
    // xs.extend(xs) ends); everything else goes through vm iteration.
    if (is_kind(iterable, obj_kind::list) || is_kind(iterable, obj_kind::tuple)) {
        std::size_t n = is_kind(iterable, obj_kind::list) ? as_list(iterable)->length : as_tuple(iterable)->length();
        std::size_t first = out.size();
        rooted keep(m.heap(), iterable);
        out.resize(first + n);  // C++ heap only: `iterable` does not move
        const value* src = is_kind(keep, obj_kind::list) ? as_list(keep)->slots() : as_tuple(keep)->items();
        for (std::size_t i = 0; i < n; ++i) out[first + i] = src[i];
        m.charge(n);
        return;
    }
    m.for_each(iterable, [&](value item) { out.push_back(item); });
}

value make_list(heap& h, const value* items, std::size_t n) {
    value list = h.alloc_list(n);  // `items` are rooted by the caller: re-read after this
    list_obj* l = as_list(list);
    for (std::size_t i = 0; i < n; ++i) l->slots()[i] = items[i];
    l->length = std::uint32_t(n);
    return list;
}

}  // namespace weft::interp::bi
