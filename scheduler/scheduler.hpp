// scheduler.hpp: a pool of worker threads that runs stackless tasks and fibers.
//
// One worker thread per core. Each runs two kinds of work:
//  - tasks (task.hpp): stackless units such as script actors, called on the
//    worker's own stack straight from its loop, with no context switch;
//  - fibers (Boost.Fiber): straight-line code that may block, such as blocking
//    native actors, driven by our work-stealing algorithm (fiber_algorithm.hpp).
// Workers steal tasks and fibers from each other when they run dry, and park (no
// spinning) when there is nothing anywhere; work arriving from another thread
// wakes one. Everything lives in the scheduler object: several schedulers can
// start and stop in one process. The scheduler knows nothing of actors.
#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "scheduler/stack_pool.hpp"
#include "scheduler/task.hpp"
#include "scheduler/timer_service.hpp"

namespace weft {

class worker;

struct scheduler_options {
    unsigned threads = 0;                    // 0: one per hardware thread
    std::size_t fiber_stack_size = 64 * 1024;  // reserved per fiber; committed as touched
};

class scheduler {
public:
    explicit scheduler(scheduler_options options = {});
    ~scheduler();  // shutdown(), then frees everything
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    // Makes a task runnable. From a worker of this scheduler the task goes to that
    // worker (and runs soon after the current one, keeping a chain of messages on
    // one warm core); from anywhere else it goes to a worker round-robin.
    void submit(task* t);
    // Like submit, but to the back of the local queue: for a task that yields.
    void submit_yielded(task* t);

    // Starts `body` on a new fiber of the pool. It must not let an exception escape.
    void spawn_fiber(std::function<void()> body);

    // Stops the workers once no task is queued and no fiber is alive, and joins them.
    // The caller makes sure everything will end (actors/ ends every actor first).
    void shutdown();

    unsigned thread_count() const { return static_cast<unsigned>(workers_.size()); }
    std::size_t live_fibers() const { return live_fibers_.load(std::memory_order_acquire); }
    timer_service& timers() { return timers_; }

    // The scheduler whose worker runs the calling thread, or nullptr. Fibers may
    // move between threads: call again after every suspension, never cache it.
    static scheduler* current() noexcept;
    // Brackets a wake-up that goes through another thread's Boost.Fiber scheduler:
    // a worker does not exit (destroying that scheduler) while one is under way.
    void begin_remote_wake() noexcept { remote_wakes_.fetch_add(1, std::memory_order_acq_rel); }
    void end_remote_wake() noexcept { remote_wakes_.fetch_sub(1, std::memory_order_acq_rel); }
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
    worker& next_worker_round_robin();
    void launch_fiber_here(std::function<void()> body);
    void fiber_ended();
    void wake_one_idle(const worker* except);
    void wake_all();

    scheduler_options options_;
    stack_pool stacks_;
    std::vector<std::unique_ptr<worker>> workers_;
    timer_service timers_;  // after workers_: its thread stops before they are freed
    std::atomic<std::size_t> live_fibers_{0};
    std::atomic<unsigned> idle_workers_{0};
    std::atomic<unsigned> round_robin_{0};
    std::atomic<bool> stopping_{false};
    std::atomic<int> remote_wakes_{0};
    bool joined_ = false;
};

}  // namespace weft
