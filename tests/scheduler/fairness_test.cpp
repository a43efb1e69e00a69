// Tests that runnable work never waits behind a busy worker while another one
// idles: a task woken into a worker's next slot, a task submitted from outside,
// and a fiber made ready from another thread all run while their first worker
// is stuck in a long task. No timing assertions: each test waits, with a
// generous bound, for the work to run while the long task still runs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "scheduler/fiber_parker.hpp"
#include "scheduler/scheduler.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr auto patience = 20s;

// Waits until `done` holds or `patience` runs out; returns its last value.
template <class Pred>
bool eventually(Pred done) {
    auto until = clock_type::now() + patience;
    while (!done()) {
        if (clock_type::now() > until) return done();
        std::this_thread::yield();
    }
    return true;
}

struct flag_task final : task {
    std::atomic<bool> ran{false};
    std::atomic<int> worker{-2};
    scheduler* sched = nullptr;
    void run() override {
        worker = sched->current_worker_index();
        ran = true;
    }
};

// A task that runs `body` once on a worker.
template <class F>
struct once_task final : task {
    explicit once_task(F f) : body(std::move(f)) {}
    void run() override { body(); }
    F body;
};
template <class F>
once_task<F>* make_once(F f) {
    return new once_task<F>(std::move(f));
}

TEST(Fairness, NextSlotIsStolenFromAWorkerStuckInALongTask) {
    scheduler s({.threads = 2});
    flag_task woken;
    woken.sched = &s;
    std::atomic<bool> long_done{false}, ran_meanwhile{false};
    std::atomic<int> long_worker{-1};
    auto* runaway = make_once([&] {
        long_worker = s.current_worker_index();
        s.submit(&woken);  // from a worker: goes to that worker's next slot
        ran_meanwhile = eventually([&] { return woken.ran.load(); });
        long_done = true;
    });
    s.submit(runaway);
    EXPECT_TRUE(eventually([&] { return long_done.load(); }));
    EXPECT_TRUE(ran_meanwhile.load()) << "the woken task waited for the long one";
    EXPECT_NE(woken.worker.load(), long_worker.load());
    s.shutdown();
    delete runaway;
}

TEST(Fairness, OutsideSubmissionsReachAnIdleWorker) {
    scheduler s({.threads = 2});
    std::atomic<bool> stop{false}, started{false};
    auto* runaway = make_once([&] {
        started = true;
        eventually([&] { return stop.load(); });
    });
    s.submit(runaway);
    ASSERT_TRUE(eventually([&] { return started.load(); }));
    // Round-robin would put every other one on the busy worker.
    std::vector<flag_task> tasks(8);
    for (auto& t : tasks) {
        t.sched = &s;
        std::this_thread::sleep_for(5ms);  // not a timing assertion: lets the idle worker fall asleep
        s.submit(&t);
        EXPECT_TRUE(eventually([&] { return t.ran.load(); })) << "a task from outside waited for the busy worker";
    }
    stop = true;
    s.shutdown();
    delete runaway;
}

// The yielding task keeps its worker busy without ever ending: the fiber made
// ready by another thread must still run (there, or on the idle worker).
TEST(Fairness, FiberWokenFromOutsideWhileItsWorkerRunsYieldingTasks) {
    scheduler s({.threads = 2});
    fiber_parker parker;
    std::atomic<bool> stop{false}, parked{false}, resumed{false};
    struct yielder final : task {
        scheduler* sched;
        std::atomic<bool>* stop;
        std::atomic<bool>* parked;
        std::atomic<bool>* resumed;
        fiber_parker* parker;
        bool first = true;
        void run() override {
            if (first) {
                first = false;
                // Started from this worker, the fiber begins (and parks) here.
                sched->spawn_fiber([this] {
                    *parked = true;
                    parker->park();
                    *resumed = true;
                });
            }
            if (!stop->load()) sched->submit_yielded(this);
        }
    } y;
    y.sched = &s;
    y.stop = &stop;
    y.parked = &parked;
    y.resumed = &resumed;
    y.parker = &parker;
    s.submit(&y);
    ASSERT_TRUE(eventually([&] { return parked.load(); }));
    std::this_thread::sleep_for(20ms);  // not a timing assertion: lets the fiber reach its park
    parker.unpark();
    EXPECT_TRUE(eventually([&] { return resumed.load(); })) << "the fiber's wake-up was lost";
    stop = true;
    if (!resumed.load()) parker.unpark();
    s.shutdown();
}

// The caller is about to run a long operation that cannot yield: what it queued
// goes to the other workers at once, and runs there while it still runs.
TEST(Fairness, ShedLocalWorkHandsQueuedWorkToOtherWorkers) {
    scheduler s({.threads = 2});
    std::vector<flag_task> queued(6);
    for (auto& t : queued) t.sched = &s;
    std::atomic<long> handed{-1};
    std::atomic<bool> long_done{false}, ran_meanwhile{false};
    std::atomic<int> long_worker{-1};
    auto* long_task = make_once([&] {
        long_worker = s.current_worker_index();
        for (auto& t : queued) s.submit(&t);  // this worker's next slot and queue
        handed = static_cast<long>(s.shed_local_work());
        ran_meanwhile = eventually([&] {
            for (auto& t : queued)
                if (!t.ran.load()) return false;
            return true;
        });
        long_done = true;
    });
    s.submit(long_task);
    ASSERT_TRUE(eventually([&] { return long_done.load(); }));
    EXPECT_TRUE(ran_meanwhile.load()) << "queued work waited for the long task";
    // The idle worker may have stolen some before the call; the rest was handed over.
    EXPECT_GE(handed.load(), 0);
    EXPECT_LE(handed.load(), 6);
    for (auto& t : queued) EXPECT_NE(t.worker.load(), long_worker.load());
    s.shutdown();
    delete long_task;
}

TEST(Fairness, ShedLocalWorkOffThePoolOrAloneHandsNothing) {
    scheduler alone({.threads = 1});
    EXPECT_EQ(alone.shed_local_work(), 0u);  // not on a worker
    flag_task queued;
    queued.sched = &alone;
    std::atomic<long> handed{-1};
    auto* long_task = make_once([&] {
        alone.submit(&queued);
        handed = static_cast<long>(alone.shed_local_work());  // nobody to hand it to
    });
    alone.submit(long_task);
    EXPECT_TRUE(eventually([&] { return queued.ran.load(); }));
    EXPECT_EQ(handed.load(), 0);
    alone.shutdown();
    delete long_task;
}

}  // namespace
}  // namespace weft
