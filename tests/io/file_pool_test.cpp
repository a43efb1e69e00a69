// file_pool_test.cpp: the runtime's file pool (io/file_pool.hpp): jobs run
// off the workers and their answers come back to the actor that asked, as
// ("weft.reply", tag, result), from many actors at once; a stopped pool
// drops what it has not started.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "actors/actor.hpp"
#include "actors/remote.hpp"
#include "actors/runtime.hpp"
#include "io/file_pool.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;

TEST(FilePool, EveryAnswerReachesTheActorThatAskedWithItsTag) {
    runtime rt({.threads = 2});
    std::atomic<int> right{0};
    constexpr int actors = 50, asks = 20;
    for (int a = 0; a < actors; ++a) {
        rt.spawn([&, a](actor& self) {
            for (int k = 0; k < asks; ++k) {
                ref tag = self.make_ref();
                std::thread::id worker = std::this_thread::get_id();
                io::file_pool_of(rt).ask(self.self(), tag, [a, k, worker] {
                    // A pool thread, never the asking actor's worker.
                    return term::tuple({term(a * 1000 + k), term(std::this_thread::get_id() != worker)});
                });
                std::optional<message> answer = self.receive(60s);
                ASSERT_TRUE(answer);
                EXPECT_EQ(answer->value(), term::tuple({term::str(remote_reply_tag), term(tag),
                                                term::tuple({term(a * 1000 + k), term(true)})}));
                ++right;
            }
        });
    }
    rt.run_until_idle();
    EXPECT_EQ(right.load(), actors * asks);
}

TEST(FilePool, AStoppedPoolRunsNothingMore) {
    runtime rt({.threads = 1});
    std::atomic<int> ran{0};
    {
        io::file_pool pool(rt, 1);
        pool.stop();
        pool.ask(pid{}, ref{}, [&] {
            ++ran;
            return term();
        });
    }  // joined: whatever was going to run has run
    EXPECT_EQ(ran.load(), 0);
}

}  // namespace
}  // namespace weft
