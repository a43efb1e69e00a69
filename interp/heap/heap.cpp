// heap.cpp: the heap's typed allocation helpers and lists. The collector is
// in gc.cpp, dicts in heap_dict.cpp, the frozen arena in heap_arena.cpp.
#include "interp/heap/heap.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "interp/heap/heap_internal.hpp"

namespace weft::interp {

namespace {
std::string exhausted_message(std::size_t requested, std::size_t limit) {
    return "heap exhausted: " + std::to_string(requested) + " bytes requested, limit " + std::to_string(limit);
}
}  // namespace

heap_exhausted::heap_exhausted(std::size_t requested_bytes, std::size_t limit_bytes)
    : std::runtime_error(exhausted_message(requested_bytes, limit_bytes)),
      requested(requested_bytes),
      limit(limit_bytes) {}

heap::heap(heap_options opts)
    : shared_trigger_(opts.shared_trigger_bytes),
      limit_(std::max<std::size_t>(opts.limit_bytes, 64) & ~std::size_t(7)),
      first_block_(std::min(std::max<std::size_t>(opts.first_block_bytes, 64), limit_) & ~std::size_t(7)),
      shared_trigger_min_(opts.shared_trigger_bytes),
      keys_{default_hash, default_equal} {}

heap::~heap() {
    for (shared_obj* s = shared_; s; s = s->next) s->bin->release();
    free_block(begin_, mapped_);
}

obj* heap::allocate_slow(obj_kind k, std::size_t words) {
    if (words > max_object_words)
        throw heap_exhausted(words > std::numeric_limits<std::size_t>::max() / 8 ? std::numeric_limits<std::size_t>::max() : words * 8, limit_);
    reserve(words * 8);
    return allocate(k, words);  // fits now
}

void heap::reserve(std::size_t bytes) {
    if (bytes <= std::size_t(end_ - top_)) return;
    collect_for(bytes);  // throws heap_exhausted when it cannot make room
}

// -- Strings and bytes -------------------------------------------------------

value heap::alloc_str(std::string_view utf8) {
    if (utf8.size() >= weft::shared_binary_threshold)
        return adopt_shared(obj_kind::shared_str, weft::shared_binary::make(utf8));
    char copy[weft::shared_binary_threshold];  // utf8 may point into this heap
    if (!utf8.empty()) std::memcpy(copy, utf8.data(), utf8.size());
    obj* o = allocate(obj_kind::str, detail::str_words(utf8.size()));
    detail::fill_str(o, {copy, utf8.size()});
    return value::from_obj(o);
}

value heap::alloc_bytes(std::string_view data) {
    if (data.size() >= weft::shared_binary_threshold)
        return adopt_shared(obj_kind::shared_bytes, weft::shared_binary::make(data));
    char copy[weft::shared_binary_threshold];
    if (!data.empty()) std::memcpy(copy, data.data(), data.size());
    obj* o = allocate(obj_kind::bytes, detail::bytes_words(data.size()));
    detail::fill_bytes(o, {copy, data.size()});
    return value::from_obj(o);
}

value heap::alloc_bytes(std::span<const std::byte> data) {
    return alloc_bytes(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

value heap::adopt_shared_str(weft::shared_binary* bin) { return adopt_shared(obj_kind::shared_str, bin); }
value heap::adopt_shared_bytes(weft::shared_binary* bin) { return adopt_shared(obj_kind::shared_bytes, bin); }

value heap::adopt_shared(obj_kind k, weft::shared_binary* bin) {
    obj* o;
    try {
        // Binaries do not fill the block: collect when enough were taken on.
        if (begin_ && shared_bytes_ + bin->size() > shared_trigger_) collect_for(detail::shared_words * 8);
        o = allocate(k, detail::shared_words);
    } catch (...) {
        bin->release();
        throw;
    }
    auto* s = static_cast<shared_obj*>(o);
    s->bin = bin;
    s->hash = 0;
    s->cp_count = 0;
    s->next = shared_;
    shared_ = s;
    shared_bytes_ += bin->size();
    return value::from_obj(o);
}

// -- Tuples, arrays, lists ---------------------------------------------------

value heap::alloc_tuple(std::size_t n) {
    obj* o = allocate(obj_kind::tuple, n + 1);
    detail::fill_none(static_cast<tuple_obj*>(o)->items(), n);
    return value::from_obj(o);
}

value heap::alloc_tuple(std::span<const value> items) {
    // The items may live in this heap or anywhere unrooted: hold them in a root.
    constexpr std::size_t small = 8;
    value local[small];
    std::vector<value> big;
    value* copy = local;
    if (items.size() > small) {
        big.assign(items.begin(), items.end());
        copy = big.data();
    } else {
        std::copy(items.begin(), items.end(), local);
    }
    root_scope keep(*this, copy, items.size());
    obj* o = allocate(obj_kind::tuple, items.size() + 1);
    std::copy(copy, copy + items.size(), static_cast<tuple_obj*>(o)->items());
    return value::from_obj(o);
}

value heap::alloc_array(std::size_t n) {
    obj* o = allocate(obj_kind::array, n + 1);
    detail::fill_none(static_cast<array_obj*>(o)->slots(), n);
    return value::from_obj(o);
}

value heap::alloc_list(std::size_t capacity) {
    if (capacity >= max_object_words) throw heap_exhausted(capacity * 8, limit_);
    if (capacity) reserve((capacity + 1) * 8 + sizeof(list_obj));  // both at once: no collection between
    value items = capacity ? alloc_array(capacity) : value::none();
    auto* l = static_cast<list_obj*>(allocate(obj_kind::list, sizeof(list_obj) / 8));
    l->length = 0;
    l->capacity = std::uint32_t(capacity);
    l->items = items;
    return value::from_obj(l);
}

void heap::list_append(value list, value v) {
    list_obj* l = as_list(list);
    if (l->frozen()) throw frozen_value_error();
    if (l->length < l->capacity) {
        l->slots()[l->length++] = v;
        return;
    }
    std::size_t cap = std::size_t(l->capacity) + l->capacity / 2 + 4;
    if (cap >= max_object_words) {
        if (l->capacity + 1 >= max_object_words) throw heap_exhausted(cap * 8, limit_);
        cap = max_object_words - 1;
    }
    rooted keep_list(*this, list), keep_v(*this, v);
    value items = alloc_array(cap);
    l = as_list(keep_list);
    if (l->length) std::memcpy(as_array(items)->slots(), l->slots(), l->length * sizeof(value));
    l->items = items;
    l->capacity = std::uint32_t(cap);
    l->slots()[l->length++] = keep_v;
}

value heap::list_pop(value list) {
    list_obj* l = as_list(list);
    if (l->frozen()) throw frozen_value_error();
    value* slot = &l->slots()[--l->length];
    value v = *slot;
    *slot = value::none();  // no stale reference for the collector
    return v;
}

// -- Numbers and the rest ----------------------------------------------------

value heap::alloc_bignum(std::int64_t i) {
    limb mag = i < 0 ? 0 - limb(i) : limb(i);
    std::span<const limb> m(&mag, mag ? 1 : 0);
    obj* o = allocate(obj_kind::bignum, detail::bignum_words(m.size()));
    detail::fill_bignum(o, i < 0, m);
    return value::from_obj(o);
}

value heap::alloc_bignum(bool negative, std::span<const limb> magnitude) {
    std::span<const limb> m = detail::significant(magnitude);
    if (m.size() > std::size_t(std::numeric_limits<std::int32_t>::max()))
        throw heap_exhausted(m.size() * sizeof(limb), limit_);
    std::vector<limb> copy;
    if (!m.empty() && in_block(m.data())) {  // another bignum of this heap: it may move
        copy.assign(m.begin(), m.end());
        m = copy;
    }
    obj* o = allocate(obj_kind::bignum, detail::bignum_words(m.size()));
    detail::fill_bignum(o, negative && !m.empty(), m);
    return value::from_obj(o);
}

value heap::alloc_cell(value v) {
    rooted keep(*this, v);
    auto* c = static_cast<cell_obj*>(allocate(obj_kind::cell, sizeof(cell_obj) / 8));
    c->v = keep;
    return value::from_obj(c);
}

value heap::alloc_pid(const weft::pid& p) {
    auto* o = static_cast<pid_obj*>(allocate(obj_kind::pid, sizeof(pid_obj) / 8));
    o->p = p;
    return value::from_obj(o);
}

value heap::alloc_ref(const weft::ref& r) {
    auto* o = static_cast<ref_obj*>(allocate(obj_kind::ref, sizeof(ref_obj) / 8));
    o->r = r;
    return value::from_obj(o);
}

value heap::alloc_native(std::uint32_t traced_slots, std::uint32_t raw_bytes) {
    std::size_t words = sizeof(native_obj) / 8 + std::size_t(traced_slots) + (std::size_t(raw_bytes) + 7) / 8;
    auto* n = static_cast<native_obj*>(allocate(obj_kind::native, words));
    n->traced = traced_slots;
    n->raw_bytes = raw_bytes;
    detail::fill_none(n->slots(), traced_slots);
    if (raw_bytes) std::memset(n->raw(), 0, (std::size_t(raw_bytes) + 7) / 8 * 8);
    return value::from_obj(n);
}

}  // namespace weft::interp
