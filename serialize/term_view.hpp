// term_view.hpp: reading a serialized term in place, without decoding it.
//
// The mailbox matches receive patterns against queued envelopes; decoding each
// one into a term just to look at its first tuple element would cost
// allocations. A term_view is three words pointing into the envelope: cheap to
// copy, allocation-free to read. It is unchecked: only for trusted words (our
// own encoder's, or network words that passed validate()), and it must never
// outlive the envelope it looks into. Asking for the wrong kind (as_int() of a
// str) gives an empty or zero value, never a crash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "serialize/ids.hpp"
#include "serialize/term.hpp"

namespace weft {

struct envelope;
class shared_binary;

class term_view {
public:
    term_view() noexcept;  // None
    static term_view root(const envelope& e) noexcept;
    static term_view root(std::span<const std::uint64_t> words, std::span<shared_binary* const> binaries) noexcept;

    // A shared str or bytes reports str or bytes, like the decoded term would.
    term_kind kind() const noexcept;
    bool is(term_kind k) const noexcept { return kind() == k; }

    bool as_bool() const noexcept;
    std::int64_t as_int() const noexcept;
    double as_float() const noexcept;
    std::string_view as_str() const noexcept;
    std::span<const std::byte> as_bytes() const noexcept;
    // The envelope's binary behind a shared str or bytes (no reference taken),
    // else null: an inline one, or words from the wire.
    shared_binary* shared() const noexcept;
    bignum_view as_bignum() const noexcept;
    pid as_pid() const noexcept;
    ref as_ref() const noexcept;
    port as_port() const noexcept;

    // Items of a tuple/list, entries of a dict, bytes of a str/bytes, else 0.
    std::size_t size() const noexcept;
    term_view operator[](std::size_t i) const noexcept;  // tuple/list item; i < size()
    term_view key(std::size_t i) const noexcept;         // dict entry i
    term_view value(std::size_t i) const noexcept;

    std::string_view function_module() const noexcept;
    std::uint32_t function_index() const noexcept;
    std::string_view function_name() const noexcept;
    std::size_t capture_count() const noexcept;
    term_view capture(std::size_t i) const noexcept;

    // Structural, with term's rules (1 != 1.0, NaN == NaN). Iterative.
    friend bool operator==(const term_view& v, const term& t);

private:
    term_view(const std::uint64_t* data, std::uint16_t data_words, shared_binary* const* binaries) noexcept
        : data_(data), binaries_(binaries), data_words_(data_words) {}
    friend term decode(term_view v);
    std::uint16_t tag() const noexcept;
    const std::uint64_t* pointer() const noexcept { return data_ + data_words_; }

    const std::uint64_t* data_;         // the Term struct's data section
    shared_binary* const* binaries_;    // the envelope's binary table
    std::uint16_t data_words_;
};

}  // namespace weft
