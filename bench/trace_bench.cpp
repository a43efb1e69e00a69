// trace_bench.cpp: what the message tracer (actors/trace.hpp) costs a
// ping-pong of two native actors: with tracing off (its one relaxed load per
// send and receive), with a trace that fills its default bound of 1,000
// events early and turns itself off, and with every event kept (no bound, no
// rate limit worth the name: the cost when on). Then a stream of 10 million
// messages from one actor to another: untraced, traced with the default
// bound (it stops at 1,000 events), and traced with a bound of 10 million
// under the default rate limit (200,000 events a second), which is what
// keeps a trace of a busy program from slowing it without end. Figures are
// printed as `RESULT <key> <value> <unit>` lines, never asserted.
//
//     bench/trace_bench [round_trips] [stream_messages]   (default: 200000 10000000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <vector>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

// Nanoseconds per round trip (a send and a receive each way).
double ping_pong(weft::runtime& rt, int round_trips) {
    std::promise<double> result;
    rt.spawn([&](weft::actor& self) {
        weft::pid echo = self.spawn([round_trips](weft::actor& a) {
            for (int i = 0; i < round_trips; ++i) {
                weft::message m = a.receive();
                a.send(m.sender(), weft::term(std::int64_t(i)));
            }
        });
        auto t0 = clock_type::now();
        for (int i = 0; i < round_trips; ++i) {
            self.send(echo, weft::term(std::int64_t(i)));
            (void)self.receive();
        }
        result.set_value(std::chrono::duration<double, std::nano>(clock_type::now() - t0).count() / round_trips);
    });
    double ns = result.get_future().get();
    rt.run_until_idle();
    return ns;
}

// Nanoseconds per message of a one-way stream of `n` messages to a stackless sink.
double stream(weft::runtime& rt, int n) {
    std::promise<void> all_in;
    auto t0 = clock_type::now();
    rt.spawn([&](weft::actor& self) {
        weft::pid sink = self.spawn(weft::stackless, [&all_in, n, got = 0](weft::actor& a) mutable {
            while (auto m = a.try_receive())
                if (++got == n) {
                    all_in.set_value();
                    return weft::step_result::done;
                }
            return weft::step_result::wait;
        });
        for (int i = 0; i < n; ++i) self.send(sink, weft::term(std::int64_t(i)));
    });
    all_in.get_future().get();
    double ns = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count() / n;
    rt.run_until_idle();
    return ns;
}

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int round_trips = argc > 1 ? std::atoi(argv[1]) : 200000;
    int stream_messages = argc > 2 ? std::atoi(argv[2]) : 10'000'000;
    constexpr int rounds = 5;
    std::vector<double> off, bounded, all;
    for (int r = 0; r < rounds; ++r) {
        {
            weft::runtime rt(weft::runtime_options{.threads = 2});
            off.push_back(ping_pong(rt, round_trips));
        }
        {
            weft::runtime rt(weft::runtime_options{.threads = 2});
            rt.trace().start({});
            bounded.push_back(ping_pong(rt, round_trips));
            (void)rt.trace().stop();
        }
        {
            weft::runtime rt(weft::runtime_options{.threads = 2});
            weft::trace_options o;
            o.max_events = std::size_t(round_trips) * 4 + 100;
            o.events_per_second = ~std::uint64_t{0} / 4;
            rt.trace().start(o);
            all.push_back(ping_pong(rt, round_trips));
            weft::trace_result t = rt.trace().stop();
            if (r == 0) std::printf("RESULT trace_all_events %zu events\n", t.events.size());
        }
    }
    std::printf("RESULT round_trip_trace_off %.0f ns\n", median_of(off));
    std::printf("RESULT round_trip_trace_bounded_1000 %.0f ns\n", median_of(bounded));
    std::printf("RESULT round_trip_trace_every_event %.0f ns\n", median_of(all));

    std::vector<double> s_off, s_bounded, s_rate;
    std::uint64_t kept = 0, dropped_by_rate = 0;
    for (int r = 0; r < 3; ++r) {
        {
            weft::runtime rt(weft::runtime_options{.threads = 2});
            s_off.push_back(stream(rt, stream_messages));
        }
        {
            weft::runtime rt(weft::runtime_options{.threads = 2});
            rt.trace().start({});
            s_bounded.push_back(stream(rt, stream_messages));
            (void)rt.trace().stop();
        }
        {
            weft::runtime rt(weft::runtime_options{.threads = 2});
            weft::trace_options o;
            o.max_events = std::size_t(stream_messages);
            rt.trace().start(o);
            s_rate.push_back(stream(rt, stream_messages));
            weft::trace_result t = rt.trace().stop();
            kept = t.events.size(), dropped_by_rate = t.dropped_by_rate;
        }
    }
    std::printf("RESULT stream_messages %d messages\n", stream_messages);
    std::printf("RESULT stream_trace_off %.1f ns\n", median_of(s_off));
    std::printf("RESULT stream_trace_bounded_1000 %.1f ns\n", median_of(s_bounded));
    std::printf("RESULT stream_trace_rate_limited %.1f ns\n", median_of(s_rate));
    std::printf("RESULT stream_trace_rate_limited_kept %llu events\n", (unsigned long long)kept);
    std::printf("RESULT stream_trace_rate_limited_dropped %llu events\n", (unsigned long long)dropped_by_rate);
    std::printf("RESULT stream_bounded_over_off %.2f x\n", median_of(s_bounded) / median_of(s_off));
    std::printf("RESULT stream_rate_limited_over_off %.2f x\n", median_of(s_rate) / median_of(s_off));
    return 0;
}
