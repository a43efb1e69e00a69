// repl_command.cpp: `weft repl [flags]` (and `weft` alone on a terminal):
// the interactive shell on this process's terminal or pipe
// (repl_front_end.hpp does the work), or with --remote on another node
// (repl_remote.hpp).
//
// It must never start a thread before Ctrl-C is blocked (run_repl): only
// the thread that reads the terminal may take it.
//
// Exit status: 0 at the end of the input (Ctrl-D on an empty line), the
// code of sys.exit(code), 2 for bad options or a node that cannot start.
#include <CLI/CLI.hpp>
#include <pthread.h>
#include <unistd.h>

#include <csignal>

#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/repl_front_end.hpp"
#include "tools/repl_remote.hpp"
#include "tools/repl_terminal.hpp"
#include "tools/session.hpp"

namespace weft::tools {

CLI::App* add_repl_command(CLI::App& app, repl_options& options) {
    CLI::App* repl = app.add_subcommand("repl", "An interactive shell: expressions, definitions, spawn, send and receive");
    add_runtime_flags(*repl, options.flags, false);
    repl->add_option("--remote", options.remote,
                     "Open the shell on a running node, NAME@HOST:PORT (started by `weft node`), as erl -remsh");
    return repl;
}

namespace {

using interp::load_error;

int shell_main(const repl_options& options, bool terminal, const sigset_t* unblock) {
    console out;
    console_output sink(out);
    std::unique_ptr<shell_instance> shell;
    try {
        shell = std::make_unique<shell_instance>(sink, [&out](std::string_view text, bool flush) { out.write(text, flush); });
    } catch (const load_error& e) {
        out.report(e.report);
        return exit_failure;
    }
    runtime rt(make_runtime_options(options.flags, out));
    if (std::string error = become_node(rt, options.flags, shell->config()); !error.empty()) {
        rt.stop();
        out.report("weft: " + error + "\n");
        return exit_usage;
    }
    std::unique_ptr<line_reader> reader;
    if (terminal) {
        interp::shell_program* sp = &shell->program();
        reader = make_terminal_reader([sp](std::string_view w) { return completions_of(sp, w); },
                                      default_history_file());
        out.write("Weft " WEFT_VERSION " shell. help() lists the builtins; Ctrl-D leaves.\n", true);
    } else {
        reader = make_pipe_reader();
    }
    // Only this thread takes Ctrl-C: the runtime's threads started with it blocked.
    if (unblock) pthread_sigmask(SIG_UNBLOCK, unblock, nullptr);
    int status = shell->serve(rt, *reader, terminal);
    if (unblock) pthread_sigmask(SIG_BLOCK, unblock, nullptr);
    rt.stop();  // before the shell goes: its actors use its program
    out.flush();
    return status;
}

}  // namespace

int run_repl(const repl_options& options) {
    if (!options.remote.empty()) return run_remote_repl(options);
    const bool terminal = ::isatty(STDIN_FILENO);
    // On a terminal Ctrl-C belongs to the line reader's thread: blocked
    // here, before any other thread starts, so that every thread inherits
    // the block; the reader's thread lifts it for itself.
    sigset_t sigint;
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    if (terminal) pthread_sigmask(SIG_BLOCK, &sigint, nullptr);
    int status = exit_failure;
    run_on_big_stack([&] { status = shell_main(options, terminal, terminal ? &sigint : nullptr); });
    return status;
}

}  // namespace weft::tools
