// runtime_stats_test.cpp: the runtime's own figures (runtime::stats()) and
// the peek at an actor's queued messages (runtime::peek_messages).
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "actors/exit_reason.hpp"
#include "tests/actors/support.hpp"

namespace weft {
namespace {

using testing::run_as_actor;
using testing::s;
using testing::tup;

TEST(RuntimeStats, CountsMessagesSentAndDelivered) {
    runtime rt(runtime_options{.threads = 2});
    runtime_stats before = rt.stats();
    EXPECT_EQ(before.workers.size(), 2u);
    EXPECT_EQ(before.total_sent(), 0u);
    run_as_actor(rt, [&](actor& self) {
        pid echo = self.spawn([](actor& a) {
            for (int i = 0; i < 100; ++i) {
                message m = a.receive();
                a.send(m.view()[0].as_pid(), s("pong"));
            }
        });
        for (int i = 0; i < 100; ++i) {
            self.send(echo, tup({term(self.self()), s("ping")}));
            (void)self.receive();
        }
    });
    rt.run_until_idle();
    runtime_stats after = rt.stats();
    // 100 pings and 100 pongs, each sent once and taken once; the test's own
    // start and end are signals, not messages.
    EXPECT_EQ(after.total_sent(), 200u);
    EXPECT_EQ(after.total_delivered(), 200u);
    EXPECT_EQ(after.outside_sent, 0u);
    EXPECT_EQ(after.actors, 0u);
    EXPECT_GT(after.rss_bytes, 0u);
    EXPECT_TRUE(after.peers.empty());
    EXPECT_GE(after.at_ns, before.at_ns);
    for (const worker_figures& w : after.workers) EXPECT_GT(w.busy_ns + w.idle_ns, 0u);
}

TEST(RuntimeStats, SendsFromOutsideThePoolCountApart) {
    runtime rt(runtime_options{.threads = 1});
    std::atomic<bool> got{false};
    pid p = rt.spawn(stackless, [&](actor& a) {
        if (!a.try_receive()) return step_result::wait;
        got.store(true, std::memory_order_release);
        return step_result::done;
    });
    rt.send(p, s("hello"));
    rt.run_until_idle();
    EXPECT_TRUE(got.load(std::memory_order_acquire));
    runtime_stats st = rt.stats();
    EXPECT_EQ(st.outside_sent, 1u);
    EXPECT_EQ(st.total_sent(), 1u);
    EXPECT_EQ(st.total_delivered(), 1u);  // taken on a worker
}

TEST(RuntimeStats, PublishedReductionsAddUp) {
    runtime rt(runtime_options{.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        self.publish(100, 64, 3);
        self.publish(250, 64, 4);  // 150 more
        std::optional<process_info> info = rt.info(self.self());
        ASSERT_TRUE(info);
        EXPECT_EQ(info->reductions, 250u);
    });
    EXPECT_EQ(rt.stats().total_reductions(), 250u);
}

// A request that a test thread waits on.
struct waited_peek final : message_peek {
    using message_peek::message_peek;
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<peeked_messages> result;
    void answer(peeked_messages r) noexcept override {
        std::lock_guard lock(mutex);
        result = std::move(r);
        changed.notify_all();
    }
    peeked_messages wait() {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return result.has_value(); });
        return *result;
    }
};

TEST(RuntimeStats, PeekShowsTheOldestMessagesWithoutTakingThem) {
    runtime rt(runtime_options{.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        pid box = self.spawn([me](actor& a) {
            // Waits for "go" alone, so that the others pile up in order.
            (void)a.receive_if([](term_view v) { return testing::is_str(v, "go"); });
            int n = 0;
            while (a.try_receive()) ++n;
            a.send(me, term(n));
        });
        self.send(box, tup({s("first"), term(1)}));
        self.send(box, s("second"));
        self.send(box, term::list({term(3)}));
        auto peek = std::make_shared<waited_peek>(2);
        rt.peek_messages(box, peek);
        peeked_messages seen = peek->wait();
        EXPECT_FALSE(seen.ended);
        EXPECT_EQ(seen.queue_len, 3);
        ASSERT_EQ(seen.reprs.size(), 2u);
        EXPECT_EQ(seen.reprs[0], "('first', 1)");
        EXPECT_EQ(seen.reprs[1], "'second'");
        self.send(box, s("go"));
        message left = self.receive();
        EXPECT_EQ(left.view().as_int(), 3);  // the peek took none of them
    });
}

TEST(RuntimeStats, PeekAtAnEndedActorAnswersEnded) {
    runtime rt(runtime_options{.threads = 1});
    pid gone = rt.spawn(stackless, [](actor&) { return step_result::done; });
    rt.run_until_idle();
    auto peek = std::make_shared<waited_peek>(5);
    rt.peek_messages(gone, peek);
    EXPECT_TRUE(peek->wait().ended);
    auto other = std::make_shared<waited_peek>(5);
    rt.peek_messages(pid{rt.node_id() + 1, rt.creation(), 1}, other);  // not local
    EXPECT_TRUE(other->wait().ended);
}

}  // namespace
}  // namespace weft
