// frame_limits.hpp: every bound on what a peer may make this node read, and
// the sizes this node sends in.
//
// A peer is authenticated but not trusted to be bug-free: each length and count
// read from the wire is checked against one of these before anything is
// allocated for it or read through it, so a bad peer costs at most a bounded
// amount of memory and work, then its connection. The sender keeps to the same
// numbers (frame_encoder refuses what a decoder with equal limits would
// reject), so one struct configures both directions of a connection. Plain
// values: no behaviour here, and nothing here may ever be unbounded.
#pragma once
#include <cstddef>
#include <cstdint>

#include "serialize/validate.hpp"

namespace weft {

struct frame_limits {
    // ---- what the decoder accepts ----
    // One frame as it is on the wire, segment table included. Envelopes bigger
    // than large_threshold come as a lane of smaller frames, so this bounds the
    // control frames, small envelopes and lane heads only.
    std::size_t max_frame_bytes = std::size_t(1) << 20;
    // Cap'n Proto segments in one frame (this node's encoder writes one).
    std::size_t max_segments = 16;
    // Nesting of structs and lists inside one frame (a lane head is the
    // deepest: Frame, Fragment, LargeHead, Frame, Envelope, Pid).
    int max_nesting = 16;
    // Cap'n Proto's traversal limit for one frame: this many times its words,
    // plus 64, so that pointers aliasing one big list cannot multiply the work.
    std::size_t traversal_factor = 4;
    // The body of one large message (all chunks of one lane together).
    std::uint64_t max_message_bytes = std::uint64_t(1) << 30;
    // Bodies of all the lanes open at once, as their heads declare them:
    // the memory a peer can make this node hold for unfinished messages.
    std::uint64_t max_in_flight_bytes = std::uint64_t(2) << 30;
    // Lanes open at once.
    std::size_t max_lanes = 16;
    // Frames held back behind unfinished lanes, to keep the order of a pair
    // of actors (their bytes on the wire; a whole large message, its body).
    // Nobody can pop them, so without this a lane never finished would let a
    // peer fill this node's memory with small messages.
    std::uint64_t max_held_bytes = std::uint64_t(256) << 20;
    // Shared binaries in one envelope or spawn request.
    std::size_t max_binaries = std::size_t(1) << 20;
    // A registered name, module, function, reason, node name or module hash.
    std::size_t max_text_bytes = std::size_t(64) << 10;
    // The term words of each envelope and spawn request (serialize/validate).
    validate_limits term{};

    // ---- how the encoder sends ----
    // Envelopes and spawn requests whose term and binaries together exceed
    // this many bytes go as a lane, cut into fragments.
    std::size_t large_threshold = std::size_t(64) << 10;
    // Each fragment frame of a lane is at most this many bytes on the wire.
    std::size_t fragment_bytes = std::size_t(64) << 10;
};

}  // namespace weft
