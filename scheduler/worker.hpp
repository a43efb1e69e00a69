// worker.hpp: one worker thread of a scheduler (internal to scheduler/).
//
// The worker's thread runs its loop on the thread's main fiber context: it runs
// tasks straight from its queues, lets ready fibers run by yielding to them,
// steals from its peers when dry, and sleeps (sleeper.hpp) when there is
// nothing to take. It never blocks its thread anywhere else.
//
// Runnable work of a worker, all of it visible to the other workers:
//  - next_: the task this worker woke last; it runs after the current item, so
//    a conversation stays on one warm core;
//  - tasks_: the other runnable tasks, oldest first;
//  - fibers_: ready fibers (detached from any thread while queued), plus the
//    thread's own main and dispatcher contexts, which never leave it.
// A thief takes at once a peer's queued tasks (oldest first) and its ready
// fibers but the oldest (newest first). The peer's next items, next_ and its
// oldest ready fiber, are left to it unless it made no progress (started no
// task, switched no fiber) for `stall_limit`: then it is stuck in a long
// operation and the thief takes them too. So an actor woken by a message runs
// next on its waker's thread, and a producer and its consumer stay together,
// unless that thread stays busy.
//
// ---- The wake-up protocol ----
// Work is published (a push or an exchange into next_, all seq_cst) and then
// the publisher reads the idle counters (seq_cst); a worker going to sleep first
// announces it (sleeper word and counters, seq_cst) and then takes a last look
// at every queue (seq_cst). In the single total order of seq_cst operations one
// of the two comes second and sees the other: either the sleeper's last look
// finds the work, or the publisher sees the sleeper and wakes it. Who must be
// woken, with S = spinning workers, W = watchers (spinning or napping):
//  - work that can be stolen at once (stealable_now() > 0, or work from
//    outside the pool): if S == 0, wake a napping or sleeping worker;
//  - work that only becomes stealable when its owner stalls (next_, the
//    oldest fiber): if W == 0, wake a sleeping worker; a watcher will see the stall.
// An idle worker spins for `spin_time`, then naps (a timed sleep of `nap_time`,
// still watching) while any peer has queued work, and sleeps until woken only
// when no peer has any. Work from outside the pool goes to an idle worker if
// there is one (and wakes it), else to any worker. A fiber parks detached from
// its thread (fiber_parker.cpp), so whoever wakes it can queue it on any worker.
//
// ---- A deterministic run ----
// The only worker keeps the tasks its own thread makes runnable in seeded_,
// and picks the next one there with its seeded generator. Tasks from outside
// the pool still arrive in tasks_ (and wake it by the protocol above); it
// takes one of those, oldest first, only when seeded_ is empty, and advances
// the virtual clock only when both are empty and no fiber is ready. Which
// outside item comes first is the world's doing; everything between two of
// them is the seed's.
#pragma once
#include <atomic>
#include <boost/fiber/context.hpp>
#include <chrono>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "scheduler/fiber_queue.hpp"
#include "scheduler/sleeper.hpp"
#include "scheduler/task_queue.hpp"
#include "scheduler/worker_stats.hpp"

namespace weft {

class scheduler;

class worker {
public:
    using clock = std::chrono::steady_clock;
    // A peer's next items may be taken once it made no progress for this long.
    static constexpr std::chrono::microseconds stall_limit{20};
    // An idle worker looks for work this long before it naps.
    static constexpr std::chrono::microseconds spin_time{50};
    // A napping worker looks again after this long.
    static constexpr std::chrono::microseconds nap_time{500};

    worker(scheduler& owner, unsigned index);
    void start();
    void join();

