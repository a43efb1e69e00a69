// worker_stats_test.cpp: the per-worker figures (worker_stats.hpp) that the
// observer reads: turns, idle and busy time, event counts, run queues.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "scheduler/scheduler.hpp"
#include "scheduler/task.hpp"
#include "scheduler/worker_stats.hpp"

namespace weft {
namespace {

// A task that counts an event on the worker running it, and then says so.
struct counting_task final : task {
    scheduler* s = nullptr;
    std::atomic<int>* done = nullptr;
    void run() override {
        worker_stats* st = s->current_stats();
        if (st) st->add_event(1, 5);
        done->fetch_add(st ? 1 : 100, std::memory_order_release);
    }
};

TEST(WorkerStats, EventsAddUpAcrossWorkers) {
    scheduler s(scheduler_options{.threads = 2});
    std::atomic<int> done{0};
    std::vector<counting_task> tasks(50);
    for (auto& t : tasks) {
        t.s = &s;
        t.done = &done;
        s.submit(&t);
    }
    while (done.load(std::memory_order_acquire) < 50) std::this_thread::yield();
    EXPECT_EQ(done.load(), 50);  // every task found its worker's figures
    std::vector<worker_sample> w = s.sample_workers();
    ASSERT_EQ(w.size(), 2u);
    std::uint64_t events = 0, turns = 0;
    for (const worker_sample& x : w) {
        events += x.events[1];
        turns += x.turns;
        EXPECT_EQ(x.events[0], 0u);
    }
    EXPECT_EQ(events, 250u);
    EXPECT_GE(turns, 50u);
    s.shutdown();
}

TEST(WorkerStats, OffThePoolThereAreNone) {
    scheduler s(scheduler_options{.threads = 1});
    EXPECT_EQ(s.current_stats(), nullptr);
    s.shutdown();
}

TEST(WorkerStats, IdleAndBusyTimeCoverTheRun) {
    scheduler s(scheduler_options{.threads = 2});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::vector<worker_sample> a = s.sample_workers();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::vector<worker_sample> b = s.sample_workers();
    for (std::size_t k = 0; k < a.size(); ++k) {
        // Both only grow, and together they are the time since the start.
        EXPECT_GE(b[k].idle_ns, a[k].idle_ns);
        EXPECT_GE(b[k].busy_ns + b[k].idle_ns, a[k].busy_ns + a[k].idle_ns);
        EXPECT_GT(b[k].idle_ns, 0u);  // nothing to run: the workers waited
        EXPECT_EQ(b[k].run_queue, 0u);
    }
    s.shutdown();
}

TEST(WorkerStats, AnIdleStretchUnderWayCounts) {
    worker_stats st;
    st.idle_begin(1000);
    EXPECT_EQ(st.idle_ns(1500), 500u);
    st.idle_end(2000);
    EXPECT_EQ(st.idle_ns(9000), 1000u);
    st.add_event(2, 3);
    st.add_event(2, 4);
    EXPECT_EQ(st.event(2), 7u);
}

}  // namespace
}  // namespace weft
