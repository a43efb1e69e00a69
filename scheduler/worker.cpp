// worker.cpp: see worker.hpp (the wake-up protocol is stated there).
#include "scheduler/worker.hpp"

#include <pthread.h>

#include <algorithm>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/scheduler.hpp>
#include <utility>

#include "scheduler/asan.hpp"
#include "scheduler/fiber_algorithm.hpp"
#include "scheduler/scheduler.hpp"

namespace weft {

namespace {
// Read only through worker::current(), a call the compiler cannot fold across a
// fiber switch (see DESIGN.md: fibers move between threads).
thread_local worker* tls_current_worker = nullptr;

// How many times in a row the task a worker just woke may jump the queue. Keeps a
// ping-pong pair on one warm core without starving the tasks queued behind it.
constexpr unsigned max_next_streak = 16;

// How far one turn moves a deterministic run's virtual clock: about what a
// short turn takes for real, so that a program timing its own work sees a
// plausible figure.
constexpr std::chrono::microseconds virtual_turn{1};
}  // namespace

__attribute__((noinline)) worker* worker::current() noexcept { return tls_current_worker; }

worker::worker(scheduler& owner, unsigned index) : owner_(owner), index_(index), choice_(owner.options_.seed) {}

void worker::start() {
    watch_.resize(owner_.workers_.size());
    thread_ = std::thread([this] { thread_main(); });
}

void worker::join() {
    if (thread_.joinable()) thread_.join();
}

void worker::thread_main() {
    tls_current_worker = this;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &thread_stack_bottom_, &thread_stack_size_);
        pthread_attr_destroy(&attr);
    }
    boost::fibers::use_scheduling_algorithm<fiber_algorithm>(*this, fibers_);
    main_ctx_ = boost::fibers::context::active();
    run_loop();
    // No other thread ever touches this thread's Boost.Fiber scheduler (fibers
    // are queued detached, in our own queues), so it may go with the thread.
    tls_current_worker = nullptr;
}

void worker::run_loop() {
    for (;;) {
        if (task* t = next_task()) {
            run_task(t);
            continue;
        }
        if (fibers_.movable() > 0) {
            yield_to_fibers();
            continue;
        }
        // Everything waits: virtual time jumps to the next deadline.
        if (owner_.options_.deterministic && owner_.timers_.advance()) continue;
        if (exiting()) return;
        wait_for_work();
    }
}

void worker::run_task(task* t) {
    note_progress();
    t->run();
    // A deterministic run's clock: each turn takes the same virtual time.
    if (owner_.options_.deterministic) owner_.timers_.pass(virtual_turn);
    // Fibers made ready by that task (or queued here by others) get their turn
    // before the next task: a worker busy with tasks never leaves fibers behind.
    if (fibers_.movable() > 0) yield_to_fibers();
}

void worker::yield_to_fibers() {
    if (has_local_tasks()) {
        // Tasks wait too: the main context goes to the back of the ready queue,
        // so every fiber ahead of it gets one turn, then this loop continues.
        boost::this_fiber::yield();
    } else {
        // Only fibers: the main context leaves the rotation (a turn of it per
        // round of fibers would cost two switches each time) until pick_next
        // brings it back, when the fibers run out or a task arrives here. A
        // task from another thread lands in a queue that thieves see, and
        // brings it back at this thread's next switch.
        main_parked_ = true;
        main_ctx_->suspend();
    }
    asan::now_on_stack(thread_stack_bottom_, thread_stack_size_);
}

boost::fibers::context* worker::take_parked_main() noexcept {
    main_parked_ = false;
    return main_ctx_;
}

task* worker::next_task() {
    if (owner_.options_.deterministic) return next_seeded_task();
    if (next_.load(std::memory_order_relaxed) && (next_streak_ < max_next_streak || tasks_.empty())) {
        if (task* t = next_.exchange(nullptr, std::memory_order_acquire)) {
            ++next_streak_;
            return t;
        }
    }
    next_streak_ = 0;
    if (task* t = tasks_.pop()) return t;
    if (next_.load(std::memory_order_relaxed)) return next_.exchange(nullptr, std::memory_order_acquire);
    return nullptr;
}

