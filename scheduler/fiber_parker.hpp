// fiber_parker.hpp: lets one fiber sleep until another thread says "go on".
//
// A blocking actor waiting in receive parks here; whoever puts a message in its
// mailbox unparks it, from any thread, any number of times. An unpark that comes
// before the park is remembered, so no wake-up is ever lost. The parked fiber
// holds no OS thread: its worker runs other work meanwhile. Only one fiber may
// park on a parker; it must be called from a fiber of a scheduler's worker.
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
    boost::fibers::detail::spinlock lock_;
    boost::fibers::context* waiter_ = nullptr;
    scheduler* home_ = nullptr;  // the scheduler of the parked fiber's thread
    bool permit_ = false;
};

}  // namespace weft
