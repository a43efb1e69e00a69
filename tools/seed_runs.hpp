// seed_runs.hpp: runs one program under many seeds, in parallel child
// processes, for `weft test --explore` (test_command.cpp).
//
// Each run is `weft run --deterministic --seed N FILE ARGS...` started from
// this very binary, with stdin from /dev/null and its stdout and stderr
// captured whole. Runs are started in seed order, at most `jobs` at a time;
// a run that outlives `timeout` is killed and says so. It never runs a shell
// and never leaves a child behind: every child is reaped before run() returns.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace weft::tools {

// What one seed's run did.
struct seed_run {
    std::uint64_t seed = 0;
    int status = 0;            // the exit status; 128 + signal when one ended it
    bool timed_out = false;    // killed after the timeout
    std::string out, err;      // everything it wrote
};

struct seed_run_plan {
    std::string weft;                // this binary (/proc/self/exe)
    std::string file;                // the program
    std::vector<std::string> args;   // its arguments
    std::uint64_t first_seed = 1;
    std::uint64_t count = 1;
    unsigned jobs = 1;               // runs at once
    std::chrono::seconds timeout{60};
    // Called in seed order as runs end (a run waits for every lower seed's);
    // returning false starts no further run (the ones running are finished).
    std::function<bool(const seed_run&)> on_result;
};

// Runs the plan; the runs in seed order. Throws std::runtime_error when a
// child cannot be started (no such binary, out of processes).
std::vector<seed_run> run_seeds(const seed_run_plan& plan);

}  // namespace weft::tools
