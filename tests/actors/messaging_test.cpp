// Sending and receiving between native actors: order, selection, timeouts, binaries.
#include <atomic>
#include <future>
#include <thread>
#include <map>
#include <vector>

#include "serialize/shared_binary.hpp"
#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::run_as_actor;
using testing::s;
using testing::tup;

TEST(Messaging, EchoRoundTrip) {
    runtime rt({.threads = 2});
    pid echo = rt.spawn([](actor& self) {
        for (;;) {
            message m = self.receive();
            auto v = m.view();
            if (testing::is_str(v, "stop")) return;
            self.send(v[0].as_pid(), tup({s("echo"), decode(v[1])}));
        }
    });
    run_as_actor(rt, [&](actor& self) {
        self.send(echo, tup({term(self.self()), term::list({1, 2.5, s("three")})}));
        message reply = self.receive();
        EXPECT_EQ(reply.value(), tup({s("echo"), term::list({1, 2.5, s("three")})}));
        EXPECT_EQ(reply.sender(), echo);
        self.send(echo, s("stop"));
    });
    rt.run_until_idle();
}

// Many senders on all threads: each pair's messages arrive in the order sent.
TEST(Messaging, PerPairOrderWithManySendersOnAllThreads) {
    constexpr int senders = 16, per_sender = 2000;
    runtime rt({.threads = 2});
    std::atomic<int> out_of_order{0}, received{0};
    std::promise<void> done;
    pid sink = rt.spawn([&](actor& self) {
        std::map<std::int64_t, std::int64_t> next;
        for (int i = 0; i < senders * per_sender; ++i) {
            message m = self.receive();
            auto v = m.view();
            std::int64_t who = v[0].as_int(), seq = v[1].as_int();
            if (next[who] != seq) out_of_order++;
            next[who] = seq + 1;
            received++;
        }
        done.set_value();
    });
    for (int w = 0; w < senders; ++w) {
        rt.spawn([&, w](actor& self) {
            for (int i = 0; i < per_sender; ++i) self.send(sink, tup({w, i}));
        });
    }
    done.get_future().wait();
    EXPECT_EQ(received.load(), senders * per_sender);
    EXPECT_EQ(out_of_order.load(), 0);
    rt.run_until_idle();
}

TEST(Messaging, SelectiveReceiveKeepsSkippedMessagesInOrder) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        for (int i = 0; i < 6; ++i) self.send(self.self(), tup({i % 2 == 0 ? s("even") : s("odd"), i}));
        std::vector<std::int64_t> odd;
        while (auto m = self.receive_if([](term_view v) { return testing::is_str(v[0], "odd"); }, 0ms))
            odd.push_back(m->view()[1].as_int());
        EXPECT_EQ(odd, (std::vector<std::int64_t>{1, 3, 5}));
        std::vector<std::int64_t> rest;
        while (auto m = self.receive(0ms)) rest.push_back(m->view()[1].as_int());
        EXPECT_EQ(rest, (std::vector<std::int64_t>{0, 2, 4}));
    });
}

TEST(Messaging, SelectiveReceiveWaitsForTheMatchingMessage) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        self.spawn([me](actor& helper) {
            for (int i = 0; i < 100; ++i) helper.send(me, tup({s("noise"), i}));
            helper.send(me, s("wanted"));
        });
        message m = *self.receive_if([](term_view v) { return testing::is_str(v, "wanted"); });
        EXPECT_EQ(m.value(), s("wanted"));
        EXPECT_EQ(self.queue_length(), 100);
        EXPECT_EQ(self.receive().view()[1].as_int(), 0) << "noise stays, oldest first";
    });
}

TEST(Messaging, ReceiveTimesOutAndPollsWithZero) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        EXPECT_FALSE(self.receive(0ms).has_value());
        EXPECT_FALSE(self.receive(20ms).has_value());
        self.send(self.self(), s("late"));
        auto m = self.receive(0ms);
        ASSERT_TRUE(m.has_value());
        EXPECT_EQ(m->value(), s("late"));
        // A receive that got its message must not be ended by its old timer later.
        self.send(self.self(), s("quick"));
        EXPECT_TRUE(self.receive(5ms).has_value());
        EXPECT_FALSE(self.receive(30ms).has_value());
    });
}

TEST(Messaging, SendToDeadPidIsDropped) {
    runtime rt({.threads = 2});
    pid short_lived = rt.spawn([](actor&) {});
    rt.run_until_idle();
    EXPECT_FALSE(rt.alive(short_lived));
    rt.send(short_lived, s("into the void"));  // no crash, no error
    run_as_actor(rt, [&](actor& self) { self.send(short_lived, s("also dropped")); });
    pid forged{rt.node_id(), rt.creation(), 0xdeadbeef12345ull};
    rt.send(forged, s("never existed"));
    pid foreign{rt.node_id() + 1, 7, 42};
    rt.send(foreign, s("no such node"));
}

