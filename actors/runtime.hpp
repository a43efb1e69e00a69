// runtime.hpp: a Weft node in a process: its actors, their names, and its threads.
//
// The runtime owns the scheduler (threads, fibers, timers), the process table and
// the name registry, and routes every envelope: to a local mailbox, or through
// remote_nodes (cluster/) to another node's connection. It is the C++ entry point for native actors:
//
//     weft::runtime rt;
//     weft::pid echo = rt.spawn([](weft::actor& self) {
//         for (;;) {
//             weft::message m = self.receive();
//             auto v = m.view();                        // ("ping", from)
//             self.send(v[1].as_pid(), weft::term::str("pong"));
//         }
//     });
//     rt.send(echo, weft::term::tuple({weft::term::str("ping"), ...}));
//     rt.stop();
//
// Several runtimes may live in one process, one after another or side by side;
// nothing here is global. It must never hold a lock while delivering a message.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/actor_cell.hpp"
#include "actors/extension.hpp"
#include "actors/message_peek.hpp"
#include "actors/process_info.hpp"
#include "actors/process_table.hpp"
#include "actors/registry.hpp"
#include "actors/remote.hpp"
#include "actors/runtime_stats.hpp"
#include "actors/signals.hpp"
#include "actors/trace.hpp"
#include "scheduler/scheduler.hpp"
#include "serialize/node_numbers.hpp"
#include "serialize/term.hpp"
#include "serialize/tuple_encoder.hpp"

namespace weft {

// A misuse of the runtime's API that the caller can correct (an unknown name, a
// taken name, too many actors); the message says which and why.
class runtime_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct runtime_options {
    unsigned threads = 0;                      // worker threads; 0: one per core
    std::size_t fiber_stack_size = 64 * 1024;  // per blocking actor, committed as touched
    std::size_t max_actors = std::size_t{1} << 22;
    // The most memory one script actor's heap may take (its live data and
    // room to allocate); past it the actor ends with MemoryError. 0: no limit.
    std::size_t max_heap_bytes = std::size_t{1} << 30;
    // The most messages one mailbox may hold. A message past it is dropped and
    // its receiver, which cannot keep up, ends with ("error", "MemoryError",
    // "mailbox limit of N messages reached", "") (untrappable: its links and
    // monitors learn of it, a supervisor restarts it). 0: no limit.
    std::size_t max_mailbox = 0;
    std::string node_name = "nonode@nohost";
    // A deterministic run (scheduler_options): one worker thread choosing by
    // `seed`, a virtual clock, and messages from outside the pool (I/O
    // completions, other nodes) delivered only when every actor waits, one
    // at a time, in the order they came.
    bool deterministic = false;
    std::uint64_t seed = 0;
    // Called for an actor that ended with an error while nobody linked to or
    // monitored it, with the text the default writes on stderr ("weft: actor
    // <0.5.0> crashed:" and the traceback, or "... ended with REASON").
    std::function<void(pid, const term& reason, const std::string& report)> on_crash = nullptr;
};

class runtime {
public:
    explicit runtime(runtime_options options = {});
    ~runtime();  // stop()
    runtime(const runtime&) = delete;
    runtime& operator=(const runtime&) = delete;

    // A blocking actor: `body` runs on its own fiber and may block in receive.
    pid spawn(blocking_function body);
    // A stackless actor: `step` is called whenever it has news; holds no stack between.
    // `initial_call` names the function it runs (process_info, traces)
    // before it can run; it must outlive the actor.
    pid spawn(stackless_t, step_function step, const char* initial_call = nullptr);
    // For a node starting an actor that another node's actor spawned: it
    // starts linked to and/or monitored by that remote parent, and does not
    // run until start_held(), so that the spawn's answer can leave first and
    // a quick end never overtakes it. start_held() must follow.
    struct remote_parent {
        pid parent;
        bool link = false;
        std::optional<ref> monitor;
    };
    pid spawn_held(stackless_t, step_function step, const remote_parent& from);
    void start_held(pid p);
    // Names the function an actor was spawned with (process_info's
    // initial_call) before it first runs; `name` must outlive the actor.
    void set_initial_call(pid p, const char* name) noexcept;

    // Sends from outside any actor (the sender is no pid). Never blocks; a message
    // to an ended actor is dropped, as in Erlang.
    void send(pid to, const term& message);
    // A tuple of scalars, encoded without building a term: send(to, tuple_of("ok", n)).
    template <class... Args>
    void send(pid to, const tuple_args<Args...>& message) {
        envelope_ptr e(make_message(pid{}));
        encode(message, *e);
        post(to, e.release());
    }
    // Gives `r` to the local actor `owner` (owned.hpp), ordered after what
    // was sent to it before. False when `owner` has ended (or is not of
    // this runtime): then nobody owns it, and the caller ends it. Should
    // the owner end before it takes the signal, r->owner_ended is called.
    bool hand_over(pid owner, std::shared_ptr<owned_resource> r);
    // Throws runtime_error when no live actor has the name.
    void send(std::string_view name, const term& message);
    // Sends an exit signal to `to` from outside any actor ("kill" cannot be trapped).
    void exit(pid to, const term& reason);

