// term.hpp: weft::term, the value native C++ actors build, send and receive.
//
// A term is one of: None, bool, int (int64, or a bignum beyond int64), float,
// str, bytes, tuple, list, dict (ordered pairs), pid, ref, function. It owns its
// value outright (copying copies the tree) except strings and bytes longer than
// 16 bytes, which live in an immutable shared_binary that copies share; those of
// shared_binary_threshold (64) bytes or more also travel in messages by
// reference. A term's contents never change in place: assign a new value
// instead. Copying, comparing, printing and destroying a term never recurse on
// the C++ stack: values may be nested a million deep and fibers have 64 KiB
// stacks. A term must never point into an actor's heap.
#pragma once
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iosfwd>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "serialize/ids.hpp"

namespace weft {

class node_numbers;

class shared_binary;
class term;
struct dict_entry;

// The compound kinds come last so that "has children" is one comparison.
enum class term_kind : std::uint8_t {
    none, boolean, integer, bignum, floating, str, bytes, pid, ref, port,
    tuple, list, set, frozenset, dict, function,
};
std::string_view to_string(term_kind k) noexcept;

// Thrown by the as_...() accessors when the term holds another kind.
class bad_term_access : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// An integer outside int64: sign and magnitude, little-endian, no high zero bytes.
struct bignum_view {
    bool negative = false;
    std::span<const std::byte> magnitude;
};

struct function_view {
    std::string_view module;
    std::uint32_t index = 0;
    std::string_view name;
    std::span<const term> captures;
};

namespace detail {
struct term_node;
struct term_walk;
}

class term {
public:
    term() noexcept {}
    term(bool b) noexcept : kind_(term_kind::boolean) { u_.b = b; }
    template <std::integral T>
        requires(!std::same_as<T, bool>)
    term(T v) {
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
            if (v > static_cast<T>(std::numeric_limits<std::int64_t>::max())) {
                *this = from_uint64(static_cast<std::uint64_t>(v));
                return;
            }
        }
        kind_ = term_kind::integer;
        u_.i = static_cast<std::int64_t>(v);
    }
    template <std::floating_point T>
    term(T v) noexcept : kind_(term_kind::floating) { u_.f = static_cast<double>(v); }
    term(pid p) noexcept : kind_(term_kind::pid) { std::memcpy(u_.raw, &p, sizeof p); }
    term(ref r) noexcept : kind_(term_kind::ref) { std::memcpy(u_.raw, &r, sizeof r); }
    term(port p) noexcept : kind_(term_kind::port) { std::memcpy(u_.raw, &p, sizeof p); }
    // `term("x")` would silently be `true`; say term::str("x").
    template <class T>
    term(T*) = delete;

    static term str(std::string_view s);
    static term bytes(std::span<const std::byte> b);
    static term bytes(std::string_view b);
    // Terms that refer to an existing buffer (each acquires its own reference).
    static term shared_str(shared_binary* b);
    static term shared_bytes(shared_binary* b);
    // Normalized: a value that fits int64 becomes a plain int.
    static term bignum(bool negative, std::span<const std::byte> magnitude_le);
    static term tuple(std::initializer_list<term> items);
    static term tuple(std::vector<term> items);
    static term list(std::initializer_list<term> items);
    static term list(std::vector<term> items);
    // Items in the order they were given (a set or frozenset of a script
    // actor's message: no duplicates, as the receiver hashes them again).
    static term set(std::vector<term> items);
    static term frozenset(std::vector<term> items);
    static term dict(std::initializer_list<dict_entry> entries);
    static term dict(std::vector<dict_entry> entries);
    static term function(std::string_view module, std::uint32_t index, std::string_view name,
                         std::vector<term> captures = {});

    term(const term& other);
    term(term&& other) noexcept : kind_(other.kind_), flags_(other.flags_), len_(other.len_), u_(other.u_) {
        other.kind_ = term_kind::none;
        other.flags_ = 0;
    }
    term& operator=(const term& other);
    term& operator=(term&& other) noexcept;
    ~term() {
        if (kind_ >= term_kind::tuple || (flags_ & shared_flag)) drop();
    }

