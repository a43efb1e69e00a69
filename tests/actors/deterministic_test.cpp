// deterministic_test.cpp: a runtime made for deterministic runs
// (runtime_options::deterministic). A message from outside the pool waits
// until every actor waits, even for an actor that polls its mailbox; the
// same seed gives the same order of messages. No timing assertions.
#include <future>
#include <thread>
#include <vector>

#include "support.hpp"

namespace weft {
namespace {

using testing::s;

TEST(Deterministic, AMessageFromOutsideArrivesOnlyWhenEveryActorWaits) {
    runtime rt({.deterministic = true, .seed = 3});
    std::promise<std::vector<std::string>> seen;
    std::vector<std::string> log;
    int turn = 0;
    rt.spawn(stackless, [&](actor& self) {
        ++turn;
        if (turn == 1) {
            // A thread outside the pool sends to this very actor; the join
            // makes sure the send is made before this turn goes on.
            pid me = self.self();
            std::thread outsider([&rt, me] { rt.send(me, s("from outside")); });
            outsider.join();
        }
        if (self.try_receive()) log.push_back("got it at turn " + std::to_string(turn));
        if (turn < 20) return step_result::yield;  // busy: may not see it yet
        if (log.empty()) return step_result::wait;  // waits: now it may come
        seen.set_value(log);
        return step_result::done;
    });
    EXPECT_EQ(seen.get_future().get(), std::vector<std::string>{"got it at turn 21"});
    rt.run_until_idle();
}

// The order in which a collector hears from 6 senders of 5 messages each.
std::vector<std::int64_t> arrival_order(std::uint64_t seed) {
    runtime rt({.deterministic = true, .seed = seed});
    std::promise<std::vector<std::int64_t>> done;
    std::vector<std::int64_t> order;
    pid collector = rt.spawn(stackless, [&](actor& self) {
        while (auto m = self.try_receive()) {
            order.push_back(m->view().as_int());
            if (order.size() == 30) {
                done.set_value(order);
                return step_result::done;
            }
        }
        return step_result::wait;
    });
    rt.spawn(stackless, [&, collector](actor& self) {
        for (int k = 0; k < 6; ++k) {
            self.spawn(stackless, [k, collector, sent = 0](actor& me) mutable {
                me.send(collector, term(std::int64_t(k * 10 + sent)));
                return ++sent == 5 ? step_result::done : step_result::yield;
            });
        }
        return step_result::done;
    });
    std::vector<std::int64_t> got = done.get_future().get();
    rt.run_until_idle();
    return got;
}

TEST(Deterministic, TheSameSeedDeliversInTheSameOrderAndOtherSeedsDoNot) {
    std::vector<std::int64_t> first = arrival_order(9);
    EXPECT_EQ(arrival_order(9), first);
    int different = 0;
    for (std::uint64_t seed = 10; seed < 15; ++seed) different += arrival_order(seed) != first;
    EXPECT_GE(different, 4);
}

}  // namespace
}  // namespace weft
