// actor.hpp: what a native actor's code sees of itself: the C++ actor API.
//
// Both kinds of native actor get an `actor&`: a blocking actor for its whole
// body, a stackless one for each step. Every call acts on behalf of this actor
// (it is the sender, the linker, the monitor's owner), and must be made from the
// actor's own code, never from another thread. Blocking calls (receive without a
// zero timeout) are for blocking actors; a stackless actor returns
// step_result::wait (or wait_for(timeout)) instead.
#pragma once
#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

#include "actors/actor_cell.hpp"
#include "actors/message.hpp"
#include "serialize/tuple_encoder.hpp"

namespace weft {

class actor {
public:
    using duration = std::chrono::steady_clock::duration;

    explicit actor(actor_cell& cell) : cell_(cell) {}

    pid self() const { return cell_.self(); }
    runtime& rt() const { return cell_.rt(); }

    // ---- messages ----
    void send(pid to, const term& message);
    void send(std::string_view name, const term& message);  // throws runtime_error for an unknown name
    // A tuple of scalars, encoded without building a term: send(to, tuple_of("ok", n)).
    template <class... Args>
    void send(pid to, const tuple_args<Args...>& message) {
        envelope_ptr e(new_message());
        encode(message, *e);
        post(to, e.release());
    }

    // The oldest message; waits for one.
    message receive();
    // The oldest message, or nullopt after `timeout` (zero: just look).
    std::optional<message> receive(duration timeout);
    // The oldest message if there is one; never waits (what a stackless step uses).
    std::optional<message> try_receive();
    // The oldest message `accept(term_view)` takes, leaving the others queued in order.
    template <class Accept>
    std::optional<message> receive_if(Accept&& accept, std::optional<duration> timeout = std::nullopt);
    std::int64_t queue_length() const { return cell_.queue_length(); }
    // For code that sends an envelope of its own making (runtime::post):
    // stamps it for a trace when one is on (trace.hpp); one relaxed load when off.
    void trace_send(pid to, envelope& e) noexcept {
        if (cell_.tracing()) [[unlikely]] cell_.trace_send(to, e);
    }
    // For process_info: what only this actor's code knows, as of now.
    void publish(std::uint64_t reductions, std::uint64_t heap_bytes, std::uint32_t line) noexcept {
        cell_.publish(reductions, heap_bytes, line);
    }
    // For the stillness check (runtime::stuck): whether the wait this turn
    // ends in is for an answer from outside the actors (an I/O completion).
    void awaiting_answer(bool on) noexcept { cell_.awaiting_answer(on); }
    // For code about to keep this worker thread for long without yielding (a
    // long builtin): the actors queued behind this one move to other workers.
    void hand_off_queued_work() noexcept;
    // The function it runs, for process_info; `name` must outlive the actor.
    void set_initial_call(const char* name) noexcept { cell_.set_initial_call(name); }

    // Stackless selective receive, one message at a time, for code that
    // decides between looking and taking: peek() is the oldest queued message
    // this scan has not passed (nullptr: none; messages that arrive later show
    // up at the end), skip() passes it, take() takes it and ends the scan;
    // restart_scan() starts again from the oldest. The messages a step sees
    // are those that had arrived when it began.
    const envelope* peek() const noexcept { return cell_.peek_message(); }
    void skip() noexcept { cell_.skip_message(); }
    message take() noexcept { return message(cell_.take_message()); }
    void restart_scan() noexcept { cell_.restart_scan(); }
    // Starts the scan after the receive marker when every message the receive
    // can take must carry a ref no older than `r` (see make_ref()).
    void restart_scan_after(ref r) noexcept { cell_.restart_scan_after(r); }
    // Queues the messages that arrived since this step began, so that peek()
    // sees them (a poll before giving up). Throws actor_exit on a fatal exit signal.
    void take_arrivals() { cell_.take_arrivals_now(); }

    // Stackless actors: end this step waiting for news, at most `timeout`; the
    // next step sees timed_out() when the time ran out first.
    step_result wait_for(duration timeout) {
        cell_.wait_timeout(timeout);
        return step_result::wait;
    }
    bool timed_out() const { return cell_.timed_out(); }

    // ---- other actors ----
    pid spawn(blocking_function body);
    // `initial_call` names the function the child runs before it can run
    // (process_info, traces); it must outlive the child.
    pid spawn(stackless_t, step_function step, const char* initial_call = nullptr);
    pid spawn_link(blocking_function body);
    pid spawn_link(stackless_t, step_function step, const char* initial_call = nullptr);
    std::pair<pid, ref> spawn_monitor(blocking_function body);
    std::pair<pid, ref> spawn_monitor(stackless_t, step_function step, const char* initial_call = nullptr);

    void link(pid other) { cell_.link(other); }
    void unlink(pid other) { cell_.unlink(other); }
    ref monitor(pid other) { return cell_.monitor(other); }
    // spawn_monitor on another node: the monitor of an actor that does not
    // exist yet is noted under a fresh ref before the request leaves (so its
    // DOWN, which may come before the answer is looked at, is not lost), then
    // pointed at the new pid. The placeholder only names the node.
    ref expect_monitor(pid placeholder) {
        ref r = make_ref();
        cell_.note_monitoring(r, placeholder);
        return r;
    }
    void retarget_monitor(ref r, pid target) { cell_.retarget_monitor(r, target); }
    // A fresh ref. It also sets the receive marker: a receive that needs this
    // ref (a call's reply) skips the messages queued before it, so a call
    // costs O(new messages) however long the mailbox (monitor() and
    // spawn_monitor() set it too).
    ref make_ref();
    void demonitor(ref r) { cell_.demonitor(r); }
    void trap_exits(bool on) { cell_.trap_exits(on); }

    // Ends this actor with `reason` (unwinds its code).
    [[noreturn]] void exit(const term& reason);
    // Sends an exit signal to `to`.
    void exit(pid to, const term& reason);

    void register_name(std::string_view name);
    ref send_after(std::chrono::milliseconds delay, pid to, const term& message);
    bool cancel_timer(ref timer);

private:
    envelope* new_message() const;
    void post(pid to, envelope* e) const;  // routes it, or drops it for an ended actor
    std::optional<std::chrono::steady_clock::time_point> deadline_after(std::optional<duration> timeout) const;
    actor_cell& cell_;
};

template <class Accept>
std::optional<message> actor::receive_if(Accept&& accept, std::optional<duration> timeout) {
    envelope* e = cell_.receive([&](const envelope& env) { return accept(term_view::root(env)); },
                                deadline_after(timeout));
    if (!e) return std::nullopt;
    return message(e);
}

}  // namespace weft
