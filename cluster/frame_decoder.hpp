// frame_decoder.hpp: bytes from a peer, to frames of the node protocol.
//
// Incremental: the connection layer feeds whatever it read (or reads straight
// into prepare() and commit()s), then pops the frames that are complete, in
// the order they must be delivered. Lanes of large messages are reassembled
// here, each chunk copied straight into the envelope's words or the shared
// binary it belongs to. A message that a pair of actors sent after a large one
// is held back until that one is whole, so messages between a pair keep their
// order whatever the interleaving of lanes on the wire.
//
// The bytes are untrusted. Every length and count is checked against
// frame_limits before anything is allocated or read for it, the term words
// pass serialize/validate before anyone can decode them, and any violation
// puts the decoder in a failed state with a reason that names what was wrong;
// the connection is then to be dropped. It must never crash, read out of
// bounds, or allocate beyond its limits, whatever it is fed. One decoder per
// connection; not thread-safe; no sockets here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cluster/frame_limits.hpp"
#include "cluster/frame_types.hpp"

namespace weft {

class shared_binary;

class frame_decoder {
public:
    explicit frame_decoder(const frame_limits& limits = {});
    ~frame_decoder();
    frame_decoder(const frame_decoder&) = delete;
    frame_decoder& operator=(const frame_decoder&) = delete;

    // Takes the bytes (copied; the caller keeps its buffer) and decodes every
    // frame they complete. Does nothing once failed().
    void feed(std::span<const std::byte> bytes);
    // For reading straight into the decoder: a writable area of at least n
    // bytes, valid until the next call; commit(k) then takes its first k bytes
    // (k <= n) as feed() would.
    std::span<std::byte> prepare(std::size_t n);
    void commit(std::size_t k);

    // The next complete frame, if any. Frames decoded before a failure can
    // still be popped: they arrived whole, before the bad bytes.
    std::optional<frame> pop();
    std::size_t ready() const noexcept { return ready_.size(); }

    bool failed() const noexcept { return failed_; }
    // Why (empty unless failed), e.g. "frame of 4294967304 bytes exceeds the limit of 1048576".
    const std::string& failure() const noexcept { return failure_; }

    // Lanes open, their declared bodies, frames held behind them (bytes), and
    // bytes waiting for the rest of their frame.
    std::size_t lanes_in_flight() const noexcept { return lanes_.size(); }
    std::uint64_t bytes_in_flight() const noexcept { return in_flight_; }
    std::uint64_t held_bytes() const noexcept { return held_; }
    std::size_t buffered_bytes() const noexcept { return end_ - begin_; }

    const frame_limits& limits() const noexcept { return limits_; }

private:
    struct lane;
    void parse();                              // decodes every whole frame in the buffer
    void decode(const std::uint64_t* words, std::size_t bytes);  // one whole frame
    void fail(std::string reason);
    void on_chunk(std::uint32_t lane_id, std::uint32_t index, bool last, std::span<const std::byte> chunk);
    void finish_lane(std::size_t at);
    void deliver(frame f, std::uint64_t weight);  // to ready_, or held behind a lane of the same pair
    void hold(lane& l, std::uint64_t weight);
    lane* open_lane_for(const frame& f, std::size_t before);

    frame_limits limits_;
    // Received bytes not yet decoded: [begin_, end_) of a word-aligned buffer.
    std::unique_ptr<std::uint64_t[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::size_t frame_bytes_ = 0;  // size of the frame at begin_ once its segment table is in; 0 before
    std::vector<std::unique_ptr<lane>> lanes_;  // open lanes, oldest first
    std::uint64_t in_flight_ = 0;
    std::uint64_t held_ = 0;
    std::deque<frame> ready_;
    bool failed_ = false;
    std::string failure_;
};

}  // namespace weft
