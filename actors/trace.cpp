// trace.cpp: see trace.hpp.
#include "actors/trace.hpp"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "scheduler/scheduler.hpp"
#include "serialize/node_numbers.hpp"

namespace weft {

namespace {
// The rate limit's clock: the runtime's, so that in a deterministic run
// (virtual time) the same events are dropped on every run.
std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(scheduler::now().time_since_epoch()).count();
}
}  // namespace

std::string_view trace_kind_name(trace_kind k) noexcept {
    switch (k) {
    case trace_kind::send: return "send";
    case trace_kind::receive: return "receive";
    case trace_kind::spawn: return "spawn";
    case trace_kind::link: return "link";
    case trace_kind::monitor: return "monitor";
    case trace_kind::exit: return "exit";
    case trace_kind::down: return "down";
    case trace_kind::exit_signal: return "exit_signal";
    case trace_kind::timer: return "timer";
    }
    return "?";
}

std::string cap_trace_text(std::string s) {
    if (s.size() <= trace_text_cap) return s;
    std::size_t cut = trace_text_cap - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    s.resize(cut);
    s += "...";
    return s;
}

tracer::~tracer() {
    delete session_.exchange(nullptr, std::memory_order_acq_rel);  // no recorder is left: the runtime has stopped
}

void tracer::start(trace_options options) {
    std::lock_guard<std::mutex> hold(control_);
    start_locked(std::move(options));
}

trace_result tracer::stop() {
    std::lock_guard<std::mutex> hold(control_);
    return stop_locked();
}

std::uint64_t tracer::start_if_idle(trace_options options) {
    std::lock_guard<std::mutex> hold(control_);
    // Relaxed: session_ changes only under control_, which we hold.
    if (session_.load(std::memory_order_relaxed)) return 0;  // running, or full and not yet stopped
    start_locked(std::move(options));
    return started_;
}

bool tracer::collecting(std::uint64_t number) const noexcept {
    std::lock_guard<std::mutex> hold(control_);
    const session* s = session_.load(std::memory_order_relaxed);  // under control_, as above
    // Relaxed: a count that only tells whether the bound is reached.
    return s && s->number == number && on() &&
           s->claimed.load(std::memory_order_relaxed) < s->options.max_events;
}

std::optional<trace_result> tracer::stop_if_current(std::uint64_t number) {
    std::lock_guard<std::mutex> hold(control_);
    const session* s = session_.load(std::memory_order_relaxed);  // under control_, as above
    if (!s || s->number != number) return std::nullopt;
    return stop_locked();
}

void tracer::start_locked(trace_options options) {
    auto s = std::make_unique<session>();
    s->number = ++started_;
    s->buffer_count = std::size_t(workers_) + 1;
    s->buffers = std::make_unique<buffer[]>(s->buffer_count);
    s->per_buffer_rate = std::max<std::uint64_t>(1, options.events_per_second / s->buffer_count);
    std::int64_t now = now_ns();  // the first window of every buffer starts with the trace
    for (std::size_t k = 0; k < s->buffer_count; ++k) s->buffers[k].window_start_ns = now;
    s->options = std::move(options);
    // Release: a recorder that loads this pointer (acquire) sees the session built.
    session* old = session_.exchange(s.release(), std::memory_order_acq_rel);
    if (old) retired_.emplace_back(old);
    on_.store(true, std::memory_order_relaxed);
}

trace_result tracer::stop_locked() {
    on_.store(false, std::memory_order_relaxed);
    session* s = session_.exchange(nullptr, std::memory_order_acq_rel);
    trace_result out;
    if (!s) return out;
    retired_.emplace_back(s);  // a recorder may still hold it: kept, emptied
    // Past the bound from now on, so that a late recorder keeps nothing.
    std::uint64_t claimed = s->claimed.exchange(UINT64_MAX / 2, std::memory_order_relaxed);
    if (claimed > s->options.max_events) out.dropped_by_bound = claimed - s->options.max_events;
    for (std::size_t k = 0; k < s->buffer_count; ++k) {
        buffer& b = s->buffers[k];
        std::lock_guard<spinlock> take(b.lock);
        std::move(b.events.begin(), b.events.end(), std::back_inserter(out.events));
        b.events.clear();
        b.events.shrink_to_fit();
        out.dropped_by_rate += b.dropped_by_rate;
    }
    // Causal order: Lamport clocks, ties (concurrent events) by actor, so the
    // order is the same however the threads interleaved.
    std::stable_sort(out.events.begin(), out.events.end(), [](const trace_event& a, const trace_event& b) {
        return std::tie(a.clock, a.actor.serial, a.kind) < std::tie(b.clock, b.actor.serial, b.kind);
    });
    return out;
}

