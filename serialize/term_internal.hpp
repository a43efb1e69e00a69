// term_internal.hpp: the inside of weft::term, for serialize/'s own files only.
//
// The codec builds and reads terms in place (no temporary vectors), so it needs
// the heap node layout that term.cpp uses. Nothing outside serialize/ may
// include this; the layout may change at any time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include "serialize/shared_binary.hpp"
#include "serialize/term.hpp"

namespace weft::detail {

// The heap block behind a tuple, list, dict or function: a header followed by
// `count` child terms. A dict stores dict_entry objects (key, value) and counts
// two children per entry. A function's first three children are its module
// (str), index (int) and name (str); its captures follow.
struct term_node {
    term_node* link;     // used only while a destroy walk frees this node
    std::uint32_t count; // child terms
    term_kind kind;      // set by the destroy walk

    term* terms() noexcept { return std::launder(reinterpret_cast<term*>(this + 1)); }
    dict_entry* entries() noexcept { return std::launder(reinterpret_cast<dict_entry*>(this + 1)); }
};
static_assert(sizeof(term_node) == 16 && alignof(term) <= 16);

inline constexpr std::uint32_t function_fixed_children = 3;

// Friend of term: the codec's and the walks' way in.
struct term_walk {
    static term_kind kind(const term& t) noexcept { return t.kind_; }
    static term_node* node(const term& t) noexcept { return t.u_.node; }
    static bool has_children(const term& t) noexcept { return t.kind_ >= term_kind::tuple && t.u_.node; }
    static std::uint32_t child_count(const term& t) noexcept {
        return has_children(t) ? t.u_.node->count : 0;
    }
    static term& child(term_kind k, term_node* n, std::size_t i) noexcept {
        if (k == term_kind::dict) {
            dict_entry& e = n->entries()[i / 2];
            return (i & 1) ? e.value : e.key;
        }
        return n->terms()[i];
    }
    static const term& child(const term& t, std::size_t i) noexcept { return child(t.kind_, t.u_.node, i); }

    // A node of `count` children, all None. count == 0 gives nullptr.
    static term_node* make_node(term_kind k, std::size_t count);
    // Makes `t` (which must be None) a compound of kind k with `count` None children.
    static term_node* make_compound(term& t, term_kind k, std::size_t count) {
        term_node* n = make_node(k, count);
        t.kind_ = k;
        t.u_.node = n;
        return n;
    }
    // Sets `t` (None) to a str/bytes that refers to b, taking over the caller's reference.
    static void adopt_shared(term& t, term_kind k, shared_binary* b) noexcept {
        t.kind_ = k;
        t.flags_ = term::shared_flag;
        t.u_.shared = b;
    }
    static void set_bytes(term& t, term_kind k, std::span<const std::byte> b) { t = term::from_bytes(k, b); }
    static void set_int(term& t, std::int64_t v) noexcept {
        t.kind_ = term_kind::integer;
        t.u_.i = v;
    }
    static void set_float(term& t, double v) noexcept {
        t.kind_ = term_kind::floating;
        t.u_.f = v;
    }
    static void set_bool(term& t, bool v) noexcept {
        t.kind_ = term_kind::boolean;
        t.u_.b = v;
    }
    static void set_pid(term& t, pid p) noexcept {
        t.kind_ = term_kind::pid;
        std::memcpy(t.u_.raw, &p, sizeof p);
    }
    static void set_ref(term& t, ref r) noexcept {
        t.kind_ = term_kind::ref;
        std::memcpy(t.u_.raw, &r, sizeof r);
    }
    static void set_port(term& t, port p) noexcept {
        t.kind_ = term_kind::port;
        std::memcpy(t.u_.raw, &p, sizeof p);
    }
    // Makes t None without freeing anything (its node or binary now belongs elsewhere).
    static void detach(term& t) noexcept;
    static std::span<const std::byte> payload(const term& t) noexcept { return t.byte_payload(); }
    static bool negative(const term& t) noexcept { return t.flags_ & term::negative_flag; }
};

}  // namespace weft::detail
