// runtime.cpp: see runtime.hpp.
#include "actors/runtime.hpp"

#include <unistd.h>

#include <new>
#include <random>
#include <utility>

#include "actors/exit_reason.hpp"
#include "serialize/codec.hpp"

namespace weft {

namespace {
// Timer refs carry the timer's id with the top bit set, so that cancel_timer can
// tell them from other refs without a table.
constexpr std::uint64_t timer_ref_bit = 1ull << 63;


std::uint32_t fresh_creation() {
    std::random_device rd;
    std::uint32_t c;
    do c = rd();
    while (c == 0);
    return c;
}

// Holds a send_after envelope until its timer fires or is cancelled.
struct delayed_envelope {
    envelope* e;
    explicit delayed_envelope(envelope* x) : e(x) {}
    delayed_envelope(const delayed_envelope&) = delete;
    ~delayed_envelope() {
        if (e) envelope::release(e);
    }
};
}  // namespace

runtime::runtime(runtime_options options)
    : options_(std::move(options)),
      node_id_(node_id_of(options_.node_name)),
      creation_(fresh_creation()),
      numbers_(node_id_, creation_),
      table_(options_.max_actors),
      sched_({.threads = options_.threads,
              .fiber_stack_size = options_.fiber_stack_size,
              .deterministic = options_.deterministic,
              .seed = options_.seed}) {
    restore_memory_reserve();
}

runtime::~runtime() {
    stop();
    while (!extensions_.empty()) extensions_.pop_back();  // newest first: a node before the io service it uses
    delete[] memory_reserve_.exchange(nullptr, std::memory_order_acq_rel);
}

bool runtime::release_memory_reserve() noexcept {
    char* reserve = memory_reserve_.exchange(nullptr, std::memory_order_acq_rel);
    delete[] reserve;
    return reserve != nullptr;
}

void runtime::restore_memory_reserve() noexcept {
    if (memory_reserve_.load(std::memory_order_relaxed)) return;
    char* fresh = new (std::nothrow) char[memory_reserve_bytes];  // address space only: never touched
    if (!fresh) return;
    char* expected = nullptr;
    if (!memory_reserve_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) delete[] fresh;
}

pid runtime::spawn(blocking_function body) {
    return spawn_cell(std::make_unique<actor_cell>(*this), std::move(body), nullptr, false, nullptr);
}

pid runtime::spawn(stackless_t, step_function step, const char* initial_call) {
    return spawn_cell(std::make_unique<actor_cell>(*this, std::move(step)), nullptr, nullptr, false, nullptr,
                      initial_call);
}

pid runtime::spawn_cell(std::unique_ptr<actor_cell> cell, blocking_function body, actor_cell* parent, bool link,
                        ref* monitor, const char* initial_call) {
    if (initial_call) cell->set_initial_call(initial_call);
    std::uint64_t serial = table_.insert(cell.get());
    if (serial == 0)
        throw runtime_error("spawn: the actor table is full (" + std::to_string(table_.capacity()) +
                            " actors); raise runtime_options::max_actors");
    actor_cell* c = cell.release();  // the table owns it now
    pid p{node_id_, creation_, serial};
    c->set_self(p);
    live_.fetch_add(1, std::memory_order_acq_rel);
    if (parent && link) {
        c->add_link_at_spawn(parent->self());
        parent->note_linked(p);
    }
    if (parent && monitor) {
        *monitor = make_ref();
        c->add_watcher_at_spawn(*monitor, parent->self());
        parent->note_monitoring(*monitor, p);
        parent->mark_for(*monitor);
    }
    if (tracing()) [[unlikely]] {
        // The parent's spawn event; the child's clock starts after it.
        pid from = parent ? parent->self() : pid{};
        std::uint64_t clock = parent ? parent->trace_clock() + 1 : 1;
        if (parent) parent->start_trace_clock(clock);
        c->start_trace_clock(clock);
        const char* function = parent ? parent->initial_call() : nullptr;
        if (tracer_.wants(from, function, p) || tracer_.wants(p, initial_call, from)) {
            try {
                trace_record({.kind = trace_kind::spawn, .clock = clock, .actor = from, .other = p, .msg_clock = 0,
                              .skipped = 0, .text = initial_call ? initial_call : ""});
            } catch (...) {  // out of memory: the event is lost, the spawn goes on
            }
        }
    }
    c->start(std::move(body));  // from here on `c` may run, end and be freed on another thread
    if (stopping_.load(std::memory_order_seq_cst)) exit(p, exit_reason::kill());
    return p;
}

pid runtime::spawn_held(stackless_t, step_function step, const remote_parent& from) {
    auto cell = std::make_unique<actor_cell>(*this, std::move(step));
    std::uint64_t serial = table_.insert(cell.get());
    if (serial == 0)
        throw runtime_error("spawn: the actor table is full (" + std::to_string(table_.capacity()) +
                            " actors); raise runtime_options::max_actors");
    actor_cell* c = cell.release();
    pid p{node_id_, creation_, serial};
    c->set_self(p);
    live_.fetch_add(1, std::memory_order_acq_rel);
    if (from.link) c->add_link_at_spawn(from.parent);
    if (from.monitor) c->add_watcher_at_spawn(*from.monitor, from.parent);
    return p;
}

void runtime::set_initial_call(pid p, const char* name) noexcept {
    if (process_table::handle cell = is_local(p) ? table_.lookup(p.serial) : process_table::handle{})
        cell->set_initial_call(name);
}

void runtime::start_held(pid p) {
    process_table::handle cell = table_.lookup(p.serial);
    if (!cell) return;
    cell->start();
    if (stopping_.load(std::memory_order_seq_cst)) exit(p, exit_reason::kill());
}

envelope* runtime::make_envelope(signal_kind kind, pid from, ref tag) {
    envelope* e = envelope::acquire();  // every other field is at its default
    e->kind = static_cast<std::uint32_t>(kind);
    e->from = from;
    e->tag = tag;
    return e;
}

bool runtime::route(pid to, envelope* e) {
    if (!is_local(to)) {
        remote_nodes* r = remote();  // alone, another node's pid is as if its node were down
        return r && r->route(to, e) != remote_nodes::routed::unknown_node;
    }
    process_table::handle target = table_.lookup(to.serial);
    if (!target) return false;
    if (options_.deterministic && sched_.current_worker_index() < 0 && !stopping_.load(std::memory_order_acquire)) {
        // From outside the pool (an I/O thread, another node): the message
        // waits in the scheduler's outside queue until every actor waits, so
        // when it lands is the same on every run. Not once the run is being
        // stopped: the kills must reach an actor that never waits.
        sched_.submit(new outside_delivery(*this, to, e));
        return true;
    }
    return target->deliver(e);
}

void runtime::outside_delivery::run() {
    std::unique_ptr<outside_delivery> self(this);
    // Now on the worker: routed at once, or answered as a send to an ended
    // actor is (a link or monitor bounces; a message is dropped).
    if (!rt.route(to, e)) rt.bounce(to, e, exit_reason::noproc());
}

bool runtime::post(pid to, envelope* e) {
    count_event(event_sent, 1);
    remote_nodes* r = is_local(to) ? nullptr : remote();
    if (!r) {
        if (!route(to, e)) envelope::release(e);
        return false;
    }
    remote_nodes::routed how = r->route(to, e);
    if (how == remote_nodes::routed::unknown_node) envelope::release(e);
    return how == remote_nodes::routed::sent_congested;
}

void runtime::send(pid to, const term& message) {
    envelope_ptr e(make_envelope(signal_kind::message, pid{}, {}));
    encode(message, *e);
    post(to, e.release());
}

void runtime::send(std::string_view name, const term& message) {
    std::optional<pid> to = whereis(name);
    if (!to) throw runtime_error("send: no actor is registered as '" + std::string(name) + "'");
    send(*to, message);
}

void runtime::exit(pid to, const term& reason) { send_signal(to, signal_kind::exit, pid{}, {}, &reason); }

void runtime::send_signal(pid to, signal_kind kind, pid from, ref tag, const term* reason, std::uint64_t aux,
                          std::uint64_t trace_clock) noexcept {
    // Out of memory: once more with the reserve released, then dropped and counted.
    for (int attempt = 0; attempt < 2; ++attempt) {
        envelope* e = nullptr;
        try {
            e = make_envelope(kind, from, tag);
            e->aux = aux;
            e->trace_clock = trace_clock;
            if (reason) {
                if (kind == signal_kind::down)
                    encode(term::tuple({term::str("DOWN"), term(tag), term(from), *reason}), *e);
                else
                    encode(term::tuple({term::str("EXIT"), term(from), *reason}), *e);
            }
            envelope* sent = std::exchange(e, nullptr);  // routed: no longer ours to release here
            if (!route(to, sent)) {
                try {
                    bounce(to, sent, is_local(to) ? exit_reason::noproc() : term::str("noconnection"));
                } catch (const std::bad_alloc&) {
                    envelope::release(sent);
                    throw;
                }
            }
            return;
        } catch (const std::bad_alloc&) {
            if (e) envelope::release(e);
            if (!release_memory_reserve()) break;
        }
    }
    dropped_signals_.fetch_add(1, std::memory_order_relaxed);
}

bool runtime::hand_over(pid owner, std::shared_ptr<owned_resource> r) {
    if (!is_local(owner)) return false;
    envelope* e = make_envelope(signal_kind::own, pid{}, {});
    auto* held = new std::shared_ptr<owned_resource>(std::move(r));
    e->aux = reinterpret_cast<std::uint64_t>(held);
    if (route(owner, e)) return true;
    delete held;  // not delivered: the caller, which holds it too, ends it
    envelope::release(e);
    return false;
}

void runtime::bounce(pid target, envelope* e, const term& reason) {
    switch (static_cast<signal_kind>(e->kind)) {
        case signal_kind::link: send_signal(e->from, signal_kind::link_exit, target, {}, &reason); break;
        case signal_kind::monitor: send_signal(e->from, signal_kind::down, target, e->tag, &reason); break;
        case signal_kind::peek:  // the holder answers `ended` as it goes
            delete reinterpret_cast<peek_holder*>(e->aux);
            e->aux = 0;
            break;
        case signal_kind::own: {  // its owner ended before taking it
            auto* r = reinterpret_cast<std::shared_ptr<owned_resource>*>(e->aux);
            (*r)->owner_ended(target);
            delete r;
            break;
        }
        default: break;  // messages and other signals to an ended actor are dropped
    }
    envelope::release(e);
}

void runtime::deliver_timeout(pid to, std::uint64_t wait_seq) noexcept {
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            envelope* e = make_envelope(signal_kind::timeout, to, {});
            e->aux = wait_seq;
            post(to, e);
            return;
        } catch (const std::bad_alloc&) {
            if (!release_memory_reserve()) break;
        }
    }
    dropped_signals_.fetch_add(1, std::memory_order_relaxed);
}

