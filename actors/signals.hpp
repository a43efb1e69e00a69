// signals.hpp: what an envelope in a mailbox can be, besides a plain message.
//
// Links, monitors, exits and timeouts travel through the same mailbox as messages
// (so a signal is ordered after the messages its sender sent before it), and the
// owner handles them as soon as it takes its arrivals, before any queued message
// (so they never wait behind a long queue). Exit-like signals carry, already
// encoded, the message they turn into when trapped: ("EXIT", pid, reason) or
// ("DOWN", ref, pid, reason); the receiver only flips the kind.
#pragma once
#include <cstdint>

namespace weft {

enum class signal_kind : std::uint32_t {
    message = 0,
    exit = 1,        // exit(pid, reason): payload ("EXIT", from, reason); "kill" is untrappable
    link_exit = 2,   // a linked actor ended: payload ("EXIT", from, reason)
    link = 3,        // from wants a link
    unlink = 4,      // from drops its link
    monitor = 5,     // from monitors the receiver under tag
    demonitor = 6,   // from drops the monitor `tag`
    down = 7,        // a monitored actor ended: payload ("DOWN", tag, from, reason)
    timeout = 8,     // a receive's timer fired; aux = that wait's sequence number
    own = 9,         // the receiver now owns a resource (owned.hpp); aux = a new'd shared_ptr to it
    peek = 10,       // show the oldest queued messages (message_peek.hpp); aux = a new'd peek_holder
};

// An exit signal whose aux is this cannot be trapped, whatever its reason
// (the runtime's own: a mailbox past its limit).
inline constexpr std::uint64_t untrappable_exit = 1;

}  // namespace weft
