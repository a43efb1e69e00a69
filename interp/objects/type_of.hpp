// type_of.hpp: what type a value is, as type(), isinstance(), patterns and
// error messages see it. Reads values only: never allocates, never calls
// back into script code.
#pragma once
#include "interp/heap/value.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

// The type a value has (int for a bool's int() pattern is the caller's
// business); not_a_type for the internal "empty" marker and the heap's own
// objects (cells, arrays, dict tables), which no script sees.
type_tag type_tag_of(value v) noexcept;

// Python's name of v's type as error messages show it: "int", "list",
// "NoneType", "function", "builtin_function_or_method", "type", "range",
// "module", an exception's class name ...
const char* type_name_of(value v) noexcept;

// CPython's name for an iterator over `source`: "list_iterator", "set_iterator" ...
const char* iterator_type_name(value source) noexcept;

// TypeError "unhashable type: 'list'", naming the first part of v (a tuple
// may hold it) that cannot be a dict key. For unhashable_key (object.hpp).
[[noreturn]] void raise_unhashable(value v);

}  // namespace weft::interp