void runtime::register_name(std::string_view name, pid p) {
    process_table::handle cell = is_local(p) ? table_.lookup(p.serial) : process_table::handle{};
    if (!cell) throw runtime_error("register: " + std::string(name) + ": no such actor (it ended or never existed)");
    auto outcome = names_.add(name, p, [this](pid holder) { return alive(holder); });
    if (outcome == registry::outcome::name_taken)
        throw runtime_error("register: the name '" + std::string(name) + "' is taken by a live actor");
    if (outcome == registry::outcome::already_named)
        throw runtime_error("register: the actor already has a name; unregister it first");
    cell->mark_registered();
}

bool runtime::unregister_name(std::string_view name) { return names_.remove(name); }

std::optional<pid> runtime::whereis(std::string_view name) {
    std::optional<pid> p = names_.find(name);
    if (p && !alive(*p)) return std::nullopt;
    return p;
}

bool runtime::alive(pid p) { return is_local(p) && static_cast<bool>(table_.lookup(p.serial)); }

std::optional<process_info> runtime::info(pid p) {
    process_table::handle cell = is_local(p) ? table_.lookup(p.serial) : process_table::handle{};
    if (!cell) return std::nullopt;
    process_info out;
    cell->describe(out);
    out.name = names_.name_of(p);
    return out;
}

