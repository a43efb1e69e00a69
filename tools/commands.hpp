// commands.hpp: the subcommands of `weft`. Each one registers its options on
// the CLI11 app (add_*) and runs after parsing when it was chosen (run_*),
// returning the process's exit status (exit_status.hpp).
//
// Only commands that work are registered: `node` and `repl` join when the
// cluster and script actors exist (DESIGN.md, "tools/").
#pragma once
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace weft::tools {

// `weft check FILE...`: syntax-checks each file (check_command.cpp).
struct check_options {
    std::vector<std::string> files;
    bool verbose = false;
};
CLI::App* add_check_command(CLI::App& app, check_options& options);
int run_check(const check_options& options);

// `weft run [--threads N] [--max-heap SIZE] [--max-mailbox N] [--max-actors N]
// FILE [ARGS...]` (run_command.cpp).
struct run_options {
    std::string file;
    std::vector<std::string> args;
    unsigned threads = 0;  // 0: one per core
    std::string max_heap = "1G";   // per script actor; "0": no limit
    std::size_t max_mailbox = 0;   // 0: no limit
    std::size_t max_actors = std::size_t{1} << 22;
};
CLI::App* add_run_command(CLI::App& app, run_options& options);
int run_run(const run_options& options);

// The syntax check of one source text: "" when it parses, else the report
// LANGUAGE.md specifies (`FILE:LINE:COL: message`, the line, a caret; ends
// with a newline). Parses on a thread with a big stack (big_stack.hpp).
std::string check_source(const std::string& text, const std::string& file);

}  // namespace weft::tools
