// heap_dict.cpp: insertion-ordered dicts, as CPython's compact dict.
//
// A dict points at a dict_table holding capacity entries (key, value and hash,
// appended in insertion order) and an index of index_size int32 slots (open
// addressing with CPython's perturbed probe). capacity = index_size * 2 / 3,
// so the index always has an empty slot and probing ends. Deleting marks the
// index slot dummy and the entry a tombstone (key and value empty(), which
// also lets the collector drop them); tombstones stay until the table is full
// and is rebuilt at a size chosen from the live count (which may shrink it).
#include <algorithm>
#include <bit>
#include <cstring>

#include "interp/heap/heap.hpp"

namespace weft::interp {

namespace {
constexpr std::uint32_t min_index_size = 8;
constexpr unsigned perturb_shift = 5;

std::uint32_t usable(std::uint32_t index_size) { return std::uint32_t(std::size_t(index_size) * 2 / 3); }

// The index size for n entries with `growth` times n slots (CPython: 3),
// at least enough for n; 0 when int32 entry numbers cannot cover it.
std::uint32_t index_size_for(std::size_t n, std::size_t growth) {
    constexpr std::size_t max_index = std::size_t(1) << 31;
    std::size_t size = std::bit_ceil(std::max<std::size_t>(min_index_size, std::min(n * growth, max_index)));
    while (size <= max_index && size * 2 / 3 < n) size *= 2;
    return size <= max_index ? std::uint32_t(size) : 0;
}

// The first index slot that is empty for this hash (no dummies in a new index).
void index_insert(dict_table_obj* t, std::uint64_t hash, std::int32_t entry) {
    std::int32_t* ix = t->indices();
    std::size_t mask = t->index_size - 1;
    std::size_t i = hash & mask;
    std::uint64_t perturb = hash;
    while (ix[i] != dict_ix_empty) {
        perturb >>= perturb_shift;
        i = (i * 5 + perturb + 1) & mask;
    }
    ix[i] = entry;
}
}  // namespace

value heap::new_dict_table(std::uint32_t index_size) {
    std::uint32_t cap = usable(index_size);
    auto* t = static_cast<dict_table_obj*>(allocate(obj_kind::dict_table, dict_table_obj::words_for(cap, index_size)));
    t->capacity = cap;
    t->index_size = index_size;
    value* kv = t->kv();
    for (std::size_t i = 0; i < 2 * std::size_t(cap); ++i) kv[i] = value::empty();
    std::memset(t->hashes(), 0, cap * sizeof(std::uint64_t));
    std::memset(t->indices(), 0xff, index_size * sizeof(std::int32_t));  // dict_ix_empty
    return value::from_obj(t);
}

value heap::alloc_dict(std::size_t expected) {
    std::uint32_t index_size = 0;
    if (expected) {
        index_size = index_size_for(expected, 1);
        if (index_size == 0) throw heap_exhausted(expected * 24, limit_);
        reserve(dict_table_obj::words_for(usable(index_size), index_size) * 8 + sizeof(dict_obj));
    }
    value table = index_size ? new_dict_table(index_size) : value::none();
    auto* d = static_cast<dict_obj*>(allocate(obj_kind::dict, sizeof(dict_obj) / 8));
    d->count = 0;
    d->used = 0;
    d->table = table;
    return value::from_obj(d);
}

std::int32_t heap::dict_find(dict_table_obj* t, value key, std::uint64_t hash, std::uint32_t& slot) const {
    const std::int32_t* ix = t->indices();
    const std::uint64_t* hashes = t->hashes();
    const value* kv = t->kv();
    std::size_t mask = t->index_size - 1;
    std::size_t i = hash & mask;
    std::uint64_t perturb = hash;
    std::size_t free_slot = SIZE_MAX;
    for (;;) {
        std::int32_t e = ix[i];
        if (e == dict_ix_empty) {
            slot = std::uint32_t(free_slot != SIZE_MAX ? free_slot : i);
            return -1;
        }
        if (e == dict_ix_dummy) {
            if (free_slot == SIZE_MAX) free_slot = i;
        } else if (hashes[e] == hash) {
            value k = kv[2 * std::size_t(e)];
            if (identical(k, key) || keys_.equal(k, key)) {
                slot = std::uint32_t(i);
                return e;
            }
        }
        perturb >>= perturb_shift;
        i = (i * 5 + perturb + 1) & mask;
    }
}

void heap::dict_resize(value d, std::uint32_t min_count) {
    std::uint32_t index_size = index_size_for(min_count, 3);
    if (index_size == 0) throw heap_exhausted(std::size_t(min_count) * 24, limit_);
    rooted keep(*this, d);
    value table = new_dict_table(index_size);  // may collect
    dict_obj* dd = as_dict(keep);
    dict_table_obj* nt = as_dict_table(table);
    std::uint32_t n = 0;
    if (dd->table.is_obj()) {
        dict_table_obj* ot = as_dict_table(dd->table);
        const value* okv = ot->kv();
        for (std::uint32_t e = 0; e < dd->used; ++e) {
            if (okv[2 * e].is_empty()) continue;  // tombstone
            nt->kv()[2 * n] = okv[2 * e];
            nt->kv()[2 * n + 1] = okv[2 * e + 1];
            nt->hashes()[n] = ot->hashes()[e];
            index_insert(nt, nt->hashes()[n], std::int32_t(n));
            ++n;
        }
    }
    dd->table = table;
    dd->used = n;
    dd->count = n;
}

void heap::dict_set(value d, value key, value v) {
    dict_obj* dd = as_dict(d);
    if (dd->frozen()) throw frozen_value_error();
    std::uint64_t hash = keys_.hash(key);  // may throw unhashable_key: nothing changed yet
    std::uint32_t slot = 0;
    if (dd->table.is_obj()) {
        dict_table_obj* t = as_dict_table(dd->table);
        std::int32_t e = dict_find(t, key, hash, slot);
        if (e >= 0) {
            t->kv()[2 * std::size_t(e) + 1] = v;
            return;
        }
    }
    if (!dd->table.is_obj() || dd->used == as_dict_table(dd->table)->capacity) {
        rooted keep_d(*this, d), keep_k(*this, key), keep_v(*this, v);
        dict_resize(d, dd->count + 1);
        d = keep_d;
        key = keep_k;
        v = keep_v;
        dd = as_dict(d);
        dict_find(as_dict_table(dd->table), key, hash, slot);  // an empty slot: no dummies now
    }
    dict_table_obj* t = as_dict_table(dd->table);
    std::uint32_t e = dd->used++;
    t->kv()[2 * std::size_t(e)] = key;
    t->kv()[2 * std::size_t(e) + 1] = v;
    t->hashes()[e] = hash;
    t->indices()[slot] = std::int32_t(e);
    ++dd->count;
}

std::optional<value> heap::dict_get(value d, value key) {
    std::uint64_t hash = keys_.hash(key);
    dict_obj* dd = as_dict(d);
    if (!dd->table.is_obj()) return std::nullopt;
    dict_table_obj* t = as_dict_table(dd->table);
    std::uint32_t slot = 0;
    std::int32_t e = dict_find(t, key, hash, slot);
    if (e < 0) return std::nullopt;
    return t->kv()[2 * std::size_t(e) + 1];
}

bool heap::dict_del(value d, value key) {
    dict_obj* dd = as_dict(d);
    if (dd->frozen()) throw frozen_value_error();
    std::uint64_t hash = keys_.hash(key);
    if (!dd->table.is_obj()) return false;
    dict_table_obj* t = as_dict_table(dd->table);
    std::uint32_t slot = 0;
    std::int32_t e = dict_find(t, key, hash, slot);
    if (e < 0) return false;
    t->indices()[slot] = dict_ix_dummy;
    t->kv()[2 * std::size_t(e)] = value::empty();
    t->kv()[2 * std::size_t(e) + 1] = value::empty();
    --dd->count;
    return true;
}

bool heap::dict_next(value d, std::uint32_t& pos, value& key, value& v) noexcept {
    dict_obj* dd = as_dict(d);
    if (!dd->table.is_obj()) return false;
    dict_table_obj* t = as_dict_table(dd->table);
    while (pos < dd->used) {
        std::uint32_t e = pos++;
        if (t->kv()[2 * e].is_empty()) continue;
        key = t->kv()[2 * e];
        v = t->kv()[2 * e + 1];
        return true;
    }
    return false;
}

}  // namespace weft::interp
