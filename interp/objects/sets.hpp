// sets.hpp: the algebra of two sets (| & - ^, <=, isdisjoint ...), as
// CPython 3.11's setobject.c does it, so that results hold their keys in
// the table order CPython's would. Both operands are sets or frozensets;
// a result has the type of the left operand (frozenset | set is a
// frozenset). The methods that take any iterable are the builtins' (interp/
// builtins/methods_set.cpp), built on these.
//
// Heap work only: nothing here calls script code. Every function may
// allocate (operands are rooted inside) and throws frozen_value_error when
// asked to change a frozen set.
#pragma once
#include "interp/heap/heap.hpp"

namespace weft::interp::sets {

// An empty set of the type of `like` (set or frozenset).
value empty_like(heap& h, value like);
// A new set of the type of `like` holding the keys of `source`.
value copy_as(heap& h, value like, value source);
inline value copy(heap& h, value s) { return copy_as(h, s, s); }

value union_of(heap& h, value a, value b);
value intersection(heap& h, value a, value b);
value difference(heap& h, value a, value b);
value symmetric_difference(heap& h, value a, value b);

// In place (a must be a mutable set).
void intersection_update(heap& h, value a, value b);
void difference_update(heap& h, value a, value b);
void symmetric_difference_update(heap& h, value a, value b);

bool is_subset(heap& h, value a, value b);
bool is_disjoint(heap& h, value a, value b);

// After removals: rebuilds a's table when over a quarter of it is dummies.
void shrink_if_sparse(heap& h, value a);

// Replaces a's keys with those of the set `from` (which is dropped).
void take_keys(value a, value from) noexcept;

}  // namespace weft::interp::sets
