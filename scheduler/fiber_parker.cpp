// fiber_parker.cpp: see fiber_parker.hpp.
//
// The park/unpark protocol:
//  1. park takes lock_. A permit left by an earlier unpark is consumed, and the
//     fiber goes on without parking.
//  2. Otherwise it records itself in waiter_, detaches itself from its thread's
//     Boost.Fiber scheduler, and switches to the next ready context of that
//     thread. Boost unlocks lock_ only after the switch, on the next context's
//     stack, so nobody sees waiter_ before the fiber is off its stack.
//  3. unpark takes lock_: with no waiter it leaves a permit; with one it takes
//     it, unlocks, and hands it to the scheduler (scheduler::fiber_ready),
//     which queues it on a worker and wakes one if needed.
//  4. The worker that pops it attaches it to its own thread and resumes it.
// A parked fiber is detached so that its wake-up never depends on the thread
// it parked on: that thread may be stuck in a long task, or busy with
// stackless work that never passes through Boost's dispatcher (whose remote
// queue is the only door Boost offers into an attached fiber's thread).
#include "scheduler/fiber_parker.hpp"

#include <boost/fiber/scheduler.hpp>

#include "scheduler/scheduler.hpp"
#include "scheduler/tsan.hpp"

namespace weft {

void fiber_parker::park() noexcept {
    boost::fibers::detail::spinlock_lock lock(lock_);
    if (permit_) {
        permit_ = false;
        return;
    }
    boost::fibers::context* me = boost::fibers::context::active();
    boost::fibers::scheduler* here = me->get_scheduler();
    waiter_ = me;
    home_ = scheduler::current();
    // Boost's context::detach() refuses the active context; the scheduler's own
    // call does the same two steps (leave its worker list, forget the
    // scheduler) without that check. Nothing reads this fiber's scheduler until
    // a picker attaches it again: the switch below goes through `here`, and our
    // pick_next attaches through its own thread's scheduler.
    here->detach_worker_context(me);
    tsan::release(this);
    here->suspend(lock);
    // Resumed, possibly on another thread: `here` is stale now.
    tsan::acquire(this);
    if (scheduler* s = scheduler::current()) s->note_fiber_stack();
}

void fiber_parker::unpark() noexcept {
    boost::fibers::context* waiter;
    scheduler* home;
    {
        boost::fibers::detail::spinlock_lock lock(lock_);
        tsan::acquire(this);
        waiter = waiter_;
        if (!waiter) {
            permit_ = true;
            return;
        }
        waiter_ = nullptr;
        home = home_;
        tsan::release(this);  // after our last look at the fields: it may run at once
    }
    // The fiber is alive (it is parked), so its scheduler is too.
    home->fiber_ready(waiter);
}

}  // namespace weft
