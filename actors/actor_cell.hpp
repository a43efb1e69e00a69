// actor_cell.hpp: one actor's control block: mailbox, links, monitors, and how it runs.
//
// A cell is created by spawn, found through the process table, and freed when the
// actor has ended and the last sender's handle is gone. Anyone may deliver() an
// envelope to it from any thread; everything else here belongs to the actor itself
// and is touched only by the one thread running it at a time; the queue needs no
// lock, and the links and monitors only a spinlock for describe(), which reads
// them from other threads. Two ways to run, one mailbox protocol:
//  - stackless: run() is a task; each turn takes the arrivals, calls the step
//    function, and returns to the worker when the step waits (holding no stack);
//  - blocking: the body runs on a fiber and parks in receive().
// It must never block a worker thread, and never touch another actor's state.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "actors/owned.hpp"
#include "actors/process_info.hpp"
#include "actors/trace.hpp"
#include "mailbox/mailbox.hpp"
#include "scheduler/fiber_parker.hpp"
#include "scheduler/scheduler.hpp"
#include "scheduler/spinlock.hpp"
#include "scheduler/task.hpp"
#include "scheduler/timer_service.hpp"
#include "serialize/envelope.hpp"
#include "serialize/term.hpp"

namespace weft {

class actor;
class runtime;

// What a stackless actor's step asks for next.
enum class step_result {
    wait,   // call me again when something new arrives (a message, my timeout)
    yield,  // I have more to do, but let others run first
    done,   // I am finished: end with reason "normal"
};
using step_function = std::function<step_result(actor&)>;
// Selects the stackless overloads of spawn: rt.spawn(weft::stackless, step).
inline constexpr struct stackless_t {
} stackless;
using blocking_function = std::function<void(actor&)>;

// Thrown through an actor's own code to end it: exit(reason), or a fatal exit
// signal noticed in receive. Caught where the actor's code was called.
struct actor_exit {
    term reason;
};

class actor_cell final : public task {
public:
    using clock = std::chrono::steady_clock;
    static constexpr clock::time_point poll = clock::time_point::min();

    actor_cell(runtime& rt, step_function step);  // stackless
    explicit actor_cell(runtime& rt);             // blocking: the body comes with start()
    ~actor_cell();

    pid self() const { return self_; }
    runtime& rt() const { return rt_; }

    // ---- any thread ----
    // Queues the envelope and wakes the actor if it waits. False when the actor has
    // ended: the envelope then still belongs to the caller.
    bool deliver(envelope* e);
    std::int64_t queue_length() const { return box_.size(); }
    // The snapshot process_info() shows (without the registered name, which
    // the runtime adds).
    void describe(process_info& out) const;

    // ---- the runtime, at spawn ----
    void set_self(pid p) { self_ = p; }
    void add_link_at_spawn(pid p) { note_linked(p); }
    void add_watcher_at_spawn(ref r, pid watcher) {
        auto lock = changing_relations();
        relations().watchers.emplace(r, watcher);
    }
    // Makes the actor run: a stackless one on the pool, a blocking one on a new
    // fiber that owns `body` (so an idle stackless cell carries no second function).
    void start(blocking_function body = nullptr);

