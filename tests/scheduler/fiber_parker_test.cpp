// Tests of fiber parking: no lost wake-ups whichever side comes first.
#include "scheduler/fiber_parker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "scheduler/scheduler.hpp"

namespace weft {
namespace {

TEST(FiberParker, UnparkBeforeParkIsNotLost) {
    std::atomic<bool> done{false};
    {
        scheduler s({.threads = 1});
        auto parker = std::make_shared<fiber_parker>();
        parker->unpark();
        s.spawn_fiber([&, parker] {
            parker->park();  // returns at once: the permit was there
            done = true;
        });
        s.shutdown();
    }
    EXPECT_TRUE(done.load());
}

// Ping-pong between fibers on two workers and an outside thread, many rounds:
// every park is ended by exactly one unpark from some other thread.
TEST(FiberParker, PingPongAcrossThreads) {
    constexpr int rounds = 20000;
    fiber_parker a, b;
    std::atomic<int> a_count{0}, b_count{0};
    {
        scheduler s({.threads = 2});
        s.spawn_fiber([&] {
            for (int i = 0; i < rounds; ++i) {
                b.unpark();
                a.park();
                a_count++;
            }
        });
        s.spawn_fiber([&] {
            for (int i = 0; i < rounds; ++i) {
                b.park();
                b_count++;
                a.unpark();
            }
        });
        s.shutdown();
    }
    EXPECT_EQ(a_count.load(), rounds);
    EXPECT_EQ(b_count.load(), rounds);
}

TEST(FiberParker, UnparkFromForeignThread) {
    std::vector<fiber_parker> parkers(100);
    std::atomic<int> woke{0};
    {
        scheduler s({.threads = 2});
        for (auto& p : parkers)
            s.spawn_fiber([&] {
                p.park();
                woke++;
            });
        std::thread outsider([&] {
            for (auto& p : parkers) p.unpark();
        });
        outsider.join();
        s.shutdown();
    }
    EXPECT_EQ(woke.load(), 100);
}

}  // namespace
}  // namespace weft
