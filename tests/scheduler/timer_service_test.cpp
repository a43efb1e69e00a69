// Tests of the timer thread: firing order, cancellation, and teardown.
#include "scheduler/timer_service.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <vector>

namespace weft {
namespace {

using namespace std::chrono_literals;

TEST(TimerService, FiresInDeadlineOrder) {
    timer_service timers;
    std::mutex m;
    std::condition_variable cv;
    std::vector<int> order;
    auto now = timer_service::clock::now();
    for (int i : {3, 1, 2})
        timers.schedule(now + i * 5ms, [&, i] {
            std::lock_guard g(m);
            order.push_back(i);
            cv.notify_all();
        });
    std::unique_lock l(m);
    cv.wait(l, [&] { return order.size() == 3; });
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(TimerService, CancelledTimerNeverFires) {
    timer_service timers;
    std::mutex m;
    std::condition_variable cv;
    bool cancelled_fired = false, marker_fired = false;
    // The timer thread is kept busy in a first callback while the timer is
    // made and cancelled: however slow this thread is (a sanitizer, a loaded
    // machine), the 1 ms cannot pass before the cancel from its side.
    std::promise<void> entered, release;
    std::shared_future<void> released = release.get_future().share();
    timers.schedule_after(0ms, [&entered, released] {
        entered.set_value();
        released.wait();
    });
    entered.get_future().wait();
    auto id = timers.schedule_after(1ms, [&] { cancelled_fired = true; });
    EXPECT_TRUE(timers.cancel(id));
    EXPECT_FALSE(timers.cancel(id));  // only once
    release.set_value();
    timers.schedule_after(20ms, [&] {
        std::lock_guard g(m);
        marker_fired = true;
        cv.notify_all();
    });
    std::unique_lock l(m);
    cv.wait(l, [&] { return marker_fired; });
    EXPECT_FALSE(cancelled_fired);
}

TEST(TimerService, CancelAfterFiringReportsFalse) {
    timer_service timers;
    std::mutex m;
    std::condition_variable cv;
    bool fired = false;
    auto id = timers.schedule_after(0ms, [&] {
        std::lock_guard g(m);
        fired = true;
        cv.notify_all();
    });
    std::unique_lock l(m);
    cv.wait(l, [&] { return fired; });
    EXPECT_FALSE(timers.cancel(id));
}

TEST(TimerService, PendingTimersAreDroppedAtTeardown) {
    bool fired = false;
    {
        timer_service timers;
        timers.schedule_after(1h, [&] { fired = true; });
        EXPECT_EQ(timers.pending(), 1u);
    }
    EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace weft