std::vector<pid> runtime::processes() {
    std::vector<pid> out;
    table_.for_each_live([&](std::uint64_t serial) { out.push_back(pid{node_id_, creation_, serial}); });
    return out;
}

std::optional<std::uint64_t> runtime::stuck() {
    if (sched_.timers().pending() != 0) return std::nullopt;
    {
        std::lock_guard guard(extensions_mutex_);
        for (auto& [key, ext] : extensions_)
            if (ext->may_wake_actors()) return std::nullopt;
    }
    std::uint64_t fingerprint = 14695981039346656037ull;  // FNV-1a over (serial, reductions, queue length)
    auto mix = [&](std::uint64_t x) { fingerprint = (fingerprint ^ x) * 1099511628211ull; };
    bool still = true;
    table_.for_each_live([&](std::uint64_t serial) {
        if (!still) return;
        process_table::handle cell = table_.lookup(serial);
        if (!cell) return;  // ended meanwhile: it changed nothing others wait for, or they will show it
        if (cell->state() != run_state::waiting || cell->awaits_answer()) {
            still = false;
            return;
        }
        mix(serial);
        mix(cell->published_reductions());
        mix(std::uint64_t(cell->queue_length()));
    });
    if (!still) return std::nullopt;
    return fingerprint;
}

std::vector<std::string> runtime::registered() {
    std::vector<std::string> out;
    for (auto& [name, p] : names_.all())
        if (alive(p)) out.push_back(std::move(name));  // a holder may have ended without cleaning up yet
    return out;
}

