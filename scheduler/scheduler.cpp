// scheduler.cpp: see scheduler.hpp.
#include "scheduler/scheduler.hpp"

#include <algorithm>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <thread>

#include "scheduler/asan.hpp"
#include "scheduler/worker.hpp"

namespace weft {

// Carries a fiber's body to a worker thread when spawn_fiber is called elsewhere:
// a fiber must be created on the thread whose Boost.Fiber scheduler will run it.
struct scheduler::fiber_launcher final : task {
    fiber_launcher(scheduler& s, std::function<void()> b) : owner(s), body(std::move(b)) {}
    void run() override;
    scheduler& owner;
    std::function<void()> body;
};

scheduler::scheduler(scheduler_options options)
    : options_(options), stacks_(options.fiber_stack_size), timers_(options.deterministic) {
    if (options_.deterministic) options_.threads = 1;
    unsigned n = options_.threads ? options_.threads : std::thread::hardware_concurrency();
    if (n == 0) n = 1;
    workers_.reserve(n);
    for (unsigned i = 0; i < n; ++i) workers_.push_back(std::make_unique<worker>(*this, i));
    for (auto& w : workers_) w->shed_order_.reserve(n);
    started_ns_ = worker_stats::now_ns();
    for (auto& w : workers_) w->start();
}

scheduler::~scheduler() { shutdown(); }

scheduler* scheduler::current() noexcept {
    worker* w = worker::current();
    return w ? &w->owner_ : nullptr;
}

std::chrono::steady_clock::time_point scheduler::now() noexcept {
    scheduler* s = current();
    return s ? s->timers_.now() : std::chrono::steady_clock::now();
}

worker* scheduler::own_worker() const noexcept {
    worker* w = worker::current();
    return w && &w->owner_ == this ? w : nullptr;
}

int scheduler::current_worker_index() const noexcept {
    worker* w = own_worker();
    return w ? static_cast<int>(w->index()) : -1;
}

std::vector<worker_sample> scheduler::sample_workers() const {
    std::int64_t now = worker_stats::now_ns();
    std::uint64_t elapsed = now > started_ns_ ? std::uint64_t(now - started_ns_) : 0;
    std::vector<worker_sample> out;
    out.reserve(workers_.size());
    for (const auto& w : workers_) {
        worker_sample s;
        s.idle_ns = std::min(w->stats().idle_ns(now), elapsed);
        s.busy_ns = elapsed - s.idle_ns;
        s.turns = w->turns();
        s.run_queue = w->queued();
        for (std::size_t k = 0; k < worker_event_slots; ++k) s.events[k] = w->stats().event(k);
        out.push_back(s);
    }
    return out;
}

worker_stats* scheduler::current_stats() const noexcept {
    worker* w = own_worker();
    return w ? &w->stats() : nullptr;
}

worker& scheduler::pick_for_outside() {
    // An idle worker that is still awake (spinning) takes it at once; else the
    // one that fell asleep last: it is the likeliest to wake fast (its core
    // may not have gone into a deep idle state yet) and to have warm caches.
    worker* latest = nullptr;
    std::uint64_t latest_nap = 0;
    for (auto& w : workers_) {
        if (!w->idle()) continue;
        if (w->bed_.peek() == sleeper::awake) return *w;
        std::uint64_t nap = w->slept_at();
        if (!latest || nap > latest_nap) latest = w.get(), latest_nap = nap;
    }
    if (latest) return *latest;
    return *workers_[round_robin_.fetch_add(1, std::memory_order_relaxed) % workers_.size()];
}

template <class Push>
void scheduler::hand_over(worker& w, Push push) {
    // The bracket keeps shutdown() from freeing the workers while this thread
    // still touches them: the work may run and end everything before we return.
    remote_wakes_.fetch_add(1, std::memory_order_acq_rel);
    push(w);
    // The push was seq_cst; now the check (see the protocol in worker.hpp). If
    // `w` was asleep, waking it is all it takes; if it is busy or spinning,
    // maybe someone else must come and look.
    if (w.wake() == sleeper::awake) notify_published(w);
    remote_wakes_.fetch_sub(1, std::memory_order_acq_rel);
}

void scheduler::notify_published(const worker& w) {
    if (workers_.size() < 2) return;
    if (w.stealable_now() > 0) {
        // Stealable at once: a spinning worker will take it, else wake one.
        if (spinners_.load(std::memory_order_seq_cst) == 0) wake_one(&w, false);
    } else if (watchers_.load(std::memory_order_seq_cst) == 0) {
        // Stealable only if its owner stalls: someone must watch for that.
        wake_one(&w, true);
    }
}

void scheduler::wake_one(const worker* except, bool sleeping_only) {
    for (auto& w : workers_) {
        if (w.get() == except) continue;
        sleeper::state s = w->bed_.peek();
        if (s == sleeper::awake || (sleeping_only && s != sleeper::sleeping)) continue;
        if (w->wake() != sleeper::awake) return;
    }
}

void scheduler::submit(task* t) {
    if (worker* w = own_worker())
        w->submit_next(t);
    else
        hand_over(pick_for_outside(), [t](worker& to) { to.push_task(t); });
}

void scheduler::submit_yielded(task* t) {
    if (worker* w = own_worker())
        w->submit_back(t);
    else
        hand_over(pick_for_outside(), [t](worker& to) { to.push_task(t); });
}

void scheduler::fiber_ready(boost::fibers::context* ctx) {
    if (worker* w = own_worker()) {
        w->push_fiber(ctx);
        notify_published(*w);
    } else {
        hand_over(pick_for_outside(), [ctx](worker& to) { to.push_fiber(ctx); });
    }
}

std::size_t scheduler::shed_local_work() {
    worker* w = own_worker();
    return w && workers_.size() > 1 ? w->shed() : 0;
}

void scheduler::spawn_fiber(std::function<void()> body) {
    live_fibers_.fetch_add(1, std::memory_order_acq_rel);
    if (own_worker())
        launch_fiber_here(std::move(body));
    else
        submit(new fiber_launcher(*this, std::move(body)));
}

void scheduler::fiber_launcher::run() {
    // The launcher is done once the fiber exists; free it before it could run.
    std::unique_ptr<fiber_launcher> self(this);
    owner.launch_fiber_here(std::move(body));
}

void scheduler::launch_fiber_here(std::function<void()> body) {
    boost::fibers::fiber f(boost::fibers::launch::post, std::allocator_arg, pooled_stack_allocator(stacks_),
                           [this, body = std::move(body)]() mutable {
                               note_fiber_stack();
                               body();
                               body = nullptr;  // free captures while the runtime is surely alive
                               fiber_ended();
                           });
    f.detach();
}

void scheduler::yield_fiber() {
    boost::this_fiber::yield();
    note_fiber_stack();
}

void scheduler::note_fiber_stack() noexcept {
    char here;
    asan::now_on_stack(stacks_.stack_bottom(&here), stacks_.stack_size());
}

void scheduler::fiber_ended() {
    if (live_fibers_.fetch_sub(1, std::memory_order_acq_rel) == 1 &&
        stopping_.load(std::memory_order_acquire))
        wake_all();
}

void scheduler::wake_all() {
    for (auto& w : workers_) w->wake();
}

void scheduler::shutdown() {
    if (joined_) return;
    stopping_.store(true, std::memory_order_seq_cst);
    wake_all();
    for (auto& w : workers_) w->join();
    // A thread outside the pool may still be in hand_over() for work that
    // already ran: let it leave before the workers can be freed.
    while (remote_wakes_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    joined_ = true;
}

}  // namespace weft

#if defined(WEFT_SANITIZE_THREAD)
// The teardown of a fiber that ran on one worker and ended on another: Boost
// destroys its entry record and continuation (written when the fiber started)
// inside its compiled library, after a migration whose hand-off TSan sees only
// through our queues' locks. Under load TSan has reported these two frames as
// racing with the fiber's start on the first thread (tsan.hpp has the general
// story). The patterns name the destructors alone, so races in a fiber's body,
// which never has them on its stack, are still reported. Defined here, in a
// file every program links, because TSan looks the function up by name.
extern "C" const char* __tsan_default_suppressions() {
    return "race:~worker_context\n"
           "race:boost::context::fiber::~fiber\n";
}
#endif
