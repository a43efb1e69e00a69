// compare.hpp: Python's == and < between any two values (numbers, str,
// bytes, tuples, lists, dicts, the VM's own objects), deep and iterative.
// Neither allocates nor recurses on the C++ stack over a value's depth.
#pragma once
#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp {

// Python's ==, deep: 1 == 1.0 == True, tuples never equal lists, dicts
// regardless of order, ranges by the numbers they give. RecursionError past
// a million nested containers (a structure that contains itself).
bool values_equal(heap& h, value a, value b);

// a < b as Python orders numbers, str, bytes, tuples and lists: TypeError
// "'<' not supported between instances of 'A' and 'B'" otherwise. When
// `reflected`, the comparison stands for b > a and its TypeError says so
// ("'>' not supported between instances of 'B' and 'A'"), as max() needs.
bool values_less(heap& h, value a, value b, bool reflected = false);

}  // namespace weft::interp