std::int64_t runtime::queue_length(pid p) {
    process_table::handle cell = is_local(p) ? table_.lookup(p.serial) : process_table::handle{};
    return cell ? cell->queue_length() : 0;
}

runtime_stats runtime::stats() const {
    runtime_stats out;
    out.at_ns = worker_stats::now_ns();
    out.node_name = options_.node_name;
    for (const worker_sample& w : sched_.sample_workers()) {
        out.workers.push_back(worker_figures{
            .busy_ns = w.busy_ns,
            .idle_ns = w.idle_ns,
            .turns = w.turns,
            .sent = w.events[event_sent],
            .delivered = w.events[event_delivered],
            .reductions = w.events[event_reductions],
            .run_queue = w.run_queue,
        });
    }
    out.outside_sent = outside_events_[event_sent].load(std::memory_order_relaxed);
    out.outside_delivered = outside_events_[event_delivered].load(std::memory_order_relaxed);
    out.actors = live_actors();
    out.dropped_signals = dropped_signals();
    out.rss_bytes = resident_bytes();
    if (remote_nodes* r = remote()) {
        out.node_name = r->self_name();
        out.peers = r->peers();
    }
    return out;
}

void runtime::peek_messages(pid p, std::shared_ptr<message_peek> request) {
    auto held = std::make_unique<peek_holder>();
    held->request = std::move(request);
    if (!is_local(p)) return;  // `held` answers ended as it goes
    envelope* e = make_envelope(signal_kind::peek, pid{}, {});
    e->aux = reinterpret_cast<std::uint64_t>(held.get());
    if (route(p, e)) {
        (void)held.release();  // the actor (or its end) deletes it
        return;
    }
    e->aux = 0;
    envelope::release(e);
}

ref runtime::make_ref() { return ref{node_id_, creation_, next_ref_.fetch_add(1, std::memory_order_relaxed)}; }

