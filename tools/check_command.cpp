// check_command.cpp: `weft check FILE...`.
//
// Reads every file and compiles it, with the modules it imports, as `weft
// run` would, without running any module body; reports the first error of
// each file on stderr in LANGUAGE.md's format (syntax errors, compile errors
// such as 'return' outside function, imports of modules that do not exist).
// Files are independent: a bad one does not stop the others from being
// checked. Prints nothing on success (`-v`: "FILE: ok" on stdout).
#include <CLI/CLI.hpp>
#include <iostream>

#include "interp/load/loader.hpp"
#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/session.hpp"
#include "tools/source_file.hpp"

namespace weft::tools {

namespace {

constexpr const char* check_footer =
    "Checks what `weft run` checks before running: every file is read, parsed\n"
    "and compiled with the modules it imports, and nothing runs. The first error\n"
    "of each file (a syntax error, 'return' outside function, 'break' outside\n"
    "loop, a pattern that binds a name twice, an import of a module that does not\n"
    "exist ...) is shown as\n"
    "  FILE:LINE:COL: message\n"
    "followed by the source line and a caret (columns count characters).\n"
    "Errors that only running finds (a name never bound, a wrong type) are not\n"
    "reported.\n"
    "\n"
    "Exit status: 0 when every file is fine; 2 when a file has a syntax error or\n"
    "cannot be read.";

}  // namespace

CLI::App* add_check_command(CLI::App& app, check_options& options) {
    CLI::App* check = app.add_subcommand("check", "Check Weft programs for syntax and compile errors without running them");
    check->add_option("files", options.files, "Weft source files (e.g. prog.weft)")
        ->required()
        ->type_name("FILE");
    check->add_flag("-v,--verbose", options.verbose, "Print 'FILE: ok' for each file without errors");
    check->footer(check_footer);
    return check;
}

std::string check_source(const std::string& text, const std::string& file) {
    std::string report;
    interp::load_options lo = standard_load_options(file);
    lo.run_bodies = false;
    // Parsing and compiling recurse as deep as the input nests (bounded by
    // the parser's limits): on the big stack.
    run_on_big_stack([&] {
        try {
            (void)interp::load_program_source(file, text, lo);
        } catch (const interp::load_error& e) {
            report = e.report;
        }
    });
    return report;
}

int run_check(const check_options& options) {
    int status = exit_ok;
    for (const std::string& path : options.files) {
        std::string error;
        const std::optional<source_file> file = read_source_file(path, error);
        if (!file) {
            std::cerr << "weft: " << error << '\n';
            status = exit_usage;
            continue;
        }
        const std::string report = check_source(file->text, file->path);
        if (!report.empty()) {
            std::cerr << report << std::flush;
            status = exit_usage;
        } else if (options.verbose) {
            std::cout << path << ": ok\n" << std::flush;
        }
    }
    return status;
}

}  // namespace weft::tools
