// fiber_algorithm.cpp: see fiber_algorithm.hpp.
#include "scheduler/fiber_algorithm.hpp"

#include <boost/fiber/context.hpp>
#include <boost/fiber/scheduler.hpp>

#include "scheduler/fiber_queue.hpp"
#include "scheduler/worker.hpp"

namespace weft {

using boost::fibers::context;

fiber_algorithm::fiber_algorithm(worker& owner, fiber_queue& ready)
    : owner_(owner), ready_(ready), sched_(context::active()->get_scheduler()) {}

void fiber_algorithm::awakened(context* ctx) noexcept {
    // A migratable fiber leaves its scheduler while it waits in the queue, so that
    // any worker may pick it up (pick_next attaches it to the picker's scheduler).
    bool movable = !ctx->is_context(boost::fibers::type::pinned_context);
    if (movable) ctx->detach();
    ready_.push(ctx);
    owner_.fiber_published(movable);
}

context* fiber_algorithm::pick_next() noexcept {
    context* ctx = ready_.pop();
    if (ctx && !ctx->is_context(boost::fibers::type::pinned_context)) sched_->attach_worker_context(ctx);
    owner_.note_progress();
    return ctx;
}

bool fiber_algorithm::has_ready_fibers() const noexcept { return !ready_.empty(); }

namespace {
// About 20-60 microseconds of `pause`, depending on the processor.
constexpr int spins_before_sleep = 400;
}  // namespace

void fiber_algorithm::suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept {
    for (int i = 0; i < spins_before_sleep; ++i) {
        if (notified_.exchange(false, std::memory_order_acquire)) return;
        __builtin_ia32_pause();
    }
    std::unique_lock lock(mutex_);
    auto notified = [this] { return notified_.load(std::memory_order_acquire); };
    if (deadline == std::chrono::steady_clock::time_point::max())
        wake_.wait(lock, notified);
    else
        wake_.wait_until(lock, deadline, notified);
    notified_.store(false, std::memory_order_relaxed);
}

void fiber_algorithm::notify() noexcept {
    {
        std::lock_guard guard(mutex_);
        notified_.store(true, std::memory_order_release);
    }
    wake_.notify_one();
}

}  // namespace weft