ref runtime::send_after(std::chrono::milliseconds delay, pid to, const term& message, pid from,
                        std::uint64_t trace_clock) {
    envelope_ptr e(make_envelope(signal_kind::message, pid{}, {}));
    encode(message, *e);
    auto held = std::make_shared<delayed_envelope>(e.get());
    e.release();  // held owns it now
    auto id = sched_.timers().schedule_after(delay, [this, to, held, from, trace_clock] {
        envelope* fired = std::exchange(held->e, nullptr);
        if (tracing()) [[unlikely]] {
            // The firing comes after the setting; the receive after the firing.
            fired->trace_clock = trace_clock + 1;
            if (tracer_.wants(to, nullptr, from) || tracer_.wants(from, nullptr, to))
                trace_record({.kind = trace_kind::timer, .clock = trace_clock + 1, .actor = to, .other = from,
                              .msg_clock = trace_clock + 1, .skipped = 0, .text = trace_text(*fired)});
        }
        post(to, fired);
    });
    return ref{node_id_, creation_, id | timer_ref_bit};
}

std::string runtime::trace_text(const envelope& e) noexcept {
    try {
        // Decoding the message costs as much as a receive (a big str or
        // bytes comes by reference): paid only while a trace is on and
        // under its bounds. Its repr stops past the label's length.
        std::string text = decode(e).repr(&numbers_, trace_text_cap + 1);
        return cap_trace_text(std::move(text));
    } catch (...) {
        return "?";  // out of memory, or a value that cannot be shown: the event stays
    }
}

bool runtime::cancel_timer(ref timer) {
    if (timer.node != node_id_ || timer.creation != creation_ || !(timer.serial & timer_ref_bit)) return false;
    return sched_.timers().cancel(timer.serial & ~timer_ref_bit);
}

void runtime::report_crash(pid p, const term& reason) noexcept try {
    std::optional<std::string> report = exit_reason::error_report(reason);
    std::string line = "weft: actor " + numbers_.text(p) +
                       (report ? " crashed:\n" + *report : " ended with " + reason.repr(&numbers_) + "\n");
    if (options_.on_crash) return options_.on_crash(p, reason, line);
    [[maybe_unused]] auto written = ::write(2, line.data(), line.size());  // one write: lines never mix
} catch (...) {
    // Out of memory for the report's text: the actor's end itself stands.
}

void runtime::actor_ended(std::uint64_t serial) {
    table_.retire(serial);
    // Called on worker threads only, and the runtime joins them before it is
    // destroyed, so touching live_ after the count reaches zero is safe.
    if (live_.fetch_sub(1, std::memory_order_acq_rel) == 1) live_.notify_all();
}

void runtime::run_until_idle() {
    for (std::size_t n = live_.load(std::memory_order_acquire); n != 0; n = live_.load(std::memory_order_acquire))
        live_.wait(n, std::memory_order_acquire);
}

runtime_extension& runtime::extension(const void* key,
                                      const std::function<std::unique_ptr<runtime_extension>()>& make) {
    std::lock_guard guard(extensions_mutex_);
    for (auto& [k, ext] : extensions_)
        if (k == key) return *ext;
    extensions_.emplace_back(key, make());
    return *extensions_.back().second;
}

void runtime::become_node(std::string full_name) {
    if (live_actors() != 0 || next_ref_.load(std::memory_order_relaxed) != 1)
        throw runtime_error("a runtime becomes a node before its first actor or ref");
    options_.node_name = std::move(full_name);
    node_id_ = node_id_of(options_.node_name);
    numbers_.rename_self(node_id_);
}

void runtime::stop() {
    if (stopped_) return;
    stopped_ = true;
    stopping_.store(true, std::memory_order_seq_cst);
    std::vector<runtime_extension*> newest_first;
    {
        std::lock_guard guard(extensions_mutex_);
        for (auto it = extensions_.rbegin(); it != extensions_.rend(); ++it) newest_first.push_back(it->second.get());
    }
    for (runtime_extension* ext : newest_first) ext->stop();  // unlocked: a stop may look up another
    term kill = exit_reason::kill();
    table_.for_each_live([&](std::uint64_t serial) { exit(pid{node_id_, creation_, serial}, kill); });
    run_until_idle();
    sched_.shutdown();
}

}  // namespace weft
