// layout.hpp: where term.capnp's fields sit in Cap'n Proto words.
//
// These numbers are what capnp's compiler chose for term.capnp (see the
// generated serialize/term.capnp.h and `capnp compile -ocapnp term.capnp`);
// codec.cpp static_asserts them against the generated code and the tests check
// them against the schema's reflection data. Must never drift from term.capnp:
// the codec writes and reads these positions directly, without libcapnp.
#pragma once
#include <cstdint>

namespace weft::layout {

// ---- pointers (Cap'n Proto encoding spec) ----------------------------------
// Low 2 bits: kind. Bits 2..31: signed offset in words from the end of the
// pointer to the target. Struct: bits 32..47 data words, 48..63 pointer count.
// List: bits 32..34 element size, 35..63 element count (words for composite).
enum pointer_kind : std::uint64_t { struct_kind = 0, list_kind = 1, far_kind = 2, other_kind = 3 };
enum element_size : std::uint64_t {
    elem_void = 0, elem_bit = 1, elem_byte = 2, elem_two = 3,
    elem_four = 4, elem_eight = 5, elem_pointer = 6, elem_composite = 7,
};

inline constexpr std::uint64_t max_list_count = (std::uint64_t(1) << 29) - 1;

constexpr std::uint64_t struct_pointer(std::int64_t offset, std::uint16_t data_words, std::uint16_t pointers) {
    return (std::uint64_t(std::uint32_t(offset) << 2)) | std::uint64_t(data_words) << 32 |
           std::uint64_t(pointers) << 48;
}
constexpr std::uint64_t list_pointer(std::int64_t offset, element_size size, std::uint64_t count) {
    return list_kind | (std::uint64_t(std::uint32_t(offset) << 2)) | std::uint64_t(size) << 32 | count << 35;
}
// The word before a composite list's elements: element count in the offset field.
constexpr std::uint64_t composite_tag(std::uint64_t count, std::uint16_t data_words, std::uint16_t pointers) {
    return count << 2 | std::uint64_t(data_words) << 32 | std::uint64_t(pointers) << 48;
}

constexpr std::uint64_t pointer_kind_of(std::uint64_t p) { return p & 3; }
constexpr std::int64_t pointer_offset(std::uint64_t p) { return std::int32_t(std::uint32_t(p)) >> 2; }
constexpr std::uint16_t struct_data_words(std::uint64_t p) { return std::uint16_t(p >> 32); }
constexpr std::uint16_t struct_pointers(std::uint64_t p) { return std::uint16_t(p >> 48); }
constexpr std::uint64_t list_element_size(std::uint64_t p) { return (p >> 32) & 7; }
constexpr std::uint64_t list_count(std::uint64_t p) { return p >> 35; }
constexpr std::uint64_t composite_count(std::uint64_t tag) { return std::uint32_t(tag) >> 2; }

// ---- Term --------------------------------------------------------------
inline constexpr std::uint16_t term_data_words = 2;
inline constexpr std::uint16_t term_pointers = 1;
inline constexpr std::uint32_t term_words = term_data_words + term_pointers;

// The union discriminant: data word 0, bits 0..15.
enum term_tag : std::uint16_t {
    tag_none = 0, tag_bool = 1, tag_int = 2, tag_bignum = 3, tag_float = 4,
    tag_str = 5, tag_bytes = 6, tag_shared_str = 7, tag_shared_bytes = 8,
    tag_tuple = 9, tag_list = 10, tag_dict = 11, tag_pid = 12, tag_ref = 13,
    tag_function = 14, tag_port = 15, tag_set = 16, tag_frozenset = 17,
};
inline constexpr std::uint16_t tag_count = 18;
inline constexpr unsigned term_tag_word = 0;
inline constexpr unsigned term_bool_bit = 16;   // data word 0
inline constexpr unsigned term_value_word = 1;  // int64, float64, or the UInt32 shared index (low half)
inline constexpr unsigned term_pointer = 0;     // the one pointer: bignum/str/bytes/lists/pid/ref/function

// ---- Entry -------------------------------------------------------------------
inline constexpr std::uint16_t entry_data_words = 0;
inline constexpr std::uint16_t entry_pointers = 2;  // key, value

// ---- Pid and Ref: node in bits 0..31 and creation in 32..63 of word 0, serial word 1.
inline constexpr std::uint16_t id_data_words = 2;
inline constexpr std::uint16_t id_pointers = 0;

// ---- Function: index in bits 0..31 of word 0; pointers module, name, captures.
inline constexpr std::uint16_t function_data_words = 1;
inline constexpr std::uint16_t function_pointers = 3;
inline constexpr unsigned function_module = 0;
inline constexpr unsigned function_name = 1;
inline constexpr unsigned function_captures = 2;

// The root pointer of a message whose Term follows it directly.
inline constexpr std::uint64_t root_pointer = struct_pointer(0, term_data_words, term_pointers);

}  // namespace weft::layout
