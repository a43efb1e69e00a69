// fiber_algorithm.hpp: the Boost.Fiber scheduling algorithm of one worker thread.
//
// Boost's own work_stealing keeps its pool in static state (one per process,
// forever) and either spins when idle or, with suspend=true, never steals. Ours
// keeps ready fibers in its worker's fiber_queue, where other workers can steal
// them, and parks the OS thread on a condition variable when nothing is ready.
// Like Boost's, it detaches a migratable fiber when it becomes ready and attaches
// it to whichever thread picks it, so fibers move freely between workers.
// Before sleeping it spins for a few microseconds: work often comes back that
// soon (a reply from the other thread), and waking a sleeping thread costs tens
// of microseconds on a virtual machine. The spin is bounded; then it sleeps.
#pragma once
#include <atomic>
#include <boost/fiber/algo/algorithm.hpp>
#include <condition_variable>
#include <mutex>

namespace weft {

class fiber_queue;

class fiber_algorithm final : public boost::fibers::algo::algorithm {
public:
    explicit fiber_algorithm(fiber_queue& ready) : ready_(ready) {}

    void awakened(boost::fibers::context* ctx) noexcept override;
    boost::fibers::context* pick_next() noexcept override;
    bool has_ready_fibers() const noexcept override;
    void suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept override;
    void notify() noexcept override;

private:
    fiber_queue& ready_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> notified_{false};
};

}  // namespace weft
