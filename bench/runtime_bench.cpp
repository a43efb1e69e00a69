// runtime_bench.cpp: the native runtime's figures, for bench/run.sh to compare.
//
// Runs each workload for both kinds of native actor (stackless and blocking) and
// prints one line per figure: `RESULT <key> <value> <unit>`. The same workloads
// in Erlang live in bench/erlang/weft_peer.erl. Usage: runtime_bench [workload...]
// (pingpong pairs ring ring_all spawn binary list small) and optionally a kind
// (stackless or blocking); no argument runs everything.
// Sizes follow the issue: ring 10,000 actors x 1,000 laps, 1,000,000 spawns.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <latch>
#include <string>
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

double seconds(clock_type::time_point since) {
    return std::chrono::duration<double>(clock_type::now() - since).count();
}

void result(const char* kind, const char* key, double value, const char* unit) {
    std::printf("RESULT %s.%s %.0f %s\n", kind, key, value, unit);
    std::fflush(stdout);
}

long resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

// ---- ping-pong: ("ping", from, n) -> ("pong", n) ----

bool is_stop(const weft::term_view& v) { return v.kind() == weft::term_kind::str; }

pid spawn_ponger(runtime& rt, bool blocking) {
    if (blocking)
        return rt.spawn([](actor& self) {
            for (;;) {
                weft::message m = self.receive();
                auto v = m.view();
                if (is_stop(v)) return;
                self.send(v[1].as_pid(), weft::tuple_of("pong", v[2].as_int()));
            }
        });
    return rt.spawn(stackless, [](actor& self) {
        while (auto m = self.try_receive()) {
            auto v = m->view();
            if (is_stop(v)) return step_result::done;
            self.send(v[1].as_pid(), weft::tuple_of("pong", v[2].as_int()));
        }
        return step_result::wait;
    });
}

void spawn_pinger(runtime& rt, bool blocking, pid ponger, int rounds, std::latch& done) {
    auto ping = [ponger](actor& self, int n) {
        self.send(ponger, weft::tuple_of("ping", self.self(), n));
    };
    if (blocking) {
        rt.spawn([=, &done](actor& self) {
            for (int i = 0; i < rounds; ++i) {
                ping(self, i);
                self.receive();
            }
            self.send(ponger, term::str("stop"));
            done.count_down();
        });
        return;
    }
    rt.spawn(stackless, [=, &done, count = -1](actor& self) mutable {
        if (count < 0) {
            count = 0;
            ping(self, 0);
        }
        while (self.try_receive()) {
            if (++count == rounds) {
                self.send(ponger, term::str("stop"));
                done.count_down();
                return step_result::done;
            }
            ping(self, count);
        }
        return step_result::wait;
    });
}

double pingpong(bool blocking, unsigned threads, int pairs, int rounds) {
    runtime rt({.threads = threads});
    std::latch done(pairs);
    auto start = clock_type::now();
    for (int p = 0; p < pairs; ++p) spawn_pinger(rt, blocking, spawn_ponger(rt, blocking), rounds, done);
    done.wait();
    double rate = double(pairs) * rounds / seconds(start);
    rt.run_until_idle();
    return rate;
}

// ---- ring: a token passed around `size` actors for `laps` laps ----

// A member forwards each token to `next`; a negative token ends it on the way.
pid spawn_forwarder(runtime& rt, bool blocking, pid next) {
    if (blocking)
        return rt.spawn([next](actor& self) {
            for (;;) {
                std::int64_t token = self.receive().view().as_int();
                self.send(next, token);
                if (token < 0) return;
            }
        });
    return rt.spawn(stackless, [next](actor& self) {
        while (auto m = self.try_receive()) {
            std::int64_t token = m->view().as_int();
            self.send(next, token);
            if (token < 0) return step_result::done;
        }
        return step_result::wait;
    });
}

// The head builds the ring behind itself, starts the token and counts laps.
struct ring_head {
    runtime& rt;
    bool blocking;
    int size, laps;
    std::latch& done;
    clock_type::time_point& start;
    pid next{};
    int lap = 0;

    void build(actor& self) {
        next = self.self();
        for (int i = 0; i < size - 1; ++i) next = spawn_forwarder(rt, blocking, next);
        start = clock_type::now();
        self.send(next, 0);
    }
    // Handles the token coming back; true once the ending token has come round.
    bool token_back(actor& self, std::int64_t token) {
        if (token < 0) return true;
        if (++lap == laps) {
            done.count_down();
            self.send(next, -1);
        } else {
            self.send(next, lap);
        }
        return false;
    }
};

double ring(bool blocking, unsigned threads, int size, int laps) {
    runtime rt({.threads = threads});
    std::latch done(1);
    clock_type::time_point start;
    ring_head head{rt, blocking, size, laps, done, start};
    if (blocking)
        rt.spawn([&head](actor& self) {
            head.build(self);
            while (!head.token_back(self, self.receive().view().as_int())) {
            }
        });
    else
        rt.spawn(stackless, [&head, built = false](actor& self) mutable {
            if (!built) {
                head.build(self);
                built = true;
            }
            while (auto m = self.try_receive())
                if (head.token_back(self, m->view().as_int())) return step_result::done;
            return step_result::wait;
        });
    done.wait();
    double rate = double(size) * laps / seconds(start);
    rt.run_until_idle();
    return rate;
}

// ---- spawn: a million actors that wait for a message; memory per idle actor ----

