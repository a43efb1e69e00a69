// Tests of the worker pool: tasks, fibers, stealing, parking and shutdown.
#include "scheduler/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/fiber/operations.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace weft {
namespace {

// Waits (without timing assertions) until a counter reaches a value.
class latch_counter {
public:
    void add(int n = 1) {
        std::lock_guard g(m_);
        value_ += n;
        cv_.notify_all();
    }
    void wait_for(int target) {
        std::unique_lock l(m_);
        cv_.wait(l, [&] { return value_ >= target; });
    }
    int value() {
        std::lock_guard g(m_);
        return value_;
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int value_ = 0;
};

struct counting_task final : task {
    latch_counter* done = nullptr;
    std::atomic<int> runs{0};
    void run() override {
        runs.fetch_add(1);
        done->add();
    }
};

TEST(Scheduler, RunsTasksSubmittedFromOutside) {
    scheduler s({.threads = 2});
    latch_counter done;
    std::vector<counting_task> tasks(1000);
    for (auto& t : tasks) {
        t.done = &done;
        s.submit(&t);
    }
    done.wait_for(1000);
    for (auto& t : tasks) EXPECT_EQ(t.runs.load(), 1);
}

// A task that resubmits itself a number of times: the shape of an actor woken by
// its own messages. Many of them run on all workers.
struct chain_task final : task {
    scheduler* sched = nullptr;
    latch_counter* done = nullptr;
    int remaining = 0;
    std::set<int>* seen_threads = nullptr;
    std::mutex* seen_mutex = nullptr;
    void run() override {
        {
            std::lock_guard g(*seen_mutex);
            seen_threads->insert(sched->current_worker_index());
        }
        if (--remaining > 0) sched->submit(this);
        else done->add();
    }
};

TEST(Scheduler, TasksResubmittedFromWorkersAllComplete) {
    scheduler s({.threads = 2});
    latch_counter done;
    std::set<int> seen;
    std::mutex seen_mutex;
    std::vector<chain_task> tasks(200);
    for (auto& t : tasks) {
        t.sched = &s;
        t.done = &done;
        t.remaining = 500;
        t.seen_threads = &seen;
        t.seen_mutex = &seen_mutex;
    }
    for (auto& t : tasks) s.submit(&t);
    done.wait_for(200);
    EXPECT_FALSE(seen.contains(-1)) << "a task ran off the pool";
}

TEST(Scheduler, FibersRunAndShutdownWaitsForThem) {
    std::atomic<int> finished{0};
    {
        scheduler s({.threads = 2});
        for (int i = 0; i < 500; ++i)
            s.spawn_fiber([&] {
                for (int k = 0; k < 10; ++k) boost::this_fiber::yield();
                finished.fetch_add(1);
            });
        s.shutdown();
        EXPECT_EQ(s.live_fibers(), 0u);
    }
    EXPECT_EQ(finished.load(), 500);
}

TEST(Scheduler, FibersSpawnFibersAndMigrate) {
    std::atomic<int> finished{0};
    std::mutex m;
    std::set<int> threads_seen;
    {
        scheduler s({.threads = 2});
        for (int i = 0; i < 50; ++i)
            s.spawn_fiber([&] {
                for (int j = 0; j < 20; ++j)
                    s.spawn_fiber([&] {
                        for (int k = 0; k < 50; ++k) {
                            // Read the worker afresh after every switch: fibers move.
                            {
                                std::lock_guard g(m);
                                threads_seen.insert(s.current_worker_index());
                            }
                            boost::this_fiber::yield();
                        }
                        finished.fetch_add(1);
                    });
            });
        s.shutdown();
    }
    EXPECT_EQ(finished.load(), 1000);
    EXPECT_FALSE(threads_seen.contains(-1));
}

TEST(Scheduler, SeveralSchedulersOneAfterAnother) {
    for (int round = 0; round < 5; ++round) {
        scheduler s({.threads = 2});
        latch_counter done;
        std::vector<counting_task> tasks(100);
        for (auto& t : tasks) {
            t.done = &done;
            s.submit(&t);
        }
        s.spawn_fiber([&] { done.add(); });
        done.wait_for(101);
    }
}

TEST(Scheduler, TwoSchedulersAtOnceKeepTheirOwnWork) {
    scheduler a({.threads = 1}), b({.threads = 1});
    latch_counter done;
    std::atomic<bool> crossed{false};
    for (int i = 0; i < 100; ++i) {
        a.spawn_fiber([&] {
            if (scheduler::current() != &a) crossed = true;
            done.add();
        });
        b.spawn_fiber([&] {
            if (scheduler::current() != &b) crossed = true;
            done.add();
        });
    }
    done.wait_for(200);
    EXPECT_FALSE(crossed.load());
}

// Cross-thread wake-up stress: parked workers must always be woken by work that
// arrives from outside, however the timing falls.
TEST(Scheduler, WakeUpStressFromManyThreads) {
    scheduler s({.threads = 2});
    latch_counter done;
    constexpr int per_thread = 5000, producers = 4;
    std::vector<counting_task> tasks(per_thread * producers);
    for (auto& t : tasks) t.done = &done;
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            for (int i = 0; i < per_thread; ++i) {
                s.submit(&tasks[p * per_thread + i]);
                if (i % 64 == 0) std::this_thread::yield();  // let workers park now and then
            }
        });
    for (auto& t : threads) t.join();
    done.wait_for(per_thread * producers);
}

TEST(Scheduler, IdleSchedulerShutsDown) {
    scheduler s({.threads = 2});
    s.shutdown();
    s.shutdown();  // twice is harmless
}

}  // namespace
}  // namespace weft
