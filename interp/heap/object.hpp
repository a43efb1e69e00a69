// object.hpp: the layout of every heap object, and the plain operations on
// them that need no allocation (views, hashing, structural equality).
//
// Every object starts with an 8-byte header `obj` followed by its payload, and
// its whole size is header.words * 8 bytes, so the collector can walk a block
// object by object and copy one with a memcpy. Objects hold no C++ resources
// except a shared_binary reference (shared_str/shared_bytes, which the heap
// tracks on a list) and no pointers into the heap except in `value` slots,
// which traced_slots() below returns as one contiguous span per object: that
// span is the only layout knowledge the collector has. Keep it so when adding
// kinds: one contiguous run of values, everything else raw.
//
// Objects move on collection. Never keep a raw obj* (or a pointer into an
// object's payload) across an allocation; re-read it from a rooted value.
// Never hash by address for the same reason: hashes are content hashes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "interp/heap/value.hpp"
#include "serialize/ids.hpp"
#include "serialize/shared_binary.hpp"

namespace weft::interp {

enum class obj_kind : std::uint8_t {
    str = 1,       // inline UTF-8, shorter than shared_binary_threshold bytes
    bytes,         // inline bytes, shorter than shared_binary_threshold bytes
    shared_str,    // UTF-8 in an off-heap shared_binary (one reference held)
    shared_bytes,  // bytes in an off-heap shared_binary (one reference held)
    tuple,         // inline values
    list,          // length, capacity, an `array` of values
    array,         // raw value storage (a list's items)
    dict,          // count, used, a `dict_table`
    dict_table,    // a dict's entries and index (internal)
    bignum,        // sign + GMP limbs inline
    cell,          // one value: a variable captured by a closure
    pid,
    ref,
    native,        // reserved for the VM: traced value slots + raw bytes
    set,           // used, fill, finger, a `set_table` (spare: set_frozenset for a frozenset)
    set_table,     // a set's slots: keys and their hashes (internal)
};
inline constexpr int obj_kind_count = 17;  // one past the last kind

const char* kind_name(obj_kind k) noexcept;

namespace obj_flags {
inline constexpr std::uint8_t frozen = 1;     // in a frozen_arena: immutable, never moved
inline constexpr std::uint8_t forwarded = 2;  // collector only: header holds the new address
inline constexpr std::uint8_t hashed = 4;     // shared_str/shared_bytes: `hash` is valid
inline constexpr std::uint8_t counted = 8;    // shared_str: `cp_count` is valid
}  // namespace obj_flags

// The header. words counts the whole object in 8-byte words, header included
// (so at most 32 GiB per object). A forwarded object (from-space, during a
// collection only) keeps kind and flags and stores its new address in the
// upper 48 bits of the header word (bytes 2..7: spare and words).
struct obj {
    obj_kind kind;
    std::uint8_t flags;
    std::uint16_t spare;
    std::uint32_t words;