    term_kind kind() const noexcept { return kind_; }
    bool is_none() const noexcept { return kind_ == term_kind::none; }
    bool is_bool() const noexcept { return kind_ == term_kind::boolean; }
    bool is_int() const noexcept { return kind_ == term_kind::integer; }
    bool is_bignum() const noexcept { return kind_ == term_kind::bignum; }
    bool is_float() const noexcept { return kind_ == term_kind::floating; }
    bool is_str() const noexcept { return kind_ == term_kind::str; }
    bool is_bytes() const noexcept { return kind_ == term_kind::bytes; }
    bool is_tuple() const noexcept { return kind_ == term_kind::tuple; }
    bool is_list() const noexcept { return kind_ == term_kind::list; }
    bool is_set() const noexcept { return kind_ == term_kind::set || kind_ == term_kind::frozenset; }
    bool is_dict() const noexcept { return kind_ == term_kind::dict; }
    bool is_pid() const noexcept { return kind_ == term_kind::pid; }
    bool is_ref() const noexcept { return kind_ == term_kind::ref; }
    bool is_port() const noexcept { return kind_ == term_kind::port; }
    bool is_function() const noexcept { return kind_ == term_kind::function; }

    bool as_bool() const { return expect(term_kind::boolean).u_.b; }
    std::int64_t as_int() const { return expect(term_kind::integer).u_.i; }
    double as_float() const { return expect(term_kind::floating).u_.f; }
    pid as_pid() const { return std::bit_cast<pid>(expect(term_kind::pid).u_.raw); }
    ref as_ref() const { return std::bit_cast<ref>(expect(term_kind::ref).u_.raw); }
    port as_port() const { return std::bit_cast<port>(expect(term_kind::port).u_.raw); }
    std::string_view as_str() const;
    std::span<const std::byte> as_bytes() const;
    bignum_view as_bignum() const;
    function_view as_function() const;
    // Tuple or list items.
    std::span<const term> elements() const;
    const term& operator[](std::size_t i) const { return elements()[i]; }
    std::span<const dict_entry> entries() const;
    // The value of the first entry whose key equals `key`, or nullptr.
    const term* find(const term& key) const;
    // Items of a tuple/list, entries of a dict, bytes of a str/bytes, else 0.
    std::size_t size() const noexcept;
    // The buffer behind a str/bytes longer than 16 bytes, or nullptr.
    shared_binary* shared() const noexcept { return (flags_ & shared_flag) ? u_.shared : nullptr; }

    // Python's repr: None True 'it\'s' b'\x00' 1.5 1e+20 (1,) [1, 2] {'k': 2};
    // pids print as <N.S.C> (node_numbers.hpp): with this node's table when
    // given, else with the raw node id and creation; refs as #Ref<...>.
    // With a `limit`, stops soon after that many bytes: a prefix, for a short
    // label (a trace's), that costs no more to make for a 1 MiB value.
    std::string repr(node_numbers* names = nullptr, std::size_t limit = SIZE_MAX) const;

    // Structural: same kind and same contents (dicts in order). 1 != 1.0 here,
    // and NaN equals NaN, so that a value always equals its own round trip.
    friend bool operator==(const term& a, const term& b);

private:
    friend struct detail::term_walk;
    static constexpr std::uint8_t shared_flag = 1;    // str/bytes/bignum bytes in u_.shared
    static constexpr std::uint8_t negative_flag = 2;  // bignum sign
    static constexpr std::size_t inline_bytes = 16;

    static term from_uint64(std::uint64_t v);
    static term from_bytes(term_kind k, std::span<const std::byte> b);
    static term from_items(term_kind k, std::span<const term> items);
    static term from_items(term_kind k, std::vector<term>&& items);
    const term& expect(term_kind k) const {
        if (kind_ != k) throw_bad_access(k);
        return *this;
    }
    [[noreturn]] void throw_bad_access(term_kind wanted) const;
    std::span<const std::byte> byte_payload() const noexcept;
    void drop() noexcept;

    term_kind kind_ = term_kind::none;
    std::uint8_t flags_ = 0;
    std::uint8_t len_ = 0;  // bytes held inline in u_.small
    union payload {
        std::uint64_t raw[2]{0, 0};  // also pid and ref, which are not allowed in a union
        bool b;
        std::int64_t i;
        double f;
        std::byte small[inline_bytes];
        shared_binary* shared;
        detail::term_node* node;  // compound kinds; nullptr when empty
    } u_;
};

struct dict_entry {
    term key;
    term value;
    friend bool operator==(const dict_entry&, const dict_entry&) = default;
};

static_assert(sizeof(term) == 24);
static_assert(sizeof(pid) == 16 && sizeof(ref) == 16);

// For test failure messages and logs: writes t.repr().
std::ostream& operator<<(std::ostream& os, const term& t);

}  // namespace weft
