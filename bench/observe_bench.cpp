// observe_bench.cpp: what one observer sample costs (docs/observer.md):
// the time to take a sample (walk every actor: runtime::processes() and
// runtime::info()), to write it as JSON (all rows, and the top 1000 that the
// web observer sends), and the JSON's size, with 10,000
// and 100,000 idle actors (stackless, each waiting for a message, a few
// registered), and the cost of runtime::stats() alone (the header figures).
// Figures are printed as `RESULT <key> <value> <unit>` lines, never asserted.
//
//     bench/observe_bench [actors...]      (default: 10000 100000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"
#include "tools/observe/snapshot.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

void measure(std::size_t n) {
    weft::runtime rt(weft::runtime_options{.threads = 2});
    for (std::size_t i = 0; i < n; ++i) {
        weft::pid p = rt.spawn(weft::stackless, [](weft::actor& a) {
            return a.try_receive() ? weft::step_result::done : weft::step_result::wait;
        });
        if (i < 100) rt.register_name("worker_" + std::to_string(i), p);
    }
    weft::tools::observe::sampler s(rt);
    (void)s.take();  // warm: the first builds the reductions map
    constexpr int rounds = 5;
    std::vector<double> take_ms, json_ms;
    std::size_t json_bytes = 0, json_bytes_1000 = 0;
    for (int r = 0; r < rounds; ++r) {
        auto t0 = clock_type::now();
        weft::tools::observe::sample x = s.take();
        take_ms.push_back(ms_since(t0));
        auto t1 = clock_type::now();
        std::string json = weft::tools::observe::to_json(x);
        json_ms.push_back(ms_since(t1));
        json_bytes = json.size();
    }
    weft::tools::observe::sample limited = s.take({.sort = weft::tools::observe::sort_key::reductions, .limit = 1000});
    auto t_json = clock_type::now();
    json_bytes_1000 = weft::tools::observe::to_json(limited).size();
    double json_1000_ms = ms_since(t_json);
    auto t2 = clock_type::now();
    constexpr int stats_rounds = 1000;
    for (int r = 0; r < stats_rounds; ++r) (void)rt.stats();
    double stats_us = ms_since(t2) * 1000.0 / stats_rounds;
    std::sort(take_ms.begin(), take_ms.end());
    std::sort(json_ms.begin(), json_ms.end());
    std::printf("RESULT observe.sample_ms.%zu %.2f ms\n", n, take_ms[rounds / 2]);
    std::printf("RESULT observe.json_ms.%zu %.2f ms\n", n, json_ms[rounds / 2]);
    std::printf("RESULT observe.json_bytes.%zu %zu bytes\n", n, json_bytes);
    std::printf("RESULT observe.json_bytes_top1000.%zu %zu bytes\n", n, json_bytes_1000);
    std::printf("RESULT observe.json_ms_top1000.%zu %.2f ms\n", n, json_1000_ms);
    std::printf("RESULT observe.stats_us.%zu %.2f us\n", n, stats_us);
    for (std::size_t i = 0; i < 100; ++i) rt.send(std::string_view("worker_" + std::to_string(i)), weft::term(0));
    rt.stop();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::size_t(std::strtoull(argv[i], nullptr, 10)));
    if (sizes.empty()) sizes = {10'000, 100'000};
    for (std::size_t n : sizes) measure(n);
    return 0;
}
