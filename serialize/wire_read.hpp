// wire_read.hpp: following pointers in trusted term.capnp words.
//
// Shared by term_view.cpp and codec.cpp's decoder. No bounds checks: only for
// words that were written by our encoder on this node or passed validate().
// Null pointers read as the field's default (empty text, empty list, zero
// struct), as libcapnp does. Internal to serialize/.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "serialize/layout.hpp"

namespace weft::detail {

// What a null struct pointer reads as: all fields zero, all pointers null.
inline constexpr std::uint64_t zero_words[4] = {0, 0, 0, 0};

struct struct_ref {
    const std::uint64_t* data;  // data section; pointers follow at data + data_words
    std::uint16_t data_words;
    std::uint16_t pointers;
    const std::uint64_t* pointer(unsigned i) const { return data + data_words + i; }
};

struct list_ref {
    const std::uint64_t* first;  // the first element's data section
    std::uint32_t count;
    std::uint16_t data_words;
    std::uint16_t pointers;
    struct_ref at(std::size_t i) const {
        return {first + i * (std::size_t(data_words) + pointers), data_words, pointers};
    }
};

inline const std::uint64_t* pointer_target(const std::uint64_t* p) {
    return p + 1 + layout::pointer_offset(*p);
}

// `min_data`/`min_pointers` are the schema's sizes, used for a null pointer.
inline struct_ref read_struct(const std::uint64_t* p, std::uint16_t min_data, std::uint16_t min_pointers) {
    if (*p == 0) return {zero_words, min_data, min_pointers};
    return {pointer_target(p), layout::struct_data_words(*p), layout::struct_pointers(*p)};
}

inline list_ref read_composite(const std::uint64_t* p) {
    if (*p == 0) return {zero_words, 0, 0, 0};
    const std::uint64_t* tag = pointer_target(p);
    return {tag + 1, static_cast<std::uint32_t>(layout::composite_count(*tag)), layout::struct_data_words(*tag),
            layout::struct_pointers(*tag)};
}

inline std::span<const std::byte> read_data(const std::uint64_t* p) {
    if (*p == 0) return {};
    return {reinterpret_cast<const std::byte*>(pointer_target(p)), static_cast<std::size_t>(layout::list_count(*p))};
}

inline std::string_view read_text(const std::uint64_t* p) {
    if (*p == 0) return {};
    std::size_t n = static_cast<std::size_t>(layout::list_count(*p));
    return {reinterpret_cast<const char*>(pointer_target(p)), n ? n - 1 : 0};  // drop the NUL
}

inline std::uint16_t read_tag(const std::uint64_t* term_data) { return static_cast<std::uint16_t>(term_data[0]); }

}  // namespace weft::detail