    void register_name(std::string_view name, pid p);  // throws runtime_error when taken
    bool unregister_name(std::string_view name);
    std::optional<pid> whereis(std::string_view name);

    ref make_ref();
    // Delivers `message` to `to` after `delay`; the ref cancels it.
    // `from` and `trace_clock`: the actor that set it and its logical clock
    // then, for a trace (none from outside any actor).
    ref send_after(std::chrono::milliseconds delay, pid to, const term& message, pid from = {},
                   std::uint64_t trace_clock = 0);
    bool cancel_timer(ref timer);

    bool alive(pid p);
    // A snapshot of a local actor (process_info.hpp), or nullopt when it has
    // ended. Never stops it.
    std::optional<process_info> info(pid p);
    // The live local actors, each alive at some moment during the call.
    std::vector<pid> processes();
    // For `weft run`'s report of a program that can never go on (as Go's
    // "all goroutines are asleep"): nullopt while something may still
    // happen (an actor runs or may run, a timer is set, an actor awaits an
    // answer from outside, an extension such as a socket or another node
    // may send); else a fingerprint of what every actor has done so far.
    // One look is not proof, since actors keep running during the walk: the
    // caller looks again over a grace period and trusts an unchanged
    // fingerprint (a turn in between would change some actor's figures).
    std::optional<std::uint64_t> stuck();
    // The registered names, each registered at some moment during the call.
    std::vector<std::string> registered();
    std::size_t live_actors() const { return live_.load(std::memory_order_acquire); }
    // Messages waiting for `p` (0 for an ended actor).
    std::int64_t queue_length(pid p);
    // The runtime's own figures now (runtime_stats.hpp): O(workers + peers),
    // stops and wakes nobody. Any thread.
    runtime_stats stats() const;
    // Asks the local actor `p` for the reprs of its oldest queued messages
    // without taking them (message_peek.hpp). The answer comes on the thread
    // that gives it, once `p` next takes its arrivals; at once, `ended`, when
    // `p` is not a live local actor.
    void peek_messages(pid p, std::shared_ptr<message_peek> request);
    // Waits until every actor has ended. Call it from outside the runtime's
    // actors (from inside one it would wait for itself).
    void run_until_idle();
    // Kills every actor, waits for them to end, and stops the threads. Blocking
    // actors end at their next receive. Idempotent; from outside any actor.
    void stop();

    // ---- layers above: io/, cluster/ ----
    // The extension for `key` (any address unique to its kind), made by
    // `make` on the first call. Thread-safe; it lives until the runtime goes
    // and is stopped at stop(), newest first, before the actors end.
    runtime_extension& extension(const void* key, const std::function<std::unique_ptr<runtime_extension>()>& make);
    // The other nodes (cluster/ sets it when this runtime becomes a node; null:
    // alone). It must stay valid until stop() returns.
    void set_remote(remote_nodes* r) noexcept { remote_.store(r, std::memory_order_release); }
    remote_nodes* remote() const noexcept { return remote_.load(std::memory_order_acquire); }

    const std::string& node_name() const { return options_.node_name; }
    // Names this runtime after its node (cluster/ calls it once it listens):
    // its pids and refs carry that name's id. Only before the first actor or
    // ref; throws runtime_error after.
    void become_node(std::string full_name);
    const runtime_options& options() const { return options_; }
    std::uint32_t node_id() const { return node_id_; }
    std::uint32_t creation() const { return creation_; }
    bool is_local(pid p) const { return p.node == node_id_ && p.creation == creation_; }
    scheduler& sched() { return sched_; }
    // How pids, refs and ports print here, `<N.S.C>` (serialize/node_numbers.hpp):
    // print, repr, crash reports and tools all ask this table.
    node_numbers& numbers() noexcept { return numbers_; }

