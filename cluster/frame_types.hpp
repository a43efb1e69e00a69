// frame_types.hpp: the frames of the node protocol as C++ values.
//
// What frame_encoder takes and frame_decoder gives back: one struct per frame
// kind of cluster/wire.capnp (lane fragments excepted: they never leave the
// encoder and decoder). Values own what they hold; an envelope travels in an
// envelope_ptr, which returns it to its pool when dropped. Nothing here knows
// sockets, actors or Cap'n Proto, and nothing here may point into the bytes a
// frame was read from.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "serialize/envelope.hpp"
#include "serialize/ids.hpp"

namespace weft {

// Where an envelope goes on the receiving node: a pid, or a registered name.
using destination = std::variant<pid, std::string>;

// A message or signal for one actor (the envelope's kind says which).
struct envelope_frame {
    destination to;
    envelope_ptr env;  // never null in a decoded frame; the encoder requires one
};

// Start `module.function(args)` on the receiving node.
struct spawn_request_frame {
    std::uint64_t request_id = 0;
    std::string module;
    std::string function;
    std::vector<std::byte> module_hash;  // empty: any version
    envelope_ptr args;                   // its words and binaries; null encodes as None
    pid parent{};
    bool link = false;
    std::optional<ref> monitor;  // the new actor starts monitored by parent under it
};

struct spawn_reply_frame {
    std::uint64_t request_id = 0;
    std::variant<pid, std::string> result;  // the new actor, or why there is none
};

struct heartbeat_frame {};

// The full name behind a node id that later pids carry.
struct node_info_frame {
    std::uint32_t node = 0;
    std::string name;
    std::uint32_t creation = 0;
};

struct goodbye_frame {
    std::string reason;
};

using frame = std::variant<envelope_frame, spawn_request_frame, spawn_reply_frame, heartbeat_frame, node_info_frame,
                           goodbye_frame>;

// The envelope a frame carries (a message, or spawn arguments), or null.
inline const envelope* payload_of(const frame& f) noexcept {
    if (auto* m = std::get_if<envelope_frame>(&f)) return m->env.get();
    if (auto* s = std::get_if<spawn_request_frame>(&f)) return s->args.get();
    return nullptr;
}
// Its payload's bytes as the encoder measures them (what decides whether it
// travels as a lane); 0 for a control frame.
inline std::size_t payload_bytes(const frame& f) noexcept {
    const envelope* e = payload_of(f);
    return e ? e->payload_bytes() : 0;
}

}  // namespace weft