    // ---- on this worker's own thread ----
    void submit_next(task* t);        // into next_; the one there before moves to the queue
    void submit_back(task* t);        // to the back of the queue (a task that yielded)
    void fiber_published(bool movable);  // fiber_algorithm queued a fiber in fibers_
    void note_progress() noexcept { progress_.store(progress_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
    // For fiber_algorithm::pick_next: the main context left the rotation while
    // only fibers run (yield_to_fibers); take_parked_main() puts it back in play.
    bool main_parked() const noexcept { return main_parked_; }
    boost::fibers::context* take_parked_main() noexcept;
    bool has_local_tasks() const noexcept;
    std::size_t shed();               // hands every queued item to the other workers

    // ---- any thread ----
    void push_task(task* t) { tasks_.push(t); }
    void push_fiber(boost::fibers::context* ctx) { fibers_.push(ctx); }
    sleeper::state wake() noexcept { return bed_.wake(); }
    bool idle() const noexcept { return idle_.load(std::memory_order_seq_cst); }
    // When it last announced a nap or sleep (scheduler::naps_'s numbering).
    std::uint64_t slept_at() const noexcept { return slept_at_.load(std::memory_order_relaxed); }
    // Runnable items queued here (a racy hint): next_, tasks and movable fibers.
    std::size_t queued() const noexcept {
        return (next_.load(std::memory_order_seq_cst) ? 1 : 0) + tasks_.size() + fibers_.movable() +
               seeded_count_.load(std::memory_order_relaxed);
    }
    // Of those, the ones a thief may take at once: all but next_ and the
    // oldest ready fiber, which this worker runs next.
    std::size_t stealable_now() const noexcept {
        std::size_t fibers = fibers_.movable();
        return tasks_.size() + (fibers > 1 ? fibers - 1 : 0);
    }

    boost::fibers::context* main_context() const noexcept { return main_ctx_; }
    // This thread's Boost.Fiber scheduler (fixed for the thread's life).
    boost::fibers::scheduler* fiber_scheduler() const { return main_ctx_->get_scheduler(); }
    unsigned index() const { return index_; }
    // Its figures for the observer (worker_stats.hpp): written by this
    // worker's thread only, read by anyone.
    worker_stats& stats() noexcept { return stats_; }
    const worker_stats& stats() const noexcept { return stats_; }
    // Items started (tasks run, fibers switched to): the progress count.
    std::uint64_t turns() const noexcept { return progress_.load(std::memory_order_relaxed); }

    static worker* current() noexcept;

private:
    friend class scheduler;
    void thread_main();
    void run_loop();
    task* next_task();
    task* next_seeded_task();
    void push_seeded(task* t);
    void run_task(task* t);
    void yield_to_fibers();
    bool has_local_work() const noexcept;
    bool exiting() const noexcept;
    bool steal();
    bool steal_from(worker& victim, bool stuck);
    bool any_peer_queued() const noexcept;
    bool any_peer_stealable() const noexcept;
    std::vector<worker*> shed_order_;  // shed()'s takers, reserved for all workers
    void wait_for_work();

    // What this worker saw of one peer, to tell a stuck peer from a busy one.
    struct peer_watch {
        std::uint64_t progress = ~std::uint64_t{0};
        clock::time_point since{};
    };

    scheduler& owner_;
    unsigned index_;
    // The task to run next. Written by this worker (exchange, seq_cst: it
    // publishes work, see the protocol above); taken by this worker or a thief
    // with an exchange, so exactly one gets it (acquire: the task's state).
    std::atomic<task*> next_{nullptr};
    unsigned next_streak_ = 0;  // bounds how long next_ chains may starve the queue
    task_queue tasks_;
    // A deterministic run only (see above): runnable tasks made by this
    // thread, and the generator that picks among them. This thread only.
    std::vector<task*> seeded_;
    std::mt19937_64 choice_;
    // seeded_.size() for queued()'s readers on other threads; relaxed: a hint.
    std::atomic<std::size_t> seeded_count_{0};
    fiber_queue fibers_;
    // Counts the items this worker started (tasks run, fibers switched to).
    // Written only here, read by thieves; relaxed: a heuristic, guarding nothing.
    std::atomic<std::uint64_t> progress_{0};
    // True while the worker is in wait_for_work (spinning, napping, sleeping).
    // seq_cst: read by outside submitters choosing whom to hand work to.
    std::atomic<bool> idle_{false};
    sleeper bed_;
    worker_stats stats_;
    // Written by this worker before each announcement; relaxed: a preference.
    std::atomic<std::uint64_t> slept_at_{0};
    std::vector<peer_watch> watch_;  // this worker's own notes, one per peer
    boost::fibers::context* main_ctx_ = nullptr;
    bool main_parked_ = false;  // this thread only: main suspended while fibers run
    void* thread_stack_bottom_ = nullptr;  // for the sanitizer's stack bookkeeping
    std::size_t thread_stack_size_ = 0;
    std::thread thread_;
};

}  // namespace weft
