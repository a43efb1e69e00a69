// Spawning and ending many actors, several runtimes, and stopping with actors alive.
#include <atomic>
#include <thread>

#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::run_as_actor;
using testing::s;

TEST(Lifecycle, HundredThousandStacklessActorsSpawnAndEnd) {
    runtime rt({.threads = 2});
    constexpr int n = 100000;
    std::atomic<int> ran{0};
    for (int i = 0; i < n; ++i)
        rt.spawn(stackless, [&](actor&) {
            ran++;
            return step_result::done;
        });
    rt.run_until_idle();
    EXPECT_EQ(ran.load(), n);
    EXPECT_EQ(rt.live_actors(), 0u);
}

TEST(Lifecycle, HundredThousandActorsEachExchangeAMessage) {
    runtime rt({.threads = 2});
    constexpr int n = 100000;
    std::atomic<int> replies{0};
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        for (int i = 0; i < n; ++i) {
            pid p = self.spawn(stackless, [me](actor& a) {
                if (auto m = a.receive(0ms)) {
                    a.send(me, m->value());
                    return step_result::done;
                }
                return step_result::wait;
            });
            self.send(p, i);
        }
        for (int i = 0; i < n; ++i) {
            self.receive();
            replies++;
        }
    });
    rt.run_until_idle();
    EXPECT_EQ(replies.load(), n);
}

TEST(Lifecycle, TenThousandBlockingActorsSpawnAndEnd) {
    runtime rt({.threads = 2});
    constexpr int n = 10000;
    std::atomic<int> ran{0};
    for (int i = 0; i < n; ++i) rt.spawn([&](actor&) { ran++; });
    rt.run_until_idle();
    EXPECT_EQ(ran.load(), n);
}

TEST(Lifecycle, StopEndsWaitingActorsOfBothKinds) {
    std::atomic<int> unwound{0};
    {
        runtime rt({.threads = 2});
        for (int i = 0; i < 1000; ++i) {
            rt.spawn([&](actor& self) {
                struct on_unwind {
                    std::atomic<int>& n;
                    ~on_unwind() { n++; }
                } guard{unwound};
                self.receive();
            });
            rt.spawn(stackless, [](actor&) { return step_result::wait; });
        }
        rt.stop();
        EXPECT_EQ(rt.live_actors(), 0u);
    }
    EXPECT_EQ(unwound.load(), 1000) << "blocking actors unwind their stacks on stop";
}

TEST(Lifecycle, RuntimesOneAfterAnotherAndSideBySide) {
    for (int round = 0; round < 3; ++round) {
        runtime rt({.threads = 2});
        run_as_actor(rt, [](actor& self) {
            self.send(self.self(), s("hi"));
            EXPECT_EQ(self.receive().value(), s("hi"));
        });
    }
    runtime a({.threads = 1}), b({.threads = 1});
    EXPECT_NE(a.creation(), b.creation()) << "pids of one runtime never reach the other";
    pid in_a = a.spawn([](actor& self) { self.receive(); });
    b.send(in_a, s("wrong runtime"));  // dropped: not a pid of b's
    EXPECT_EQ(a.queue_length(in_a), 0);
    a.send(in_a, s("end"));
    a.run_until_idle();
}

// What an actor's behaviour holds (for a script actor: its files and child
// processes) is let go before its watchers hear of the end, however it ends.
// The release is slowed so that a DOWN sent first would arrive first.
TEST(Lifecycle, WhatAnActorHoldsIsReleasedBeforeItsWatchersHearOfTheEnd) {
    struct slow_release {
        std::atomic<bool>& released;
        explicit slow_release(std::atomic<bool>& flag) : released(flag) {}
        ~slow_release() {
            std::this_thread::sleep_for(20ms);
            released = true;
        }
    };
    runtime rt({.threads = 2});
    run_as_actor(rt, [](actor& self) {
        for (const char* how : {"returns", "throws", "killed"}) {
            std::atomic<bool> released{false};
            auto held = std::make_shared<slow_release>(released);
            auto [p, r] = self.spawn_monitor(stackless, [held = std::move(held), how](actor&) {
                if (std::string_view(how) == "returns") return step_result::done;
                if (std::string_view(how) == "throws") throw std::runtime_error("on purpose");
                return step_result::wait;
            });
            if (std::string_view(how) == "killed") self.exit(p, s("kill"));
            self.receive();  // the DOWN
            EXPECT_TRUE(released.load()) << "a stackless actor that " << how;
        }
        std::atomic<bool> released{false};
        auto held = std::make_shared<slow_release>(released);
        self.spawn_monitor([held = std::move(held)](actor&) { (void)held; });
        self.receive();
        EXPECT_TRUE(released.load()) << "a blocking actor";
    });
    rt.run_until_idle();
}

TEST(Lifecycle, SpawnWhileStoppingStillEnds) {
    runtime rt({.threads = 2});
    for (int i = 0; i < 50; ++i)
        rt.spawn([](actor& self) {
            for (;;) {
                self.spawn([](actor& c) { c.receive(); });
                self.receive(1ms);
            }
        });
    std::this_thread::sleep_for(10ms);
    rt.stop();
    EXPECT_EQ(rt.live_actors(), 0u);
}

}  // namespace
}  // namespace weft
