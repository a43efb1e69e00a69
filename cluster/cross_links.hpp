// cross_links.hpp: the links and monitors between this node's actors and one
// peer node's, learned from the signals that cross the connection (both
// ways), so that losing the peer turns into what Erlang gives: an exit signal
// from each linked remote actor and a DOWN for each monitor, reason
// "noconnection", and the local watchers of the peer's monitors forgotten.
//
// Signals leave on any thread and arrive on the connection's: a mutex guards
// the tables. Messages never come here, only signals, which are rare.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "actors/signals.hpp"
#include "serialize/ids.hpp"

namespace weft::cluster {

class cross_links {
public:
    // A signal of `kind` from `from` to `to` (tag: its monitor's ref) that
    // leaves for the peer (to is the peer's) or arrived from it (to is ours).
    void leaving(signal_kind kind, pid from, pid to, ref tag);
    void arriving(signal_kind kind, pid from, pid to, ref tag);

    // What the local actors must get now that the peer is gone (each signal
    // from the peer's actor to ours); the tables are empty afterwards.
    struct lost {
        pid to;             // ours
        signal_kind kind;   // link_exit, down, or demonitor (a peer's monitor of ours ends)
        pid from;           // the peer's actor
        ref tag;
    };
    std::vector<lost> peer_lost();

    std::size_t links() const;
    std::size_t monitors() const;

private:
    mutable std::mutex mutex_;
    std::set<std::pair<pid, pid>> links_;         // (ours, theirs)
    std::map<ref, std::pair<pid, pid>> mine_;     // our monitors of theirs: tag -> (ours, theirs)
    std::map<ref, std::pair<pid, pid>> theirs_;   // their monitors of ours: tag -> (ours, theirs)
};

}  // namespace weft::cluster
