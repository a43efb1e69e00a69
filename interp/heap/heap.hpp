// heap.hpp: one actor's heap, its copying collector, and the frozen arena of
// module constants shared by all actors.
//
// A heap belongs to one actor and is touched by one thread at a time: no
// locks, no atomics (but shared_binary's count). Objects live in ONE
// contiguous block, allocated by bumping a pointer. When the block is full the
// heap collects: a Cheney copy (iterative; the scan pointer walks to-space)
// of everything reachable from the registered roots into a fresh block, whose
// size is then chosen from the live data (about 2 x live + the request, at
// least first_block_bytes, at most limit_bytes), so a collection costs in
// proportion to live data, and a heap shrinks after its live data does.
// Large blocks (>= 256 KiB) are mmap'd (with transparent huge pages from
// 8 MiB: page faults and zeroing are most of a large collection's cost):
// their to-space is reserved at 2 x used + the request and the unused tail
// is unmapped after copying, so growing never copies twice. Small blocks come
// from malloc (a million small heaps must not mean a million mappings): their
// to-space is as big as the used part, and a second pass, cheap at that
// size, re-copies the live data when the block must grow or shrink by a lot.
//
// Pointers outside the current block (frozen_arena objects, shared by every
// actor) are left as they are, never visited: the check is two compares.
//
// Roots: the VM registers ranges of values (its register file, its frame
// stack) with add_roots / root_scope, and C++ code that holds a value across
// an allocation keeps it in a `rooted`. The collector updates them in place.
// ANY allocation may collect and so move every object: a value not stored in
// a root, and any obj* or pointer into an object, is stale after it.
//
// The allocation helpers below keep their own value arguments rooted while
// they allocate, so they work whatever the caller passes; it is the caller's
// unrooted copies that go stale. The string_view / span arguments may point
// into this heap (they are copied off it before allocating).
//
// Beware C++'s unspecified argument order: in
//     h.list_append(list, h.alloc_str("x"));      // WRONG
// the rooted `list` may be read before alloc_str moves it. Allocate first:
//     value s = h.alloc_str("x");
//     h.list_append(list, s);                      // right
// (and root s too if anything else allocates before it is used).
//
// Roots must be removed (rooted/root_scope destroyed) before their heap is.
//
// Shared binaries (str/bytes of 64 bytes or more): the heap object holds one
// reference and sits on the heap's list of shared objects. After a collection
// the references of objects that died are released; destroying the heap
// releases the rest. Binaries live off the heap, so they do not fill the
// block: the heap also collects when the binaries it took on since the last
// collection pass a threshold (as BEAM's binary virtual heap).
//
// Limit: a block never grows past heap_options::limit_bytes. An allocation
// that cannot fit even after collecting and growing to the limit throws
// heap_exhausted (the VM raises MemoryError), leaving the heap consistent and
// usable. (During a collection, from- and to-space exist at once.)
#pragma once
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp {

struct heap_options {
    // The largest block (live data + free room). Unlimited by default.
    std::size_t limit_bytes = std::numeric_limits<std::size_t>::max();
    // The first block, allocated on the first allocation.
    std::size_t first_block_bytes = 512;
    // Collect when the shared binaries taken on since the last collection pass
    // max(this, 2 x the binaries that survived it).
    std::size_t shared_trigger_bytes = 4u << 20;
};

// An allocation that does not fit under the heap's limit. The heap is intact.
class heap_exhausted : public std::runtime_error {
public:
    heap_exhausted(std::size_t requested, std::size_t limit);
    std::size_t requested;
    std::size_t limit;
};

// A mutation of a frozen (module-level, shared) value. The VM raises TypeError.
struct frozen_value_error : std::logic_error {
    frozen_value_error() : std::logic_error("cannot modify a frozen value") {}
};

// A registered range of root values: begin/count may be changed by their
// owner at any time outside a collection (e.g. when a register file grows).
// Linked into the heap's list (doubly, so ranges may come and go in any
// order); the heap never allocates for roots.
struct root_range {
    value* begin = nullptr;
    std::size_t count = 0;
    root_range* next = nullptr;
    root_range** pprev = nullptr;
};

class heap {
public:
    explicit heap(heap_options opts = {});
    ~heap();  // frees the block at once; releases the shared binaries
    heap(const heap&) = delete;
    heap& operator=(const heap&) = delete;

    // -- Roots ---------------------------------------------------------------
    // The heap keeps the address of a root range that usually lives on the
    // caller's stack, until the range's owner removes it: GCC 12 cannot see
    // the removal and warns about the stored address.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
    void add_roots(root_range& r) noexcept {
        assert(&r != roots_ && "a root range added twice (a destructor that never ran?)");
        r.next = roots_;
        r.pprev = &roots_;
        if (roots_) roots_->pprev = &r.next;
        roots_ = &r;
    }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
    static void remove_roots(root_range& r) noexcept {
        *r.pprev = r.next;
        if (r.next) r.next->pprev = r.pprev;
    }

    // -- Allocation (each may collect; see the header comment) --------------
    // Raw: an object of `words` 8-byte words, header set, payload
    // uninitialized. The caller must fill every traced slot before the next
    // allocation.
    static constexpr std::size_t max_object_words = std::numeric_limits<std::uint32_t>::max();
    obj* allocate(obj_kind k, std::size_t words) {
        std::size_t bytes = words * 8;
        if (bytes > std::size_t(end_ - top_) || words > max_object_words) [[unlikely]]
            return allocate_slow(k, words);
        obj* o = reinterpret_cast<obj*>(top_);
        top_ += bytes;
        o->kind = k;
        o->flags = 0;
        o->spare = 0;
        o->words = std::uint32_t(words);
        return o;
    }

    // str (shared_str from 64 bytes on). `utf8` must be valid UTF-8.
    value alloc_str(std::string_view utf8);
    // bytes (shared_bytes from 64 bytes on).
    value alloc_bytes(std::string_view data);
    value alloc_bytes(std::span<const std::byte> data);
    // Wraps a binary received from elsewhere (a message): takes over one
    // reference of the caller's, also when it throws (it is then released).
    // Hash and length are computed on first use.
    value adopt_shared_str(weft::shared_binary* bin);
    value adopt_shared_bytes(weft::shared_binary* bin);

    // A tuple of n Nones (the caller fills items() before allocating again).
    value alloc_tuple(std::size_t n);
    // A tuple of these items (copied into a root before allocating).
    value alloc_tuple(std::span<const value> items);
    // Raw value storage of n Nones.
    value alloc_array(std::size_t n);

    // An empty list with room for `capacity` items.
    value alloc_list(std::size_t capacity = 0);
    // Appends v; grows the items array by half when full. Throws
    // frozen_value_error for a frozen list.
    void list_append(value list, value v);
    // Removes and returns the last item (precondition: length > 0).
    value list_pop(value list);

    // An empty dict, sized for `expected` entries.
    value alloc_dict(std::size_t expected = 0);
    // d[key] = v. Throws unhashable_key (from the key hash), frozen_value_error.
    void dict_set(value d, value key, value v);
    // d[key], or nothing. Never allocates. Throws unhashable_key.
    std::optional<value> dict_get(value d, value key);
    // del d[key]: true when it was there. Never allocates.
    bool dict_del(value d, value key);
    // Iteration in insertion order: start with pos = 0; each call gives the
    // next live entry and advances pos; false at the end.
    static bool dict_next(value d, std::uint32_t& pos, value& key, value& v) noexcept;
    static std::uint32_t dict_len(value d) noexcept { return as_dict(d)->count; }

    // -- Sets (heap_set.cpp): CPython's table, so that iteration order is
    // CPython's for keys that hash alike in both (numbers, tuples of them).
    // Keys hash with the heap's key_ops; the *_hashed forms take a hash
    // already known (from another set's slot). Mutators throw
    // frozen_value_error for a frozen set (the frozenset type is the
    // caller's to refuse).
    value alloc_set(bool frozenset = false);
    // Adds key (true when it was not there). Throws unhashable_key.
    bool set_add(value s, value key);
    bool set_add_hashed(value s, value key, std::uint64_t hash);
    // key in s (a mutable set key is looked up as the frozenset it equals,
    // here and in set_discard). Never allocates. Throws unhashable_key.
    bool set_contains(value s, value key);
    bool set_contains_hashed(value s, value key, std::uint64_t hash) const;
    // Removes key (true when it was there). Never allocates.
    bool set_discard(value s, value key);
    bool set_discard_hashed(value s, value key, std::uint64_t hash);
    // Adds every key of the set `other` (CPython's set_merge).
    void set_merge(value s, value other);
    // Grows the table once for n more keys about to be added (as CPython
    // does before adding a dict's keys).
    void set_presize(value s, std::uint32_t n);
    // Rebuilds the table for `minused` keys, dropping dummies.
    void set_resize(value s, std::uint32_t minused);
    void set_clear(value s);
    // Removes and returns a key, CPython's pop() (precondition: not empty).
    value set_pop(value s);
    // Iteration in table order: start with pos = 0.
    static bool set_next(value s, std::uint32_t& pos, value& key, std::uint64_t& hash) noexcept;
    static std::uint32_t set_len(value s) noexcept { return as_set(s)->used; }

    // A bignum object (never normalized to a small int: see make_int).
    value alloc_bignum(std::int64_t i);
    // From a magnitude (least significant limb first; high zero limbs dropped).
    value alloc_bignum(bool negative, std::span<const limb> magnitude);
    // A small int when it fits, else a bignum.
    value make_int(std::int64_t i) {
        return value::fits_small_int(i) ? value::from_int(i) : alloc_bignum(i);
    }

    value alloc_cell(value v);
    value alloc_pid(const weft::pid& p);
    value alloc_ref(const weft::ref& r);
    // A VM object: traced_slots Nones, then raw_bytes zeroed bytes.
    value alloc_native(std::uint32_t traced_slots, std::uint32_t raw_bytes);

    // -- Collection ----------------------------------------------------------
    void collect();

    // -- Dict keys: the VM may install its own hashing and equality. They
    // must not allocate on this heap. The defaults are default_hash and
    // default_equal (object.hpp).
    struct key_ops {
        std::uint64_t (*hash)(value);
        bool (*equal)(value, value);
    };
    void set_key_ops(key_ops ops) noexcept { keys_ = ops; }

    // -- Accounting ----------------------------------------------------------
    // Bytes in the block now: live data and what was allocated since the
    // last collection.
    std::size_t bytes_allocated() const noexcept { return std::size_t(top_ - begin_); }
    // Bytes ever allocated by this heap (not counting collector copies).
    std::uint64_t total_bytes_allocated() const noexcept {
        return total_allocated_ + (bytes_allocated() - live_after_gc_);
    }
    std::size_t live_bytes_after_last_gc() const noexcept { return live_after_gc_; }
    std::size_t block_bytes() const noexcept { return std::size_t(end_ - begin_); }
    // Bytes of the shared binaries this heap's objects hold references to.
    std::size_t shared_bytes() const noexcept { return shared_bytes_; }
    std::uint64_t collections() const noexcept { return collections_; }
    std::chrono::nanoseconds last_pause() const noexcept { return std::chrono::nanoseconds(last_pause_ns_); }
    std::chrono::nanoseconds max_pause() const noexcept { return std::chrono::nanoseconds(max_pause_ns_); }
    std::chrono::nanoseconds total_pause() const noexcept { return std::chrono::nanoseconds(total_pause_ns_); }
    std::size_t limit_bytes() const noexcept { return limit_; }
    // What a fresh heap will cost once it allocates: the heap object and its
    // first block (before that, only the object).
    std::size_t fresh_footprint_bytes() const noexcept { return sizeof(heap) + first_block_; }

    // Checks the heap's invariants, for tests and for debugging the VM: each
    // object has a known kind and fits the block; every traced slot and root
    // is unboxed, in this block, or frozen; the shared list is sound. Returns
    // what is wrong, or an empty string. Walks the whole block.
    std::string verify() const;

    // True when p points into this heap's current block.
    bool in_block(const void* p) const noexcept {
        auto* c = static_cast<const char*>(p);
        return c >= begin_ && c < top_;
    }

private:
    struct block {
        char* begin = nullptr;
        std::size_t bytes = 0;   // usable
        std::size_t mapped = 0;  // length of the mapping, 0 when malloc'd
    };

    obj* allocate_slow(obj_kind k, std::size_t words);
    // Makes sure `bytes` more fit without a collection (collecting if needed).
    void reserve(std::size_t bytes);
    void collect_for(std::size_t request);        // gc.cpp
    void evacuate(block to);                      // gc.cpp: one Cheney pass
    block alloc_block(std::size_t bytes);         // gc.cpp
    static void free_block(char* begin, std::size_t mapped) noexcept;
    value adopt_shared(obj_kind k, weft::shared_binary* bin);
    value new_dict_table(std::uint32_t index_size);
    void dict_resize(value d, std::uint32_t min_count);
    std::int32_t dict_find(dict_table_obj* t, value key, std::uint64_t hash, std::uint32_t& slot) const;
    value new_set_table(std::uint32_t size);

    char* begin_ = nullptr;
    char* top_ = nullptr;
    char* end_ = nullptr;
    std::size_t mapped_ = 0;           // mapping length when the block is mmap'd
    root_range* roots_ = nullptr;
    shared_obj* shared_ = nullptr;     // list of this heap's shared_str/shared_bytes
    std::size_t shared_bytes_ = 0;
    std::size_t shared_trigger_;
    std::size_t limit_;
    std::size_t first_block_;
    std::size_t shared_trigger_min_;
    std::size_t live_after_gc_ = 0;
    std::uint64_t total_allocated_ = 0;
    std::uint64_t collections_ = 0;
    std::int64_t last_pause_ns_ = 0;
    std::int64_t max_pause_ns_ = 0;
    std::int64_t total_pause_ns_ = 0;
    key_ops keys_;
};

// Registers values [begin, begin + count) as roots for its lifetime.
class root_scope {
public:
    root_scope(heap& h, value* begin, std::size_t count) noexcept {
        range_.begin = begin;
        range_.count = count;
        h.add_roots(range_);
    }
    root_scope(heap& h, std::span<value> values) noexcept : root_scope(h, values.data(), values.size()) {}
    ~root_scope() { heap::remove_roots(range_); }
    root_scope(const root_scope&) = delete;
    root_scope& operator=(const root_scope&) = delete;
    // The range moved or changed size (e.g. a vector grew).
    void reset(value* begin, std::size_t count) noexcept {
        range_.begin = begin;
        range_.count = count;
    }

private:
    root_range range_;
};

// One value kept alive and up to date across allocations, for C++ code.
class rooted {
public:
    explicit rooted(heap& h, value v = value()) noexcept : v_(v) {
        range_.begin = &v_;
        range_.count = 1;
        h.add_roots(range_);
    }
    ~rooted() { heap::remove_roots(range_); }
    rooted(const rooted&) = delete;
    rooted& operator=(const rooted&) = delete;

    value get() const noexcept { return v_; }
    operator value() const noexcept { return v_; }
    rooted& operator=(value v) noexcept {
        v_ = v;
        return *this;
    }
    obj* as_obj() const noexcept { return v_.as_obj(); }

private:
    value v_;
    root_range range_;
};

// Module constants: objects that are never moved or collected, marked
// frozen, which many heaps may point at (read-only, from any thread, once the
// arena is built). They may point only at frozen objects. Freed all at once
// with the arena, which must outlive every heap that refers to it.
class frozen_arena {
public:
    explicit frozen_arena(std::size_t chunk_bytes = 64 * 1024);
    ~frozen_arena();
    frozen_arena(const frozen_arena&) = delete;
    frozen_arena& operator=(const frozen_arena&) = delete;

    value alloc_str(std::string_view utf8);
    value alloc_bytes(std::string_view data);
    // Items must be unboxed or frozen (std::invalid_argument otherwise).
    value alloc_tuple(std::span<const value> items);
    value alloc_bignum(bool negative, std::span<const limb> magnitude);
    value alloc_pid(const weft::pid& p);
    value alloc_ref(const weft::ref& r);
    // A deep, frozen copy of v (from any heap; v is not changed), sharing
    // preserved; v itself when unboxed or already frozen. Lists and dicts
    // become frozen lists and dicts: the heap's helpers refuse to mutate them.
    value freeze(value v);

    bool contains(const void* p) const noexcept;
    std::size_t bytes() const noexcept { return bytes_; }

private:
    obj* allocate(obj_kind k, std::size_t words);
    value share(obj_kind k, weft::shared_binary* bin);

    std::vector<char*> chunks_;
    std::vector<std::size_t> chunk_sizes_;
    char* top_ = nullptr;
    char* end_ = nullptr;
    shared_obj* shared_ = nullptr;
    std::size_t chunk_bytes_;
    std::size_t bytes_ = 0;
};

}  // namespace weft::interp
