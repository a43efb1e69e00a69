// envelope.hpp: one message or signal in flight between two actors.
//
// An envelope carries a value already serialized out of the sender's heap as
// Cap'n Proto words (term.capnp's layout), plus the shared binaries those words
// reference by index. It is the node of a mailbox (the intrusive `next` link), so
// sending allocates nothing beyond the envelope itself, which comes from a
// per-thread pool and goes back to that same pool wherever it is released
// (envelope.cpp says how). It must never hold a pointer into any actor's heap.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "serialize/ids.hpp"

namespace weft {

class shared_binary;
struct envelope_pool;

struct envelope {
    envelope* next = nullptr;   // mailbox link; owned by the mailbox while queued
    std::uint32_t kind = 0;     // 0 = ordinary message; actors/ numbers the signals
    std::uint32_t flags = 0;    // free for the layer that owns the envelope
    pid from{};                 // sender (signals: the actor the signal is about)
    std::uint64_t aux = 0;      // a signal's argument, e.g. a monitor's ref serial
    ref tag{};                  // a signal's ref, e.g. the monitor or timer it belongs to
    // The sender's logical clock when a trace is on (actors/trace.hpp); 0 otherwise.
    std::uint64_t trace_clock = 0;

    // The serialized value (may be empty for signals that carry none).
    std::span<const std::uint64_t> words() const { return {words_, size_words_}; }
    std::span<shared_binary* const> binaries() const { return {binaries_, binary_count_}; }
    // The bytes it carries: its words and its binaries (what a connection to
    // another node counts, and what decides whether it travels in chunks).
    std::size_t payload_bytes() const noexcept;

    // Takes an envelope from this thread's pool, with room for `capacity_words`
    // and every field at its default (release() resets them).
    static envelope* acquire(std::size_t capacity_words = 0);
    // Returns it to the pool it came from (from any thread), dropping its
    // binary references.
    static void release(envelope* e) noexcept;

    // Writers (the codec) use these; readers use words()/binaries().
    std::uint64_t* reserve_words(std::size_t n);   // grows the word buffer to n words, returns it
    // (reserve_words keeps the first size_words() words; the rest of the buffer is garbage.)
    void set_size_words(std::size_t n) { size_words_ = n; }
    std::uint32_t add_binary(shared_binary* b);     // takes one reference; returns its index
    // (add_binary acquires a reference of its own: the caller keeps the one it holds.)
    std::size_t capacity_words() const { return capacity_words_; }
    // Drops the words and binaries (keeping the buffers) so the envelope can be refilled.
    void clear() noexcept;

    envelope(const envelope&) = delete;
    envelope& operator=(const envelope&) = delete;

    // Small messages fit the inline buffer: one allocation (or none, from the pool) in all.
    static constexpr std::size_t inline_word_capacity = 24;
    static constexpr std::uint32_t inline_binary_capacity = 2;

private:
    envelope() = default;
    ~envelope();
    void recycle() noexcept;        // back to the state acquire() hands out
    void drop_binaries() noexcept;  // releases the binary references
    void trim_buffers() noexcept;   // frees word and binary buffers too big to keep
    envelope_pool* home_ = nullptr;  // the pool it belongs to; null: none (freed on release)
    std::uint64_t* words_ = inline_words_;
    std::size_t size_words_ = 0;
    std::size_t capacity_words_ = inline_word_capacity;
    shared_binary** binaries_ = inline_binaries_;
    std::uint32_t binary_count_ = 0;
    std::uint32_t binary_capacity_ = inline_binary_capacity;
    shared_binary* inline_binaries_[inline_binary_capacity];
    std::uint64_t inline_words_[inline_word_capacity];
    friend struct envelope_pool;
};

struct envelope_releaser {
    void operator()(envelope* e) const noexcept { envelope::release(e); }
};
// Owns one envelope until release(): what an encoder holds, so that an
// envelope is given back to its pool when encoding throws (bad_alloc, a value
// that cannot be sent).
using envelope_ptr = std::unique_ptr<envelope, envelope_releaser>;

}  // namespace weft
