// internal.hpp: what the files of the builtins module share beyond
// args.hpp: the sort used by sorted() and list.sort(), truthiness, the native
// functions the registry (registry.cpp) lists, and the method tables. Not
// for the compiler or the VM core, nor for lib/: they use builtin_def.hpp,
// builtins.hpp and args.hpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/objects/compare.hpp"
#include "interp/vm/ops.hpp"

namespace weft::interp::bi {

// -- Comparison and ordering --------------------------------------------------------

// Sorts items in place, stable, as list.sort(key=, reverse=) does: keys are
// computed first with vm::call (key None: the items are their own keys).
// `items` must be registered as a root by the caller for its whole length
// and not resized meanwhile. Comparison TypeErrors propagate.
void sort_values(vm& m, std::vector<value>& items, value key, bool reverse);
// Truthiness, with the natives Python counts as false (an empty range).
using ops::truthy;
// list.sort's reverse= argument: an int as a flag (TypeError "'NoneType'
// object cannot be interpreted as an integer" for anything else).
bool reverse_flag(value v);

// -- The builtin functions and type constructors (builtins_*.cpp) --------------------
#define WEFT_NATIVE(name) value name(vm& m, value* argv, std::uint32_t argc, value kwargs)
// core.cpp
WEFT_NATIVE(builtin_print);
WEFT_NATIVE(builtin_len);
WEFT_NATIVE(builtin_repr);
WEFT_NATIVE(builtin_abs);
WEFT_NATIVE(builtin_hash);
WEFT_NATIVE(builtin_ord);
WEFT_NATIVE(builtin_chr);
WEFT_NATIVE(builtin_divmod);
WEFT_NATIVE(builtin_round);
WEFT_NATIVE(builtin_any);
WEFT_NATIVE(builtin_all);
WEFT_NATIVE(builtin_isinstance);
WEFT_NATIVE(builtin_type);
// iter.cpp
WEFT_NATIVE(builtin_min);
WEFT_NATIVE(builtin_max);
WEFT_NATIVE(builtin_sum);
WEFT_NATIVE(builtin_sorted);
WEFT_NATIVE(builtin_reversed);
WEFT_NATIVE(builtin_enumerate);
WEFT_NATIVE(builtin_zip);
// functional.cpp
WEFT_NATIVE(builtin_map);
WEFT_NATIVE(builtin_filter);
WEFT_NATIVE(builtin_callable);
WEFT_NATIVE(builtin_iter);
WEFT_NATIVE(builtin_next);
WEFT_NATIVE(builtin_pow);
WEFT_NATIVE(builtin_hex);
WEFT_NATIVE(builtin_oct);
WEFT_NATIVE(builtin_bin);
// convert.cpp: the types' constructors
WEFT_NATIVE(construct_bool);
WEFT_NATIVE(construct_int);
WEFT_NATIVE(construct_float);
WEFT_NATIVE(construct_str);
WEFT_NATIVE(construct_bytes);
WEFT_NATIVE(construct_tuple);
WEFT_NATIVE(construct_list);
WEFT_NATIVE(construct_dict);
WEFT_NATIVE(construct_range);
// methods_set.cpp
WEFT_NATIVE(construct_set);
WEFT_NATIVE(construct_frozenset);
#undef WEFT_NATIVE

// dict.update's work, shared with dict(): merges a mapping or an iterable of
// pairs, then the keyword arguments (methods_dict.cpp). `d` must be rooted.
void dict_merge(vm& m, value d, value source, value kwargs);

// The methods of each receiver type (methods_*.cpp), null when none.
const builtin_def* find_list_method(std::string_view name) noexcept;
const builtin_def* find_dict_method(std::string_view name) noexcept;
const builtin_def* find_set_method(value receiver, std::string_view name) noexcept;  // a frozenset has fewer
const builtin_def* find_str_method(std::string_view name) noexcept;
const builtin_def* find_bytes_method(std::string_view name) noexcept;
// The str methods defined outside methods_str.cpp (which owns the table).
const builtin_def* find_str_case_method(std::string_view name) noexcept;  // methods_str_case.cpp
const builtin_def* find_str_layout_method(std::string_view name) noexcept;  // methods_str_layout.cpp
extern const builtin_def str_encode_def;                                   // methods_bytes.cpp
extern const builtin_def str_format_def;                                   // str_format.cpp

}  // namespace weft::interp::bi
