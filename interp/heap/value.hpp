// value.hpp: a Weft script value, one NaN-boxed 64-bit word (as in Wren).
//
// A double is stored as itself. Everything else lives in a corner of the
// quiet-NaN space that no double we box ever occupies:
//
//   bit  63   62 ........ 52   51   50   49 48   47 .................... 0
//        s    exponent (all 1)  q    b    t  t    payload (48 bits)
//
// A word is "boxed" (not a float) when bits 62..50 are all ones, i.e.
// (bits & 0x7ffc'0000'0000'0000) == 0x7ffc'0000'0000'0000. The sign bit and
// bits 49..48 then select one of eight tags (the top 16 bits of the word):
//
//   0x7ffc  reserved (never made)
//   0x7ffd  small int: payload is a signed 48-bit two's-complement integer,
//           small_int_min .. small_int_max; anything wider is a bignum object
//   0x7ffe  singletons: payload 0 None, 2 False, 3 True, 4 "empty" (an
//           internal marker: dict tombstones, unset slots; never a script value)
//   0x7fff  reserved for the VM
//   0xfffc  pointer to a heap object (struct obj, 8-byte aligned, user-space
//           addresses fit in 48 bits on x86-64 and AArch64 with 48-bit VA)
//   0xfffd .. 0xffff  reserved for the VM
//
// Floats: every NaN is canonicalized on boxing to 0x7ff8'0000'0000'0000 (the
// default quiet NaN, bit 50 clear), so no float ever collides with the boxed
// space. Infinities (0x7ff0.../0xfff0...) and -0.0 (0x8000...) are ordinary
// doubles and round-trip bit for bit.
//
// identical(a, b) compares the words: Python's `is` for objects, and bitwise
// for floats (so 0.0 and -0.0 differ, NaN is identical to NaN). Structural
// `==` (1 == 1.0 == True, string contents ...) is values_equal in objects/compare.hpp.
// There is deliberately no operator== so nobody picks the wrong one.
//
// A value holding a pointer is only valid until the next allocation on its
// heap unless it is stored in a root (see heap.hpp): the collector moves
// objects and updates roots in place.
#pragma once
#include <bit>
#include <cstdint>

namespace weft::interp {

struct obj;

class value {
public:
    static constexpr std::uint64_t boxed_mask = 0x7ffc'0000'0000'0000ull;
    static constexpr std::uint64_t tag_mask = 0xffff'0000'0000'0000ull;
    static constexpr std::uint64_t payload_mask = 0x0000'ffff'ffff'ffffull;
    static constexpr std::uint64_t int_tag = 0x7ffd'0000'0000'0000ull;
    static constexpr std::uint64_t special_tag = 0x7ffe'0000'0000'0000ull;
    static constexpr std::uint64_t obj_tag = 0xfffc'0000'0000'0000ull;
    static constexpr std::uint64_t canonical_nan = 0x7ff8'0000'0000'0000ull;

    static constexpr std::uint64_t none_bits = special_tag | 0;
    static constexpr std::uint64_t false_bits = special_tag | 2;
    static constexpr std::uint64_t true_bits = special_tag | 3;
    static constexpr std::uint64_t empty_bits = special_tag | 4;

    static constexpr std::int64_t small_int_min = -(std::int64_t(1) << 47);
    static constexpr std::int64_t small_int_max = (std::int64_t(1) << 47) - 1;

    // None.
    constexpr value() noexcept : bits_(none_bits) {}

    static constexpr value from_bits(std::uint64_t bits) noexcept { return value(bits); }
    static constexpr value none() noexcept { return value(none_bits); }
    static constexpr value boolean(bool b) noexcept { return value(b ? true_bits : false_bits); }
    static constexpr value true_value() noexcept { return value(true_bits); }
    static constexpr value false_value() noexcept { return value(false_bits); }
    // Internal marker (dict tombstone, unset local); never visible to scripts.
    static constexpr value empty() noexcept { return value(empty_bits); }

    static constexpr value from_float(double d) noexcept {
        if (d != d) return value(canonical_nan);
        return value(std::bit_cast<std::uint64_t>(d));
    }
    static constexpr bool fits_small_int(std::int64_t i) noexcept {
        return i >= small_int_min && i <= small_int_max;
    }
    // Precondition: fits_small_int(i). Wider ints are bignum objects.
    static constexpr value from_int(std::int64_t i) noexcept {
        return value(int_tag | (static_cast<std::uint64_t>(i) & payload_mask));
    }
    static value from_obj(const obj* o) noexcept {
        return value(obj_tag | reinterpret_cast<std::uintptr_t>(o));
    }

    constexpr std::uint64_t bits() const noexcept { return bits_; }

    constexpr bool is_float() const noexcept { return (bits_ & boxed_mask) != boxed_mask; }
    constexpr bool is_int() const noexcept { return (bits_ & tag_mask) == int_tag; }
    constexpr bool is_none() const noexcept { return bits_ == none_bits; }
    constexpr bool is_bool() const noexcept { return (bits_ | 1) == true_bits; }
    constexpr bool is_true() const noexcept { return bits_ == true_bits; }
    constexpr bool is_false() const noexcept { return bits_ == false_bits; }
    constexpr bool is_empty() const noexcept { return bits_ == empty_bits; }
    constexpr bool is_obj() const noexcept { return (bits_ & tag_mask) == obj_tag; }

    constexpr double as_float() const noexcept { return std::bit_cast<double>(bits_); }
    constexpr std::int64_t as_int() const noexcept {
        return static_cast<std::int64_t>(bits_ << 16) >> 16;  // sign-extend 48 bits
    }
    constexpr bool as_bool() const noexcept { return bits_ == true_bits; }
    obj* as_obj() const noexcept { return reinterpret_cast<obj*>(bits_ & payload_mask); }

private:
    constexpr explicit value(std::uint64_t bits) noexcept : bits_(bits) {}
    std::uint64_t bits_;
};

static_assert(sizeof(value) == 8);

// Same word: `is` for objects and singletons, bitwise for floats.
constexpr bool identical(value a, value b) noexcept { return a.bits() == b.bits(); }

// Both tests at once, with no branch between them (the VM's fast paths).
constexpr bool both_floats(value a, value b) noexcept { return unsigned(a.is_float()) & unsigned(b.is_float()); }
constexpr bool both_ints(value a, value b) noexcept { return unsigned(a.is_int()) & unsigned(b.is_int()); }

}  // namespace weft::interp
