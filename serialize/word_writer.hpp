// word_writer.hpp: appending Cap'n Proto objects to an envelope's words, the
// part both encoders of term.capnp share: serialize/codec.cpp (from a term)
// and interp/message/encode.cpp (from a script heap value). An encoder derives
// from it and walks its own kind of value; the bytes are the same because
// the objects are laid out here, depth-first in the order they are written.
//
// Offsets, not pointers: any alloc may grow (and so move) the word buffer,
// so callers index w_ afresh after each one. Throws std::length_error past
// Cap'n Proto's single-segment limits (2^29 words or elements). It never
// reads or writes anything but the envelope.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string_view>

#include "serialize/envelope.hpp"
#include "serialize/layout.hpp"

namespace weft::detail {

class word_writer {
protected:
    // Clears e and makes room for the root pointer and the root Term.
    explicit word_writer(envelope& e) : env_(e) {
        e.clear();
        w_ = e.reserve_words(1 + layout::term_words);
        cap_ = e.capacity_words();
    }

    // The message is complete: the envelope holds this many words.
    void finish() { env_.set_size_words(used_); }

    // n zeroed words at the end; returns their offset.
    std::size_t alloc(std::size_t n) {
        if (n > cap_ - used_) grow(n);
        std::size_t at = used_;
        std::memset(w_ + at, 0, n * sizeof(std::uint64_t));
        used_ += n;
        return at;
    }

    // n words at the end that the caller will overwrite completely.
    std::size_t alloc_uninit(std::size_t n) {
        if (n > cap_ - used_) grow(n);
        std::size_t at = used_;
        used_ += n;
        return at;
    }

    void write_text(std::size_t slot, std::string_view s) {
        std::size_t n = s.size() + 1;
        if (n > layout::max_list_count) throw std::length_error("encode: str longer than 2^29-2 bytes");
        std::size_t at = alloc((n + 7) / 8);  // zeroed: the NUL and padding come free
        if (!s.empty()) std::memcpy(w_ + at, s.data(), s.size());
        w_[slot] = layout::list_pointer(std::int64_t(at - slot - 1), layout::elem_byte, n);
    }

    // Data; with sign >= 0 (a bignum), that byte first.
    void write_data(std::size_t slot, std::span<const std::byte> b, int sign = -1) {
        std::size_t prefix = sign >= 0 ? 1 : 0;
        std::size_t n = b.size() + prefix;
        if (n > layout::max_list_count) throw std::length_error("encode: bytes longer than 2^29-1 bytes");
        std::size_t at = alloc((n + 7) / 8);
        auto* dst = reinterpret_cast<std::byte*>(w_ + at);
        if (prefix) dst[0] = std::byte(sign);
        if (!b.empty()) std::memcpy(dst + prefix, b.data(), b.size());
        w_[slot] = layout::list_pointer(std::int64_t(at - slot - 1), layout::elem_byte, n);
    }

    // A composite list of `count` elements; returns the offset of the first one.
    std::size_t write_list(std::size_t slot, std::size_t count, std::uint16_t data_words, std::uint16_t pointers) {
        std::size_t words = count * (std::size_t(data_words) + pointers);
        if (count > layout::max_list_count || words > layout::max_list_count)
            throw std::length_error("encode: list longer than Cap'n Proto allows");
        // Not zeroed: every element will be written.
        std::size_t at = alloc_uninit(1 + words);
        w_[at] = layout::composite_tag(count, data_words, pointers);
        w_[slot] = layout::list_pointer(std::int64_t(at - slot - 1), layout::elem_composite, words);
        return at + 1;
    }

    std::size_t write_struct(std::size_t slot, std::uint16_t data_words, std::uint16_t pointers) {
        std::size_t at = alloc(std::size_t(data_words) + pointers);
        w_[slot] = layout::struct_pointer(std::int64_t(at - slot - 1), data_words, pointers);
        return at;
    }

    envelope& env_;
    std::uint64_t* w_ = nullptr;
    std::size_t cap_ = 0;
    std::size_t used_ = 0;

private:
    void grow(std::size_t n) {
        // Pointer offsets have 30 signed bits: a single segment tops out at 2^29 words (4 GiB).
        if (used_ + n > layout::max_list_count) throw std::length_error("encode: message larger than 4 GiB");
        env_.set_size_words(used_);  // what reserve_words keeps
        w_ = env_.reserve_words(used_ + n);
        cap_ = env_.capacity_words();
    }
};

}  // namespace weft::detail
