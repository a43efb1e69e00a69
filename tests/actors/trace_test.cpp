// trace_test.cpp: the runtime's tracer (actors/trace.hpp): events, causal
// order across threads, filters, and the bound. No timing assertions.
#include <gtest/gtest.h>

#include <map>
#include <tuple>
#include <vector>

#include "actors/exit_reason.hpp"
#include "serialize/codec.hpp"
#include "tests/actors/support.hpp"

namespace weft {
namespace {

using testing::run_as_actor;
using testing::s;
using testing::tup;

// Every receive whose send was traced comes after it, and each actor's own
// events have increasing clocks. (run_as_actor's observer takes a DOWN,
// which no traced send precedes.)
void expect_causal(const trace_result& r) {
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> sends;  // (sender serial, clock) -> index
    for (std::size_t k = 0; k < r.events.size(); ++k)
        if (r.events[k].kind == trace_kind::send) sends[{r.events[k].actor.serial, r.events[k].clock}] = k;
    std::map<std::uint64_t, std::uint64_t> last_clock;
    for (std::size_t k = 0; k < r.events.size(); ++k) {
        const trace_event& e = r.events[k];
        if (e.kind == trace_kind::receive) {
            EXPECT_LT(e.msg_clock, e.clock);
            auto it = sends.find({e.other.serial, e.msg_clock});
            if (it != sends.end()) {
                EXPECT_LT(it->second, k) << "a receive at clock " << e.clock << " before its send";
            }
        }
        if (e.actor.serial != 0) {
            EXPECT_GT(e.clock, last_clock[e.actor.serial]) << "an actor's events out of its own order";
            last_clock[e.actor.serial] = e.clock;
        }
    }
}

std::size_t count(const trace_result& r, trace_kind k) {
    std::size_t n = 0;
    for (const trace_event& e : r.events) n += e.kind == k;
    return n;
}

TEST(Trace, OffByDefaultAndEmpty) {
    runtime rt(runtime_options{.threads = 1});
    EXPECT_FALSE(rt.tracing());
    run_as_actor(rt, [](actor& self) { self.send(self.self(), s("x")); (void)self.receive(); });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    EXPECT_TRUE(r.events.empty());
}

TEST(Trace, PingPongAcrossThreadsIsInCausalOrder) {
    runtime rt(runtime_options{.threads = 2});
    rt.trace().start({});
    run_as_actor(rt, [&](actor& self) {
        pid echo = self.spawn([](actor& a) {
            for (int i = 0; i < 50; ++i) {
                message m = a.receive();
                a.send(m.view()[0].as_pid(), tup({s("pong"), term(std::int64_t(i))}));
            }
        });
        for (int i = 0; i < 50; ++i) {
            self.send(echo, tup({term(self.self()), s("ping")}));
            (void)self.receive();
        }
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    // run_as_actor adds an observer (spawned from outside) that spawns the
    // test's actor and takes its DOWN.
    EXPECT_EQ(count(r, trace_kind::send), 100u);
    EXPECT_EQ(count(r, trace_kind::receive), 101u);
    EXPECT_EQ(count(r, trace_kind::spawn), 3u);
    EXPECT_EQ(count(r, trace_kind::exit), 3u);
    expect_causal(r);
    // A short repr of the message, with the runtime's pid numbers.
    bool saw_pong = false;
    for (const trace_event& e : r.events)
        if (e.kind == trace_kind::send && e.text == "('pong', 0)") saw_pong = true;
    EXPECT_TRUE(saw_pong);
    EXPECT_FALSE(rt.tracing());
}

TEST(Trace, ManyActorsOnManyThreadsStayInCausalOrder) {
    runtime rt(runtime_options{.threads = 4});
    trace_options o;
    o.max_events = 100'000;
    o.events_per_second = ~std::uint64_t{0} / 4;  // keep them all
    rt.trace().start(o);
    constexpr int actors = 8, hops = 200;
    run_as_actor(rt, [&](actor& self) {
        // A token passed round a ring `hops` times, while every member also
        // tells the test's actor of each pass: messages cross threads both ways.
        // The token is (ring, hops_left, holder's index).
        std::vector<pid> ring;
        for (int k = 0; k < actors; ++k)
            ring.push_back(self.spawn([me = self.self()](actor& a) {
                for (;;) {
                    message m = a.receive();
                    term_view v = m.view();
                    if (v.kind() != term_kind::tuple) return;  // "stop"
                    std::int64_t left = v[1].as_int();
                    std::size_t next = (std::size_t(v[2].as_int()) + 1) % v[0].size();
                    a.send(me, term(left));
                    if (left > 0)
                        a.send(v[0][next].as_pid(), tup({decode(v[0]), term(left - 1), term(std::int64_t(next))}));
                }
            }));
        std::vector<term> members(ring.begin(), ring.end());
        self.send(ring[0], tup({term::list(members), term(std::int64_t(hops)), term(std::int64_t(0))}));
        for (int k = 0; k <= hops; ++k) (void)self.receive();
        for (pid p : ring) self.send(p, s("stop"));
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    EXPECT_EQ(r.dropped_by_bound + r.dropped_by_rate, 0u);
    EXPECT_GT(count(r, trace_kind::receive), std::size_t(hops) * 2);
    expect_causal(r);
}

TEST(Trace, ReceiveCountsTheMessagesItSkipped) {
    runtime rt(runtime_options{.threads = 1});
    rt.trace().start({});
    pid p{};
    run_as_actor(rt, [&](actor& self) {
        p = self.spawn(stackless, [n = 0](actor& a) mutable {
            // Takes "c" first, passing "a" and "b".
            for (const envelope* e = a.peek(); e; e = a.peek()) {
                if (testing::is_str(term_view::root(*e), n == 0 ? "c" : "a")) {
                    (void)a.take();
                    if (++n == 2) return step_result::done;
                    a.restart_scan();
                    continue;
                }
                a.skip();
            }
            return step_result::wait;
        });
        self.send(p, s("a"));
        self.send(p, s("b"));
        self.send(p, s("c"));
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    std::vector<std::uint32_t> skipped;
    for (const trace_event& e : r.events)
        if (e.kind == trace_kind::receive && e.actor == p) skipped.push_back(e.skipped);
    EXPECT_EQ(skipped, (std::vector<std::uint32_t>{2, 0}));
    expect_causal(r);
}

TEST(Trace, MonitorsDownsAndExitsAreEvents) {
    runtime rt(runtime_options{.threads = 2});
    rt.trace().start({});
    pid me = run_as_actor(rt, [&](actor& self) {
        pid child = self.spawn([](actor& a) {
            (void)a.receive();
            a.exit(s("bye"));
        });
        self.monitor(child);  // before it ends: a DOWN with its reason, not noproc
        self.send(child, s("go"));
        message down = self.receive();
        EXPECT_TRUE(testing::is_str(down.view()[0], "DOWN"));
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    EXPECT_EQ(count(r, trace_kind::monitor), 1u);
    EXPECT_EQ(count(r, trace_kind::down), 2u);  // ours, and run_as_actor's observer's
    bool saw_bye = false;
    std::uint64_t exit_clock = 0, down_clock = 0;
    for (const trace_event& e : r.events) {
        if (e.kind == trace_kind::exit && e.text == "'bye'") {
            saw_bye = true;
            exit_clock = e.clock;
        }
        if (e.kind == trace_kind::down && e.actor == me) down_clock = e.clock;
    }
    EXPECT_TRUE(saw_bye);
    EXPECT_LT(exit_clock, down_clock);  // the DOWN follows the end it tells of
}

TEST(Trace, TimersAreEvents) {
    runtime rt(runtime_options{.threads = 1});
    rt.trace().start({});
    run_as_actor(rt, [&](actor& self) {
        self.send_after(std::chrono::milliseconds(1), self.self(), s("tick"));
        (void)self.receive();
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    ASSERT_EQ(count(r, trace_kind::timer), 1u);
    std::uint64_t timer_clock = 0, receive_clock = 0;
    for (const trace_event& e : r.events) {
        if (e.kind == trace_kind::timer) timer_clock = e.clock;
        if (e.kind == trace_kind::receive) receive_clock = e.clock;
    }
    EXPECT_LT(timer_clock, receive_clock);
}

TEST(Trace, FiltersByPid) {
    runtime rt(runtime_options{.threads = 2});
    pid watched{};
    run_as_actor(rt, [&](actor& self) {
        pid a = self.spawn([](actor& x) { (void)x.receive(); });
        pid b = self.spawn([](actor& x) { (void)x.receive(); });
        watched = a;
        trace_options o;
        o.pids = {a};
        rt.trace().start(o);
        self.send(a, s("to a"));
        self.send(b, s("to b"));
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    for (const trace_event& e : r.events) EXPECT_TRUE(e.actor == watched || e.other == watched);
    EXPECT_EQ(count(r, trace_kind::send), 1u);
    EXPECT_EQ(count(r, trace_kind::receive), 1u);
}

TEST(Trace, FiltersByFunction) {
    runtime rt(runtime_options{.threads = 2});
    trace_options o;
    o.functions = {"worker"};
    rt.trace().start(o);
    run_as_actor(rt, [&](actor& self) {
        pid w = self.spawn(stackless, [](actor& a) {
            if (!a.try_receive()) return step_result::wait;
            return step_result::done;
        }, "worker");
        pid other = self.spawn(stackless, [](actor& a) {
            if (!a.try_receive()) return step_result::wait;
            return step_result::done;
        }, "other");
        self.send(w, s("work"));
        self.send(other, s("not traced"));
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    EXPECT_EQ(count(r, trace_kind::receive), 1u);
    EXPECT_EQ(count(r, trace_kind::spawn), 1u);
    for (const trace_event& e : r.events) EXPECT_NE(e.text, "'not traced'");
}

TEST(Trace, StopsAtItsBoundWhileTheProgramCompletes) {
    runtime rt(runtime_options{.threads = 2});
    trace_options o;
    o.max_events = 1000;
    rt.trace().start(o);
    constexpr int n = 1'000'000;
    std::atomic<int> got{0};
    run_as_actor(rt, [&](actor& self) {
        pid sink = self.spawn(stackless, [&got](actor& a) {
            while (auto m = a.try_receive()) {
                if (got.fetch_add(1, std::memory_order_relaxed) + 1 == n) return step_result::done;
            }
            return step_result::wait;
        });
        for (int i = 0; i < n; ++i) self.send(sink, term(std::int64_t(i)));
    });
    rt.run_until_idle();
    EXPECT_EQ(got.load(), n);
    EXPECT_FALSE(rt.tracing());  // it turned itself off when full
    trace_result r = rt.trace().stop();
    EXPECT_EQ(r.events.size(), 1000u);
    EXPECT_GT(r.dropped_by_bound, 0u);
    expect_causal(r);
}

TEST(Trace, RateLimitDropsAndCounts) {
    runtime rt(runtime_options{.threads = 1});
    // Two buffers (one worker, the outside): at most one event each per second.
    trace_options o;
    o.max_events = 100000;
    o.events_per_second = 2;
    rt.trace().start(o);
    run_as_actor(rt, [&](actor& self) {
        for (int i = 0; i < 100; ++i) self.send(self.self(), s("x"));
        for (int i = 0; i < 100; ++i) (void)self.receive();
    });
    rt.run_until_idle();
    trace_result r = rt.trace().stop();
    // However slow the machine, 200 events within a few seconds leave most dropped.
    EXPECT_LT(r.events.size(), 100u);
    EXPECT_GT(r.dropped_by_rate, 0u);
}

TEST(Trace, LongTextIsCapped) {
    EXPECT_EQ(cap_trace_text("short"), "short");
    std::string capped = cap_trace_text(std::string(200, 'x'));
    EXPECT_EQ(capped.size(), trace_text_cap);
    EXPECT_EQ(capped.substr(capped.size() - 3), "...");
}

// What a tool that must not take a program's trace away relies on: a start
// only when idle, a stop of its own trace only, and knowing when it is full.
TEST(Trace, StartIfIdleNeverTakesAnotherTrace) {
    auto an_exit = [](std::uint64_t serial) {
        trace_event e;
        e.kind = trace_kind::exit;
        e.clock = 1;
        e.actor = pid{1, 1, serial};
        return e;
    };
    tracer t(1);
    trace_options two;
    two.max_events = 2;
    std::uint64_t mine = t.start_if_idle(two);
    ASSERT_NE(mine, 0u);
    EXPECT_EQ(t.start_if_idle({}), 0u);  // running: refused
    EXPECT_TRUE(t.collecting(mine));
    t.record(0, an_exit(5));
    EXPECT_TRUE(t.collecting(mine));
    t.record(0, an_exit(6));
    EXPECT_FALSE(t.collecting(mine));    // full
    EXPECT_EQ(t.start_if_idle({}), 0u);  // full, not yet stopped: still its owner's
    std::optional<trace_result> got = t.stop_if_current(mine);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->events.size(), 2u);
    EXPECT_FALSE(t.stop_if_current(mine));  // stopped already

    // A program's own start() ends the tool's trace; the tool's stop then
    // leaves the program's alone.
    std::uint64_t second = t.start_if_idle({});
    ASSERT_NE(second, 0u);
    EXPECT_NE(second, mine);
    t.start({});
    EXPECT_FALSE(t.collecting(second));
    EXPECT_FALSE(t.stop_if_current(second));
    EXPECT_TRUE(t.on());
    t.record(0, an_exit(5));
    EXPECT_EQ(t.stop().events.size(), 1u);
}

}  // namespace
}  // namespace weft
