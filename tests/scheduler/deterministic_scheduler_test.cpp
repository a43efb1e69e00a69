// deterministic_scheduler_test.cpp: a scheduler made for deterministic runs
// (scheduler_options::deterministic): one worker, the order of tasks chosen
// by the seed and by nothing else, and work from outside the pool held back
// until nothing else can run. No timing assertions.
#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "scheduler/scheduler.hpp"

namespace weft {
namespace {

// Runs `body` once as a task (freed after), then signals the waiter.
struct once_task final : task {
    std::function<void()> body;
    explicit once_task(std::function<void()> b) : body(std::move(b)) {}
    void run() override {
        std::unique_ptr<once_task> self(this);
        body();
    }
};

class done_signal {
public:
    void set() {
        std::lock_guard g(m_);
        done_ = true;
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock l(m_);
        cv_.wait(l, [&] { return done_; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool done_ = false;
};

// A task that logs its id on each of its turns and yields between them, as a
// busy actor does.
struct stepping_task final : task {
    scheduler* s = nullptr;
    int id = 0, turns_left = 0;
    std::vector<int>* log = nullptr;
    std::function<void()> on_end;
    void run() override {
        log->push_back(id);
        if (--turns_left > 0) s->submit_yielded(this);
        else on_end();
    }
};

// The order in which 8 tasks of 5 turns each ran under `seed`. The log is
// written on the one worker only; done_signal's lock hands it to this thread.
std::vector<int> interleaving(std::uint64_t seed) {
    scheduler s({.threads = 2, .deterministic = true, .seed = seed});
    EXPECT_EQ(s.thread_count(), 1u);
    std::vector<int> log;
    std::vector<stepping_task> tasks(8);
    done_signal done;
    int ended = 0;
    for (int i = 0; i < 8; ++i) {
        tasks[i].s = &s;
        tasks[i].id = i;
        tasks[i].turns_left = 5;
        tasks[i].log = &log;
        tasks[i].on_end = [&] {
            if (++ended == 8) done.set();
        };
    }
    s.submit(new once_task([&] {
        for (auto& t : tasks) s.submit(&t);  // on the worker: the seed picks among them
    }));
    done.wait();
    s.shutdown();
    return log;
}

TEST(DeterministicScheduler, TheSameSeedGivesTheSameOrder) {
    for (std::uint64_t seed : {1u, 2u, 77u}) {
        std::vector<int> first = interleaving(seed);
        EXPECT_EQ(first.size(), 40u);
        EXPECT_EQ(interleaving(seed), first) << "seed " << seed;
    }
}

TEST(DeterministicScheduler, DifferentSeedsGiveDifferentOrders) {
    std::set<std::vector<int>> orders;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) orders.insert(interleaving(seed));
    EXPECT_GT(orders.size(), 5u);
}

TEST(DeterministicScheduler, WorkFromOutsideWaitsUntilNothingElseCanRun) {
    scheduler s({.deterministic = true, .seed = 5});
    std::vector<std::string> log;  // the worker's thread only, until done
    done_signal done;
    stepping_task busy;
    busy.s = &s;
    busy.id = 0;
    busy.turns_left = 100;
    std::vector<int> turns;
    busy.log = &turns;
    busy.on_end = [&] { log.push_back("busy ended"); };
    s.submit(new once_task([&] {
        s.submit(&busy);
        // Outside work, handed over while the worker is busy (the join makes
        // sure it is queued before this turn ends).
        std::thread outsider([&] { s.submit(new once_task([&] {
                                     log.push_back("outside ran");
                                     done.set();
                                 })); });
        outsider.join();
    }));
    done.wait();
    s.shutdown();
    EXPECT_EQ(turns.size(), 100u);
    EXPECT_EQ(log, (std::vector<std::string>{"busy ended", "outside ran"}));
}

TEST(DeterministicScheduler, TimersWaitForTheVirtualClockWhichJumpsWhenAllIsIdle) {
    using namespace std::chrono_literals;
    scheduler s({.deterministic = true, .seed = 1});
    done_signal done;
    std::vector<std::string> log;
    timer_service::clock::time_point fired_at{};
    s.submit(new once_task([&] {
        s.timers().schedule_after(std::chrono::hours(1), [&] {
            fired_at = scheduler::now();
            log.push_back("an hour later");
            done.set();
        });
        log.push_back("set");
    }));
    done.wait();  // an hour of virtual time: this test would time out otherwise
    s.shutdown();
    EXPECT_EQ(log, (std::vector<std::string>{"set", "an hour later"}));
    EXPECT_GE(fired_at.time_since_epoch(), std::chrono::hours(1));
    EXPECT_LT(fired_at.time_since_epoch(), std::chrono::hours(1) + 1ms);
}

}  // namespace
}  // namespace weft