    bool frozen() const noexcept { return flags & obj_flags::frozen; }
    std::size_t size_bytes() const noexcept { return std::size_t(words) * 8; }
};
static_assert(sizeof(obj) == 8);

// -- Layouts. Payload arrays follow the fixed part (this + 1). ---------------

struct str_obj : obj {          // 24 bytes + bytes, NUL-terminated
    std::uint32_t byte_len;
    std::uint32_t cp_count;     // code points
    std::uint64_t hash;         // hash_string(bytes), computed at creation
    char* data() noexcept { return reinterpret_cast<char*>(this + 1); }
    std::string_view view() noexcept { return {data(), byte_len}; }
};
static_assert(sizeof(str_obj) == 24);

struct bytes_obj : obj {        // 16 bytes + bytes
    std::uint64_t len;
    std::byte* data() noexcept { return reinterpret_cast<std::byte*>(this + 1); }
    std::string_view view() noexcept { return {reinterpret_cast<char*>(this + 1), len}; }
};
static_assert(sizeof(bytes_obj) == 16);

// shared_str and shared_bytes. hash and cp_count are computed lazily for
// objects of an actor's heap (flags hashed/counted; adopting a 1 MiB binary
// from a message costs no scan) and eagerly for frozen ones (read by many
// threads). `next` links the heap's (or arena's) list of shared objects.
struct shared_obj : obj {       // 40 bytes
    weft::shared_binary* bin;
    shared_obj* next;
    std::uint64_t hash;
    std::uint64_t cp_count;     // shared_str only
    std::string_view view() const noexcept { return bin->view(); }
};
static_assert(sizeof(shared_obj) == 40);

struct tuple_obj : obj {        // 8 bytes + 8 per item
    std::uint32_t length() const noexcept { return words - 1; }
    value* items() noexcept { return reinterpret_cast<value*>(this + 1); }
};

struct array_obj : obj {        // 8 bytes + 8 per slot
    std::uint32_t capacity() const noexcept { return words - 1; }
    value* slots() noexcept { return reinterpret_cast<value*>(this + 1); }
};

// items is an array (capacity slots; those past length are None) or None
// when capacity is 0. Growing replaces the array.
struct list_obj : obj {         // 24 bytes
    std::uint32_t length;
    std::uint32_t capacity;
    value items;
    value* slots() noexcept {
        return items.is_obj() ? reinterpret_cast<array_obj*>(items.as_obj())->slots() : nullptr;
    }
};
static_assert(sizeof(list_obj) == 24);

// A compact, insertion-ordered dict (as CPython 3.6+): entries are appended in
// order to the table; `indices` is an open-addressed hash index of int32
// entry numbers (dict_ix_empty / dict_ix_dummy). A deleted entry keeps its
// place as a tombstone (key and value empty()) until the table is rebuilt.
struct dict_obj : obj {         // 24 bytes
    std::uint32_t count;        // live entries
    std::uint32_t used;         // entries used in the table, tombstones included
    value table;                // dict_table or None
};
static_assert(sizeof(dict_obj) == 24);

inline constexpr std::int32_t dict_ix_empty = -1;
inline constexpr std::int32_t dict_ix_dummy = -2;

// Layout after the fixed part: value kv[2 * capacity] (key, value pairs:
// the traced part), std::uint64_t hashes[capacity], std::int32_t
// indices[index_size] (index_size a power of two, capacity = index_size*2/3).
struct dict_table_obj : obj {   // 16 bytes + 20 * capacity + 4 * index_size
    std::uint32_t capacity;
    std::uint32_t index_size;
    value* kv() noexcept { return reinterpret_cast<value*>(this + 1); }
    std::uint64_t* hashes() noexcept { return reinterpret_cast<std::uint64_t*>(kv() + 2 * std::size_t(capacity)); }
    std::int32_t* indices() noexcept { return reinterpret_cast<std::int32_t*>(hashes() + capacity); }
    static std::size_t words_for(std::uint32_t capacity, std::uint32_t index_size) noexcept {
        return 2 + 3 * std::size_t(capacity) + (std::size_t(index_size) * 4 + 7) / 8;
    }
};
static_assert(sizeof(dict_table_obj) == 16);

// A set, as CPython's setobject.c (so that a set of small ints iterates and
// prints in CPython's order): an open-addressed table of `size` slots (a
// power of two, at least 8), probed linearly nine slots at a time and then
// with CPython's perturbation. A slot is unused (key empty(), hash 0), a
// dummy left by a removal (key empty(), hash set_dummy_hash) or live. `fill`
// counts live and dummy slots; the table grows when fill reaches 3/5 of it.
// The table is None until the first key arrives (an empty set of size 8).
inline constexpr std::uint16_t set_frozenset = 1;  // header spare: the frozenset type
inline constexpr std::uint64_t set_dummy_hash = ~std::uint64_t(0);  // no key hashes to -1 (see default_hash)
struct set_obj : obj {          // 32 bytes
    std::uint32_t used;         // live keys
    std::uint32_t fill;         // live and dummy slots
    std::uint32_t finger;       // where pop() looks first
    std::uint32_t reserved;
    value table;                // set_table or None
};
static_assert(sizeof(set_obj) == 32);

// Layout after the fixed part: value keys[size] (the traced part),
// std::uint64_t hashes[size].
struct set_table_obj : obj {    // 16 bytes + 16 * size
    std::uint32_t size;
    std::uint32_t reserved;
    value* keys() noexcept { return reinterpret_cast<value*>(this + 1); }
    std::uint64_t* hashes() noexcept { return reinterpret_cast<std::uint64_t*>(keys() + size); }
    static std::size_t words_for(std::uint32_t size) noexcept { return 2 + 2 * std::size_t(size); }
};
static_assert(sizeof(set_table_obj) == 16);

// GMP's representation without the pointer: `size` is the signed limb count
// (as mpz's _mp_size: negative for negative numbers, 0 for zero), the limbs
// follow, least significant first, most significant non-zero. mpn_* work on
// limbs() directly; the object moves freely and needs no finalizer.
using limb = std::uint64_t;     // mp_limb_t on every 64-bit target we build for
struct bignum_obj : obj {       // 16 bytes + 8 per limb
    std::int32_t size;
    std::uint32_t spare2;
    std::uint32_t limb_count() const noexcept { return std::uint32_t(size < 0 ? -size : size); }
    bool negative() const noexcept { return size < 0; }
    limb* limbs() noexcept { return reinterpret_cast<limb*>(this + 1); }
};
static_assert(sizeof(bignum_obj) == 16);

struct cell_obj : obj {         // 16 bytes
    value v;
};

struct pid_obj : obj {          // 24 bytes
    weft::pid p;
};

struct ref_obj : obj {          // 24 bytes
    weft::ref r;
};

// For the VM's own layouts (closures, frames, code refs): traced value slots
// first, then raw bytes the collector copies but never reads.
// The header's `spare` of a resource (objects/natives.hpp's native_kind::
// resource): the heap compares and hashes resources by what they name.
inline constexpr std::uint16_t resource_spare = 8;
struct native_obj : obj {       // 16 bytes + 8 per slot + raw rounded to 8
    std::uint32_t traced;
    std::uint32_t raw_bytes;
    value* slots() noexcept { return reinterpret_cast<value*>(this + 1); }
    std::byte* raw() noexcept { return reinterpret_cast<std::byte*>(slots() + traced); }
};
static_assert(sizeof(native_obj) == 16);

// -- Casts and views ---------------------------------------------------------

inline bool is_kind(value v, obj_kind k) noexcept { return v.is_obj() && v.as_obj()->kind == k; }
inline obj_kind kind_of(value v) noexcept { return v.as_obj()->kind; }  // precondition: is_obj

inline str_obj* as_str_obj(value v) noexcept { return static_cast<str_obj*>(v.as_obj()); }
inline bytes_obj* as_bytes_obj(value v) noexcept { return static_cast<bytes_obj*>(v.as_obj()); }
inline shared_obj* as_shared(value v) noexcept { return static_cast<shared_obj*>(v.as_obj()); }
inline tuple_obj* as_tuple(value v) noexcept { return static_cast<tuple_obj*>(v.as_obj()); }
inline array_obj* as_array(value v) noexcept { return static_cast<array_obj*>(v.as_obj()); }
inline list_obj* as_list(value v) noexcept { return static_cast<list_obj*>(v.as_obj()); }
inline dict_obj* as_dict(value v) noexcept { return static_cast<dict_obj*>(v.as_obj()); }
inline dict_table_obj* as_dict_table(value v) noexcept { return static_cast<dict_table_obj*>(v.as_obj()); }
inline set_obj* as_set(value v) noexcept { return static_cast<set_obj*>(v.as_obj()); }
inline set_table_obj* as_set_table(value v) noexcept { return static_cast<set_table_obj*>(v.as_obj()); }
// set or frozenset.
inline bool is_any_set(value v) noexcept { return is_kind(v, obj_kind::set); }
inline bool is_frozenset(value v) noexcept { return is_kind(v, obj_kind::set) && v.as_obj()->spare == set_frozenset; }
inline bignum_obj* as_bignum(value v) noexcept { return static_cast<bignum_obj*>(v.as_obj()); }
inline cell_obj* as_cell(value v) noexcept { return static_cast<cell_obj*>(v.as_obj()); }
inline pid_obj* as_pid(value v) noexcept { return static_cast<pid_obj*>(v.as_obj()); }
inline ref_obj* as_ref(value v) noexcept { return static_cast<ref_obj*>(v.as_obj()); }
inline native_obj* as_native(value v) noexcept { return static_cast<native_obj*>(v.as_obj()); }

// str is either representation; so is bytes.
inline bool is_str(value v) noexcept {
    return v.is_obj() && (v.as_obj()->kind == obj_kind::str || v.as_obj()->kind == obj_kind::shared_str);
}
inline bool is_bytes(value v) noexcept {
    return v.is_obj() && (v.as_obj()->kind == obj_kind::bytes || v.as_obj()->kind == obj_kind::shared_bytes);
}
// The UTF-8 of a str (precondition: is_str). Valid until the next allocation.
inline std::string_view str_view(value v) noexcept {
    obj* o = v.as_obj();
    return o->kind == obj_kind::str ? static_cast<str_obj*>(o)->view() : static_cast<shared_obj*>(o)->view();
}
// The bytes of a bytes value (precondition: is_bytes).
inline std::string_view bytes_view(value v) noexcept {
    obj* o = v.as_obj();
    return o->kind == obj_kind::bytes ? static_cast<bytes_obj*>(o)->view() : static_cast<shared_obj*>(o)->view();
}
// Code points of a str (computed once for a shared_str, then cached).
std::size_t str_length(value v) noexcept;

// The value slots of an object: everything the collector traces.
inline std::span<value> traced_slots(obj* o) noexcept {
    switch (o->kind) {
    case obj_kind::tuple:
    case obj_kind::array:
        return {reinterpret_cast<value*>(o + 1), std::size_t(o->words - 1)};
    case obj_kind::list:
        return {&static_cast<list_obj*>(o)->items, 1};
    case obj_kind::dict:
        return {&static_cast<dict_obj*>(o)->table, 1};
    case obj_kind::dict_table: {
        auto* t = static_cast<dict_table_obj*>(o);
        return {t->kv(), 2 * std::size_t(t->capacity)};
    }
    case obj_kind::set:
        return {&static_cast<set_obj*>(o)->table, 1};
    case obj_kind::set_table: {
        auto* t = static_cast<set_table_obj*>(o);
        return {t->keys(), std::size_t(t->size)};
    }
    case obj_kind::cell:
        return {&static_cast<cell_obj*>(o)->v, 1};
    case obj_kind::native: {
        auto* n = static_cast<native_obj*>(o);
        return {n->slots(), n->traced};
    }
    default:
        return {};
    }
}

// -- Hashing and structural equality -----------------------------------------

// Thrown by default_hash for a value that cannot be a dict key (list, dict,
// native, or a tuple holding one). The VM turns it into TypeError.
struct unhashable_key : std::invalid_argument {
    explicit unhashable_key(obj_kind k)
        : std::invalid_argument(std::string("unhashable type: ") + kind_name(k)) {}
};

// Hash of UTF-8 or byte content (64-bit, stable within a process).
std::uint64_t hash_string(std::string_view s) noexcept;
// Code points in valid UTF-8 (counts bytes that are not continuation bytes).
std::size_t count_code_points(std::string_view s) noexcept;

// Python-compatible numeric hashing (modulo 2**61 - 1), so that equal numbers
// hash alike: hash(1) == hash(1.0) == hash(True), and a bignum hashes as the
// float of the same integral value. Strings and bytes hash their content;
// tuples combine their items (CPython's xxHash-based scheme); pid and ref
// their fields. Iterative: a deeply nested tuple never recurses. Throws
// unhashable_key. May cache a shared_str's hash in the object (no allocation).
std::uint64_t default_hash(value v);

// Structural equality as Python's ==, for None, bool, int, bignum, float, str,
// bytes, tuple, pid, ref; other objects compare by identity (the VM's own
// equality takes over for lists, dicts and functions). Never allocates on a
// heap, never recurses (tuples are compared with an explicit stack).
bool default_equal(value a, value b);

// The hash a frozenset with the keys of the set s has (CPython looks a set
// up among frozensets by it: `{1} in {frozenset({1})}`).
std::uint64_t frozenset_hash_of(value s) noexcept;

// key (whose hash is known) in the set s, keys compared with `equal`.
// Never allocates (heap_set.cpp).
bool set_holds(value s, value key, std::uint64_t hash, bool (*equal)(value, value));

// The decimal (or base 2..36) text of a bignum, with '-' when negative.
std::string bignum_to_string(value v, int base = 10);

}  // namespace weft::interp
