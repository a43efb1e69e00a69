// fiber_algorithm.hpp: the Boost.Fiber scheduling algorithm of one worker thread.
//
// Boost's own work_stealing keeps its pool in static state (one per process,
// forever) and either spins when idle or, with suspend=true, never steals. Ours
// keeps ready fibers in its worker's fiber_queue, where other workers can steal
// them. Like Boost's, it detaches a migratable fiber when it becomes ready and
// attaches it to whichever thread picks it, so fibers move freely between
// workers; a parked fiber is detached too (fiber_parker.cpp), so pick_next may
// run while the fiber that is switching away belongs to no thread, and attaches
// through this thread's scheduler, never through the active context.
// The worker's loop suspends its main context only to run fibers
// (yield_to_fibers parks it), and pick_next hands it back (take_parked_main)
// as soon as tasks wait or no fiber is ready, so Boost's dispatcher does not
// sleep here; suspend_until is only a bounded fallback (it matters when the
// thread's scheduler shuts down).
#pragma once
#include <atomic>
#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/scheduler.hpp>
#include <condition_variable>
#include <mutex>

namespace weft {

class fiber_queue;
class worker;

class fiber_algorithm final : public boost::fibers::algo::algorithm {
public:
    // Constructed on the worker's thread, inside use_scheduling_algorithm.
    fiber_algorithm(worker& owner, fiber_queue& ready);

    void awakened(boost::fibers::context* ctx) noexcept override;
    boost::fibers::context* pick_next() noexcept override;
    bool has_ready_fibers() const noexcept override;
    void suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept override;
    void notify() noexcept override;

private:
    worker& owner_;
    fiber_queue& ready_;
    boost::fibers::scheduler* sched_;  // this thread's Boost.Fiber scheduler
    // The dispatcher's fallback sleep. notified_ is set under mutex_ (release)
    // and read in the wait's predicate (acquire), so a notify is never lost;
    // the spin before the wait exchanges it (acquire) to catch a quick one.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> notified_{false};
};

}  // namespace weft
