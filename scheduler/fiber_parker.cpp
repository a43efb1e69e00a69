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
    home_ = scheduler::current();
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
    // A waiting fiber stays attached to the scheduler it ran on. From that same
    // thread a plain schedule() is enough; from anywhere else (another worker, the
    // timer thread, the embedding program) it must go through the remote queue.
    boost::fibers::scheduler* home = waiter->get_scheduler();
    worker* here = worker::current();
    tsan::release(this);  // after our last look at the waiter: it may run at once
    if (here && here->fiber_scheduler() == home) {
        home->schedule(waiter);
    } else {
        scheduler* owner = home_;
        owner->begin_remote_wake();
        home->schedule_from_remote(waiter);
        owner->end_remote_wake();
    }
}

}  // namespace weft