task* worker::next_seeded_task() {
    if (!seeded_.empty()) {
        // The seed's choice. The modulo's bias is far below anything a run
        // could show, and unlike std::uniform_int_distribution it draws the
        // same on every standard library.
        std::size_t k = std::size_t(choice_() % seeded_.size());
        task* t = seeded_[k];
        seeded_[k] = seeded_.back();
        seeded_.pop_back();
        seeded_count_.store(seeded_.size(), std::memory_order_relaxed);
        return t;
    }
    return tasks_.pop();  // from outside: one at a time, when nothing else can run
}

void worker::push_seeded(task* t) {
    seeded_.push_back(t);
    seeded_count_.store(seeded_.size(), std::memory_order_relaxed);
}

void worker::submit_next(task* t) {
    if (owner_.options_.deterministic) return push_seeded(t);
    // seq_cst: publishes work (the protocol in worker.hpp); the task moved out
    // goes to the queue, where it is stealable at once.
    if (task* before = next_.exchange(t, std::memory_order_seq_cst)) tasks_.push(before);
    owner_.notify_published(*this);
}

void worker::submit_back(task* t) {
    if (owner_.options_.deterministic) return push_seeded(t);
    tasks_.push(t);
    owner_.notify_published(*this);
}

void worker::fiber_published(bool movable) {
    if (movable) owner_.notify_published(*this);
}

bool worker::has_local_tasks() const noexcept {
    return next_.load(std::memory_order_seq_cst) || !tasks_.empty() || !seeded_.empty();
}

bool worker::has_local_work() const noexcept { return has_local_tasks() || fibers_.movable() > 0; }

bool worker::exiting() const noexcept {
    return owner_.stopping_.load(std::memory_order_seq_cst) && owner_.live_fibers() == 0 && !has_local_work();
}

bool worker::any_peer_queued() const noexcept {
    for (auto& w : owner_.workers_)
        if (w.get() != this && w->queued() > 0) return true;
    return false;
}

bool worker::any_peer_stealable() const noexcept {
    for (auto& w : owner_.workers_)
        if (w.get() != this && w->stealable_now() > 0) return true;
    return false;
}

// Moves one item of a peer here (a task into next_, a fiber into fibers_):
// what it may take at once, else, when the peer made no progress for
// stall_limit while this worker watched, the peer's next items too.
bool worker::steal() {
    auto& all = owner_.workers_;
    for (std::size_t i = 1; i < all.size(); ++i) {
        std::size_t k = (index_ + i) % all.size();
        worker& victim = *all[k];
        if (victim.stealable_now() > 0 && steal_from(victim, false)) return true;
        if (victim.queued() == 0) continue;
        peer_watch& seen = watch_[k];
        std::uint64_t progress = victim.progress_.load(std::memory_order_relaxed);
        clock::time_point now = clock::now();
        if (progress != seen.progress) {
            seen = {progress, now};
            continue;
        }
        if (now - seen.since >= stall_limit && steal_from(victim, true)) return true;
    }
    return false;
}

bool worker::steal_from(worker& victim, bool stuck) {
    if (task* t = victim.tasks_.pop()) {
        next_.store(t, std::memory_order_relaxed);  // this worker is idle: its next_ is empty
        return true;
    }
    if (stuck) {
        if (task* t = victim.next_.exchange(nullptr, std::memory_order_acquire)) {
            next_.store(t, std::memory_order_relaxed);
            return true;
        }
    }
    if (stuck || victim.fibers_.movable() > 1) {
        if (boost::fibers::context* ctx = victim.fibers_.steal(!stuck)) {
            fibers_.push(ctx);  // detached while queued; our pick_next attaches it here
            return true;
        }
    }
    return false;
}

