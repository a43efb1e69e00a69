// actor_cell.cpp: see actor_cell.hpp.
#include "actors/actor_cell.hpp"

#include <boost/context/detail/exception.hpp>

#include "actors/actor.hpp"
#include "actors/exit_reason.hpp"
#include "actors/message_peek.hpp"
#include "actors/runtime_stats.hpp"
#include "actors/runtime.hpp"
#include "actors/signals.hpp"
#include "serialize/term_view.hpp"

namespace weft {

namespace {
signal_kind kind_of(const envelope* e) { return static_cast<signal_kind>(e->kind); }
}  // namespace

actor_cell::actor_cell(runtime& rt, step_function step)
    : rt_(rt), tracer_(rt.trace()), step_(std::move(step)), blocking_(false) {}

actor_cell::actor_cell(runtime& rt)
    : rt_(rt), tracer_(rt.trace()), parker_(std::make_unique<fiber_parker>()), blocking_(true) {}

actor_cell::~actor_cell() = default;

actor_cell::relation_sets& actor_cell::relations() {
    if (!relations_) relations_ = std::make_unique<relation_sets>();
    return *relations_;
}

bool actor_cell::erase_link(pid other) {
    auto lock = changing_relations();
    return relations_->links.erase(other) != 0;
}

bool actor_cell::erase_monitoring(ref r) {
    auto lock = changing_relations();
    return relations_->monitoring.erase(r) != 0;
}

void actor_cell::start(blocking_function body) {
    if (blocking_)
        rt_.sched().spawn_fiber([this, body = std::move(body)]() mutable { run_blocking(body); });
    else
        rt_.sched().submit(this);
}

bool actor_cell::deliver(envelope* e) {
    bool message = static_cast<signal_kind>(e->kind) == signal_kind::message;
    std::size_t limit = rt_.options().max_mailbox;
    if (message && limit && std::size_t(box_.size()) >= limit) [[unlikely]] {
        overflowed();
        return false;  // dropped, as to an actor that has ended
    }
    switch (box_.push(e, message)) {
        case mailbox<envelope>::push_result::queued: return true;
        case mailbox<envelope>::push_result::woke_owner: wake(); return true;
        case mailbox<envelope>::push_result::closed: return false;
    }
    return false;
}

void actor_cell::describe(process_info& out) const {
    out.status = state_.load(std::memory_order_relaxed);
    out.queue_len = box_.size();
    out.reductions = reductions_.load(std::memory_order_relaxed);
    out.heap_bytes = heap_bytes_.load(std::memory_order_relaxed);
    out.current_line = line_.load(std::memory_order_relaxed);
    const char* call = initial_call_.load(std::memory_order_acquire);
    out.initial_call = call ? call : "";
    auto lock = changing_relations();
    if (!relations_) return;
    out.links.assign(relations_->links.begin(), relations_->links.end());
    for (const auto& [r, target] : relations_->monitoring) out.monitors.push_back(target);
}

// The mailbox is past its limit: the actor ends (once), and says why.
void actor_cell::overflowed() noexcept {
    if (overflowed_.exchange(true, std::memory_order_relaxed)) return;  // one exit signal is enough
    try {
        term reason = exit_reason::error(
            "MemoryError", "mailbox limit of " + std::to_string(rt_.options().max_mailbox) + " messages reached", "");
        rt_.send_signal(self_, signal_kind::exit, self_, {}, &reason, untrappable_exit);
    } catch (const std::bad_alloc&) {
        rt_.send_signal(self_, signal_kind::exit, self_, {}, nullptr, untrappable_exit);
    }
}

void actor_cell::wake() {
    set_state(run_state::runnable);
    if (blocking_) parker_->unpark();
    else rt_.sched().submit(this);
}

// A handled signal (signals are not counted in the queue's length).
void actor_cell::consume(envelope* e) { envelope::release(e); }

// A signal that becomes a message (a DOWN, a trapped EXIT) joins the queue.
void actor_cell::append_as_message(envelope* e) {
    e->kind = static_cast<std::uint32_t>(signal_kind::message);
    box_.count_one();
    box_.append(e);
}

void actor_cell::publish(std::uint64_t reductions, std::uint64_t heap_bytes, std::uint32_t line) noexcept {
    // Only this actor writes reductions_: its own last value, read relaxed.
    std::uint64_t before = reductions_.load(std::memory_order_relaxed);
    reductions_.store(reductions, std::memory_order_relaxed);
    heap_bytes_.store(heap_bytes, std::memory_order_relaxed);
    line_.store(line, std::memory_order_relaxed);
    if (reductions > before) rt_.count_event(event_reductions, reductions - before);
}

// The owner's answer to a peek signal (message_peek.hpp): the reprs of the
// oldest queued messages, each cut to a line's length.
void actor_cell::answer_peek(envelope* e) {
    std::unique_ptr<peek_holder> held(reinterpret_cast<peek_holder*>(e->aux));
    e->aux = 0;
    consume(e);
    peeked_messages out;
    out.queue_len = box_.size();
    std::size_t want = held->request->how_many();
    constexpr std::size_t max_repr = 200;
    box_.for_each_queued([&](const envelope& m) {
        if (out.reprs.size() >= want) return false;
        std::string r = m.words().empty() ? std::string("None") : decode(term_view::root(m)).repr();
        if (r.size() > max_repr) r = r.substr(0, max_repr - 3) + "...";
        out.reprs.push_back(std::move(r));
        return true;
    });
    std::shared_ptr<message_peek> request = std::move(held->request);
    request->answer(std::move(out));
}

bool actor_cell::take_arrivals(std::optional<term>& death) {
    bool news = false;
    std::uint64_t arrived = 0;  // messages, counted once per batch on this worker
    for (envelope* e = box_.take_arrivals(); e;) {
        envelope* next = e->next;
        switch (kind_of(e)) {
            case signal_kind::message:
                box_.append(e);
                news = true;
                ++arrived;
                break;
            case signal_kind::peek: answer_peek(e); break;
            case signal_kind::exit: handle_exit(e, false, death, news); break;
            case signal_kind::link_exit: handle_exit(e, true, death, news); break;
            case signal_kind::link: {
                auto lock = changing_relations();
                relations().links.insert(e->from);
                lock.unlock();
                consume(e);
                break;
            }
            case signal_kind::unlink:
                if (relations_) {
                    auto lock = changing_relations();
                    relations_->links.erase(e->from);
                }
                consume(e);
                break;
            case signal_kind::monitor: {
                auto lock = changing_relations();
                relations().watchers.emplace(e->tag, e->from);
                lock.unlock();
                consume(e);
                break;
            }
            case signal_kind::demonitor:
                if (relations_) {
                    auto lock = changing_relations();
                    relations_->watchers.erase(e->tag);
                }
                consume(e);
                break;
            case signal_kind::down:
                // Delivered only while the monitor stands: after demonitor(), no DOWN.
                if (relations_ && erase_monitoring(e->tag)) {
                    if (tracer_.on()) [[unlikely]] trace_delivery(trace_kind::down, *e);
                    append_as_message(e);
                    news = true;
                } else {
                    consume(e);
                }
                break;
            case signal_kind::own: {
                auto* r = reinterpret_cast<std::shared_ptr<owned_resource>*>(e->aux);
                e->aux = 0;
                adopt(std::move(*r));
                delete r;
                consume(e);
                break;
            }
            case signal_kind::timeout:
                if (e->aux == wait_seq_) {
                    timed_out_ = true;
                    news = true;
                }
                consume(e);
                break;
        }
        e = next;
    }
    if (arrived) rt_.count_event(event_delivered, arrived);
    return news;
}

// Erlang's rules for an incoming exit signal whose payload is ("EXIT", from, reason).
void actor_cell::handle_exit(envelope* e, bool from_link, std::optional<term>& death, bool& news) {
    // The runtime's own, which only an actor sends itself (overflowed()): not
    // "killed", but why. From anyone else (another node sets aux as it
    // likes) the flag means nothing.
    if (!from_link && e->aux == untrappable_exit && e->from == self_) {
        if (!death) death = e->words().empty() ? term() : decode(term_view::root(*e)[2]);
        consume(e);
        return;
    }
    term_view reason = term_view::root(*e)[2];
    if (from_link && !(relations_ && erase_link(e->from))) {
        consume(e);  // unlinked meanwhile: the signal is void
        return;
    }
    bool kill = !from_link && reason.kind() == term_kind::str && reason.as_str() == "kill";
    bool normal = reason.kind() == term_kind::str && reason.as_str() == "normal";
    if (kill) {
        if (!death) death = exit_reason::killed();
    } else if (trap_exits_) {
        if (tracer_.on()) [[unlikely]] trace_delivery(trace_kind::exit_signal, *e);
        append_as_message(e);
        news = true;
        return;
    } else if (!normal || (!from_link && e->from == self_)) {
        if (!death) {
            death = decode(reason);
            if (from_link) ended_by_link_ = e->from;
        }
    }
    consume(e);
}

void actor_cell::arm_timeout(clock::time_point deadline) {
    runtime* rt = &rt_;
    pid me = self_;
    std::uint64_t seq = wait_seq_;
    wait_timer_ = rt_.sched().timers().schedule(deadline, [rt, me, seq] { rt->deliver_timeout(me, seq); });
}

void actor_cell::disarm_timeout() {
    if (wait_timer_) rt_.sched().timers().cancel(wait_timer_);
    wait_timer_ = 0;
}

void actor_cell::wait_timeout(std::chrono::nanoseconds timeout) { step_deadline_ = scheduler::now() + timeout; }

// One turn of a stackless actor on a worker thread. Running out of memory
// anywhere in it (a signal's bookkeeping, the step's own allocations) ends
// this actor with MemoryError, never the worker or the node.
void actor_cell::run() {
    try {
        run_turn();
    } catch (const std::bad_alloc&) {
        finish_out_of_memory();
    }
}

void actor_cell::finish_out_of_memory() noexcept {
    rt_.release_memory_reserve();  // room for the reason and the exit signals
    term reason;                   // None, if even the reserve is not enough
    try {
        reason = exit_reason::memory_error();
    } catch (const std::bad_alloc&) {
    }
    finish(std::move(reason));
}

void actor_cell::run_turn() {
    set_state(run_state::running);
    for (;;) {
        std::optional<term> death;
        bool news = take_arrivals(death) || first_turn_ || yielded_;
        if (death) return finish(std::move(*death));
        if (news) {
            // The previous wait is over: the step sees what ended it.
            disarm_timeout();
            first_turn_ = yielded_ = false;
            step_deadline_.reset();
            step_result next;
            try {
                actor self_view(*this);
                next = step_(self_view);
            } catch (actor_exit& e) {
                return finish(std::move(e.reason));
            } catch (const std::exception& e) {
                return finish(exit_reason::from_exception(e));
            } catch (...) {
                return finish(exit_reason::error("unknown", "a non-standard exception escaped the actor", ""));
            }
            timed_out_ = false;
            if (next == step_result::done) return finish(exit_reason::normal());
            if (next == step_result::yield) {
                yielded_ = true;
                set_state(run_state::runnable);
                rt_.sched().submit_yielded(this);
                return;
            }
            ++wait_seq_;
            if (step_deadline_) {
                if (*step_deadline_ <= scheduler::now()) {
                    // A zero timeout: answer at once, but after the others'
                    // turn (an actor polling in a loop must not keep the thread).
                    timed_out_ = true;
                    yielded_ = true;
                    set_state(run_state::runnable);
                    rt_.sched().submit_yielded(this);
                    return;
                }
                arm_timeout(*step_deadline_);
            }
        }
        set_state(run_state::waiting);
        if (box_.try_block()) return;  // a push will submit us again
        set_state(run_state::running);
    }
}

void actor_cell::run_blocking(blocking_function& body) {
    set_state(run_state::running);
    term reason = exit_reason::normal();
    try {
        actor self_view(*this);
        body(self_view);
    } catch (const boost::context::detail::forced_unwind&) {
        throw;  // Boost.Context unwinding a fiber: not ours to stop
    } catch (actor_exit& e) {
        reason = std::move(e.reason);
    } catch (const std::bad_alloc&) {
        rt_.release_memory_reserve();
        try {
            reason = exit_reason::memory_error();
        } catch (const std::bad_alloc&) {
            reason = term();
        }
    } catch (const std::exception& e) {
        reason = exit_reason::from_exception(e);
    } catch (...) {
        reason = exit_reason::error("unknown", "a non-standard exception escaped the actor", "");
    }
    body = nullptr;  // its captures go while the actor is still alive, as for a stackless step
    finish(std::move(reason));
}

void actor_cell::yield_turn() {
    send_budget_ = sends_per_turn;
    set_state(run_state::runnable);
    rt_.sched().yield_fiber();
    set_state(run_state::running);
}

void actor_cell::link(pid other) {
    // relations_ is read here without its lock (only this actor changes it);
    // made under the lock, by note_linked, since describe() reads it.
    if (other == self_ || (relations_ && relations_->links.contains(other))) return;
    note_linked(other);
    if (tracer_.on()) [[unlikely]] trace_note(trace_kind::link, other, {});
    rt_.send_signal(other, signal_kind::link, self_, {}, nullptr);
}

void actor_cell::unlink(pid other) {
    if (!relations_ || !erase_link(other)) return;
    rt_.send_signal(other, signal_kind::unlink, self_, {}, nullptr);
}

ref actor_cell::monitor(pid other) {
    ref r = rt_.make_ref();
    note_monitoring(r, other);
    mark_for(r);
    if (tracer_.on()) [[unlikely]] trace_note(trace_kind::monitor, other, {});
    rt_.send_signal(other, signal_kind::monitor, self_, r, nullptr);
    return r;
}

void actor_cell::demonitor(ref r) {
    if (!relations_) return;
    auto it = relations_->monitoring.find(r);
    if (it == relations_->monitoring.end()) return;
    pid target = it->second;
    {
        auto lock = changing_relations();
        relations_->monitoring.erase(it);
    }
    rt_.send_signal(target, signal_kind::demonitor, self_, r, nullptr);
}

// Whoever asked for a link or monitor after we ended learns it at once.
void actor_cell::answer_after_end(envelope* e) {
    rt_.bounce(self_, e, exit_reason::noproc());
}

void actor_cell::adopt(std::shared_ptr<owned_resource> r) {
    if (owned_.size() >= prune_owned_at_) {
        std::erase_if(owned_, [this](const auto& o) { return !o->owned_by(self_); });
        prune_owned_at_ = std::max<std::size_t>(16, 2 * owned_.size());
    }
    owned_.push_back(std::move(r));
}

void actor_cell::finish(term reason) {
    disarm_timeout();
    if (tracer_.on()) [[unlikely]] {
        try {
            trace_note(trace_kind::exit, pid{}, reason.repr(&rt_.numbers()));
        } catch (...) {  // out of memory: the event is lost, the end goes on
        }
    }
    std::uint64_t stamp = trace_clock_;  // stamps the DOWN and EXIT signals below
    // Dead to lookups first: to alive(), and to whoever gets a socket error
    // because its owner (this actor) ended, the end has begun.
    rt_.actor_ending(self_.serial);
    // The behaviour goes next (a blocking body is gone already): its files
    // are closed, with what they buffered written, and its child processes
    // stopped before anyone hears of the end. A watcher that reads the file
    // after the DOWN finds it complete. So do the sockets it owns.
    step_ = nullptr;
    for (auto& r : owned_) r->owner_ended(self_);
    owned_.clear();
    // Then the mailbox closes: from now on every send to us fails, and senders of
    // links and monitors get their "noproc" answer from runtime::send_signal instead.
    for (envelope* e = box_.close(); e;) {
        envelope* next = e->next;
        answer_after_end(e);
        e = next;
    }
    for (envelope* e = box_.drain_queue(); e;) {
        envelope* next = e->next;
        envelope::release(e);
        e = next;
    }
    if (registered_.load(std::memory_order_acquire)) rt_.names().remove_pid(self_);

    bool watched = false;
    if (relations_) {
        watched = !relations_->links.empty() || !relations_->watchers.empty();
        for (const pid& p : relations_->links)
            rt_.send_signal(p, signal_kind::link_exit, self_, {}, &reason, 0, stamp);
        // A local watcher's DOWN names, in its aux, the local linked actor
        // whose end ended this one (message::ended_by_link), so that a tool
        // can say why. Not to another node: a serial is only ours to read.
        std::uint64_t by_link = rt_.is_local(ended_by_link_) ? ended_by_link_.serial : 0;
        for (const auto& [r, watcher] : relations_->watchers)
            rt_.send_signal(watcher, signal_kind::down, self_, r, &reason, rt_.is_local(watcher) ? by_link : 0, stamp);
        for (const auto& [r, target] : relations_->monitoring)
            rt_.send_signal(target, signal_kind::demonitor, self_, r, nullptr);
        auto lock = changing_relations();
        relations_.reset();
    }
    if (!watched && exit_reason::is_error(reason)) rt_.report_crash(self_, reason);

    // Last: retiring may free this cell, and ending the last actor may let the
    // runtime's owner go on to destroy the runtime.
    runtime* rt = &rt_;
    std::uint64_t serial = self_.serial;
    rt->restore_memory_reserve();  // after an end that used it, if memory is back
    rt->actor_ended(serial);
}

// ---- tracing ----
// Each runs on the actor's own thread, so trace_clock_ needs no atomic; a
// message carries the clock across threads in its envelope, which the
// mailbox's push and take already order (release/acquire).

namespace {
// Whether the trace wants an event of `actor` with `other` and the rate
// limit lets it in: asked before the event's text is made (a decode).
bool trace_takes(runtime& rt, pid actor, const char* function, pid other) noexcept {
    return rt.trace().wants(actor, function, other) && rt.trace().admits(rt.sched().current_worker_index());
}
}  // namespace

void actor_cell::trace_send(pid to, envelope& e) noexcept {
    e.trace_clock = ++trace_clock_;  // stamped even when filtered out: the receiver's clock still follows
    if (!trace_takes(rt_, self_, initial_call(), to)) return;
    rt_.trace_record({.kind = trace_kind::send, .clock = trace_clock_, .actor = self_, .other = to,
                      .msg_clock = trace_clock_, .skipped = 0, .text = rt_.trace_text(e)});
}

void actor_cell::trace_receive(const envelope& e) noexcept {
    trace_clock_ = std::max(trace_clock_, e.trace_clock) + 1;
    if (!trace_takes(rt_, self_, initial_call(), e.from)) return;
    rt_.trace_record({.kind = trace_kind::receive, .clock = trace_clock_, .actor = self_, .other = e.from,
                      .msg_clock = e.trace_clock, .skipped = skipped_, .text = rt_.trace_text(e)});
}

void actor_cell::trace_delivery(trace_kind kind, const envelope& e) noexcept {
    trace_clock_ = std::max(trace_clock_, e.trace_clock) + 1;
    if (!trace_takes(rt_, self_, initial_call(), e.from)) return;
    std::string reason;
    try {
        reason = decode(term_view::root(e)[kind == trace_kind::down ? 3 : 2]).repr(&rt_.numbers());
    } catch (...) {  // no text, still the event
    }
    rt_.trace_record({.kind = kind, .clock = trace_clock_, .actor = self_, .other = e.from,
                      .msg_clock = e.trace_clock, .skipped = 0, .text = std::move(reason)});
}

void actor_cell::trace_note(trace_kind kind, pid other, std::string text) noexcept {
    ++trace_clock_;
    if (!trace_takes(rt_, self_, initial_call(), other)) return;
    rt_.trace_record({.kind = kind, .clock = trace_clock_, .actor = self_, .other = other, .msg_clock = 0,
                      .skipped = 0, .text = std::move(text)});
}

}  // namespace weft
