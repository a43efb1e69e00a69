// timer_service.hpp: deadlines that fire callbacks on a thread of their own.
//
// Receive timeouts, send_after and sleeps all come down to "at time T, do this
// small thing" (usually: push a signal into a mailbox). One thread per runtime
// keeps a min-heap of deadlines; cancelling removes the callback at once and lets
// the stale heap entry be skipped when it comes up, so a receive that gets its
// message before its timeout costs one short critical section to arm and one to
// cancel. Callbacks run on the timer thread and must be quick and non-blocking.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

namespace weft {

class timer_service {
public:
    using clock = std::chrono::steady_clock;
    using timer_id = std::uint64_t;  // never 0

    timer_service();
    ~timer_service();  // stops the thread; pending callbacks are dropped unrun
    timer_service(const timer_service&) = delete;
    timer_service& operator=(const timer_service&) = delete;

    timer_id schedule(clock::time_point deadline, std::function<void()> fire);
    timer_id schedule_after(std::chrono::nanoseconds delay, std::function<void()> fire) {
        return schedule(clock::now() + delay, std::move(fire));
    }
    // True when the timer was pending and now will not fire; false when it already
    // fired (or is firing) or was cancelled before.
    bool cancel(timer_id id);
    std::size_t pending() const;

private:
    struct entry {
        clock::time_point deadline;
        timer_id id;
        bool operator>(const entry& o) const { return deadline > o.deadline; }
    };
    void loop();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::priority_queue<entry, std::vector<entry>, std::greater<entry>> heap_;
    std::unordered_map<timer_id, std::function<void()>> callbacks_;
    timer_id next_id_ = 1;
    bool stopping_ = false;
    std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace weft
