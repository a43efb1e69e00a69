// The process table: generations keep old pids dead; handles keep cells alive.
#include "actors/process_table.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support.hpp"

namespace weft {
namespace {

TEST(ProcessTable, OldPidsNeverReachNewActors) {
    runtime rt({.threads = 1});
    pid first = rt.spawn([](actor&) {});
    rt.run_until_idle();
    pid second = rt.spawn([](actor& self) { self.receive(); });
    constexpr std::uint64_t slot_mask = (std::uint64_t{1} << 31) - 1;
    EXPECT_EQ(first.serial & slot_mask, second.serial & slot_mask) << "the slot is reused";
    EXPECT_NE(first, second) << "under a new spawn number";
    EXPECT_EQ(first.serial >> 31, 1u);
    EXPECT_EQ(second.serial >> 31, 2u) << "spawn numbers count spawns";
    EXPECT_FALSE(rt.alive(first));
    EXPECT_TRUE(rt.alive(second));
    rt.send(first, testing::s("stale"));
    EXPECT_EQ(rt.queue_length(second), 0);
    rt.send(second, testing::s("end"));
    rt.run_until_idle();
}

TEST(ProcessTable, FullTableRefusesSpawnWithAClearError) {
    runtime rt({.threads = 1, .max_actors = 3});
    for (int i = 0; i < 3; ++i) rt.spawn([](actor& self) { self.receive(); });
    try {
        rt.spawn([](actor&) {});
        ADD_FAILURE() << "spawn beyond max_actors must fail";
    } catch (const runtime_error& e) {
        EXPECT_STREQ(e.what(), "spawn: the actor table is full (3 actors); raise runtime_options::max_actors");
    }
    rt.stop();
}

// Senders racing with actors that end: every lookup either reaches a live cell or
// fails; none touches a freed one (ASan would say).
TEST(ProcessTable, LookupsRaceWithEndingActors) {
    runtime rt({.threads = 2});
    std::vector<pid> pids;
    for (int i = 0; i < 2000; ++i) pids.push_back(rt.spawn(stackless, [](actor& a) {
        return a.receive(std::chrono::milliseconds(0)) ? step_result::done : step_result::wait;
    }));
    std::thread spammer([&] {
        for (int round = 0; round < 5; ++round)
            for (pid p : pids) rt.send(p, 1);
    });
    spammer.join();
    rt.run_until_idle();
    for (pid p : pids) EXPECT_FALSE(rt.alive(p));
}

}  // namespace
}  // namespace weft
