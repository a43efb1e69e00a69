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
    owner_.note_progress();
    // The main context sits out while only fibers run (worker::yield_to_fibers).
    // It comes back when a task arrives here, or when nothing is queued: then
    // the queue holds not even the dispatcher, which is running this very call
    // (so the fibers have run out, or a thief took the last one). Never while
    // it is the context switching away.
    bool main_out = owner_.main_parked() && context::active() != owner_.main_context();
    if (main_out && owner_.has_local_tasks()) return owner_.take_parked_main();
    context* ctx = ready_.pop();
    if (!ctx) return main_out ? owner_.take_parked_main() : nullptr;
    if (!ctx->is_context(boost::fibers::type::pinned_context)) sched_->attach_worker_context(ctx);
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
