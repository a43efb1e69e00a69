// trace_bench.cpp: what the message tracer (actors/trace.hpp) costs a
// ping-pong of two native actors: with tracing off (its one relaxed load per
// send and receive), with a trace that fills its default bound of 1,000
// events early and turns itself off, and with every event kept (no bound, no
// rate limit worth the name: the cost when on). Figures are printed as
// `RESULT <key> <value> <unit>` lines, never asserted.
//
//     bench/trace_bench [round_trips]      (default: 200000)
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

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int round_trips = argc > 1 ? std::atoi(argv[1]) : 200000;
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
    return 0;
}
