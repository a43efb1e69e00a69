// run_command.cpp: `weft run FILE [ARGS...]`: load the program, then call
// its `main(args)` (args: the command line words after FILE, as strs), or
// just run the module body when there is no main.
//
// Exit status (LANGUAGE.md, "Programs"): 0 when main returns, 1 with the
// traceback on stderr when it (or a module body) raised, 2 for a syntax
// error or an unreadable file. The program runs in one VM on this thread
// for now; actors come with the runtime's script support.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>

#include "interp/loader.hpp"
#include "interp/natives.hpp"
#include "interp/vm.hpp"
#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/source_file.hpp"

namespace weft::tools {

CLI::App* add_run_command(CLI::App& app, run_options& options) {
    CLI::App* run = app.add_subcommand("run", "Run a Weft program: main(args), or its module body");
    run->add_option("file", options.file, "The program (e.g. prog.weft)")->required();
    run->add_option("args", options.args, "Arguments, passed to main(args) as a list of str");
    run->positionals_at_end();
    return run;
}

namespace {

std::vector<std::string> weft_path() {
    std::vector<std::string> out;
    const char* env = std::getenv("WEFT_PATH");
    if (!env) return out;
    std::stringstream ss(env);
    std::string part;
    while (std::getline(ss, part, ':'))
        if (!part.empty()) out.push_back(part);
    return out;
}

int run_program(const run_options& options) {
    using namespace weft::interp;
    std::string error;
    std::optional<source_file> file = read_source_file(options.file, error);
    if (!file) {
        std::cerr << "weft: " << error << '\n';
        return exit_usage;
    }
    load_options lo;
    lo.search_path = weft_path();
    std::unique_ptr<program> prog;
    try {
        prog = load_program_source(file->path, std::move(file->text), lo);
    } catch (const load_error& e) {
        std::fflush(stdout);
        std::cerr << e.report;
        return e.status == 2 ? exit_usage : exit_failure;
    }
    const module& main_module = prog->main_module();
    auto it = main_module.global_index.find("main");
    if (it == main_module.global_index.end() || main_module.globals[it->second].is_empty()) return exit_ok;
    value main_fn = main_module.globals[it->second];

    vm machine(*prog);
    heap& h = machine.heap();
    rooted args(h, h.alloc_list());
    for (const std::string& a : options.args) {
        value s = h.alloc_str(a);
        h.list_append(args, s);
    }
    value argv[1] = {args};
    machine.start(main_fn, argv);
    run_status status;
    do status = machine.run();
    while (status == run_status::yielded);
    std::fflush(stdout);
    if (status == run_status::failed) {
        std::cerr << machine.format_exception(machine.error());
        return exit_failure;
    }
    return exit_ok;
}

}  // namespace

int run_run(const run_options& options) {
    int status = exit_failure;
    run_on_big_stack([&] { status = run_program(options); });
    return status;
}

}  // namespace weft::tools
