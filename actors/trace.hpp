// trace.hpp: the runtime's message tracer: who sent what to whom, in causal order.
//
// Off by default. Off, the message path pays one relaxed load of a flag
// (tracer::on()). On, each event (a send, a receive, a spawn, a link, a
// monitor, an exit, a DOWN or EXIT delivery, a timer's firing) is kept in a
// buffer of the worker thread that records it, under a lock that only that
// worker takes until the trace is collected, so workers never contend.
//
// Events carry a Lamport clock: each actor keeps one (actor_cell), a send
// stamps the envelope with the sender's clock, and a receive sets the
// receiver's clock to max(own, stamp) + 1. Sorting by clock puts every send
// before its receive and every event of one actor in its own order, whatever
// threads they ran on.
//
// Two bounds keep tracing a busy system from taking it down: max_events (past
// it the trace turns itself off, so the program goes on at full speed) and a
// rate limit per second (past it events are dropped and counted).
//
// It must never block a worker, hold a lock across a send, or keep a pointer
// into an actor's heap; it knows envelopes, pids and text only.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/spinlock.hpp"
#include "serialize/ids.hpp"

namespace weft {

enum class trace_kind : std::uint8_t {
    send,         // actor sent a message to other
    receive,      // actor took a message that other sent (skipped: how many it passed first)
    spawn,        // actor (none: from outside) spawned other running text
    link,         // actor linked to other
    monitor,      // actor monitors other
    exit,         // actor ended with reason text
    down,         // actor was given the DOWN of other, which ended with text
    exit_signal,  // actor (trapping exits) was given the EXIT of other, reason text
    timer,        // a send_after that other set fired, delivering text to actor
};

// "send", "receive", ... as JSON and the diagrams name them.
std::string_view trace_kind_name(trace_kind k) noexcept;

struct trace_event {
    trace_kind kind = trace_kind::send;
    std::uint64_t clock = 0;      // the Lamport clock of `actor` at the event
    pid actor{};                  // whose event it is
    pid other{};                  // see trace_kind
    // The clock that stamped the message: for a send its own clock; for a
    // receive, DOWN, EXIT or timer, the sender's clock at the send, so that
    // (other, msg_clock) names the send it pairs with.
    std::uint64_t msg_clock = 0;
    std::uint32_t skipped = 0;    // receive: messages passed before the one taken
    std::string text;             // a short repr: the message, the function, the reason
};

struct trace_options {
    std::vector<pid> pids;               // with spawn_numbers empty: every actor
    // This node's actors by the S they print with, <0.S.0> (what a person
    // can name on a command line: serialize/node_numbers.hpp).
    std::vector<std::uint64_t> spawn_numbers;
    std::vector<std::string> functions;  // empty: every initial function
    std::size_t max_events = 1000;
    std::uint64_t events_per_second = 200'000;
};

// What a trace collected: its events in causal order, and what it left out.
struct trace_result {
    std::vector<trace_event> events;
    std::uint64_t dropped_by_bound = 0;  // past max_events
    std::uint64_t dropped_by_rate = 0;   // past the rate limit
};

// The longest repr an event keeps (a longer one ends in "...").
constexpr std::size_t trace_text_cap = 60;
std::string cap_trace_text(std::string s);

class tracer {
public:
    // `workers`: the scheduler's thread count; one more buffer serves every
    // thread outside the pool.
    explicit tracer(unsigned workers) : workers_(workers) {}
    ~tracer();
    tracer(const tracer&) = delete;
    tracer& operator=(const tracer&) = delete;

    // The message path's only cost when off. Relaxed: a stale answer costs
    // at most an event more or less at start and stop; what a recorder then
    // reads is reached through session_, loaded with acquire.
    bool on() const noexcept { return on_.load(std::memory_order_relaxed); }

    // Starts a trace (ends any running one, dropping its events).
    void start(trace_options options);
    // Ends the trace and returns its events sorted in causal order.
    trace_result stop();

    // For a tool that must not take a trace away from its owner (the web
    // observer): starts a trace only when none is running or waiting to be
    // stopped, and returns its number (never 0), or 0 when one is.
    std::uint64_t start_if_idle(trace_options options);
    // Whether trace `number` is still the current one and still keeping
    // events (not full).
    bool collecting(std::uint64_t number) const noexcept;
    // Stops trace `number` and returns its events, or nullopt when another
    // start() or stop() (a program's own `import trace`) ended it first.
    std::optional<trace_result> stop_if_current(std::uint64_t number);

    // Whether an event of `actor` (running `function`, may be null) with
    // `other` is wanted by the filters.
    bool wants(pid actor, const char* function, pid other) const noexcept;
    // Whether an event recorded now on worker `worker`'s buffer would be
    // kept, as far as the rate limit goes: asked before an event's text is
    // made, so that the events the limit drops cost a look, not a decode.
    // A dropped event is counted here. (The bound is left to record(),
    // which turns tracing off at the first event past it.)
    bool admits(int worker) noexcept;
    // Keeps an event, on the buffer of worker `worker` (-1: a thread outside
    // the pool). Never blocks for long: the buffer's lock is only contended
    // while a trace is being collected.
    void record(int worker, trace_event e) noexcept;

private:
    struct alignas(64) buffer {
        spinlock lock;
        std::vector<trace_event> events;
        std::int64_t window_start_ns = 0;  // when the rate limit's current second began
        std::uint64_t in_window = 0;
        std::uint64_t dropped_by_rate = 0;
    };
    struct session {
        std::uint64_t number = 0;  // which start() made it, from 1
        trace_options options;
        std::uint64_t per_buffer_rate = 0;
        std::unique_ptr<buffer[]> buffers;
        std::size_t buffer_count = 0;
        // Events taken so far (fetch_add, relaxed: a count that only bounds
        // the buffers, ordering nothing; the bound's word is shared, but
        // touched at most max_events + workers times before the trace turns
        // itself off).
        std::atomic<std::uint64_t> claimed{0};
    };

    // Keeps `e` on its worker's buffer, within the bounds; false only for
    // the first event past max_events (the caller then turns tracing off).
    bool keep(session& s, int worker, trace_event& e) noexcept;
    static buffer& buffer_of(session& s, int worker) noexcept;
    static bool within_rate(const session& s, buffer& b) noexcept;
    // start() and stop() with control_ held.
    void start_locked(trace_options options);
    trace_result stop_locked();

    unsigned workers_;
    std::atomic<bool> on_{false};
    // Release on start, acquire by recorders: whoever sees the session sees
    // it built. A session is never freed while the runtime lives (a recorder
    // may still hold it after stop); only its events are taken away.
    std::atomic<session*> session_{nullptr};
    mutable std::mutex control_;  // start and stop only, never on the message path
    std::uint64_t started_ = 0;  // sessions made so far (under control_)
    std::vector<std::unique_ptr<session>> retired_;
};

}  // namespace weft
