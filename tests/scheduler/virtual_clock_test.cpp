// virtual_clock_test.cpp: the timer service's virtual clock, as a
// deterministic run uses it: no thread, time moves only when told, timers
// fire when it reaches them, equal deadlines in the order they were set.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduler/timer_service.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using clock_t_ = timer_service::clock;

clock_t_::time_point at(clock_t_::duration d) { return clock_t_::time_point(d); }

TEST(VirtualClock, StartsAtZeroAndStandsStillUntilMoved) {
    timer_service timers(true);
    EXPECT_TRUE(timers.is_virtual());
    EXPECT_EQ(timers.now(), at(0ns));
    EXPECT_FALSE(timers.advance());  // nothing pending: the clock stays
    EXPECT_EQ(timers.now(), at(0ns));
    timers.pass(3us);
    EXPECT_EQ(timers.now(), at(3us));
}

TEST(VirtualClock, AdvanceJumpsToTheEarliestDeadlineAndFiresWhatIsDueThere) {
    timer_service timers(true);
    std::vector<std::string> fired;
    timers.schedule(at(10ms), [&] { fired.push_back("c"); });
    timers.schedule(at(5ms), [&] { fired.push_back("a"); });
    timers.schedule(at(5ms), [&] { fired.push_back("b"); });  // same deadline, set later: fires later
    EXPECT_TRUE(timers.advance());
    EXPECT_EQ(timers.now(), at(5ms));
    EXPECT_EQ(fired, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(timers.advance());
    EXPECT_EQ(timers.now(), at(10ms));
    EXPECT_EQ(fired, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_FALSE(timers.advance());
    EXPECT_EQ(timers.pending(), 0u);
}

TEST(VirtualClock, PassFiresTimersOnlyOnceTheirTimeHasCome) {
    timer_service timers(true);
    int fired = 0;
    timers.schedule_after(3us, [&] { ++fired; });
    timers.pass(1us);
    timers.pass(1us);
    EXPECT_EQ(fired, 0);
    timers.pass(1us);
    EXPECT_EQ(fired, 1);
}

TEST(VirtualClock, CancelledTimersNeitherFireNorMoveTheClock) {
    timer_service timers(true);
    std::vector<int> fired;
    auto early = timers.schedule(at(1ms), [&] { fired.push_back(1); });
    timers.schedule(at(2ms), [&] { fired.push_back(2); });
    EXPECT_TRUE(timers.cancel(early));
    EXPECT_TRUE(timers.advance());
    EXPECT_EQ(timers.now(), at(2ms));
    EXPECT_EQ(fired, (std::vector<int>{2}));
}

TEST(VirtualClock, ATimerSetByAFiringTimerWaitsForTheNextMove) {
    timer_service timers(true);
    std::vector<int> fired;
    timers.schedule(at(1ms), [&] {
        fired.push_back(1);
        timers.schedule_after(0ns, [&] { fired.push_back(2); });  // due now, but set while firing
    });
    EXPECT_TRUE(timers.advance());
    EXPECT_EQ(fired, (std::vector<int>{1}));
    EXPECT_TRUE(timers.advance());
    EXPECT_EQ(fired, (std::vector<int>{1, 2}));
    EXPECT_EQ(timers.now(), at(1ms));
}

}  // namespace
}  // namespace weft
