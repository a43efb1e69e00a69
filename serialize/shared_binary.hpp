// shared_binary.hpp: an immutable, reference-counted byte buffer off any heap.
//
// Strings and bytes of shared_binary_threshold bytes or more travel between
// actors of one node by reference: the sender's value, the envelope and the
// receiver's value all point at the same buffer, counted atomically. Once
// published (made or handed to a second holder) its bytes must never change,
// and it must never point into an actor's heap. There is no global registry:
// a holder can observe sharing through use_count().
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace weft {

// Values this long or longer are carried by reference, never copied on a node.
inline constexpr std::size_t shared_binary_threshold = 64;

class shared_binary {
public:
    // A new buffer holding a copy of `bytes`, with one reference (the caller's).
    static shared_binary* make(std::span<const std::byte> bytes);
    static shared_binary* make(std::string_view text);
    // A new buffer of `size` bytes, not initialized, with one reference, for a
    // producer that fills every byte in place (e.g. from a socket) before
    // anybody else sees it. Not zeroing matters: a 100 MB message arriving
    // would otherwise stall its connection's thread while the pages are
    // touched at once, instead of chunk by chunk as the bytes come.
    static shared_binary* make_uninitialized(std::size_t size);

    void acquire() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    // Drops one reference; the last one frees the buffer.
    void release() noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(this);
    }

    std::size_t size() const noexcept { return size_; }
    const std::byte* data() const noexcept { return reinterpret_cast<const std::byte*>(this + 1); }
    std::span<const std::byte> bytes() const noexcept { return {data(), size_}; }
    std::string_view view() const noexcept { return {reinterpret_cast<const char*>(data()), size_}; }
    // Writable only while the creator holds the sole reference (make_uninitialized).
    std::byte* mutable_data() noexcept { return reinterpret_cast<std::byte*>(this + 1); }

    // A snapshot; meaningful to a holder asking "am I the last one?" or to tests.
    std::uint32_t use_count() const noexcept { return refs_.load(std::memory_order_acquire); }

    shared_binary(const shared_binary&) = delete;
    shared_binary& operator=(const shared_binary&) = delete;

private:
    explicit shared_binary(std::size_t size) : size_(size) {}
    ~shared_binary() = default;
    static void destroy(shared_binary* b) noexcept;

    // The bytes follow this header in the same allocation (16-byte aligned).
    alignas(16) std::atomic<std::uint32_t> refs_{1};
    std::size_t size_;
};

static_assert(sizeof(shared_binary) == 16, "bytes start right after a 16-byte header");

}  // namespace weft
