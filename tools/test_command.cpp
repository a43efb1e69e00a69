// test_command.cpp: `weft test [--explore K] [--from S] [--jobs J]
// [--timeout SECONDS] FILE [ARGS...]`: runs the program deterministically
// under K seeds (S, S+1, ...), J child processes at a time (seed_runs.hpp),
// and reports the first seed whose run fails (a nonzero exit status, or no
// end within the timeout) or, when every run passes, the first whose output
// (stdout, stderr and status) differs from what most seeds gave. A flaky
// interleaving so becomes one command line that repeats it:
// `weft run --deterministic --seed N FILE`.
//
// Exit status: 0 when every seed passed with the majority's output, 1 when a
// seed is reported, 2 for a bad command line or a program that cannot load.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/seed_runs.hpp"

namespace weft::tools {

CLI::App* add_test_command(CLI::App& app, test_options& options) {
    CLI::App* test = app.add_subcommand(
        "test", "Run a program under many seeds (--deterministic) and report the first that fails or differs");
    test->add_option("--explore", options.explore, "How many seeds to run (default 100)")
        ->type_name("K")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}));
    test->add_option("--from", options.first_seed, "The first seed (default 1)")->type_name("S");
    test->add_option("--jobs", options.jobs, "Runs at once (default: one per core)")
        ->type_name("J")
        ->check(CLI::Range(1u, 1024u));
    test->add_option("--timeout", options.timeout_s, "A run that takes longer fails (default 60)")
        ->type_name("SECONDS")
        ->check(CLI::Range(1u, 86'400u));
    test->add_option("file", options.file, "The program (e.g. prog.weft)")->required();
    test->add_option("args", options.args, "Arguments, passed to main(args) as a list of str");
    test->positionals_at_end();
    return test;
}

namespace {

// The last `n` lines of `text`, each indented, for a report.
std::string tail_lines(const std::string& text, std::size_t n) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string::npos) nl = text.size();
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    std::string out;
    if (lines.size() > n) out += "  ... (" + std::to_string(lines.size() - n) + " lines before)\n";
    for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out += "  " + lines[i] + "\n";
    return out;
}

std::string shown(const char* what, const std::string& text) {
    if (text.empty()) return std::string("  (") + what + " is empty)\n";
    return std::string("  ") + what + ":\n" + tail_lines(text, 20);
}

std::string replay_line(const test_options& options, std::uint64_t seed) {
    std::string line =
        "run it again with: weft run --deterministic --seed " + std::to_string(seed) + " " + options.file;
    for (const std::string& a : options.args) line += " " + a;
    return line + "\n";
}

// A failed run's stderr without its last line when that is the run's own
// "run it again with" hint: the report ends with one of its own.
std::string without_hint(const std::string& err) {
    std::size_t end = err.size() && err.back() == '\n' ? err.size() - 1 : err.size();
    std::size_t start = err.rfind('\n', end ? end - 1 : 0);
    start = start == std::string::npos ? 0 : start + 1;
    bool hint = std::string_view(err).substr(start).starts_with("weft: deterministic run with seed ");
    return hint ? err.substr(0, start) : err;
}

// What makes two runs the same: status, stdout and stderr.
using outcome_key = std::tuple<int, std::string, std::string>;
outcome_key key_of(const seed_run& r) { return {r.status, r.out, r.err}; }

}  // namespace

int run_test(const test_options& options) {
    // Load once here, so that a syntax error or a missing file is reported
    // once, as `weft run` reports it, not once per seed.
    if (int status = run_check(check_options{{options.file}, false}); status != exit_ok) return status;
    seed_run_plan plan;
    std::error_code ec;
    plan.weft = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) {
        std::cerr << "weft test: cannot find this program's own binary: " << ec.message() << "\n";
        return exit_failure;
    }
    plan.file = options.file;
    plan.args = options.args;
    plan.first_seed = options.first_seed;
    plan.count = options.explore;
    plan.jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    plan.timeout = std::chrono::seconds(options.timeout_s);
    // Runs stop being started once one fails: the seeds below it all passed.
    plan.on_result = [](const seed_run& r) { return r.status == 0 && !r.timed_out; };
    std::vector<seed_run> runs = run_seeds(plan);
    const seed_run* failed = nullptr;
    for (const seed_run& r : runs)
        if (r.status != 0 || r.timed_out) {
            failed = &r;
            break;
        }
    std::ostream& out = std::cout;
    if (failed) {
        std::size_t passed = std::size_t(failed - runs.data());
        out << "weft test: seed " << failed->seed << " fails: "
            << (failed->timed_out ? "no end within " + std::to_string(options.timeout_s) + " s"
                                  : "exit status " + std::to_string(failed->status))
            << " (" << passed << (passed == 1 ? " seed" : " seeds") << " passed before it)\n";
        out << shown("its output", failed->out) << shown("its errors", without_hint(failed->err))
            << replay_line(options, failed->seed);
        return exit_failure;
    }
    // Every run passed: the majority's outcome, then the first seed that differs.
    std::map<outcome_key, std::size_t> votes;
    for (const seed_run& r : runs) ++votes[key_of(r)];
    auto majority = std::max_element(votes.begin(), votes.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const seed_run& r : runs) {
        if (key_of(r) == majority->first) continue;
        out << "weft test: seed " << r.seed << " passes, but its output differs from " << majority->second << " of the "
            << runs.size() << " seeds\n";
        out << shown("its output", r.out) << shown("its errors", r.err);
        out << shown("the majority's output", std::get<1>(majority->first))
            << shown("the majority's errors", std::get<2>(majority->first)) << replay_line(options, r.seed);
        return exit_failure;
    }
    out << "weft test: " << runs.size() << (runs.size() == 1 ? " seed" : " seeds") << " of " << options.file
        << " (" << options.first_seed << " to " << options.first_seed + runs.size() - 1
        << "): every run passed, with the same output\n";
    return exit_ok;
}

}  // namespace weft::tools
