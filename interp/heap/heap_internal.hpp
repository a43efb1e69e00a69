// heap_internal.hpp: object layouts filled in the same way by the heap and the
// frozen arena. Not for the VM: use the typed helpers of heap.hpp.
#pragma once
#include <cstring>
#include <span>
#include <string_view>

#include "interp/heap/object.hpp"

namespace weft::interp::detail {

// Whole words for a str of n bytes: the fixed part, the bytes and a NUL.
inline std::size_t str_words(std::size_t n) noexcept { return sizeof(str_obj) / 8 + (n + 1 + 7) / 8; }
inline std::size_t bytes_words(std::size_t n) noexcept { return sizeof(bytes_obj) / 8 + (n + 7) / 8; }
inline std::size_t bignum_words(std::size_t limbs) noexcept { return sizeof(bignum_obj) / 8 + limbs; }
inline constexpr std::size_t shared_words = sizeof(shared_obj) / 8;

inline void zero_last_word(obj* o) noexcept {
    reinterpret_cast<std::uint64_t*>(o)[o->words - 1] = 0;  // padding, NUL
}

// `text` must not point into memory that o overlaps.
inline void fill_str(obj* o, std::string_view text) noexcept {
    auto* s = static_cast<str_obj*>(o);
    zero_last_word(o);
    s->byte_len = std::uint32_t(text.size());
    s->cp_count = std::uint32_t(count_code_points(text));
    s->hash = hash_string(text);
    if (!text.empty()) std::memcpy(s->data(), text.data(), text.size());
}

inline void fill_bytes(obj* o, std::string_view data) noexcept {
    auto* b = static_cast<bytes_obj*>(o);
    if (o->words > sizeof(bytes_obj) / 8) zero_last_word(o);
    b->len = data.size();
    if (!data.empty()) std::memcpy(b->data(), data.data(), data.size());
}

// Limbs without the high zero limbs.
inline std::span<const limb> significant(std::span<const limb> magnitude) noexcept {
    std::size_t n = magnitude.size();
    while (n > 0 && magnitude[n - 1] == 0) --n;
    return magnitude.first(n);
}

inline void fill_bignum(obj* o, bool negative, std::span<const limb> magnitude) noexcept {
    auto* b = static_cast<bignum_obj*>(o);
    auto n = std::int32_t(magnitude.size());
    b->size = negative ? -n : n;
    b->spare2 = 0;
    if (n) std::memcpy(b->limbs(), magnitude.data(), magnitude.size() * sizeof(limb));
}

inline void fill_none(value* v, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) v[i] = value::none();
}

}  // namespace weft::interp::detail
