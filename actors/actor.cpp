// actor.cpp: see actor.hpp.
#include "actors/actor.hpp"

#include "actors/runtime.hpp"
#include "actors/signals.hpp"
#include "serialize/codec.hpp"

namespace weft {

void actor::hand_off_queued_work() noexcept { rt().sched().shed_local_work(); }

ref actor::make_ref() {
    ref r = rt().make_ref();
    cell_.mark_for(r);
    return r;
}

envelope* actor::new_message() const { return rt().make_message(self()); }

void actor::post(pid to, envelope* e) const {
    std::size_t bytes = rt().is_local(to) ? 0 : e->payload_bytes();
    if (cell_.tracing()) [[unlikely]] cell_.trace_send(to, *e);
    bool congested = rt().post(to, e);
    cell_.charge_send();
    // The node outlives the actors; remote() is null once it stopped.
    if (remote_nodes* nodes = congested ? rt().remote() : nullptr)
        cell_.hold_back_while([&] { return nodes->congested(to.node, bytes); });
}

void actor::send(pid to, const term& value) {
    envelope_ptr e(new_message());
    encode(value, *e);
    post(to, e.release());
}

void actor::send(std::string_view name, const term& value) {
    std::optional<pid> to = rt().whereis(name);
    if (!to) throw runtime_error("send: no actor is registered as '" + std::string(name) + "'");
    send(*to, value);
}

std::optional<std::chrono::steady_clock::time_point> actor::deadline_after(std::optional<duration> timeout) const {
    if (!timeout) return std::nullopt;
    if (*timeout <= duration::zero()) return actor_cell::poll;  // no clock read for a poll
    return scheduler::now() + *timeout;
}

std::optional<message> actor::try_receive() {
    envelope* e = cell_.receive([](const envelope&) { return true; }, actor_cell::poll);
    if (!e) return std::nullopt;
    return message(e);
}

message actor::receive() { return message(cell_.receive([](const envelope&) { return true; }, std::nullopt)); }

std::optional<message> actor::receive(duration timeout) {
    envelope* e = cell_.receive([](const envelope&) { return true; }, deadline_after(timeout));
    if (!e) return std::nullopt;
    return message(e);
}

pid actor::spawn(blocking_function body) {
    // With its parent (neither linked nor monitored): a trace's spawn names it.
    return rt().spawn_cell(std::make_unique<actor_cell>(rt()), std::move(body), &cell_, false, nullptr);
}
pid actor::spawn(stackless_t, step_function step, const char* initial_call) {
    return rt().spawn_cell(std::make_unique<actor_cell>(rt(), std::move(step)), nullptr, &cell_, false, nullptr,
                           initial_call);
}

pid actor::spawn_link(blocking_function body) {
    return rt().spawn_cell(std::make_unique<actor_cell>(rt()), std::move(body), &cell_, true, nullptr);
}
pid actor::spawn_link(stackless_t, step_function step, const char* initial_call) {
    return rt().spawn_cell(std::make_unique<actor_cell>(rt(), std::move(step)), nullptr, &cell_, true, nullptr,
                           initial_call);
}

std::pair<pid, ref> actor::spawn_monitor(blocking_function body) {
    ref r;
    pid p = rt().spawn_cell(std::make_unique<actor_cell>(rt()), std::move(body), &cell_, false, &r);
    return {p, r};
}
std::pair<pid, ref> actor::spawn_monitor(stackless_t, step_function step, const char* initial_call) {
    ref r;
    pid p = rt().spawn_cell(std::make_unique<actor_cell>(rt(), std::move(step)), nullptr, &cell_, false, &r,
                            initial_call);
    return {p, r};
}

void actor::exit(const term& reason) { throw actor_exit{reason}; }

void actor::exit(pid to, const term& reason) { rt().send_signal(to, signal_kind::exit, self(), {}, &reason); }

void actor::register_name(std::string_view name) { rt().register_name(name, self()); }

ref actor::send_after(std::chrono::milliseconds delay, pid to, const term& value) {
    std::uint64_t clock = 0;
    if (cell_.tracing()) [[unlikely]] clock = cell_.trace_tick();  // the timer's firing follows its setting
    return rt().send_after(delay, to, value, self(), clock);
}

bool actor::cancel_timer(ref timer) { return rt().cancel_timer(timer); }

}  // namespace weft