    // ---- for actors/ itself ----
    // Registers and starts a cell; `body` is the blocking actor's code (empty for
    // a stackless one). With a parent, links or monitors it before it can run.
    pid spawn_cell(std::unique_ptr<actor_cell> cell, blocking_function body, actor_cell* parent, bool link,
                   ref* monitor, const char* initial_call = nullptr);
    // A fresh envelope for an ordinary message from `from`.
    envelope* make_message(pid from) { return make_envelope(signal_kind::message, from, {}); }
    // Routes an envelope; true when it reached a live actor. On false the caller
    // still owns it (use bounce() for signals that expect an answer).
    bool route(pid to, envelope* e);
    // Routes a message, dropping it (as Erlang does) when the receiver has
    // ended. True when it went to another node whose connection is now over
    // its limit: the sender should pause (remote_nodes::congested).
    bool post(pid to, envelope* e);
    // Sends a signal; exit-like kinds carry ("EXIT", from, reason) or
    // ("DOWN", tag, from, reason) built from `reason`.
    // `trace_clock` stamps it for a trace (the sender's logical clock).
    void send_signal(pid to, signal_kind kind, pid from, ref tag, const term* reason,
                     std::uint64_t aux = 0, std::uint64_t trace_clock = 0) noexcept;
    // Answers an undeliverable link or monitor request as if `target` ended with
    // `reason`, and frees the envelope.
    void bounce(pid target, envelope* e, const term& reason);
    void deliver_timeout(pid to, std::uint64_t wait_seq) noexcept;
    void report_crash(pid p, const term& reason) noexcept;
    // Counts `n` events of `slot` (runtime_stats.hpp's actor_event) on the
    // calling worker's figures, or on the runtime's own for a thread outside
    // the pool. Never blocks; no shared word on a worker's path.
    void count_event(std::size_t slot, std::uint64_t n) noexcept {
        if (worker_stats* s = sched_.current_stats()) s->add_event(slot, n);
        // Relaxed: a count for the observer, guarding nothing.
        else outside_events_[slot].fetch_add(n, std::memory_order_relaxed);
    }
    // Out of memory on the runtime's own paths (exit signals, timeouts, an
    // actor's end). The runtime holds a reserve that the first failure
    // releases, so that the actor that ran out can still end and tell its
    // links and monitors; a signal that cannot be made even then is dropped
    // and counted. Returns whether there was a reserve to release.
    bool release_memory_reserve() noexcept;
    // Takes the reserve again once memory is back (after an actor ended).
    void restore_memory_reserve() noexcept;
    std::uint64_t dropped_signals() const noexcept { return dropped_signals_.load(std::memory_order_relaxed); }
    // An ending actor is no longer found (before it sends its exit signals,
    // so that whoever gets its DOWN or EXIT sees it dead), then ended.
    void actor_ending(std::uint64_t serial) { table_.end_lookups(serial); }
    void actor_ended(std::uint64_t serial);
    registry& names() { return names_; }

    // ---- tracing (trace.hpp) ----
    // Off by default; tracing() is the message path's one check (a relaxed load).
    bool tracing() const noexcept { return tracer_.on(); }
    tracer& trace() noexcept { return tracer_; }
    // Keeps `e` on the calling worker's buffer (or the outside threads' one).
    void trace_record(trace_event e) noexcept { tracer_.record(sched_.current_worker_index(), std::move(e)); }
    // The message an envelope carries, as a short repr for a trace.
    std::string trace_text(const envelope& e) noexcept;

private:
    envelope* make_envelope(signal_kind kind, pid from, ref tag);
    // A delivery from outside the pool, held as a task for the worker of a
    // deterministic run (route()).
    struct outside_delivery final : task {
        outside_delivery(runtime& r, pid t, envelope* m) : rt(r), to(t), e(m) {}
        void run() override;
        runtime& rt;
        pid to;
        envelope* e;
    };

    runtime_options options_;
    std::uint32_t node_id_;
    std::uint32_t creation_;
    node_numbers numbers_;
    std::atomic<std::uint64_t> next_ref_{1};
    std::atomic<std::size_t> live_{0};
    process_table table_;
    registry names_;
    std::atomic<bool> stopping_{false};
    // The reserve: exchanged away by whoever releases it (acq_rel), so only
    // one thread frees it; put back by one that allocated a new one.
    static constexpr std::size_t memory_reserve_bytes = std::size_t{8} << 20;
    std::atomic<char*> memory_reserve_{nullptr};
    std::atomic<std::uint64_t> dropped_signals_{0};  // relaxed: a count for reports
    // Events counted by threads outside the pool (count_event); relaxed.
    std::array<std::atomic<std::uint64_t>, worker_event_slots> outside_events_{};
    bool stopped_ = false;
    // Release/acquire: whoever sees the pointer sees the node it points to built.
    std::atomic<remote_nodes*> remote_{nullptr};
    scheduler sched_;  // its threads and timers stop before the state above goes
    tracer tracer_{sched_.thread_count()};  // after sched_: built with its thread count
    std::recursive_mutex extensions_mutex_;  // recursive: making one extension may make another (a node, its io service)
    // After the scheduler: destroyed first (their threads may still wake actors).
    std::vector<std::pair<const void*, std::unique_ptr<runtime_extension>>> extensions_;
};

}  // namespace weft
