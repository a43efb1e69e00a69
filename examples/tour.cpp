// tour.cpp: a short tour of the Weft runtime with native C++ actors.
//
// `make run` runs it: a ping-pong pair, a ring of 10,000 actors, a supervisor
// that watches a crashing worker, and a 1 MiB binary passed by reference, each
// printing what it did and how fast. Figures vary with the machine and its load.
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"

using namespace std::chrono_literals;
using weft::actor;
using weft::message;
using weft::pid;
using weft::step_result;
using weft::term;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void pingpong(weft::runtime& rt, int rounds) {
    pid ponger = rt.spawn(weft::stackless, [](actor& self) {
        while (auto m = self.receive(0ms)) {
            auto v = m->view();
            if (v.kind() == weft::term_kind::str) return step_result::done;  // "stop"
            self.send(v[1].as_pid(), weft::tuple_of("pong", v[2].as_int()));
        }
        return step_result::wait;
    });
    std::promise<double> elapsed;
    rt.spawn([&](actor& self) {
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < rounds; ++i) {
            self.send(ponger, weft::tuple_of("ping", self.self(), i));
            self.receive();
        }
        elapsed.set_value(seconds_since(start));
        self.send(ponger, term::str("stop"));
    });
    double s = elapsed.get_future().get();
    std::printf("ping-pong: %d round trips between a blocking and a stackless actor: %.0f round trips/s\n",
                rounds, rounds / s);
    rt.run_until_idle();
}

void ring(weft::runtime& rt, int size, int laps) {
    std::promise<double> elapsed;
    rt.spawn([&](actor& self) {
        // Each member forwards the token to the next; the last one hands it back to us.
        pid next = self.self();
        for (int i = 0; i < size - 1; ++i)
            next = self.spawn(weft::stackless, [next](actor& member) {
                while (auto m = member.receive(0ms)) {
                    std::int64_t hops = m->view().as_int();
                    member.send(next, hops);
                    if (hops < 0) return step_result::done;
                }
                return step_result::wait;
            });
        auto start = std::chrono::steady_clock::now();
        for (int lap = 0; lap < laps; ++lap) {
            self.send(next, lap);
            self.receive();
        }
        elapsed.set_value(seconds_since(start));
        self.send(next, -1);  // ends every member
        self.receive();
    });
    double s = elapsed.get_future().get();
    std::printf("ring: %d actors, %d laps: %.0f hops/s\n", size, laps, double(size) * laps / s);
    rt.run_until_idle();
}

void supervision(weft::runtime& rt) {
    std::promise<std::string> report;
    rt.spawn([&](actor& self) {
        self.trap_exits(true);
        pid worker = self.spawn_link([](actor& w) {
            auto job = w.receive();
            if (job.view().as_int() == 0) throw std::domain_error("division by zero in job");
        });
        self.send(worker, 0);
        message exit = self.receive();  // ("EXIT", worker, reason)
        report.set_value(exit.value().elements()[2].repr());
    });
    std::printf("supervision: a linked worker failed; the supervisor trapped its exit, reason %s\n",
                report.get_future().get().c_str());
    rt.run_until_idle();
}

void big_binary(weft::runtime& rt, int sends) {
    term payload = term::bytes(std::string(1 << 20, 'w'));
    std::promise<double> elapsed;
    pid sink = rt.spawn(weft::stackless, [sends, count = 0](actor& self) mutable {
        while (self.receive(0ms))
            if (++count == sends) return step_result::done;
        return step_result::wait;
    });
    rt.spawn([&](actor& self) {
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < sends; ++i) self.send(sink, payload);
        elapsed.set_value(seconds_since(start));
    });
    double s = elapsed.get_future().get();
    rt.run_until_idle();
    std::printf("binaries: sent a 1 MiB binary %d times by reference: %.0f sends/s (%.1f GiB/s of payload)\n", sends,
                sends / s, sends / s / 1024.0);
}

}  // namespace

int main() {
    weft::runtime rt;
    std::printf("weft: a runtime with %u worker threads\n", rt.sched().thread_count());
    pingpong(rt, 200000);
    ring(rt, 10000, 100);
    supervision(rt);
    big_binary(rt, 100000);
    rt.stop();
    return 0;
}