    // ---- the actor itself ----
    void run() override;  // a stackless turn
    // Takes the first queued message `accept` likes, waiting until `deadline`
    // (nullopt: forever; a past deadline, e.g. `poll`: just look). nullptr on timeout. Throws
    // actor_exit when a fatal exit signal arrives meanwhile. Blocking actors only,
    // except with a past deadline.
    template <class Accept>
    envelope* receive(Accept&& accept, std::optional<clock::time_point> deadline);
    // Stackless selective receive (mailbox::peek/skip/take_peeked): the queued
    // messages oldest first, looked at one by one without taking them.
    envelope* peek_message() const noexcept { return box_.peek(); }
    void skip_message() noexcept {
        box_.skip();
        ++skipped_;
    }
    envelope* take_message() noexcept {
        envelope* e = box_.take_peeked();
        if (e && tracer_.on()) [[unlikely]] trace_receive(*e);
        skipped_ = 0;
        return e;
    }
    void restart_scan() noexcept {
        box_.begin_scan();
        skipped_ = 0;
    }
    // The receive marker (mailbox.hpp): make_ref() and monitor() set it for the
    // ref they make; a receive that needs a ref no older than `r` starts after
    // it (else from the oldest message, as restart_scan()).
    void mark_for(ref r) noexcept {
        box_.set_mark();
        mark_ref_ = r;
    }
    void restart_scan_after(ref r) noexcept {
        skipped_ = 0;
        if (mark_ref_ && r.node == mark_ref_.node && r.creation == mark_ref_.creation && r.serial >= mark_ref_.serial)
            box_.begin_scan_at_mark();
        else
            box_.begin_scan();
    }
    // What only the actor's code knows, for process_info (relaxed stores: a
    // reader may see a figure one turn old).
    // The reductions spent since the last publish are also counted on the
    // worker running it (runtime_stats.hpp), for the node's totals.
    void publish(std::uint64_t reductions, std::uint64_t heap_bytes, std::uint32_t line) noexcept;
    // The actor waits for an answer from outside the actors (a file job, a
    // socket, another node): its wait may end with no actor's help. Relaxed:
    // runtime::stuck reads it only as one of several checks, confirmed over
    // a grace period.
    void awaiting_answer(bool on) noexcept { awaits_answer_.store(on, std::memory_order_relaxed); }
    bool awaits_answer() const noexcept { return awaits_answer_.load(std::memory_order_relaxed); }
    run_state state() const noexcept { return state_.load(std::memory_order_relaxed); }
    std::uint64_t published_reductions() const noexcept { return reductions_.load(std::memory_order_relaxed); }
    // `name` must outlive the actor (a function's name in a loaded program).
    // Release: a reader that sees the pointer sees the characters.
    void set_initial_call(const char* name) noexcept { initial_call_.store(name, std::memory_order_release); }
    // Queues what arrived since the step began (handling signals): a poll
    // must see it. Throws actor_exit when a fatal exit signal was among it.
    void take_arrivals_now() {
        std::optional<term> death;
        take_arrivals(death);
        if (death) throw actor_exit{std::move(*death)};
    }
    // Stackless: the step's next wait ends after `timeout` if nothing arrives.
    void wait_timeout(std::chrono::nanoseconds timeout);
    bool timed_out() const { return timed_out_; }

    void link(pid other);
    void unlink(pid other);
    ref monitor(pid other);
    void demonitor(ref r);
    void note_linked(pid child) {
        auto lock = changing_relations();
        relations().links.insert(child);
    }
    void note_monitoring(ref r, pid target) {
        auto lock = changing_relations();
        relations().monitoring.emplace(r, target);
    }
    // Points a monitor at its target once known (it may have fired already).
    void retarget_monitor(ref r, pid target) {
        if (!relations_) return;
        auto lock = changing_relations();
        auto it = relations_->monitoring.find(r);
        if (it != relations_->monitoring.end()) it->second = target;
    }
    void trap_exits(bool on) { trap_exits_ = on; }

    // ---- tracing (trace.hpp); the actor's own thread only ----
    bool tracing() const noexcept { return tracer_.on(); }
    // Ticks the logical clock, stamps `e` with it, and records the send.
    void trace_send(pid to, envelope& e) noexcept;
    // Takes the clock of the message just taken and records the receive.
    void trace_receive(const envelope& e) noexcept;
    // Ticks the clock and records an event of this actor's (not a message).
    void trace_note(trace_kind kind, pid other, std::string text) noexcept;
    // A DOWN or (trapped) EXIT given to this actor as a message.
    void trace_delivery(trace_kind kind, const envelope& e) noexcept;
    std::uint64_t trace_clock() const noexcept { return trace_clock_; }
    std::uint64_t trace_tick() noexcept { return ++trace_clock_; }
    // A spawned actor starts at its parent's clock, so its first event
    // comes after the spawn. Before it runs.
    void start_trace_clock(std::uint64_t at) noexcept { trace_clock_ = at; }
    const char* initial_call() const noexcept { return initial_call_.load(std::memory_order_acquire); }
    void mark_registered() { registered_ = true; }
    // Counts a send. A blocking actor cannot be preempted, so after a budget of
    // sends it yields: its receivers on the same thread drain their mailboxes
    // instead of a flood piling up (BEAM charges reductions for sends likewise).
    void charge_send() {
        if (blocking_ && --send_budget_ == 0) yield_turn();
    }
    // Backpressure: a blocking actor waits here, looking every millisecond,
    // while `still()` (its last message's connection is over its limit: a
    // busy port, in Erlang's words). Messages and signals keep arriving
    // meanwhile. A stackless step cannot stop halfway, so a stackless actor
    // is not held back (it may ask rt.remote()->congested(node, bytes) before
    // it sends, and return wait_for(...) instead).
    template <class Still>
    void hold_back_while(Still&& still) {
        if (!blocking_) return;
        while (still()) receive([](const envelope&) { return false; }, scheduler::now() + std::chrono::milliseconds(1));
    }

private:
    struct relation_sets {
        std::unordered_set<pid> links;
        std::unordered_map<ref, pid> monitoring;  // monitors I hold: ref -> target
        std::unordered_map<ref, pid> watchers;    // monitors on me: ref -> watcher
    };
    relation_sets& relations();
    bool erase_link(pid other);        // under the lock; relations_ must exist
    bool erase_monitoring(ref r);
    // The owner changes its relation sets holding this lock, and describe()
    // reads them holding it; the owner's own reads need no lock. Never held
    // across a send.
    std::unique_lock<spinlock> changing_relations() const { return std::unique_lock<spinlock>(relations_lock_); }
    void set_state(run_state s) noexcept { state_.store(s, std::memory_order_relaxed); }

