// Stress of cross-thread wake-ups: single tokens run round several rings whose
// nodes are fibers (parked on a fiber_parker) and stackless tasks in turn; two
// rings also pass through a thread outside the pool. A ring holds one token,
// so every hop wakes a sleeping node (submits the task, or unparks the fiber)
// from wherever the previous node ran: the rings run side by side on every
// worker, move between them by stealing, and cross in and out of the pool,
// millions of times. A lost wake-up hangs the test (ctest's timeout).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "scheduler/fiber_parker.hpp"
#include "scheduler/scheduler.hpp"

namespace weft {
namespace {

// Rings through a thread outside the pool are slower per hop (that thread
// polls, and competes with the workers for the cores): they make fewer hops.
// About 3 million wake-ups: under a second in a regular build, about 10 s
// under ThreadSanitizer on 2 cores.
constexpr long hops_per_ring = 500'000;
constexpr long hops_per_outside_ring = 40'000;
constexpr int rings = 8;
constexpr int pool_nodes_per_ring = 6;  // fiber, task, fiber, ...
constexpr int rings_through_outside = 2;

struct ring;

// A node holds the ring's token or not. The delivery that finds it empty
// wakes it, exactly as a mailbox push wakes its waiting owner.
struct node {
    ring* r = nullptr;
    node* next = nullptr;
    std::atomic<int> held{0};
    virtual ~node() = default;
    virtual void wake() = 0;
    void deliver() {
        if (held.fetch_add(1, std::memory_order_acq_rel) == 0) wake();
    }
    // Passes the token on (or ends the ring); returns false once none is left here.
    bool pass_on();
};

struct ring {
    std::vector<std::unique_ptr<node>> nodes;
    long budget = hops_per_ring;
    std::atomic<long> hops{0};
    std::atomic<bool>* ended = nullptr;
    std::atomic<int>* rings_done = nullptr;
};

bool node::pass_on() {
    if (r->hops.fetch_add(1, std::memory_order_relaxed) + 1 < r->budget) next->deliver();
    else r->rings_done->fetch_add(1, std::memory_order_acq_rel);
    return held.fetch_sub(1, std::memory_order_acq_rel) != 1;
}

struct task_node final : node, task {
    scheduler* sched = nullptr;
    void wake() override { sched->submit(this); }
    void run() override {
        while (pass_on()) {
        }
    }
};

struct fiber_node final : node {
    fiber_parker parker;
    void wake() override { parker.unpark(); }
    void body() {
        for (;;) {
            while (held.load(std::memory_order_acquire) == 0) {
                if (r->ended->load(std::memory_order_acquire)) return;
                parker.park();
            }
            while (pass_on()) {
            }
        }
    }
};

// A node on a thread outside the pool: it polls instead of parking, and its
// pass_on is a wake-up from outside.
struct outside_node final : node {
    void wake() override {}
    void body() {
        while (!r->ended->load(std::memory_order_acquire)) {
            if (held.load(std::memory_order_acquire) == 0) {
                std::this_thread::yield();
                continue;
            }
            while (pass_on()) {
            }
        }
    }
};

TEST(WakeStress, SingleTokensRoundFibersTasksAndOutsideThreads) {
    scheduler s({.threads = 2});
    std::atomic<bool> ended{false};
    std::atomic<int> rings_done{0};
    std::vector<ring> all(rings);
    std::vector<fiber_node*> fibers;
    std::vector<outside_node*> outsiders;
    for (int k = 0; k < rings; ++k) {
        ring& r = all[k];
        r.ended = &ended;
        r.rings_done = &rings_done;
        for (int i = 0; i < pool_nodes_per_ring; ++i) {
            if (i % 2 == 0) {
                auto f = std::make_unique<fiber_node>();
                fibers.push_back(f.get());
                r.nodes.push_back(std::move(f));
            } else {
                auto t = std::make_unique<task_node>();
                t->sched = &s;
                r.nodes.push_back(std::move(t));
            }
        }
        if (k < rings_through_outside) {
            r.budget = hops_per_outside_ring;
            auto o = std::make_unique<outside_node>();
            outsiders.push_back(o.get());
            r.nodes.push_back(std::move(o));
        }
        for (std::size_t i = 0; i < r.nodes.size(); ++i) {
            r.nodes[i]->r = &r;
            r.nodes[i]->next = r.nodes[(i + 1) % r.nodes.size()].get();
        }
    }
    for (fiber_node* f : fibers) s.spawn_fiber([f] { f->body(); });
    std::vector<std::thread> outside;
    for (outside_node* o : outsiders) outside.emplace_back([o] { o->body(); });
    for (ring& r : all) r.nodes[1]->deliver();  // the first token of each ring, from outside
    // No time limit: a lost wake-up shows as a hang.
    while (rings_done.load(std::memory_order_acquire) < rings) std::this_thread::yield();
    long wake_ups = 0;
    for (ring& r : all) {
        EXPECT_EQ(r.hops.load(), r.budget);
        wake_ups += r.hops.load();
    }
    std::printf("%ld wake-ups, each a hop to a sleeping node\n", wake_ups);
    RecordProperty("wake_ups", std::to_string(wake_ups));
    ended.store(true, std::memory_order_release);
    for (fiber_node* f : fibers) f->parker.unpark();
    for (auto& t : outside) t.join();
    s.shutdown();
}

}  // namespace
}  // namespace weft
