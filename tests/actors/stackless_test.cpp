// Stackless native actors: steps, waiting with timeouts, yielding, ending.
#include <atomic>

#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::run_as_actor;
using testing::s;
using testing::tup;

TEST(Stackless, PingPongBetweenStacklessActors) {
    runtime rt({.threads = 2});
    constexpr int rounds = 10000;
    std::promise<int> finished;
    pid ponger = rt.spawn(stackless, [](actor& self) {
        while (auto m = self.receive(0ms)) {
            auto v = m->view();
            if (testing::is_str(v, "stop")) return step_result::done;
            self.send(v[0].as_pid(), v[1].as_int());
        }
        return step_result::wait;
    });
    int count = 0;
    rt.spawn(stackless, [&, ponger](actor& self) {
        if (count == 0) self.send(ponger, tup({term(self.self()), 0}));
        while (auto m = self.receive(0ms)) {
            if (++count == rounds) {
                self.send(ponger, s("stop"));
                finished.set_value(count);
                return step_result::done;
            }
            self.send(ponger, tup({term(self.self()), count}));
        }
        return step_result::wait;
    });
    EXPECT_EQ(finished.get_future().get(), rounds);
    rt.run_until_idle();
}

TEST(Stackless, WaitForTimesOutWhenNothingArrives) {
    runtime rt({.threads = 2});
    std::promise<int> result;
    int steps = 0;
    rt.spawn(stackless, [&](actor& self) {
        ++steps;
        if (steps == 1) return self.wait_for(10ms);
        EXPECT_TRUE(self.timed_out());
        result.set_value(steps);
        return step_result::done;
    });
    EXPECT_EQ(result.get_future().get(), 2);
    rt.run_until_idle();
}

TEST(Stackless, MessageBeforeTimeoutWinsAndOldTimerIsIgnored) {
    runtime rt({.threads = 2});
    std::promise<bool> saw_timeout_first;
    std::promise<void> waiting;
    int steps = 0;
    pid waiter = rt.spawn(stackless, [&](actor& self) {
        ++steps;
        if (steps == 1) {
            waiting.set_value();
            return self.wait_for(200ms);
        }
        if (steps == 2) {
            saw_timeout_first.set_value(self.timed_out());
            auto m = self.receive(0ms);
            EXPECT_TRUE(m.has_value());
            return self.wait_for(10ms);  // a fresh wait: its own timeout comes next
        }
        EXPECT_TRUE(self.timed_out());
        return step_result::done;
    });
    waiting.get_future().wait();  // "wait" means: call me when something new arrives
    rt.send(waiter, s("early"));
    EXPECT_FALSE(saw_timeout_first.get_future().get());
    rt.run_until_idle();
    EXPECT_EQ(steps, 3);
}

TEST(Stackless, YieldLetsOthersRunOnOneThread) {
    runtime rt({.threads = 1});
    std::atomic<bool> other_ran{false};
    std::atomic<int> spins{0};
    rt.spawn(stackless, [&](actor&) {
        // Busy until the other actor got a turn: only yielding makes that possible.
        spins++;
        return other_ran.load() ? step_result::done : step_result::yield;
    });
    rt.spawn(stackless, [&](actor&) {
        other_ran = true;
        return step_result::done;
    });
    rt.run_until_idle();
    EXPECT_TRUE(other_ran.load());
    EXPECT_GE(spins.load(), 1);
}

TEST(Stackless, ExceptionEndsOnlyThatActor) {
    runtime rt({.threads = 2, .on_crash = [](pid, const term&, const std::string&) {}});
    run_as_actor(rt, [&](actor& self) {
        auto [p, r] = self.spawn_monitor(stackless, [](actor&) -> step_result { throw std::out_of_range("oops"); });
        message down = *self.receive_if([](term_view v) { return v.kind() == term_kind::tuple; });
        EXPECT_EQ(down.value(),
                  tup({s("DOWN"), term(r), term(p), tup({s("error"), s("std::out_of_range"), s("oops"), s("")})}));
    });
}

TEST(Stackless, KillEndsAWaitingStacklessActor) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        auto [p, r] = self.spawn_monitor(stackless, [](actor&) { return step_result::wait; });
        self.exit(p, s("kill"));
        message down = self.receive();
        EXPECT_EQ(down.value(), tup({s("DOWN"), term(r), term(p), s("killed")}));
    });
}

TEST(Stackless, BlockingReceiveInAStacklessActorIsAnError) {
    runtime rt({.threads = 2, .on_crash = [](pid, const term&, const std::string&) {}});
    run_as_actor(rt, [&](actor& self) {
        self.spawn_monitor(stackless, [](actor& a) {
            a.receive();  // would block: refused with a clear error
            return step_result::done;
        });
        term down = self.receive().value();
        term reason = down.elements()[3];
        ASSERT_TRUE(reason.is_tuple());
        EXPECT_EQ(reason.elements()[1], s("std::logic_error"));
        EXPECT_EQ(reason.elements()[2], s("receive would wait in a stackless actor: return step_result::wait instead"));
    });
}

}  // namespace
}  // namespace weft
