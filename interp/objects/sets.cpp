// sets.cpp: the algebra of two sets, step for step as CPython 3.11's
// setobject.c (which set is walked, which is probed, when a copy is taken),
// because that decides the order a result prints in. See sets.hpp.
//
// Walking a set while adding to another may collect and move both: every
// walk holds its sets rooted and rereads them after each add.
#include "interp/objects/sets.hpp"

#include <utility>

namespace weft::interp::sets {

value empty_like(heap& h, value like) { return h.alloc_set(is_frozenset(like)); }

value copy_as(heap& h, value like, value source) {
    rooted src(h, source);
    rooted out(h, empty_like(h, like));
    h.set_merge(out, src);
    return out;
}

value union_of(heap& h, value a, value b) {
    rooted other(h, b);
    rooted out(h, copy(h, a));
    h.set_merge(out, other);
    return out;
}

value intersection(heap& h, value a, value b) {
    if (identical(a, b)) return copy(h, a);
    rooted so(h, a), other(h, b);
    rooted out(h, empty_like(h, a));
    // Walk the smaller, probe the larger.
    if (heap::set_len(other) > heap::set_len(so)) {
        value t = so;
        so = other.get();
        other = t;
    }
    std::uint32_t pos = 0;
    value key;
    std::uint64_t hash = 0;
    while (heap::set_next(other, pos, key, hash))
        if (h.set_contains_hashed(so, key, hash)) h.set_add_hashed(out, key, hash);
    return out;
}

void difference_update(heap& h, value a, value b) {
    if (identical(a, b)) {
        h.set_clear(a);
        return;
    }
    rooted so(h, a), other(h, b);
    // Much larger than a: only the keys they share matter.
    if ((heap::set_len(other) >> 3) > heap::set_len(so)) other = intersection(h, so, other);
    std::uint32_t pos = 0;
    value key;
    std::uint64_t hash = 0;
    while (heap::set_next(other, pos, key, hash)) h.set_discard_hashed(so, key, hash);
    shrink_if_sparse(h, so);
}

void shrink_if_sparse(heap& h, value a) {
    set_obj* s = as_set(a);
    std::uint32_t mask = s->table.is_obj() ? as_set_table(s->table)->size - 1 : 7;
    if (s->fill - s->used > mask / 4) h.set_resize(a, s->used > 50000 ? s->used * 2 : s->used * 4);
}

value difference(heap& h, value a, value b) {
    rooted so(h, a), other(h, b);
    if ((heap::set_len(so) >> 2) > heap::set_len(other)) {
        rooted out(h, copy(h, so));
        difference_update(h, out, other);
        return out;
    }
    rooted out(h, empty_like(h, so));
    std::uint32_t pos = 0;
    value key;
    std::uint64_t hash = 0;
    while (heap::set_next(so, pos, key, hash))
        if (!h.set_contains_hashed(other, key, hash)) h.set_add_hashed(out, key, hash);
    return out;
}

void symmetric_difference_update(heap& h, value a, value b) {
    if (identical(a, b)) {
        h.set_clear(a);
        return;
    }
    rooted so(h, a), other(h, b);
    std::uint32_t pos = 0;
    value key;
    std::uint64_t hash = 0;
    while (heap::set_next(other, pos, key, hash))
        if (!h.set_discard_hashed(so, key, hash)) h.set_add_hashed(so, key, hash);
}

value symmetric_difference(heap& h, value a, value b) {
    rooted so(h, a);
    rooted out(h, copy_as(h, a, b));
    symmetric_difference_update(h, out, so);
    return out;
}

void take_keys(value a, value from) noexcept {
    set_obj* to = as_set(a);
    set_obj* f = as_set(from);
    to->table = f->table;
    to->used = f->used;
    to->fill = f->fill;
    f->table = value::none();
    f->used = f->fill = 0;
}

void intersection_update(heap& h, value a, value b) {
    rooted so(h, a);
    value tmp = intersection(h, a, b);
    if (as_set(so)->frozen()) throw frozen_value_error();
    take_keys(so, tmp);
}

bool is_subset(heap& h, value a, value b) {
    if (heap::set_len(a) > heap::set_len(b)) return false;
    std::uint32_t pos = 0;
    value key;
    std::uint64_t hash = 0;
    while (heap::set_next(a, pos, key, hash))
        if (!h.set_contains_hashed(b, key, hash)) return false;
    return true;
}

bool is_disjoint(heap& h, value a, value b) {
    if (identical(a, b)) return heap::set_len(a) == 0;
    if (heap::set_len(b) > heap::set_len(a)) std::swap(a, b);  // walk the smaller
    std::uint32_t pos = 0;
    value key;
    std::uint64_t hash = 0;
    while (heap::set_next(b, pos, key, hash))
        if (h.set_contains_hashed(a, key, hash)) return false;
    return true;
}

}  // namespace weft::interp::sets
