// scheduler.hpp: a pool of worker threads that runs stackless tasks and fibers.
//
// One worker thread per core. Each runs two kinds of work:
//  - tasks (task.hpp): stackless units such as script actors, called on the
//    worker's own stack straight from its loop, with no context switch;
//  - fibers (Boost.Fiber): straight-line code that may block, such as blocking
//    native actors, driven by our work-stealing algorithm (fiber_algorithm.hpp).
// Every runnable task and fiber sits where every worker can see it: a worker
// that runs dry steals from its peers, and takes even a peer's next task when
// that peer is stuck in a long operation. Idle workers spin briefly, then
// sleep; work that a busy worker cannot get to wakes one (worker.hpp states the
// wake-up protocol). Everything lives in the scheduler object: several
// schedulers can start and stop in one process. The scheduler knows nothing of
// actors, and never blocks a worker thread except to sleep when idle.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <boost/fiber/context.hpp>

#include "scheduler/stack_pool.hpp"
#include "scheduler/task.hpp"
#include "scheduler/timer_service.hpp"
#include "scheduler/worker_stats.hpp"

namespace weft {

class worker;

// One worker's figures at one moment (sample_workers()).
struct worker_sample {
    std::uint64_t busy_ns = 0;   // since the scheduler started, not idle
    std::uint64_t idle_ns = 0;   // spinning, napping or sleeping for want of work
    std::uint64_t turns = 0;     // tasks run and fibers switched to
    std::size_t run_queue = 0;   // runnable items queued on it now (a racy hint)
    std::array<std::uint64_t, worker_event_slots> events{};  // worker_stats' slots
};

struct scheduler_options {
    unsigned threads = 0;                    // 0: one per hardware thread
    std::size_t fiber_stack_size = 64 * 1024;  // reserved per fiber; committed as touched
    // A deterministic run (`weft run --deterministic --seed N`): one worker
    // thread, which at every scheduling point picks the next task among the
    // runnable ones with a generator seeded from `seed`; work from outside
    // the pool waits until nothing else can run and is taken one item at a
    // time, oldest first; timers run on a virtual clock (timer_service.hpp).
    // Same seed, same program, same inputs: the same run.
    bool deterministic = false;
    std::uint64_t seed = 0;
};

class scheduler {
public:
    explicit scheduler(scheduler_options options = {});
    ~scheduler();  // shutdown(), then frees everything
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    // Makes a task runnable. From a worker of this scheduler the task goes to that
    // worker's next slot (it runs after the current item, keeping a chain of
    // messages on one warm core, unless that item runs so long that an idle
    // worker takes it); from anywhere else it goes to an idle worker, woken for
    // it, or to any worker when none is idle.
    void submit(task* t);
    // Like submit, but to the back of the local queue: for a task that yields.
    void submit_yielded(task* t);

    // For code about to run a long operation that cannot yield (a big builtin,
    // a long native call): hands every task and fiber queued on the calling
    // worker to the other workers at once, waking idle ones, so nothing waits
    // behind the operation. Returns how many it handed over (0 when called off
    // the pool or with one thread). Cheap when nothing is queued; work queued
    // later still goes to other workers once this one is seen to be stuck.
    std::size_t shed_local_work();

    // Starts `body` on a new fiber of the pool. It must not let an exception escape.
    void spawn_fiber(std::function<void()> body);

    // Stops the workers once no task is queued and no fiber is alive, and joins them.
    // The caller makes sure everything will end (actors/ ends every actor first).
    void shutdown();

    unsigned thread_count() const { return static_cast<unsigned>(workers_.size()); }
    std::size_t live_fibers() const { return live_fibers_.load(std::memory_order_acquire); }
    timer_service& timers() { return timers_; }

    // Every worker's figures (worker_stats.hpp), read without stopping or
    // waking anyone: each is right at some moment during the call. Any thread.
    std::vector<worker_sample> sample_workers() const;
    // The calling worker's figures, for counting an event on its own thread;
    // nullptr off this scheduler's pool. Fibers move between threads: call
    // again after every suspension, never keep the pointer.
    worker_stats* current_stats() const noexcept;

    // The scheduler whose worker runs the calling thread, or nullptr. Fibers may
    // move between threads: call again after every suspension, never cache it.
    static scheduler* current() noexcept;
    // The time as the calling thread's scheduler keeps it: its virtual clock
    // in a deterministic run, else (and off every pool) the steady clock.
    static std::chrono::steady_clock::time_point now() noexcept;
    // For fiber_parker (scheduler/ only): queues a parked fiber, detached from
    // every thread, where a worker will run it: on the calling worker when it is
    // one of ours (locality), else on an idle worker, woken for it.
    void fiber_ready(boost::fibers::context* ctx);
    // From a fiber of this scheduler: lets the other ready work of its thread run
    // first (tasks and fibers), then continues, possibly on another thread.
    void yield_fiber();
    // Sanitizer builds: records that the caller now runs on its fiber's stack.
    // Code that resumes a fiber after a switch through Boost calls it.
    void note_fiber_stack() noexcept;
    // The index of the calling thread's worker in this scheduler, or -1.
    int current_worker_index() const noexcept;

private:
    friend class worker;
    struct fiber_launcher;
    // The calling thread's worker if it is one of ours, else nullptr.
    worker* own_worker() const noexcept;
    // Where work from outside the pool goes: an idle worker if any, else any.
    worker& pick_for_outside();
    // Hands work to `w` from a thread that is not `w`'s, and wakes whoever must look.
    template <class Push>
    void hand_over(worker& w, Push push);
    // After work was published in `w`'s queues: wakes a worker if none will look
    // (the rules are in worker.hpp).
    void notify_published(const worker& w);
    // Wakes one napping or sleeping worker other than `except` (only a sleeping
    // one when `sleeping_only`).
    void wake_one(const worker* except, bool sleeping_only);
    void launch_fiber_here(std::function<void()> body);
    void fiber_ended();
    void wake_all();

    scheduler_options options_;
    stack_pool stacks_;
    std::vector<std::unique_ptr<worker>> workers_;
    timer_service timers_;  // after workers_: its thread stops before they are freed
    // Fibers started and not yet ended; acq_rel, seq_cst when shutting down.
    std::atomic<std::size_t> live_fibers_{0};
    // Idle workers that are spinning (looking for work awake), and watchers:
    // spinning or napping. Each worker adds and removes only itself; every
    // access is seq_cst, as they take part in the wake-up protocol (worker.hpp).
    std::atomic<int> spinners_{0};
    std::atomic<int> watchers_{0};
    // Spreads outside work when no worker is idle; relaxed: any value will do.
    std::atomic<unsigned> round_robin_{0};
    // Numbers the workers' naps and sleeps, so that outside work can go to the
    // one that fell asleep last; relaxed: a preference, guarding nothing.
    std::atomic<std::uint64_t> naps_{0};
    // Set once by shutdown(); seq_cst: workers read it in their last look.
    std::atomic<bool> stopping_{false};
    // Threads outside the pool handing work over right now: shutdown() waits
    // for them before the workers are freed. acq_rel.
    std::atomic<int> remote_wakes_{0};
    bool joined_ = false;
    std::int64_t started_ns_ = 0;  // worker_stats::now_ns() when the workers started
};

}  // namespace weft