    // Moves arrivals into the queue, handling signals on the way. Returns whether
    // anything the actor's code should look at arrived (a message, its timeout).
    bool take_arrivals(std::optional<term>& death);
    void adopt(std::shared_ptr<owned_resource> r);
    void run_turn();
    void finish_out_of_memory() noexcept;
    void handle_exit(envelope* e, bool from_link, std::optional<term>& death, bool& news);
    void consume(envelope* e);
    void append_as_message(envelope* e);
    void overflowed() noexcept;
    void wake();
    void arm_timeout(clock::time_point deadline);
    void disarm_timeout();
    void run_blocking(blocking_function& body);
    void yield_turn();
    void finish(term reason);
    void answer_after_end(envelope* e);
    void answer_peek(envelope* e);

    runtime& rt_;
    const tracer& tracer_;  // rt_'s: its on() is the message path's one check
    pid self_{};
    mailbox<envelope> box_;
    std::unique_ptr<relation_sets> relations_;  // allocated on the first link or monitor
    mutable spinlock relations_lock_;
    step_function step_;                        // stackless actors only
    std::unique_ptr<fiber_parker> parker_;      // blocking actors only
    // What it was handed (signal_kind::own): told when it ends. Pruned of
    // what it no longer owns when the list doubles, so that a server which
    // hands on every socket it accepts keeps a short list.
    std::vector<std::shared_ptr<owned_resource>> owned_;
    std::size_t prune_owned_at_ = 16;
    std::uint64_t trace_clock_ = 0;  // the Lamport clock of trace.hpp; the actor's own
    std::uint32_t skipped_ = 0;       // messages the current receive has passed
    std::uint64_t wait_seq_ = 0;                // numbers waits, so stale timeouts are ignored
    static constexpr std::uint32_t sends_per_turn = 1000;
    std::uint32_t send_budget_ = sends_per_turn;
    timer_service::timer_id wait_timer_ = 0;
    std::optional<clock::time_point> step_deadline_;
    bool blocking_;
    bool trap_exits_ = false;
    pid ended_by_link_{};  // the linked actor whose exit signal ended this one, if one did
    bool timed_out_ = false;
    bool first_turn_ = true;
    bool yielded_ = false;
    std::atomic<bool> registered_{false};
    std::atomic<bool> overflowed_{false};  // relaxed: only "has one exit signal gone" is decided
    ref mark_ref_{};  // the ref the mailbox's receive marker belongs to
    // For process_info, written by the actor (and state_ also by its wakers),
    // read by anyone; relaxed: monitoring figures, nothing decides on them.
    // state_ may lag one transition behind (a waker's `runnable` and the
    // actor's own `waiting` are not ordered); the actor's next turn puts it right.
    std::atomic<run_state> state_{run_state::runnable};
    std::atomic<std::uint64_t> reductions_{0};
    std::atomic<bool> awaits_answer_{false};
    std::atomic<std::uint64_t> heap_bytes_{0};
    std::atomic<std::uint32_t> line_{0};
    std::atomic<const char*> initial_call_{nullptr};
};

template <class Accept>
envelope* actor_cell::receive(Accept&& accept, std::optional<clock::time_point> deadline) {
    ++wait_seq_;
    timed_out_ = false;
    box_.begin_scan();
    for (;;) {
        std::optional<term> death;
        take_arrivals(death);
        if (death) {
            disarm_timeout();
            throw actor_exit{std::move(*death)};
        }
        if (envelope* e = box_.scan(accept)) {
            disarm_timeout();
            if (tracer_.on()) [[unlikely]] trace_receive(*e);
            return e;
        }
        if (timed_out_) {
            wait_timer_ = 0;  // it fired
            return nullptr;
        }
        if (deadline && (*deadline == poll || *deadline <= scheduler::now())) {
            // Past the deadline before its timer fired (a message woke the
            // wait late): cancel that timer, or the next receive would find
            // one armed, arm none, and wait with no timeout.
            disarm_timeout();
            return nullptr;
        }
        if (!blocking_) throw std::logic_error("receive would wait in a stackless actor: return step_result::wait instead");
        if (deadline && wait_timer_ == 0) arm_timeout(*deadline);
        set_state(run_state::waiting);
        if (box_.try_block()) {
            parker_->park();
            send_budget_ = sends_per_turn;  // a wait ends the turn
        }
        set_state(run_state::running);
    }
}

}  // namespace weft
