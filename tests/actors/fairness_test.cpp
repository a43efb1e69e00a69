// Fairness and wake-ups seen from actors: a runaway native actor (a long loop
// that never yields) must not stop the other actors of its worker, and a
// parked blocking actor woken from another thread must wake even while its
// worker keeps running stackless actors that yield. No timing assertions: each
// test waits (with a generous bound) for progress and checks that it came
// while the runaway or yielder was still running.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// How long a test waits for the progress it expects before giving up. Far
// beyond any scheduling delay; reached only when the progress never comes.
constexpr auto patience = 20s;
// How long a runaway may run at most, so a failing test still ends.
constexpr auto runaway_limit = 40s;

// Polls `done` until it holds or `patience` runs out; returns its last value.
template <class Pred>
bool eventually(Pred done) {
    auto until = clock_type::now() + patience;
    while (!done()) {
        if (clock_type::now() > until) return done();
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

// A long native operation that never yields: no receive, no send.
void spin_until(const std::atomic<bool>& stop) {
    auto until = clock_type::now() + runaway_limit;
    while (!stop.load(std::memory_order_acquire) && clock_type::now() < until) {
    }
}

struct runaway_case {
    unsigned threads;
    bool blocking_neighbour;  // the actor that must keep running: blocking or stackless
};

std::string case_name(const ::testing::TestParamInfo<runaway_case>& info) {
    return std::to_string(info.param.threads) + "Threads" + (info.param.blocking_neighbour ? "Blocking" : "Stackless");
}

class Runaway : public ::testing::TestWithParam<runaway_case> {};

// The runaway spawns the ticker just before it starts spinning, so both begin
// on one worker; the ticker's timer fires on the timer thread.
// Lets a fresh runtime's workers fall asleep (not a timing assertion): then
// only the scheduler's wake-ups can bring an idle worker to the work.
void let_workers_sleep() { std::this_thread::sleep_for(50ms); }

TEST_P(Runaway, TickerKeepsTickingBesideIt) {
    runtime rt({.threads = GetParam().threads});
    let_workers_sleep();
    std::atomic<int> ticks{0};
    std::atomic<bool> stop{false}, runaway_ended{false};
    bool blocking = GetParam().blocking_neighbour;
    rt.spawn([&](actor& self) {
        if (blocking)
            self.spawn([&](actor& ticker) {
                while (!stop.load()) {
                    ticker.receive(10ms);
                    ticks.fetch_add(1);
                }
            });
        else
            self.spawn(stackless, [&](actor& ticker) {
                if (ticker.timed_out()) ticks.fetch_add(1);
                if (stop.load()) return step_result::done;
                return ticker.wait_for(10ms);
            });
        spin_until(stop);
        runaway_ended = true;
    });
    EXPECT_TRUE(eventually([&] { return ticks.load() >= 5; })) << "the ticker made " << ticks.load() << " ticks";
    EXPECT_FALSE(runaway_ended.load()) << "the ticks came only after the runaway ended";
    stop = true;
    rt.run_until_idle();
}

// The runaway spawns a watcher that monitors it: the watcher is runnable on
// the runaway's own worker (its next task, or its ready fiber) and must run
// there or elsewhere while the runaway spins, then get the DOWN when it ends.
TEST_P(Runaway, MonitorRunsWhileItSpins) {
    runtime rt({.threads = GetParam().threads});
    let_workers_sleep();
    std::atomic<bool> stop{false}, runaway_ended{false}, watching{false}, down{false};
    bool blocking = GetParam().blocking_neighbour;
    rt.spawn([&](actor& self) {
        pid runaway = self.self();
        if (blocking)
            self.spawn([&, runaway](actor& watcher) {
                watcher.monitor(runaway);
                watching = true;
                watcher.receive();
                down = true;
            });
        else
            self.spawn(stackless, [&, runaway, first = true](actor& watcher) mutable {
                if (first) {
                    first = false;
                    watcher.monitor(runaway);
                    watching = true;
                    return step_result::wait;
                }
                if (watcher.try_receive()) {
                    down = true;
                    return step_result::done;
                }
                return step_result::wait;
            });
        spin_until(stop);
        runaway_ended = true;
    });
    EXPECT_TRUE(eventually([&] { return watching.load(); })) << "the watcher never ran";
    EXPECT_FALSE(runaway_ended.load()) << "the watcher ran only after the runaway ended";
    stop = true;
    EXPECT_TRUE(eventually([&] { return down.load(); })) << "no DOWN after the runaway ended";
    rt.run_until_idle();
}

INSTANTIATE_TEST_SUITE_P(Fairness, Runaway,
                         ::testing::Values(runaway_case{2, true}, runaway_case{2, false}, runaway_case{4, true},
                                         runaway_case{4, false}),
                         case_name);

// A blocking actor parked on the worker of a stackless actor that yields
// endlessly. The yielder spawns it, so its fiber starts (and parks) there.
struct parked_beside_yielder {
    runtime rt{{.threads = 2}};
    std::atomic<bool> stop{false};
    std::atomic<int> received{0};
    std::atomic<int> yielder_worker{-1};
    std::atomic<bool> waiting{false};
    std::atomic<std::uint64_t> sleeper_serial{0};
    pid sleeper{};

    parked_beside_yielder() {
        rt.spawn(stackless, [this, first = true](actor& self) mutable {
            yielder_worker = rt.sched().current_worker_index();
            if (first) {
                first = false;
                pid p = self.spawn([this](actor& s) {
                    for (;;) {
                        waiting = true;
                        s.receive();
                        received.fetch_add(1);
                        if (stop.load()) return;
                    }
                });
                sleeper_serial = p.serial;
            }
            if (stop.load()) return step_result::done;
            return step_result::yield;
        });
        eventually([&] { return sleeper_serial.load() != 0 && waiting.load(); });
        sleeper = pid{rt.node_id(), rt.creation(), sleeper_serial.load()};
        // Not a timing assertion: gives the sleeper time to reach its park.
        std::this_thread::sleep_for(50ms);
    }
    ~parked_beside_yielder() {
        stop = true;
        rt.send(sleeper, term::str("stop"));
        rt.run_until_idle();
    }
    bool wakes(int count) { return eventually([&] { return received.load() >= count; }); }
};

TEST(LostWakeup, SendFromOutsideTheRuntime) {
    parked_beside_yielder f;
    f.rt.send(f.sleeper, term(1));
    EXPECT_TRUE(f.wakes(1)) << "the parked actor never woke";
}

TEST(LostWakeup, SendAfterTimer) {
    parked_beside_yielder f;
    f.rt.send_after(5ms, f.sleeper, term(1));
    EXPECT_TRUE(f.wakes(1)) << "the parked actor never woke";
}

TEST(LostWakeup, SendFromAnActorOnAnotherWorker) {
    parked_beside_yielder f;
    // Senders report where they ran; only one on another worker than the
    // yielder sends, so the wake-up surely crosses threads.
    std::atomic<bool> sent{false};
    for (int attempt = 0; attempt < 200 && !sent.load(); ++attempt) {
        std::atomic<bool> ran{false};
        f.rt.spawn(stackless, [&](actor& self) {
            if (f.rt.sched().current_worker_index() != f.yielder_worker.load()) {
                self.send(f.sleeper, term(1));
                sent = true;
            }
            ran = true;
            return step_result::done;
        });
        eventually([&] { return ran.load(); });
    }
    ASSERT_TRUE(sent.load()) << "no sender ran on another worker";
    EXPECT_TRUE(f.wakes(1)) << "the parked actor never woke";
}

}  // namespace
}  // namespace weft
