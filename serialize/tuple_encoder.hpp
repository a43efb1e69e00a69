// tuple_encoder.hpp: encodes a flat tuple of C++ scalars straight into an envelope.
//
// Most messages are small tuples of scalars: ("ping", pid, 42). Building a
// weft::term for them costs allocations and a generic walk; this writes the
// very same words directly, shaped at compile time:
//
//     self.send(to, weft::tuple_of("ping", self.self(), n));
//
// Elements may be integers, bool, double, strings (const char*, std::string,
// std::string_view: 64 bytes or more go by reference as shared binaries, as
// always), pid, ref and std::nullptr_t (None). Anything else takes the
// weft::term path. The words are exactly what encode(term) writes for the same
// value (tests hold both to that); it must never produce anything else.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "serialize/envelope.hpp"
#include "serialize/layout.hpp"
#include "serialize/shared_binary.hpp"

namespace weft {

// The arguments of a tuple to send; holds references, so use it at once.
template <class... Args>
struct tuple_args {
    std::tuple<const Args&...> items;
};
template <class... Args>
tuple_args<Args...> tuple_of(const Args&... items) {
    return {{items...}};
}

namespace detail {

template <class T>
constexpr bool is_text_v = std::is_convertible_v<const T&, std::string_view> && !std::is_same_v<T, std::nullptr_t>;

template <class T>
std::string_view as_text(const T& v) {
    return std::string_view(v);
}

// Words an element needs after the tuple's element list (its pointed-to object).
template <class T>
std::size_t extra_words(const T& v) {
    if constexpr (is_text_v<T>) {
        std::size_t n = as_text(v).size();
        return n >= shared_binary_threshold ? 0 : (n + 1 + 7) / 8;  // bytes + NUL, in words
    } else if constexpr (std::is_same_v<T, pid> || std::is_same_v<T, ref>) {
        return layout::id_data_words;
    } else {
        return 0;
    }
}

// Writes element `v` into its 3-word Term slot at `slot`; objects go at `next`.
template <class T>
void write_element(envelope& e, std::uint64_t* words, std::size_t slot, std::size_t& next, const T& v) {
    using namespace layout;
    std::uint64_t* term = words + slot;
    term[0] = term[1] = term[2] = 0;
    auto point_to = [&](std::uint64_t target) { return std::int64_t(target) - std::int64_t(slot + term_data_words + 1); };
    if constexpr (std::is_same_v<T, bool>) {
        term[0] = tag_bool | (std::uint64_t(v) << term_bool_bit);
    } else if constexpr (std::is_integral_v<T>) {
        static_assert(sizeof(T) < 8 || std::is_signed_v<T>, "unsigned 64-bit values may not fit: use weft::term");
        term[0] = tag_int;
        term[1] = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
        double d = v;
        term[0] = tag_float;
        std::memcpy(&term[1], &d, sizeof d);
    } else if constexpr (std::is_same_v<T, std::nullptr_t>) {
        term[0] = tag_none;
    } else if constexpr (std::is_same_v<T, pid> || std::is_same_v<T, ref>) {
        term[0] = std::is_same_v<T, pid> ? tag_pid : tag_ref;
        term[2] = struct_pointer(point_to(next), id_data_words, id_pointers);
        words[next] = std::uint64_t(v.node) | std::uint64_t(v.creation) << 32;
        words[next + 1] = v.serial;
        next += id_data_words;
    } else {
        static_assert(is_text_v<T>, "tuple_of takes integers, bool, double, strings, pid, ref or nullptr");
        std::string_view s = as_text(v);
        if (s.size() >= shared_binary_threshold) {
            shared_binary* b = shared_binary::make(s);
            term[0] = tag_shared_str;
            term[1] = e.add_binary(b);
            b->release();  // the envelope holds its own reference
        } else {
            term[0] = tag_str;
            std::size_t n = (s.size() + 1 + 7) / 8;
            term[2] = list_pointer(point_to(next), elem_byte, s.size() + 1);
            words[next + n - 1] = 0;  // zero padding and the NUL
            std::memcpy(words + next, s.data(), s.size());
            next += n;
        }
    }
}

}  // namespace detail

// Replaces e's words with the tuple (a, b, ...).
template <class... Args>
void encode(const tuple_args<Args...>& t, envelope& e) {
    using namespace layout;
    constexpr std::size_t count = sizeof...(Args);
    static_assert(count > 0, "an empty tuple: send weft::term::tuple({})");
    constexpr std::size_t list_start = 1 + term_words;            // root pointer, root Term
    constexpr std::size_t objects = list_start + 1 + count * term_words;  // after the tag and elements
    std::size_t extra = std::apply([](const auto&... v) { return (std::size_t{0} + ... + detail::extra_words(v)); },
                                   t.items);
    e.clear();
    std::uint64_t* words = e.reserve_words(objects + extra);
    words[0] = root_pointer;
    words[1] = tag_tuple;
    words[2] = 0;
    words[3] = list_pointer(std::int64_t(list_start) - 4, elem_composite, count * term_words);
    words[4] = composite_tag(count, term_data_words, term_pointers);
    std::size_t next = objects, slot = list_start + 1;
    std::apply([&](const auto&... v) { ((detail::write_element(e, words, slot, next, v), slot += term_words), ...); },
               t.items);
    e.set_size_words(next);
}

}  // namespace weft
