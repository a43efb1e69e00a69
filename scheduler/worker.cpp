// worker.cpp: see worker.hpp.
#include "scheduler/worker.hpp"

#include <boost/fiber/operations.hpp>
#include <boost/fiber/scheduler.hpp>
#include <utility>

#include "scheduler/fiber_algorithm.hpp"
#include <pthread.h>

#include "scheduler/asan.hpp"
#include "scheduler/scheduler.hpp"
#include "scheduler/tsan.hpp"

namespace weft {

namespace {
// Read only through worker::current(), a call the compiler cannot fold across a
// fiber switch (see DESIGN.md: fibers move between threads).
thread_local worker* tls_current_worker = nullptr;

// How many times in a row the task a worker just woke may jump the queue. Keeps a
// ping-pong pair on one warm core without starving the tasks queued behind it.
constexpr unsigned max_next_streak = 16;
}  // namespace

__attribute__((noinline)) worker* worker::current() noexcept { return tls_current_worker; }

worker::worker(scheduler& owner, unsigned index) : owner_(owner), index_(index) {}

void worker::start() { thread_ = std::thread([this] { thread_main(); }); }

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
    boost::fibers::use_scheduling_algorithm<fiber_algorithm>(fibers_);
    main_ctx_ = boost::fibers::context::active();
    run_loop();
    // Boost destroys this thread's fiber scheduler when the thread exits. A wake()
    // racing with our exit may still be inside it (schedule_from_remote, notify);
    // it holds idle_lock_ throughout, so passing through the lock waits it out, and
    // no later wake() gets past its idle_ check.
    {
        boost::fibers::detail::spinlock_lock barrier(idle_lock_);
        tsan::acquire(this);
    }
    // Likewise a fiber_parker::unpark() whose fiber already ran to its end here.
    // No new one can start: no fiber is alive to be unparked.
    while (owner_.remote_wakes_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    tls_current_worker = nullptr;
}

void worker::run_loop() {
    for (;;) {
        if (task* t = next_task()) {
            t->run();
            // Fibers made ready by that task get their turn before the next task.
            if (fibers_.movable() > 0) yield_to_fibers();
            continue;
        }
        // No task: ready fibers (ours, or one taken from a busier worker) run while
        // this loop is parked; it wakes when a task arrives.
        steal_fiber();
        if (owner_.stopping_.load(std::memory_order_acquire) && owner_.live_fibers() == 0 &&
            tasks_.empty())
            return;
        park();
    }
}

void worker::yield_to_fibers() {
    boost::this_fiber::yield();
    asan::now_on_stack(thread_stack_bottom_, thread_stack_size_);
}

task* worker::next_task() {
    if (next_ && (next_streak_ < max_next_streak || tasks_.empty())) {
        ++next_streak_;
        return std::exchange(next_, nullptr);
    }
    next_streak_ = 0;
    if (task* t = tasks_.pop()) return t;
    if (next_) return std::exchange(next_, nullptr);
    return steal_task();
}

task* worker::steal_task() {
    auto& all = owner_.workers_;
    for (std::size_t i = 1; i < all.size(); ++i) {
        worker& victim = *all[(index_ + i) % all.size()];
        if (task* t = victim.tasks_.pop()) return t;
    }
    return nullptr;
}

bool worker::steal_fiber() {
    auto& all = owner_.workers_;
    for (std::size_t i = 1; i < all.size(); ++i) {
        worker& victim = *all[(index_ + i) % all.size()];
        if (boost::fibers::context* ctx = victim.fibers_.steal()) {
            fibers_.push(ctx);  // detached while queued; our pick_next attaches it here
            return true;
        }
    }
    return false;
}

void worker::submit_local(task* t) {
    if (next_) {
        tasks_.push(next_);
        // Two runnable tasks here now: an idle worker could take one.
        if (owner_.idle_workers_.load(std::memory_order_seq_cst) > 0) owner_.wake_one_idle(this);
    }
    next_ = t;
    // A fiber of this thread may be submitting while the loop is parked.
    if (idle()) wake();
}

void worker::submit_local_back(task* t) {
    tasks_.push(t);
    if ((next_ || tasks_.size() > 1) && owner_.idle_workers_.load(std::memory_order_seq_cst) > 0)
        owner_.wake_one_idle(this);
    if (idle()) wake();
}

void worker::submit_remote(task* t) {
    // The queue's size is stored seq_cst and wake() loads idle_ seq_cst; park()
    // does the mirror image: so either we see the worker idle, or it sees the task.
    tasks_.push(t);
    wake();
}

bool worker::has_local_tasks() const { return next_ || !tasks_.empty(); }

void worker::park() {
    boost::fibers::detail::spinlock_lock lock(idle_lock_);
    idle_.store(true, std::memory_order_seq_cst);
    owner_.idle_workers_.fetch_add(1, std::memory_order_seq_cst);
    // Ready fibers do not keep the loop up: they run while it is parked.
    bool work_visible = has_local_tasks();
    for (auto& other : owner_.workers_) work_visible = work_visible || !other->tasks_.empty();
    bool exiting = owner_.stopping_.load(std::memory_order_seq_cst) && owner_.live_fibers() == 0;
    if (work_visible || exiting) {
        idle_.store(false, std::memory_order_relaxed);
        owner_.idle_workers_.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    // Boost unlocks idle_lock_ only once this context is switched out, so wake()
    // cannot resume it before it has really stopped running.
    tsan::release(this);
    main_ctx_->suspend(lock);
    tsan::acquire(this);
    asan::now_on_stack(thread_stack_bottom_, thread_stack_size_);
}

void worker::wake() {
    if (!idle_.load(std::memory_order_seq_cst)) return;
    boost::fibers::detail::spinlock_lock lock(idle_lock_);
    tsan::acquire(this);
    if (!idle_.load(std::memory_order_relaxed)) return;
    idle_.store(false, std::memory_order_relaxed);
    tsan::release(this);
    owner_.idle_workers_.fetch_sub(1, std::memory_order_relaxed);
    boost::fibers::scheduler* sched = main_ctx_->get_scheduler();
    if (current() == this)
        sched->schedule(main_ctx_);
    else
        sched->schedule_from_remote(main_ctx_);
}

}  // namespace weft