void spawn_idle(bool blocking, int n) {
    runtime rt({.threads = 2, .max_actors = std::size_t(n) + 16});
    long before = resident_bytes();
    std::latch all_waiting(n);
    auto start = clock_type::now();
    rt.spawn([&, blocking, n](actor& self) {
        for (int i = 0; i < n; ++i) {
            if (blocking)
                self.spawn([&](actor& idle) {
                    all_waiting.count_down();
                    idle.receive();
                });
            else
                self.spawn(stackless, [&, started = false](actor&) mutable {
                    if (!started) all_waiting.count_down();
                    started = true;
                    return step_result::wait;
                });
        }
    });
    all_waiting.wait();
    double elapsed = seconds(start);
    long after = resident_bytes();
    const char* kind = blocking ? "blocking" : "stackless";
    result(kind, "spawn_per_s", n / elapsed, "spawns/s");
    result(kind, "idle_bytes", double(after - before) / n, "bytes");
    auto stop_start = clock_type::now();
    rt.stop();
    std::fprintf(stderr, "%s: spawned %d idle actors in %.2f s, stopped them in %.2f s\n", kind, n, elapsed,
                 seconds(stop_start));
}

// ---- big and small messages ----

// Sends `value` back and forth `sends` times between two actors; sends/s.
double back_and_forth(bool blocking, const term& value, int sends) {
    runtime rt({.threads = 1});
    std::latch done(1);
    // The echo sends each (from, value) straight back; ("...", "stop") ends it.
    pid echo = blocking ? rt.spawn([](actor& self) {
        for (;;) {
            weft::message m = self.receive();
            auto v = m.view();
            if (is_stop(v[1])) return;
            self.send(v[0].as_pid(), m.value());
        }
    })
                        : rt.spawn(stackless, [](actor& self) {
                              while (auto m = self.try_receive()) {
                                  auto v = m->view();
                                  if (is_stop(v[1])) return step_result::done;
                                  self.send(v[0].as_pid(), m->value());
                              }
                              return step_result::wait;
                          });
    auto start = clock_type::now();
    rt.spawn([&, echo, sends](actor& self) {
        term message = term::tuple({term(self.self()), value});
        for (int i = 0; i < sends / 2; ++i) {
            self.send(echo, message);
            message = self.receive().value();
        }
        self.send(echo, term::tuple({term(self.self()), term::str("stop")}));
        done.count_down();
    });
    done.wait();
    double rate = sends / seconds(start);
    rt.run_until_idle();
    return rate;
}

double one_way_small(bool blocking, int n) {
    runtime rt({.threads = 1});
    std::latch done(1);
    auto start = clock_type::now();
    pid sink = blocking ? rt.spawn([&, n](actor& self) {
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
    rt.spawn([sink, n](actor& self) {
        for (int i = 0; i < n; ++i) self.send(sink, term::tuple({term::str("data"), i}));
    });
    done.wait();
    double rate = n / seconds(start);
    rt.run_until_idle();
    return rate;
}

// Arguments name workloads and, optionally, one kind ("stackless" or "blocking").
bool wanted(int argc, char** argv, const char* name) {
    bool any_workload = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "stackless") == 0 || std::strcmp(argv[i], "blocking") == 0) continue;
        any_workload = true;
        if (std::strcmp(argv[i], name) == 0) return true;
    }
    return !any_workload;
}

bool kind_wanted(int argc, char** argv, const char* kind) {
    bool any_kind = false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "stackless") == 0 || std::strcmp(argv[i], "blocking") == 0) {
            any_kind = true;
            if (std::strcmp(argv[i], kind) == 0) return true;
        }
    return !any_kind;
}

}  // namespace

int main(int argc, char** argv) {
    for (bool blocking : {false, true}) {
        const char* kind = blocking ? "blocking" : "stackless";
        if (!kind_wanted(argc, argv, kind)) continue;
        if (wanted(argc, argv, "pingpong"))
            result(kind, "pingpong_rt_per_s", pingpong(blocking, 1, 1, 2'000'000), "rt/s");
        if (wanted(argc, argv, "pairs"))
            result(kind, "pingpong_pairs_rt_per_s", pingpong(blocking, 2, 2, 1'000'000), "rt/s");
        if (wanted(argc, argv, "ring")) result(kind, "ring_hops_per_s", ring(blocking, 1, 10'000, 1'000), "hops/s");
        if (wanted(argc, argv, "ring_all"))
            result(kind, "ring_hops_per_s_all", ring(blocking, 2, 10'000, 1'000), "hops/s");
        if (wanted(argc, argv, "spawn")) spawn_idle(blocking, 1'000'000);
        if (wanted(argc, argv, "binary")) {
            // The same round trip with a 1 MiB binary and with a small tuple: a
            // shared binary should cost what the small message costs.
            term mib = term::bytes(std::string(1 << 20, 'b'));
            result(kind, "binary_1mib_sends_per_s", back_and_forth(blocking, mib, 100'000), "msgs/s");
            result(kind, "small_back_and_forth_sends_per_s",
                   back_and_forth(blocking, term::tuple({1, 2}), 100'000), "msgs/s");
        }
        if (wanted(argc, argv, "list")) {
            std::vector<term> ints;
            for (int i = 0; i < 10'000; ++i) ints.emplace_back(i);
            result(kind, "list_10k_sends_per_s", back_and_forth(blocking, term::list(std::move(ints)), 10'000),
                   "msgs/s");
        }
        if (wanted(argc, argv, "small")) result(kind, "small_sends_per_s", one_way_small(blocking, 1'000'000), "msgs/s");
    }
    return 0;
}
