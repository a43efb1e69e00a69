// runtime_stats.hpp: the runtime's own figures at one moment, for the
// observer (`weft top`, the web observer): per worker thread, time busy and
// idle, turns, messages sent and delivered, reductions and run queue; the
// actor count; the process's resident memory; the cluster's connections.
//
// A plain value: runtime::stats() fills it without stopping anything (every
// figure is right at some moment during the call, not all at one moment).
// The per-actor figures (heap bytes, queue lengths) are not here: they come
// from walking the actors (runtime::processes() and runtime::info()), whose
// cost grows with their number, while this stays O(workers + peers).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/remote.hpp"
#include "scheduler/scheduler.hpp"

namespace weft {

// The worker_stats event slots that actors/ counts in.
enum actor_event : std::size_t {
    event_sent = 0,        // ordinary messages sent (routed by runtime::post)
    event_delivered = 1,   // messages an actor took into its queue
    event_reductions = 2,  // reductions script actors spent (published each turn)
};

struct worker_figures {
    std::uint64_t busy_ns = 0;
    std::uint64_t idle_ns = 0;
    std::uint64_t turns = 0;  // actor turns and fiber switches run
    std::uint64_t sent = 0;
    std::uint64_t delivered = 0;
    std::uint64_t reductions = 0;
    std::size_t run_queue = 0;
};

struct runtime_stats {
    std::int64_t at_ns = 0;       // steady clock (worker_stats::now_ns())
    std::string node_name;
    std::vector<worker_figures> workers;
    // Messages sent and delivered from threads outside the pool (the tool's
    // own thread, io threads), which have no worker's figures to count in.
    std::uint64_t outside_sent = 0;
    std::uint64_t outside_delivered = 0;
    std::size_t actors = 0;
    std::uint64_t dropped_signals = 0;
    std::uint64_t rss_bytes = 0;  // the whole process's resident set (/proc/self/statm)
    std::vector<peer_figures> peers;  // empty when not a node

    std::uint64_t total_sent() const noexcept {
        std::uint64_t n = outside_sent;
        for (const worker_figures& w : workers) n += w.sent;
        return n;
    }
    std::uint64_t total_delivered() const noexcept {
        std::uint64_t n = outside_delivered;
        for (const worker_figures& w : workers) n += w.delivered;
        return n;
    }
    std::uint64_t total_reductions() const noexcept {
        std::uint64_t n = 0;
        for (const worker_figures& w : workers) n += w.reductions;
        return n;
    }
};

// The resident set of this process in bytes, from /proc/self/statm (0 when
// it cannot be read).
std::uint64_t resident_bytes() noexcept;

}  // namespace weft
