// sched_bench.cpp: the scheduler's fairness and wake-up figures, for bench/run.sh.
//
// Three workloads, each printing `RESULT <key> <value> <unit>` lines (the
// one-way stream's Erlang peer is weft_peer's `small`, run by bench/run.sh):
//  - ticker: with 2 threads, a native actor busy for 3 s in a loop that never
//    yields, beside a ticker actor that sleeps 100 ms per tick (the runaway
//    spawns it, so both start on one worker). The figure is the worst gap
//    between ticks past the 100 ms, for a blocking and a stackless ticker.
//  - wake: a thread outside the runtime sends a time-stamped message to a
//    parked actor (a blocking one, then a stackless one) every millisecond, so
//    the workers are asleep each time; the actor notes how long the message
//    took to reach it. Median and 99th percentile, in microseconds.
//  - stream: a blocking producer sends 1,000,000 small tuples one way to a
//    counter actor (blocking and stackless), with 1 thread and with 2.
// Usage: sched_bench [ticker] [wake] [stream]; none runs all. Uses only the
// public runtime API, so the same file builds against older trees.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"

using namespace std::chrono_literals;
using weft::actor;
using weft::pid;
using weft::runtime;
using weft::stackless;
using weft::step_result;
using weft::term;

namespace {

using clock_type = std::chrono::steady_clock;

void result(const char* key, double value, const char* unit) {
    std::printf("RESULT %s %.2f %s\n", key, value, unit);
    std::fflush(stdout);
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}

// ---- ticker beside a runaway ----

// Returns the worst gap between ticks (ms) while the runaway ran, minus the
// 100 ms the ticker sleeps. The ticker notes every time it runs; the
// runaway's start counts as the first note, so a ticker that cannot run at all
// shows the whole 3 s.
double starving_ticker(bool blocking_ticker) {
    constexpr auto busy_for = 3s;
    constexpr auto tick = 100ms;
    runtime rt({.threads = 2});
    // Lets the fresh workers fall asleep: only the scheduler's own wake-ups can
    // then bring the idle one to the ticker.
    std::this_thread::sleep_for(50ms);
    std::atomic<bool> runaway_done{false};
    std::vector<std::int64_t> ticks;  // the runaway's start, then the ticker's runs
    std::latch ended(2);
    rt.spawn([&](actor& self) {
        ticks.push_back(now_ns());  // before the ticker exists: no race
        if (blocking_ticker)
            self.spawn([&](actor& ticker) {
                for (;;) {
                    ticks.push_back(now_ns());
                    if (runaway_done.load(std::memory_order_acquire)) break;
                    ticker.receive(tick);
                }
                ended.count_down();
            });
        else
            self.spawn(stackless, [&](actor& ticker) {
                ticks.push_back(now_ns());
                if (runaway_done.load(std::memory_order_acquire)) {
                    ended.count_down();
                    return step_result::done;
                }
                return ticker.wait_for(tick);
            });
        // A long operation that never yields: no receive, no send.
        auto until = clock_type::now() + busy_for;
        volatile std::uint64_t spin = 0;
        while (clock_type::now() < until) spin = spin + 1;
        runaway_done.store(true, std::memory_order_release);
        ended.count_down();
    });
    ended.wait();
    rt.run_until_idle();
    std::int64_t worst = 0;
    for (std::size_t i = 1; i < ticks.size(); ++i) worst = std::max(worst, ticks[i] - ticks[i - 1]);
    double excess_ms = double(worst) / 1e6 - double(tick.count());
    std::fprintf(stderr, "ticker (%s): ran %zu times in %.0f s, worst gap %.1f ms\n",
                 blocking_ticker ? "blocking" : "stackless", ticks.size() - 1,
                 std::chrono::duration<double>(busy_for).count(), double(worst) / 1e6);
    return std::max(0.0, excess_ms);
}

// ---- wake-up latency from a foreign thread ----

struct latency_figures {
    double median_us, p99_us;
};

latency_figures wake_latency(bool blocking) {
    constexpr int samples = 2000;
    runtime rt({.threads = 2});
    std::vector<std::int64_t> lat;  // written by the actor only
    lat.reserve(samples);
    std::atomic<int> seen{0};
    auto note = [&](const weft::message& m) {
        lat.push_back(now_ns() - m.view().as_int());
        seen.fetch_add(1, std::memory_order_release);
    };
    pid p = blocking ? rt.spawn([&](actor& self) {
        for (int i = 0; i < samples; ++i) note(self.receive());
    })
                     : rt.spawn(stackless, [&](actor& self) {
                           while (auto m = self.try_receive()) {
                               note(*m);
                               if (seen.load(std::memory_order_relaxed) == samples) return step_result::done;
                           }
                           return step_result::wait;
                       });
    for (int i = 0; i < samples; ++i) {
        // Let the actor park and the workers fall asleep before the next one.
        while (seen.load(std::memory_order_acquire) < i) std::this_thread::yield();
        std::this_thread::sleep_for(1ms);
        rt.send(p, term(now_ns()));
    }
    rt.run_until_idle();
    std::sort(lat.begin(), lat.end());
    return {double(lat[lat.size() / 2]) / 1e3, double(lat[lat.size() * 99 / 100]) / 1e3};
}

// ---- one-way stream ----

double one_way_stream(bool blocking_counter, unsigned threads, int n) {
    runtime rt({.threads = threads});
    std::latch done(1);
    pid counter = blocking_counter ? rt.spawn([&, n](actor& self) {
        for (int i = 0; i < n; ++i) self.receive();
        done.count_down();
    })
                                   : rt.spawn(stackless, [&, n, count = 0](actor& self) mutable {
                                         while (self.try_receive())
                                             if (++count == n) {
                                                 done.count_down();
                                                 return step_result::done;
                                             }
                                         return step_result::wait;
                                     });
    auto start = clock_type::now();
    rt.spawn([counter, n](actor& self) {
        for (int i = 0; i < n; ++i) self.send(counter, weft::tuple_of("small", i));
    });
    done.wait();
    double rate = n / std::chrono::duration<double>(clock_type::now() - start).count();
    rt.run_until_idle();
    return rate;
}

bool wanted(int argc, char** argv, const char* name) {
    if (argc < 2) return true;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    if (wanted(argc, argv, "ticker")) {
        result("sched.ticker_blocking_worst_excess_ms", starving_ticker(true), "ms");
        result("sched.ticker_stackless_worst_excess_ms", starving_ticker(false), "ms");
    }
    if (wanted(argc, argv, "wake")) {
        for (bool blocking : {true, false}) {
            latency_figures f = wake_latency(blocking);
            const char* kind = blocking ? "blocking" : "stackless";
            std::string base = std::string("sched.wake_") + kind;
            result((base + "_median_us").c_str(), f.median_us, "us");
            result((base + "_p99_us").c_str(), f.p99_us, "us");
        }
    }
    if (wanted(argc, argv, "stream")) {
        constexpr int n = 1'000'000;
        for (bool blocking : {false, true}) {
            const char* kind = blocking ? "blocking" : "stackless";
            for (unsigned t : {1u, 2u}) {
                std::string key = std::string("sched.stream_") + kind + "_t" + std::to_string(t) + "_msgs_per_s";
                result(key.c_str(), one_way_stream(blocking, t, n), "msgs/s");
            }
        }
    }
    return 0;
}
