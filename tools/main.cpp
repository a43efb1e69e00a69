// main.cpp: the `weft` command line tool.
//
//   weft --help | --version
//   weft check [-v] FILE...      syntax check (check_command.cpp)
//   weft run FILE [ARGS...]      run a program (run_command.cpp)
//   weft FILE [ARGS...]          the same, for a FILE ending in .weft or that exists
//   weft node --name N FILE      serve a program as a node of a cluster (node_command.cpp)
//   weft repl                    the interactive shell (repl_command.cpp); also `weft`
//                                alone when stdin is a terminal
//   weft top [NODE]              watch a node's actors (top_command.cpp)
//   weft trace FILE [ARGS...]    run a program traced, draw its messages (trace_command.cpp)
//   weft test --explore K FILE   run it under K seeds; the first that fails (test_command.cpp)
//
// Subcommands register themselves (commands.hpp); only working ones exist.
// Every command line error exits with status 2, never CLI11's own codes
// (100-127), so scripts see one convention (exit_status.hpp).
#include <CLI/CLI.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <exception>
#include <filesystem>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "tools/commands.hpp"
#include "tools/exit_status.hpp"

#ifndef WEFT_VERSION
#error "WEFT_VERSION must come from the CMake project version (tools/CMakeLists.txt)"
#endif

namespace {

constexpr const char* description =
    "weft: the Weft script tool. Weft programs read like Python and behave like\n"
    "Erlang: share-nothing actors, copied messages, selective receive, links,\n"
    "monitors. Language reference: docs/language.md.\n";

constexpr const char* footer =
    "`weft run prog.weft a b` (or `weft prog.weft a b`) calls main([\"a\", \"b\"]) in\n"
    "the first actor, on one thread per core (`weft run --threads N` to choose).\n"
    "`--name a@127.0.0.1:7001` makes it a node of a cluster; `weft node --name\n"
    "b@127.0.0.1:0 prog.weft` serves a program's functions to other nodes;\n"
    "`weft top b@127.0.0.1:7002` watches its actors live.\n"
    "`weft repl` (or `weft` alone on a terminal) opens the interactive shell.\n"
    "`weft trace prog.weft` runs it traced and draws its messages in prog.trace.svg.\n"
    "`weft run --deterministic --seed N prog.weft` repeats a run exactly; `weft test\n"
    "--explore 1000 prog.weft` tries 1,000 seeds and names the first that fails.\n"
    "\n"
    "Exit status: 0 success; 1 the program raised an exception; 2 syntax error,\n"
    "unreadable file or bad command line; 130 and 143 stopped by SIGINT and SIGTERM.\n"
    "Run `weft COMMAND --help` for a command's options.";

// What to say when the command line names no command we have: `weft`,
// `weft frob`, or `weft node` before the cluster exists.
std::string no_command_message(const char* first_arg) {
    std::string out;
    const std::string word = first_arg != nullptr ? first_arg : "";
    if (word.empty()) {
        out = "weft: a command is required (commands: check, run, node, repl, top, trace, test)\n";
    } else if (word[0] == '-') {
        out = "weft: unknown option '" + word + "'\n";
    } else {
        out = "weft: unknown command '" + word + "' (commands: check, run, node, repl, top, trace, test)\n";
    }
    return out + "Run 'weft --help' for usage.\n";
}

// `weft prog.weft a b` is `weft run prog.weft a b`: a first word that is no
// command and no option, but a program (its name ends in .weft, or it exists).
bool names_a_program(const char* word) {
    std::string w = word;
    if (w.empty() || w[0] == '-' || w == "check" || w == "run" || w == "node" || w == "repl" || w == "top" ||
        w == "trace" || w == "test")
        return false;
    std::error_code ec;
    return w.ends_with(".weft") || std::filesystem::is_regular_file(w, ec);
}

int run(int argc, char** argv) {
    using namespace weft::tools;
    std::vector<char*> args(argv, argv + argc);
    static char run_word[] = "run";
    static char repl_word[] = "repl";
    if (argc > 1 && names_a_program(argv[1])) args.insert(args.begin() + 1, run_word);
    // `weft` alone on a terminal is the shell, as `python3` and `erl` are; on
    // a pipe it stays an error (a script that forgot its command).
    if (argc == 1 && ::isatty(STDIN_FILENO)) args.push_back(repl_word);
    argc = int(args.size());
    argv = args.data();
    CLI::App app{description, "weft"};
    app.set_version_flag("--version", "weft " WEFT_VERSION, "Print the version and exit");
    app.require_subcommand(1);
    app.footer(footer);
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return "weft: " + std::string(e.what()) + "\nRun 'weft --help' for usage.\n";
    });

    check_options check;
    CLI::App* check_cmd = add_check_command(app, check);
    run_options run_opts;
    CLI::App* run_cmd = add_run_command(app, run_opts);
    node_options node_opts;
    CLI::App* node_cmd = add_node_command(app, node_opts);
    repl_options repl_opts;
    CLI::App* repl_cmd = add_repl_command(app, repl_opts);
    top_options top_opts;
    CLI::App* top_cmd = add_top_command(app, top_opts);
    trace_command_options trace_opts;
    CLI::App* trace_cmd = add_trace_command(app, trace_opts);
    test_options test_opts;
    CLI::App* test_cmd = add_test_command(app, test_opts);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (app.get_subcommands().empty() && e.get_exit_code() != 0) {
            // CLI11 would say "A subcommand is required" for `weft frob` too.
            std::cerr << no_command_message(argc > 1 ? argv[1] : nullptr);
            return exit_usage;
        }
        // --help and --version arrive here too, as successes (status 0).
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    if (check_cmd->parsed()) return run_check(check);
    if (run_cmd->parsed()) return run_run(run_opts);
    if (node_cmd->parsed()) return run_node(node_opts);
    if (repl_cmd->parsed()) return run_repl(repl_opts);
    if (top_cmd->parsed()) return run_top(top_opts);
    if (trace_cmd->parsed()) return run_trace(trace_opts);
    if (test_cmd->parsed()) return run_test(test_opts);
    return exit_usage;  // unreachable: require_subcommand(1)
}

}  // namespace

int main(int argc, char** argv) {
    // As CPython: a write to a pipe whose reader is gone (a child that does
    // not read its input, `weft run prog | head`) fails with EPIPE instead
    // of ending the process. Children get the default back (io/process.cpp).
    std::signal(SIGPIPE, SIG_IGN);
    // As Go and the JVM do: a server of many clients (10,000 sockets) should
    // not need `ulimit -n`, so the soft limit on descriptors goes up to the
    // hard one. Past it, the actor that opens one more gets [Errno 24].
    if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc&) {
        std::cerr << "weft: out of memory\n";
    } catch (const std::exception& e) {
        std::cerr << "weft: internal error: " << e.what() << '\n';
    }
    return weft::tools::exit_failure;
}
