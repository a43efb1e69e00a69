// frame_encoder.hpp: frames of the node protocol, to bytes.
//
// The connection layer hands this an outgoing frame and writes the bytes it
// gets back, in order. A small envelope is one frame. A large one (term and
// binaries over frame_limits::large_threshold) is a lane: a head frame, which
// must be written in order with the other frames (it fixes the message's place
// among them), then a large_transfer whose chunk frames the writer takes one at
// a time, whenever it likes, between other frames: a 100 MB message then
// delays a small one behind it by one chunk at most.
//
// Each payload byte is copied once on its way out, from the envelope (or its
// shared binaries) straight into the frame that carries it. This code never
// touches a socket, never blocks, and holds no state shared between encoders
// (one per connection; not thread-safe).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "cluster/frame_limits.hpp"
#include "cluster/frame_types.hpp"

namespace weft {

namespace detail {
class frame_arena;
}

// The bytes of one frame, ready to write (stream framing included). Owns them.
class encoded_frame {
public:
    encoded_frame() = default;
    std::span<const std::byte> bytes() const noexcept {
        return {reinterpret_cast<const std::byte*>(words_.get()), size_};
    }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

private:
    struct free_deleter {
        void operator()(std::uint64_t* p) const noexcept { std::free(p); }
    };
    encoded_frame(std::unique_ptr<std::uint64_t, free_deleter> words, std::size_t size)
        : words_(std::move(words)), size_(size) {}
    std::unique_ptr<std::uint64_t, free_deleter> words_;
    std::size_t size_ = 0;
    friend class detail::frame_arena;
};

// The rest of a large message after its head: its chunk frames, made on demand.
// Keeps the envelope (or spawn arguments) alive until it is done or dropped;
// dropping it unfinished leaves the peer's lane open, so a connection does that
// only when it closes.
class large_transfer {
public:
    large_transfer(large_transfer&&) noexcept = default;
    large_transfer& operator=(large_transfer&&) noexcept = default;

    std::uint32_t lane() const noexcept { return lane_; }
    bool done() const noexcept { return sent_ == body_bytes_; }
    std::uint64_t body_bytes() const noexcept { return body_bytes_; }
    std::uint64_t remaining_bytes() const noexcept { return body_bytes_ - sent_; }
    // The next chunk frame (the final one is marked last). Throws
    // std::logic_error once done().
    encoded_frame next_chunk();

private:
    friend class frame_encoder;
    large_transfer(std::uint32_t lane, envelope_ptr payload, std::uint64_t body_bytes, std::size_t chunk_bytes);
    std::size_t copy_body(std::byte* out, std::size_t n);  // the next n body bytes

    envelope_ptr payload_;  // its words, then each binary with its length before it
    std::uint32_t lane_ = 0;
    std::uint32_t next_index_ = 1;
    std::uint64_t body_bytes_ = 0;
    std::uint64_t sent_ = 0;
    std::size_t chunk_bytes_ = 0;
    // Where the body stands: part 0 is the term, part 2i+1 binary i's length,
    // part 2i+2 its bytes; offset_ counts bytes into the part.
    std::size_t part_ = 0;
    std::uint64_t offset_ = 0;
};

// A frame whose payload may be large: the first frame to write at once, and
// for a large one the transfer of the rest.
struct encoded_message {
    encoded_frame first;
    std::optional<large_transfer> rest;
};

// Why a peer with these limits would refuse this envelope frame (a registered
// name too long, too many binaries, a message too large), or nothing. What
// frame_encoder::encode throws for; a sender checks first, to drop that one
// message rather than lose the connection.
std::optional<std::string> refusal(const envelope_frame& f, const frame_limits& limits);

class frame_encoder {
public:
    // Throws std::invalid_argument for limits it cannot keep (fragment_bytes
    // below 1 KiB, or a frame limit below the fragment size).
    explicit frame_encoder(const frame_limits& limits = {});

    // Take the envelope (a large transfer keeps it until done). Throw
    // std::length_error for what a peer with the same limits would refuse (a
    // message over max_message_bytes, too many binaries, a name too long) and
    // std::invalid_argument for a null envelope or a term of no whole words.
    encoded_message encode(envelope_frame f);
    encoded_message encode(spawn_request_frame f);
    // Control frames; the same std::length_error for texts too long.
    encoded_frame encode(const spawn_reply_frame& f) const;
    encoded_frame encode(const heartbeat_frame& f) const;
    encoded_frame encode(const node_info_frame& f) const;
    encoded_frame encode(const goodbye_frame& f) const;

    const frame_limits& limits() const noexcept { return limits_; }

private:
    std::uint32_t open_lane() noexcept { return next_lane_++; }
    frame_limits limits_;
    std::size_t chunk_bytes_;  // payload bytes per fragment frame
    std::uint32_t next_lane_ = 1;
};

}  // namespace weft
