// ops.hpp: the general cases of the VM's operators, for operands the
// dispatch loop's inline fast paths (small ints, floats, list indexing) do
// not cover: sequences, mixed types, errors.
//
// Each behaves as CPython 3.11's operator on the same values and raises the
// same exceptions (script_error). They may allocate, so the caller's unrooted
// values go stale (heap.hpp); the operands themselves are read first. None of
// them calls back into script code.
#pragma once
#include <cstdint>
#include <string>

#include "interp/compile/opcodes.hpp"
#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"
#include "interp/objects/builtin_def.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::ops {

// Python truthiness: numeric.hpp's, and an empty range is false.
inline bool truthy(value v) noexcept {
    if (v.is_obj() && is_native(v, native_kind::range)) [[unlikely]] return range_of(v).length() != 0;
    return num::truthy(v);
}

// An arithmetic or bitwise instruction (ADD .. BXOR) on any operands:
// numbers through numeric.hpp, + and * on sequences here.
value arith(vm& m, op o, value a, value b);
// `format % args` for a str or bytes format: printf-style formatting as
// CPython's (str_percent.cpp).
value percent_format(vm& m, value format, value args);
// A comparison instruction (EQ .. ISNOT) as a bool.
bool compare(vm& m, op o, value a, value b);
// `item in container`.
bool contains(vm& m, value container, value item);

value getitem(vm& m, value obj, value index);
void setitem(vm& m, value obj, value index, value v);
// `del obj[index]` (a list's item, a dict's key) and `del obj[lower:upper:step]` (a list's).
void delitem(vm& m, value obj, value index);
void delslice(vm& m, value obj, value lower, value upper, value step);
value slice(vm& m, value obj, value lower, value upper, value step);
// len() of a sized value; TypeError "object of type 'int' has no len()".
std::int64_t length(value v);

// Unpacking `a, b = src` into out[0 .. n) (out rooted by the caller).
void unpack(vm& m, value src, value* out, std::uint32_t n);
// With a starred target at `before`: out[before] gets a list.
void unpack_star(vm& m, value src, value* out, std::uint32_t before, std::uint32_t after);

// `list += iterable` and `[*a]`: appends every item to the list.
void list_extend(vm& m, value list, value iterable);
// `{**d}` and `f(**d)`: copies d's entries into dict (TypeError when d is
// not a dict: "'int' object is not a mapping").
void dict_update(vm& m, value dict, value d);
// `f(**d)`: adds d's entries to the call's keywords, with Python's errors
// (d not a dict, a key not a str, a keyword given twice) naming f.
void keywords_update(vm& m, value keywords, value d, value callee);

// set.add(key) (TypeError "unhashable type: 'list'").
void set_add(vm& m, value set, value key);
// set.update(iterable), in the order CPython adds: a set's table at once, a
// dict's keys after one resize, any other iterable item by item.
void set_update(vm& m, value set, value iterable);
// s -= t, s |= t, s &= t, s ^= t on a mutable set s and a set t.
void set_in_place(vm& m, op o, value s, value t);
// A list holding the items of any iterable (the same list when it is one
// and copy is false).
value to_list(vm& m, value iterable, bool copy = true);

// Attributes: a module's global (AttributeError "module 'm' has no
// attribute 'x'"), or a bound method (`method` is the receiver's method of
// that name, or null: AttributeError "'int' object has no attribute 'x'").
value module_attr(vm& m, value module, const std::string& name);
value get_attr(vm& m, value obj, const std::string& name, const builtin_def* method);
[[noreturn]] void no_attribute(value obj, const std::string& name);
// `with x:`: x.__enter__() when x has __enter__ and __exit__ (a file, a
// socket), else Python's TypeError. `x` points at its register.
value with_enter(vm& m, value* x);

// NameError for a local read before it was assigned (`name` a str).
[[noreturn]] void unbound_local(value name);
// range()'s error for a bound that is not a small int: a bignum or a non-int.
[[noreturn]] void not_a_range_bound(value v);
// NameError for a captured variable read before it was assigned (`name` a str).
[[noreturn]] void unbound_free_variable(value name);

// `except cls:` (an exception class or a tuple of them) for exception e.
bool exception_matches(value e, value cls);
// A pattern's type test: int(x) also matches a bool, as in Python.
bool has_type_tag(value v, type_tag t);

// f-string pieces: format(v, spec) and the concatenation of n strs.
value format(vm& m, value v, value spec);
// repr(v) as a str; ascii(v) (non-ASCII escaped as \xNN \uNNNN \UNNNNNNNN) when `ascii`.
value to_repr(vm& m, value v, bool ascii);
value concat_strs(vm& m, const value* strs, std::uint32_t n);

// Patterns: list(seq[before : len - after]) of a tuple or list, and a dict
// without the keys in a tuple (`**rest`).
value slice_seq(vm& m, value seq, std::uint32_t before, std::uint32_t after);
value dict_without(vm& m, value dict, value keys);

// An index into a sequence of `len` items, Python's way (negative from the
// end); IndexError "<what> index out of range" when outside.
std::int64_t normalize_index(vm& m, value index, std::int64_t len, const char* what);

}  // namespace weft::interp::ops
