// commands.hpp: the subcommands of `weft`. Each one registers its options on
// the CLI11 app (add_*) and runs after parsing when it was chosen (run_*),
// returning the process's exit status (exit_status.hpp).
//
// Only commands that work are registered.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "actors/trace.hpp"

#include "tools/session.hpp"

namespace CLI {
class App;
}

namespace weft::tools {

// `weft check FILE...`: compiles each file without running it (check_command.cpp).
struct check_options {
    std::vector<std::string> files;
    bool verbose = false;
};
CLI::App* add_check_command(CLI::App& app, check_options& options);
int run_check(const check_options& options);

// `weft run [flags] FILE [ARGS...]` (run_command.cpp; the flags: session.hpp).
struct run_options {
    std::string file;
    std::vector<std::string> args;
    runtime_flags flags;
    std::string seed;  // --seed N, or empty
    bool deterministic = false;  // --deterministic: one thread, seeded choices, virtual time
    bool deadlock_check = true;  // off with --no-deadlock-check
    // For commands built on run (weft trace): called once the runtime is
    // up, before main starts, and once main has ended, before the other
    // actors are stopped.
    std::function<void(runtime&)> started;
    std::function<void(runtime&)> ending;
};
CLI::App* add_run_command(CLI::App& app, run_options& options);
// --seed and --deterministic, for run and for the commands built on it.
void add_seed_flags(CLI::App& command, run_options& options);
int run_run(const run_options& options);

// `weft node --name NAME@HOST:PORT [flags] FILE` (node_command.cpp).
struct node_options {
    std::string file;
    runtime_flags flags;
};
CLI::App* add_node_command(CLI::App& app, node_options& options);
int run_node(const node_options& options);

// `weft repl [flags] [--remote NODE]` (repl_command.cpp), also `weft` alone
// on a terminal.
struct repl_options {
    runtime_flags flags;
    std::string remote;  // NAME@HOST:PORT: the shell runs on that node
};
CLI::App* add_repl_command(CLI::App& app, repl_options& options);
int run_repl(const repl_options& options);

// `weft trace [options] FILE [ARGS...]`: runs the program traced and writes
// the trace (trace_command.cpp).
struct trace_command_options {
    run_options run;
    std::vector<std::string> pids;       // --pid <0.S.0>
    std::vector<std::string> functions;  // --function NAME
    std::size_t max_events = 1000;
    std::string format;                  // svg, mermaid, jsonl or png; empty: png for -o X.png, else svg
    std::string output;                  // -o FILE; default PROG.trace.svg (.mmd, .jsonl, .png)
};
CLI::App* add_trace_command(CLI::App& app, trace_command_options& options);
int run_trace(trace_command_options& options);

// `weft test [--explore K] FILE [ARGS...]` (test_command.cpp): K seeded,
// deterministic runs in parallel processes; the first that fails or differs.
struct test_options {
    std::string file;
    std::vector<std::string> args;
    std::uint64_t explore = 100;
    std::uint64_t first_seed = 1;
    unsigned jobs = 0;  // 0: one per core
    unsigned timeout_s = 60;
};
CLI::App* add_test_command(CLI::App& app, test_options& options);
int run_test(const test_options& options);

// `weft top [NODE]` (top_command.cpp).
struct top_options {
    std::string node;  // "": this process's own runtime
    bool once = false;
    bool json = false;
    std::string sort = "reductions";
    std::size_t limit = 0;
    std::string cookie_file;
    unsigned timeout_ms = 5000;
};
CLI::App* add_top_command(CLI::App& app, top_options& options);
int run_top(const top_options& options);

// The check of one source text, compiled with its imports as `weft run`
// would and not run: "" when it compiles, else the report LANGUAGE.md
// specifies (`FILE:LINE:COL: message`, the line, a caret; ends with a
// newline). Works on a thread with a big stack (big_stack.hpp).
std::string check_source(const std::string& text, const std::string& file);

}  // namespace weft::tools
