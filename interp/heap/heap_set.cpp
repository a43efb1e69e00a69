// heap_set.cpp: sets and frozensets, as CPython 3.11's setobject.c.
//
// Why CPython's table and not the dict's: a Python programmer prints a set
// and expects {1, 2, 3}, in the order CPython shows. That order is the
// table's slot order, so it follows from the same hashes (numbers and
// tuples hash as CPython's, object.cpp), the same probe sequence, the same
// growth rule and the same dummy reuse. Strings hash differently (CPython
// randomizes its string hashes per process, so no program can rely on that
// order anyway).
//
// Probing: from slot hash & mask, the slot and the nine after it (when they
// fit before the end), then a jump with CPython's perturbation. A removed
// key leaves a dummy (key empty(), hash set_dummy_hash) so that searches go
// on past it; an add reuses the last dummy it passed. A table grows to
// hold four times the live keys (twice past 50,000) when live and dummy
// slots reach 3/5 of it.
//
// Never allocates but in alloc_set and when a table is replaced; every
// caller of those roots what it holds across them.
#include "interp/heap/heap.hpp"

namespace weft::interp {

namespace {
constexpr std::uint32_t min_size = 8;
constexpr std::uint32_t linear_probes = 9;
constexpr unsigned perturb_shift = 5;

std::uint32_t mask_of(const set_obj* s) noexcept {
    return s->table.is_obj() ? as_set_table(s->table)->size - 1 : min_size - 1;
}

bool unused(set_table_obj* t, std::size_t i) noexcept { return t->keys()[i].is_empty() && t->hashes()[i] == 0; }

// A slot for a key known to be absent, in a table without dummies.
void insert_clean(set_table_obj* t, value key, std::uint64_t hash) noexcept {
    std::size_t mask = t->size - 1;
    std::size_t i = hash & mask;
    std::uint64_t perturb = hash;
    for (;;) {
        if (unused(t, i)) break;
        bool found = false;
        if (i + linear_probes <= mask) {
            for (std::size_t j = 1; j <= linear_probes; ++j)
                if (unused(t, i + j)) {
                    i += j;
                    found = true;
                    break;
                }
        }
        if (found) break;
        perturb >>= perturb_shift;
        i = (i * 5 + 1 + perturb) & mask;
    }
    t->keys()[i] = key;
    t->hashes()[i] = hash;
}
}  // namespace

value heap::new_set_table(std::uint32_t size) {
    auto* t = static_cast<set_table_obj*>(allocate(obj_kind::set_table, set_table_obj::words_for(size)));
    t->size = size;
    t->reserved = 0;
    for (std::uint32_t i = 0; i < size; ++i) {
        t->keys()[i] = value::empty();
        t->hashes()[i] = 0;
    }
    return value::from_obj(t);
}

value heap::alloc_set(bool frozenset) {
    auto* s = static_cast<set_obj*>(allocate(obj_kind::set, sizeof(set_obj) / 8));
    s->spare = frozenset ? set_frozenset : 0;
    s->used = 0;
    s->fill = 0;
    s->finger = 0;
    s->reserved = 0;
    s->table = value::none();
    return value::from_obj(s);
}

void heap::set_resize(value s, std::uint32_t minused) {
    std::size_t size = min_size;
    while (size <= minused) size <<= 1;
    if (size > (std::size_t(1) << 31)) throw heap_exhausted(std::size_t(minused) * 16, limit_);
    rooted keep(*this, s);
    value table = new_set_table(std::uint32_t(size));  // may collect
    set_obj* so = as_set(keep);
    set_table_obj* nt = as_set_table(table);
    if (so->table.is_obj()) {
        set_table_obj* ot = as_set_table(so->table);
        for (std::uint32_t i = 0; i < ot->size; ++i)
            if (!ot->keys()[i].is_empty()) insert_clean(nt, ot->keys()[i], ot->hashes()[i]);
    }
    so->table = table;
    so->fill = so->used;
}

bool heap::set_add(value s, value key) { return set_add_hashed(s, key, keys_.hash(key)); }

bool heap::set_add_hashed(value s, value key, std::uint64_t hash) {
    set_obj* so = as_set(s);
    if (so->frozen()) throw frozen_value_error();
    if (!so->table.is_obj()) {
        rooted keep_s(*this, s), keep_k(*this, key);
        value table = new_set_table(min_size);
        s = keep_s;
        key = keep_k;
        so = as_set(s);
        so->table = table;
    }
    set_table_obj* t = as_set_table(so->table);
    std::size_t mask = t->size - 1;
    std::size_t i = hash & mask;
    std::uint64_t perturb = hash;
    std::size_t freeslot = SIZE_MAX;
    for (;;) {
        std::size_t probes = i + linear_probes <= mask ? linear_probes : 0;
        for (std::size_t j = i;; ++j) {
            if (unused(t, j)) {
                if (freeslot != SIZE_MAX) {  // the last dummy on the way (as CPython)
                    t->keys()[freeslot] = key;
                    t->hashes()[freeslot] = hash;
                    ++so->used;
                    return true;
                }
                t->keys()[j] = key;
                t->hashes()[j] = hash;
                ++so->used;
                ++so->fill;
                if (std::size_t(so->fill) * 5 >= mask * 3)
                    set_resize(s, so->used > 50000 ? so->used * 2 : so->used * 4);
                return true;
            }
            if (t->hashes()[j] == hash && !t->keys()[j].is_empty()) {
                value k = t->keys()[j];
                if (identical(k, key) || keys_.equal(k, key)) return false;
            } else if (t->hashes()[j] == set_dummy_hash && t->keys()[j].is_empty()) {
                freeslot = j;
            }
            if (j == i + probes) break;
        }
        perturb >>= perturb_shift;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

// The hash a key is looked up by: a mutable set, which cannot be a key,
// is looked up as the frozenset it equals (`{1} in {frozenset({1})}`), as
// CPython does for `in`, remove() and discard().
static std::uint64_t lookup_hash(value key, std::uint64_t (*hash)(value)) {
    return is_any_set(key) && !is_frozenset(key) ? frozenset_hash_of(key) : hash(key);
}

bool heap::set_contains(value s, value key) { return set_contains_hashed(s, key, lookup_hash(key, keys_.hash)); }

namespace {
// The slot of key, or SIZE_MAX.
std::size_t set_find(const set_obj* so, value key, std::uint64_t hash, bool (*equal)(value, value)) {
    if (!so->table.is_obj()) return SIZE_MAX;
    set_table_obj* t = as_set_table(so->table);
    std::size_t mask = t->size - 1;
    std::size_t i = hash & mask;
    std::uint64_t perturb = hash;
    for (;;) {
        std::size_t probes = i + linear_probes <= mask ? linear_probes : 0;
        for (std::size_t j = i; j <= i + probes; ++j) {
            if (unused(t, j)) return SIZE_MAX;
            if (t->hashes()[j] == hash && !t->keys()[j].is_empty()) {
                value k = t->keys()[j];
                if (identical(k, key) || equal(k, key)) return j;
            }
        }
        perturb >>= perturb_shift;
        i = (i * 5 + 1 + perturb) & mask;
    }
}
}  // namespace

bool set_holds(value s, value key, std::uint64_t hash, bool (*equal)(value, value)) {
    return set_find(as_set(s), key, hash, equal) != SIZE_MAX;
}

bool heap::set_contains_hashed(value s, value key, std::uint64_t hash) const {
    return set_find(as_set(s), key, hash, keys_.equal) != SIZE_MAX;
}

bool heap::set_discard(value s, value key) { return set_discard_hashed(s, key, lookup_hash(key, keys_.hash)); }

bool heap::set_discard_hashed(value s, value key, std::uint64_t hash) {
    set_obj* so = as_set(s);
    if (so->frozen()) throw frozen_value_error();
    std::size_t j = set_find(so, key, hash, keys_.equal);
    if (j == SIZE_MAX) return false;
    set_table_obj* t = as_set_table(so->table);
    t->keys()[j] = value::empty();
    t->hashes()[j] = set_dummy_hash;
    --so->used;
    return true;
}

void heap::set_presize(value s, std::uint32_t n) {
    set_obj* so = as_set(s);
    if ((std::size_t(so->fill) + n) * 5 >= std::size_t(mask_of(so)) * 3)
        set_resize(s, std::uint32_t(std::min<std::size_t>((std::size_t(so->used) + n) * 2, UINT32_MAX)));
}

void heap::set_merge(value s, value other) {
    if (identical(s, other) || as_set(other)->used == 0) return;
    if (as_set(s)->frozen()) throw frozen_value_error();
    rooted keep_s(*this, s), keep_o(*this, other);
    set_presize(s, as_set(other)->used);  // one big resize rather than many
    if (!as_set(keep_s)->table.is_obj()) set_resize(keep_s, 0);
    set_obj* so = as_set(keep_s);
    set_obj* oo = as_set(keep_o);
    set_table_obj* t = as_set_table(so->table);
    set_table_obj* ot = as_set_table(oo->table);
    if (so->fill == 0 && t->size == ot->size && oo->fill == oo->used) {
        // Empty, same size, no dummies to drop: the slots copy as they are.
        for (std::uint32_t i = 0; i < ot->size; ++i) {
            t->keys()[i] = ot->keys()[i];
            t->hashes()[i] = ot->hashes()[i];
        }
        so->fill = oo->fill;
        so->used = oo->used;
        return;
    }
    if (so->fill == 0) {  // no duplicates possible
        for (std::uint32_t i = 0; i < ot->size; ++i)
            if (!ot->keys()[i].is_empty()) insert_clean(t, ot->keys()[i], ot->hashes()[i]);
        so->fill = so->used = oo->used;
        return;
    }
    for (std::uint32_t i = 0; i < as_set_table(as_set(keep_o)->table)->size; ++i) {
        set_table_obj* from = as_set_table(as_set(keep_o)->table);  // reread: an add may collect
        if (from->keys()[i].is_empty()) continue;
        set_add_hashed(keep_s, from->keys()[i], from->hashes()[i]);
    }
}

void heap::set_clear(value s) {
    set_obj* so = as_set(s);
    if (so->frozen()) throw frozen_value_error();
    so->table = value::none();  // CPython keeps the finger
    so->used = so->fill = 0;
}

value heap::set_pop(value s) {
    set_obj* so = as_set(s);
    if (so->frozen()) throw frozen_value_error();
    set_table_obj* t = as_set_table(so->table);
    std::uint32_t i = so->finger & (t->size - 1);
    while (t->keys()[i].is_empty()) i = (i + 1) & (t->size - 1);
    value key = t->keys()[i];
    t->keys()[i] = value::empty();
    t->hashes()[i] = set_dummy_hash;
    --so->used;
    so->finger = i + 1;
    return key;
}

bool heap::set_next(value s, std::uint32_t& pos, value& key, std::uint64_t& hash) noexcept {
    set_obj* so = as_set(s);
    if (!so->table.is_obj()) return false;
    set_table_obj* t = as_set_table(so->table);
    while (pos < t->size) {
        std::uint32_t i = pos++;
        if (t->keys()[i].is_empty()) continue;
        key = t->keys()[i];
        hash = t->hashes()[i];
        return true;
    }
    return false;
}

}  // namespace weft::interp