TEST(Messaging, SharedBinaryTravelsByReferenceAndIsFreedByTheLastHolder) {
    runtime rt({.threads = 2});
    std::string big(1 << 20, 'x');
    term payload = term::bytes(big);
    ASSERT_TRUE(payload.is_bytes());
    const void* data = payload.as_bytes().data();
    std::promise<void> got;
    std::atomic<bool> same_buffer{false};
    pid holder = rt.spawn([&](actor& self) {
        message m = self.receive();
        same_buffer = m.view().as_bytes().data() == data;
        got.set_value();
        self.receive();  // keeps the message until told to end
    });
    rt.send(holder, payload);
    got.get_future().wait();
    EXPECT_TRUE(same_buffer.load()) << "a 1 MiB binary must not be copied on one node";
    ASSERT_NE(payload.shared(), nullptr);
    EXPECT_GE(payload.shared()->use_count(), 2) << "the holder's message shares our buffer";
    rt.send(holder, s("end"));
    rt.run_until_idle();
    EXPECT_EQ(payload.shared()->use_count(), 1) << "the ended holder let go of it";
}

TEST(Messaging, MessagesBetweenBlockingAndStacklessActors) {
    runtime rt({.threads = 2});
    pid doubler = rt.spawn(stackless, [](actor& self) {
        while (auto m = self.receive(0ms)) {
            auto v = m->view();
            if (testing::is_str(v, "stop")) return step_result::done;
            self.send(v[0].as_pid(), v[1].as_int() * 2);
        }
        return step_result::wait;
    });
    run_as_actor(rt, [&](actor& self) {
        for (int i = 0; i < 1000; ++i) {
            self.send(doubler, tup({term(self.self()), i}));
            EXPECT_EQ(self.receive().view().as_int(), 2 * i);
        }
        self.send(doubler, s("stop"));
    });
    rt.run_until_idle();
}

// A blocking sender cannot be preempted, but it yields every so many sends:
// on one thread its receiver keeps draining instead of a flood piling up.
TEST(Messaging, FloodingBlockingSenderLetsItsReceiverRun) {
    runtime rt({.threads = 1});
    constexpr int n = 100000;
    std::promise<std::int64_t> longest_queue;
    pid sink = rt.spawn(stackless, [&, count = 0, longest = std::int64_t{0}](actor& self) mutable {
        longest = std::max(longest, self.queue_length());
        while (self.try_receive())
            if (++count == n) {
                longest_queue.set_value(longest);
                return step_result::done;
            }
        return step_result::wait;
    });
    rt.spawn([sink](actor& self) {
        for (int i = 0; i < n; ++i) self.send(sink, tuple_of("data", i));
    });
    EXPECT_LE(longest_queue.get_future().get(), 2000) << "the receiver ran only after the whole flood";
    rt.run_until_idle();
}

TEST(Messaging, SendAfterDeliversAndCancelStopsIt) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        ref cancelled = self.send_after(10ms, self.self(), s("cancelled"));
        EXPECT_TRUE(self.cancel_timer(cancelled));
        EXPECT_FALSE(self.cancel_timer(cancelled));
        ref fired = self.send_after(5ms, self.self(), s("fired"));
        EXPECT_EQ(self.receive().value(), s("fired"));
        EXPECT_FALSE(self.cancel_timer(fired));
        EXPECT_FALSE(self.receive(40ms).has_value()) << "the cancelled timer must never deliver";
        EXPECT_FALSE(self.cancel_timer(self.rt().make_ref())) << "not a timer";
    });
}

// A receive whose deadline passed while a message woke it, before its timer
// fired, must not leave that timer behind: the next receive would then arm
// none and wait past its timeout. Short receives under a stream of other
// messages make that late wake-up happen often (and nothing taken from the
// mailbox cancels the timer meanwhile); the last receive, with the stream
// over, must still time out.
TEST(Messaging, AReceiveWokenAfterItsDeadlineLeavesNoTimerBehind) {
    runtime rt({.threads = 2});
    std::atomic<bool> streaming{true};
    std::promise<bool> timed_out;
    pid receiver = rt.spawn([&](actor& self) {
        auto only_x = [](term_view v) { return testing::is_str(v, "x"); };
        for (int i = 0; i < 2000; ++i) self.receive_if(only_x, 200us);  // the noise stays queued
        streaming = false;
        timed_out.set_value(!self.receive_if(only_x, 20ms).has_value());
    });
    rt.spawn([&](actor& self) {
        while (streaming) {
            self.send(receiver, s("noise"));
            std::this_thread::sleep_for(50us);
        }
    });
    std::future<bool> result = timed_out.get_future();
    bool finished = result.wait_for(60s) == std::future_status::ready;
    if (!finished) rt.send(receiver, s("x"));  // release it, so the test ends
    EXPECT_TRUE(finished) << "the last receive waited past its 20 ms timeout";
    if (finished) {
        EXPECT_TRUE(result.get());
    }
    rt.run_until_idle();
}

}  // namespace
}  // namespace weft
