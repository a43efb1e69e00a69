// worker.hpp: one worker thread of a scheduler (internal to scheduler/).
//
// The worker's thread runs its loop on the thread's main fiber context: it runs
// tasks straight from its queues, lets ready fibers run by yielding to them, steals
// when dry, and parks when there is nothing at all. Parking suspends the main
// context, so Boost.Fiber's dispatcher runs whatever fibers become ready and sleeps
// the thread (fiber_algorithm::suspend_until) when none are. wake() resumes the
// main context; the idle lock closes the race between "going idle" and "a task
// arrived" exactly as Boost's own condition variable does.
#pragma once
#include <atomic>
#include <boost/fiber/context.hpp>
#include <boost/fiber/detail/spinlock.hpp>
#include <thread>

#include "scheduler/fiber_queue.hpp"
#include "scheduler/task_queue.hpp"

namespace weft {

class scheduler;

class worker {
public:
    worker(scheduler& owner, unsigned index);
    void start();
    void join();

    // Local submission (the caller runs on this worker's thread).
    void submit_local(task* t);
    void submit_local_back(task* t);
    // Submission from any other thread.
    void submit_remote(task* t);
    // Resumes the loop if it is parked; cheap when it is not.
    void wake();

    bool idle() const { return idle_.load(std::memory_order_acquire); }
    // This thread's Boost.Fiber scheduler (fixed for the thread's life).
    boost::fibers::scheduler* fiber_scheduler() const { return main_ctx_->get_scheduler(); }
    unsigned index() const { return index_; }

    static worker* current() noexcept;

private:
    friend class scheduler;
    void thread_main();
    void run_loop();
    task* next_task();
    task* steal_task();
    bool steal_fiber();
    void park();
    void yield_to_fibers();
    bool has_local_tasks() const;

    scheduler& owner_;
    unsigned index_;
    task* next_ = nullptr;       // runs before the queue: the task this worker just woke
    unsigned next_streak_ = 0;   // bounds how long `next_` chains may starve the queue
    task_queue tasks_;
    fiber_queue fibers_;
    boost::fibers::context* main_ctx_ = nullptr;
    boost::fibers::detail::spinlock idle_lock_;
    std::atomic<bool> idle_{false};
    void* thread_stack_bottom_ = nullptr;  // for the sanitizer's stack bookkeeping
    std::size_t thread_stack_size_ = 0;
    std::thread thread_;
};

}  // namespace weft
