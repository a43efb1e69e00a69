// timer_service.hpp: deadlines that fire callbacks on a thread of their own.
//
// Receive timeouts, send_after and sleeps all come down to "at time T, do this
// small thing" (usually: push a signal into a mailbox). One thread per runtime
// keeps a min-heap of deadlines; cancelling removes the callback at once and lets
// the stale heap entry be skipped when it comes up, so a receive that gets its
// message before its timeout costs one short critical section to arm and one to
// cancel. Callbacks run on the timer thread and must be quick and non-blocking.
//
// A deterministic run (scheduler_options::deterministic) uses a virtual clock
// instead, with no thread: each turn of an actor moves it on by a fixed step
// (pass()), and when everything waits the one worker calls advance(), which
// moves it to the earliest deadline. Timers fire when the clock reaches
// them, on the worker's thread. So a program's timers fire in the same
// order, at the same virtual times, on every run; a sleep of an hour takes
// no time at all, and a program that measures how long its work took sees
// a figure that counts turns rather than zero.
#pragma once
#include <atomic>
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

    // `virtual_clock`: the deterministic clock described above (no thread).
    explicit timer_service(bool virtual_clock = false);
    ~timer_service();  // stops the thread; pending callbacks are dropped unrun
    timer_service(const timer_service&) = delete;
    timer_service& operator=(const timer_service&) = delete;

    timer_id schedule(clock::time_point deadline, std::function<void()> fire);
    timer_id schedule_after(std::chrono::nanoseconds delay, std::function<void()> fire) {
        return schedule(now() + delay, std::move(fire));
    }
    // The time deadlines are measured in: the steady clock, or the virtual
    // clock (which starts at 0). Any thread.
    clock::time_point now() const noexcept {
        if (!virtual_) return clock::now();
        return clock::time_point(clock::duration(virtual_now_.load(std::memory_order_relaxed)));
    }
    bool is_virtual() const noexcept { return virtual_; }
    // Virtual clock only, from the thread that runs everything: moves the
    // clock to the earliest pending deadline and fires every timer due then.
    // False when no timer is pending (the clock stays).
    bool advance();
    // Virtual clock only, likewise: moves the clock on by `step` and fires
    // the timers that are due by then.
    void pass(clock::duration step);
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
    void fire_due();  // virtual clock: fires what is due at now()

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::priority_queue<entry, std::vector<entry>, std::greater<entry>> heap_;
    std::unordered_map<timer_id, std::function<void()>> callbacks_;
    timer_id next_id_ = 1;
    bool stopping_ = false;
    const bool virtual_;
    // The virtual clock's time since its start, in the steady clock's ticks.
    // Written only by advance() and pass(), on the worker's thread; relaxed: readers on
    // other threads (a tool's sampler) need no order, and the worker reads
    // its own writes.
    std::atomic<clock::rep> virtual_now_{0};
    std::thread thread_;  // started in the constructor body, once every member exists
};

}  // namespace weft
