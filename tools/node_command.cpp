// node_command.cpp: `weft node --name NAME@HOST:PORT [flags] FILE`: load the
// program (its module bodies run; main does not), become a node of a cluster,
// print the node's name on a line of its own (the real port when it was 0),
// and serve other nodes' messages and spawn_on calls until SIGINT or SIGTERM,
// which stop it in order with status 0.
//
// Exit status: 0 after a stop signal, 1 when a module body raised, 2 for a
// syntax error, an unreadable file, bad options or a node that cannot start.
#include <CLI/CLI.hpp>

#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/session.hpp"
#include "tools/stop_signals.hpp"

namespace weft::tools {

CLI::App* add_node_command(CLI::App& app, node_options& options) {
    CLI::App* node = app.add_subcommand("node", "Serve a Weft program as a node of a cluster (its main is not called)");
    add_runtime_flags(*node, options.flags, true);
    node->add_option("file", options.file, "The program (e.g. prog.weft)")->required();
    return node;
}

namespace {

int serve(const node_options& options, run_outcome& outcome) {
    using namespace weft::interp;
    console out;
    line_writer writer = [&out](std::string_view text, bool flush) { out.write(text, flush); };
    int status = exit_ok;
    std::unique_ptr<program> prog = load_for_run(options.file, out, writer, status);
    if (!prog) return status;
    script_config cfg{prog.get()};
    cfg.vm.out = &writer;
    runtime rt(make_runtime_options(options.flags, out));
    if (std::string error = become_node(rt, options.flags, cfg); !error.empty()) {
        rt.stop();
        out.report("weft: " + error + "\n");
        return exit_usage;
    }
    if (std::string error = start_observer(rt, options.flags, out); !error.empty()) {
        rt.stop();
        out.report("weft: " + error + "\n");
        return exit_usage;
    }
    outcome.set_runtime_up(true);
    out.write(rt.node_name() + "\n", true);
    {
        std::unique_lock<std::mutex> lock(outcome.mutex);
        outcome.changed.wait(lock, [&] { return outcome.signo != 0; });
    }
    rt.stop();
    outcome.set_runtime_up(false);
    out.flush();
    return exit_ok;
}

}  // namespace

int run_node(const node_options& options) {
    run_outcome outcome;
    stop_signals signals([&outcome](int signo) { outcome.signalled(signo); });
    int status = exit_failure;
    run_on_big_stack([&] { status = serve(options, outcome); });
    return status;
}

}  // namespace weft::tools
