// fiber_parker.cpp: see fiber_parker.hpp.
#include "scheduler/fiber_parker.hpp"

#include <boost/fiber/scheduler.hpp>

#include "scheduler/scheduler.hpp"
#include "scheduler/tsan.hpp"
#include "scheduler/worker.hpp"

namespace weft {

void fiber_parker::park() noexcept {
    boost::fibers::detail::spinlock_lock lock(lock_);
    if (permit_) {
        permit_ = false;
        return;
    }
    boost::fibers::context* me = boost::fibers::context::active();
    waiter_ = me;
    tsan::release(this);
    // Released by Boost only after the switch, so unpark() cannot schedule this
    // fiber while it is still running.
    me->suspend(lock);
    tsan::acquire(this);
    if (scheduler* s = scheduler::current()) s->note_fiber_stack();
}

void fiber_parker::unpark() noexcept {
    boost::fibers::detail::spinlock_lock lock(lock_);
    tsan::acquire(this);
    boost::fibers::context* waiter = waiter_;
    if (!waiter) {
        permit_ = true;
        return;
    }
    waiter_ = nullptr;
    tsan::release(this);
    // A waiting fiber stays attached to the scheduler it ran on. From that same
    // thread a plain schedule() is enough; from anywhere else (another worker, the
    // timer thread, the embedding program) it must go through the remote queue.
    boost::fibers::scheduler* home = waiter->get_scheduler();
    worker* here = worker::current();
    if (here && here->fiber_scheduler() == home)
        home->schedule(waiter);
    else
        home->schedule_from_remote(waiter);
}

}  // namespace weft