bool tracer::wants(pid actor, const char* function, pid other) const noexcept {
    // Acquire: see trace.hpp's session_.
    const session* s = session_.load(std::memory_order_acquire);
    if (!s) return false;
    const trace_options& o = s->options;
    if (!o.pids.empty() || !o.spawn_numbers.empty()) {
        auto named = [&o](pid p) {
            return p && (std::find(o.pids.begin(), o.pids.end(), p) != o.pids.end() ||
                         std::find(o.spawn_numbers.begin(), o.spawn_numbers.end(), printed_serial(p)) !=
                             o.spawn_numbers.end());
        };
        if (!named(actor) && !named(other)) return false;
    }
    if (!o.functions.empty()) {
        if (!function) return false;
        if (std::find(o.functions.begin(), o.functions.end(), std::string_view(function)) == o.functions.end())
            return false;
    }
    return true;
}

void tracer::record(int worker, trace_event e) noexcept {
    session* s = session_.load(std::memory_order_acquire);  // see trace.hpp's session_
    if (!s) return;
    if (keep(*s, worker, e)) return;
    // Full: off for everyone, so the program runs on untraced. Only the
    // first claim past the bound gets here (once per trace, so the lock is
    // off the message path; taken after the buffer's lock is let go, as
    // stop() takes them in the other order), and only while this trace is
    // still the current one, so that a newer trace stays on. Relaxed, as on().
    std::lock_guard<std::mutex> hold(control_);
    if (session_.load(std::memory_order_relaxed) == s) on_.store(false, std::memory_order_relaxed);
}

tracer::buffer& tracer::buffer_of(session& s, int worker) noexcept {
    std::size_t index = worker >= 0 && std::size_t(worker) < s.buffer_count - 1 ? std::size_t(worker)
                                                                                 : s.buffer_count - 1;
    return s.buffers[index];
}

// Under b.lock: whether the rate limit lets one more event in now,
// starting a new one-second window when the last one is over. The clock
// is read only past the limit, and then on one dropped event in 64: a
// window may so end a few events late, and the events the limit drops,
// which may be most of them, cost no clock read each.
bool tracer::within_rate(const session& s, buffer& b) noexcept {
    if (b.in_window < s.per_buffer_rate) return true;
    if ((b.dropped_by_rate & 63) != 0) return false;
    std::int64_t now = now_ns();
    if (now - b.window_start_ns < 1'000'000'000) return false;
    b.window_start_ns = now;
    b.in_window = 0;
    return true;
}

bool tracer::admits(int worker) noexcept {
    session* s = session_.load(std::memory_order_acquire);  // see trace.hpp's session_
    if (!s) return false;
    buffer& b = buffer_of(*s, worker);
    std::lock_guard<spinlock> hold(b.lock);
    if (within_rate(*s, b)) return true;
    ++b.dropped_by_rate;
    return false;
}

bool tracer::keep(session& s, int worker, trace_event& e) noexcept {
    buffer& b = buffer_of(s, worker);
    std::lock_guard<spinlock> hold(b.lock);
    if (!within_rate(s, b)) {
        ++b.dropped_by_rate;
        return true;
    }
    std::uint64_t claim = s.claimed.fetch_add(1, std::memory_order_relaxed);
    if (claim >= s.options.max_events) return claim != s.options.max_events;  // false: the first past the bound
    ++b.in_window;
    try {
        e.text = cap_trace_text(std::move(e.text));
        b.events.push_back(std::move(e));
    } catch (...) {
        ++b.dropped_by_rate;  // out of memory: dropped and counted, never a crash
    }
    return true;
}

}  // namespace weft
