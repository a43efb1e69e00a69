// check_command.cpp: `weft check FILE...`.
//
// Reads every file, parses it with the interp front end, and reports the
// first syntax error of each file on stderr in LANGUAGE.md's format. Files are
// independent: a bad one does not stop the others from being checked.
// Prints nothing on success (`-v`: "FILE: ok" on stdout).
#include <CLI/CLI.hpp>
#include <iostream>

#include "interp/syntax/parser.hpp"
#include "interp/syntax/syntax_error.hpp"
#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/source_file.hpp"

namespace weft::tools {

namespace {

constexpr const char* check_footer =
    "Checks syntax: every file is read and parsed as `weft run` would, without\n"
    "running it. The first syntax error of each file is shown as\n"
    "  FILE:LINE:COL: message\n"
    "followed by the source line and a caret (columns count characters).\n"
    "\n"
    "Not checked yet (the compiler adds these): 'return' outside a function,\n"
    "'break'/'continue' outside a loop, alternatives of an or-pattern binding\n"
    "different names, a name bound twice in one pattern, duplicate keys in a\n"
    "mapping pattern, a case that can never be reached after a catch-all, and\n"
    "imports of modules that do not exist.\n"
    "\n"
    "Exit status: 0 when every file is fine; 2 when a file has a syntax error or\n"
    "cannot be read.";

}  // namespace

CLI::App* add_check_command(CLI::App& app, check_options& options) {
    CLI::App* check = app.add_subcommand("check", "Check Weft source files for syntax errors");
    check->add_option("files", options.files, "Weft source files (e.g. prog.weft)")
        ->required()
        ->type_name("FILE");
    check->add_flag("-v,--verbose", options.verbose, "Print 'FILE: ok' for each file without errors");
    check->footer(check_footer);
    return check;
}

std::string check_source(const std::string& text, const std::string& file) {
    std::string report;
    // The tree is built and destroyed on the big stack: both recurse as deep
    // as the input nests (bounded by the parser's limits).
    run_on_big_stack([&] {
        try {
            (void)interp::parse_module(text, file);
        } catch (const interp::syntax_error& e) {
            report = interp::format_syntax_error(e, text);
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
