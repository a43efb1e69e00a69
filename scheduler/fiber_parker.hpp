// fiber_parker.hpp: lets one fiber sleep until another thread says "go on".
//
// A blocking actor waiting in receive parks here; whoever puts a message in its
// mailbox unparks it, from any thread, any number of times. An unpark that comes
// before the park is remembered, so no wake-up is ever lost. The parked fiber
// holds no OS thread and belongs to no thread while it waits: the unparker
// queues it on a worker (its own if it is one, else an idle one), where any
// worker may take it. Only one fiber may park on a parker; it must be called
// from a fiber of a scheduler's worker.
#pragma once
#include <boost/fiber/context.hpp>
#include <boost/fiber/detail/spinlock.hpp>

namespace weft {

class scheduler;

class fiber_parker {
public:
    void park() noexcept;
    void unpark() noexcept;

private:
    // Guards the three fields below. Taken by the parking fiber until it has
    // switched away (Boost releases it on the next context's stack), so an
    // unparker that finds `waiter_` set finds it fully suspended.
    boost::fibers::detail::spinlock lock_;
    boost::fibers::context* waiter_ = nullptr;  // the parked fiber, detached from every thread
    scheduler* home_ = nullptr;                 // the scheduler it belongs to
    bool permit_ = false;                       // an unpark came before the park
};

}  // namespace weft
