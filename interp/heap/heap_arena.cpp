// heap_arena.cpp: the frozen arena of module constants.
//
// A bump allocator over malloc'd chunks; objects never move and are never
// freed before the arena. Every object is marked frozen, and anything the
// collector or another thread might otherwise compute lazily (a shared
// string's hash and length) is computed here, once, so that readers on any
// thread only ever read.
#include <algorithm>
#include <cstring>
#include <new>
#include <unordered_map>

#include "interp/heap/heap.hpp"
#include "interp/heap/heap_internal.hpp"

namespace weft::interp {

frozen_arena::frozen_arena(std::size_t chunk_bytes) : chunk_bytes_(std::max<std::size_t>(chunk_bytes, 256)) {}

frozen_arena::~frozen_arena() {
    for (shared_obj* s = shared_; s; s = s->next) s->bin->release();
    for (char* chunk : chunks_) ::operator delete(chunk);  // unsized: clang before 16 has no sized delete by default
}

obj* frozen_arena::allocate(obj_kind k, std::size_t words) {
    if (words > heap::max_object_words) throw std::bad_alloc();
    std::size_t bytes = words * 8;
    auto new_chunk = [&](std::size_t size) {
        chunks_.reserve(chunks_.size() + 1);
        chunk_sizes_.reserve(chunk_sizes_.size() + 1);
        auto* chunk = static_cast<char*>(::operator new(size));
        chunks_.push_back(chunk);
        chunk_sizes_.push_back(size);
        return chunk;
    };
    obj* o;
    if (bytes <= std::size_t(end_ - top_)) {
        o = reinterpret_cast<obj*>(top_);
        top_ += bytes;
    } else if (bytes > chunk_bytes_ / 4) {  // a big object gets a chunk of its own
        o = reinterpret_cast<obj*>(new_chunk(bytes));
    } else {
        top_ = new_chunk(chunk_bytes_);
        end_ = top_ + chunk_bytes_;
        o = reinterpret_cast<obj*>(top_);
        top_ += bytes;
    }
    bytes_ += bytes;
    *o = obj{k, obj_flags::frozen, 0, std::uint32_t(words)};
    return o;
}

bool frozen_arena::contains(const void* p) const noexcept {
    auto* c = static_cast<const char*>(p);
    for (std::size_t i = 0; i < chunks_.size(); ++i)
        if (c >= chunks_[i] && c < chunks_[i] + chunk_sizes_[i]) return true;
    return false;
}

value frozen_arena::share(obj_kind k, weft::shared_binary* bin) {
    obj* o;
    try {
        o = allocate(k, detail::shared_words);
    } catch (...) {
        bin->release();
        throw;
    }
    auto* s = static_cast<shared_obj*>(o);
    s->bin = bin;
    s->hash = hash_string(bin->view());
    s->cp_count = k == obj_kind::shared_str ? count_code_points(bin->view()) : 0;
    s->flags |= obj_flags::hashed | obj_flags::counted;
    s->next = shared_;
    shared_ = s;
    return value::from_obj(o);
}

value frozen_arena::alloc_str(std::string_view utf8) {
    if (utf8.size() >= weft::shared_binary_threshold)
        return share(obj_kind::shared_str, weft::shared_binary::make(utf8));
    obj* o = allocate(obj_kind::str, detail::str_words(utf8.size()));
    detail::fill_str(o, utf8);
    return value::from_obj(o);
}

value frozen_arena::alloc_bytes(std::string_view data) {
    if (data.size() >= weft::shared_binary_threshold)
        return share(obj_kind::shared_bytes, weft::shared_binary::make(data));
    obj* o = allocate(obj_kind::bytes, detail::bytes_words(data.size()));
    detail::fill_bytes(o, data);
    return value::from_obj(o);
}

value frozen_arena::alloc_tuple(std::span<const value> items) {
    for (value v : items)
        if (v.is_obj() && !v.as_obj()->frozen())
            throw std::invalid_argument("a frozen tuple may hold only frozen values");
    auto* t = static_cast<tuple_obj*>(allocate(obj_kind::tuple, items.size() + 1));
    std::copy(items.begin(), items.end(), t->items());
    return value::from_obj(t);
}

value frozen_arena::alloc_bignum(bool negative, std::span<const limb> magnitude) {
    std::span<const limb> m = detail::significant(magnitude);
    obj* o = allocate(obj_kind::bignum, detail::bignum_words(m.size()));
    detail::fill_bignum(o, negative && !m.empty(), m);
    return value::from_obj(o);
}

value frozen_arena::alloc_pid(const weft::pid& p) {
    auto* o = static_cast<pid_obj*>(allocate(obj_kind::pid, sizeof(pid_obj) / 8));
    o->p = p;
    return value::from_obj(o);
}

value frozen_arena::alloc_ref(const weft::ref& r) {
    auto* o = static_cast<ref_obj*>(allocate(obj_kind::ref, sizeof(ref_obj) / 8));
    o->r = r;
    return value::from_obj(o);
}

value frozen_arena::freeze(value v) {
    if (!v.is_obj() || v.as_obj()->frozen()) return v;
    std::unordered_map<obj*, obj*> copies;
    std::vector<obj*> todo;  // copies whose slots still point at the originals

    auto copy = [&](value x) -> value {
        if (!x.is_obj() || x.as_obj()->frozen()) return x;
        obj* from = x.as_obj();
        auto [it, fresh] = copies.try_emplace(from, nullptr);
        if (!fresh) return value::from_obj(it->second);
        obj* to = allocate(from->kind, from->words);
        std::memcpy(static_cast<void*>(to), from, from->size_bytes());
        to->flags = obj_flags::frozen;
        it->second = to;
        if (to->kind == obj_kind::shared_str || to->kind == obj_kind::shared_bytes) {
            auto* s = static_cast<shared_obj*>(to);
            s->bin->acquire();
            s->hash = hash_string(s->view());
            s->cp_count = to->kind == obj_kind::shared_str ? count_code_points(s->view()) : 0;
            s->flags |= obj_flags::hashed | obj_flags::counted;
            s->next = shared_;
            shared_ = s;
        }
        todo.push_back(to);
        return value::from_obj(to);
    };

    value result = copy(v);
    while (!todo.empty()) {
        obj* o = todo.back();
        todo.pop_back();
        for (value& slot : traced_slots(o)) slot = copy(slot);
    }
    return result;
}

}  // namespace weft::interp