void worker::wait_for_work() {
    using namespace std::chrono;
    // Spinning, napping and sleeping all count as idle time: the figure is
    // the share of time the worker had nothing to run (scheduler utilization).
    stats_.idle_begin(worker_stats::now_ns());
    idle_.store(true, std::memory_order_seq_cst);
    // A stall counts only if watched for its whole length, from now on: a note
    // from before this worker last ran something says nothing about the
    // peer's current item.
    for (peer_watch& w : watch_) w = peer_watch{};
    owner_.watchers_.fetch_add(1, std::memory_order_seq_cst);
    owner_.spinners_.fetch_add(1, std::memory_order_seq_cst);
    bool spin = true;  // after a nap that timed out, one look is enough
    for (;;) {
        clock::time_point spin_end = clock::now() + (spin ? clock::duration(spin_time) : clock::duration::zero());
        bool found = false;
        do {
            if (has_local_work() || steal() || exiting()) {
                found = true;
                break;
            }
            for (int i = 0; i < 16; ++i) __builtin_ia32_pause();
        } while (clock::now() < spin_end);
        if (found) break;

        // Going to sleep: announce, then the last look (the protocol in worker.hpp).
        sleeper::state how = any_peer_queued() ? sleeper::napping : sleeper::sleeping;
        slept_at_.store(owner_.naps_.fetch_add(1, std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        bed_.announce(how);
        owner_.spinners_.fetch_sub(1, std::memory_order_seq_cst);
        if (how == sleeper::sleeping) owner_.watchers_.fetch_sub(1, std::memory_order_seq_cst);
        bool look_again = has_local_work() || any_peer_stealable() || exiting() ||
                          (how == sleeper::sleeping && any_peer_queued());
        bool timed_out = false;
        if (!look_again) {
            bed_.wait(how, how == sleeper::napping ? duration_cast<nanoseconds>(nap_time) : nanoseconds::zero());
            // Still holding the announcement: nobody woke us (timeout or spurious).
            timed_out = bed_.settle();
        } else {
            bed_.settle();
        }
        if (how == sleeper::sleeping) owner_.watchers_.fetch_add(1, std::memory_order_seq_cst);
        owner_.spinners_.fetch_add(1, std::memory_order_seq_cst);
        spin = !(timed_out && how == sleeper::napping);
    }
    owner_.spinners_.fetch_sub(1, std::memory_order_seq_cst);
    owner_.watchers_.fetch_sub(1, std::memory_order_seq_cst);
    idle_.store(false, std::memory_order_seq_cst);
    stats_.idle_end(worker_stats::now_ns());
}

std::size_t worker::shed() {
    if (queued() == 0) return 0;  // cheap when nothing waits here
    auto& all = owner_.workers_;
    // Idle workers first: they start on it at once. shed_order_ has room for
    // every worker (reserved at start), so this allocates nothing: it runs in
    // noexcept code, out of memory too.
    std::vector<worker*>& takers = shed_order_;
    takers.clear();
    for (auto& w : all)
        if (w.get() != this && w->idle()) takers.push_back(w.get());
    for (auto& w : all)
        if (w.get() != this && !w->idle()) takers.push_back(w.get());
    std::size_t handed = 0;
    auto next_taker = [&]() -> worker& { return *takers[handed++ % takers.size()]; };
    if (task* t = next_.exchange(nullptr, std::memory_order_acquire)) next_taker().push_task(t);
    while (task* t = tasks_.pop()) next_taker().push_task(t);
    while (boost::fibers::context* ctx = fibers_.steal()) next_taker().push_fiber(ctx);
    // Each taker got its share (pushes are seq_cst): wake the sleeping ones.
    for (std::size_t i = 0; i < std::min(handed, takers.size()); ++i) {
        if (takers[i]->wake() == sleeper::awake) owner_.notify_published(*takers[i]);
    }
    return handed;
}

}  // namespace weft
