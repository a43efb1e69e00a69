// fiber_queue.hpp: one worker's ready fibers, stealable by the other workers.
//
// Holds Boost.Fiber contexts that are ready to run. Pinned contexts (a thread's
// main and dispatcher contexts) may sit here too but must never leave their own
// thread, so steal() skips them. Every operation takes a per-worker spinlock for a
// few instructions; never call back into Boost.Fiber while holding it.
#pragma once
#include <atomic>
#include <boost/fiber/context.hpp>
#include <boost/fiber/scheduler.hpp>
#include <mutex>

#include "scheduler/spinlock.hpp"

namespace weft {

class fiber_queue {
public:
    using context = boost::fibers::context;

    void push(context* ctx) noexcept {
        std::lock_guard guard(lock_);
        ctx->ready_link(queue_);
        size_.fetch_add(1, std::memory_order_relaxed);
        // seq_cst: publishes a runnable fiber (the wake-up protocol, worker.hpp).
        if (!pinned(ctx)) movable_.fetch_add(1, std::memory_order_seq_cst);
    }

    context* pop() noexcept {
        if (empty()) return nullptr;
        std::lock_guard guard(lock_);
        if (queue_.empty()) return nullptr;
        context* ctx = &queue_.front();
        queue_.pop_front();
        size_.fetch_sub(1, std::memory_order_relaxed);
        if (!pinned(ctx)) movable_.fetch_sub(1, std::memory_order_relaxed);
        return ctx;
    }

    // Takes a context that may migrate, or nullptr: the oldest, or the newest
    // (a thief takes that one: the owner runs it last).
    context* steal(bool newest = false) noexcept {
        if (movable() == 0) return nullptr;
        std::lock_guard guard(lock_);
        if (newest) {
            for (auto it = queue_.rbegin(); it != queue_.rend(); ++it)
                if (!pinned(&*it)) return take(&*it);
        } else {
            for (auto it = queue_.begin(); it != queue_.end(); ++it)
                if (!pinned(&*it)) return take(&*it);
        }
        return nullptr;
    }

    bool empty() const noexcept { return size_.load(std::memory_order_relaxed) == 0; }
    // Ready fibers other than the thread's own main and dispatcher contexts: the
    // dispatcher is almost always queued, so only this count says "fibers want to run".
    // seq_cst: the last look of a worker going to sleep reads it (worker.hpp).
    std::size_t movable() const noexcept { return movable_.load(std::memory_order_seq_cst); }

private:
    static bool pinned(context* ctx) noexcept { return ctx->is_context(boost::fibers::type::pinned_context); }
    context* take(context* ctx) noexcept {  // with lock_ held
        queue_.erase(queue_.iterator_to(*ctx));
        size_.fetch_sub(1, std::memory_order_relaxed);
        movable_.fetch_sub(1, std::memory_order_relaxed);
        return ctx;
    }

    spinlock lock_;
    boost::fibers::scheduler::ready_queue_type queue_;
    // Counts kept beside the list so that a look needs no lock. size_ is a hint
    // for the owner (relaxed); movable_ takes part in the wake-up protocol.
    std::atomic<std::size_t> size_{0};
    std::atomic<std::size_t> movable_{0};
};

}  // namespace weft
