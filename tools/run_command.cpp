// run_command.cpp: `weft run [--threads N] FILE [ARGS...]`: load the
// program, start a runtime, and call `main(args)` (args: the command line
// words after FILE, as strs) in the first script actor. When main ends, the
// remaining actors are stopped and the process exits.
//
// Exit status (LANGUAGE.md, "Programs"): 0 when main returns (or when there
// is no main: the module body ran at load), 1 with the traceback on stderr
// when it (or a module body) raised or main ended with another reason, 2 for
// a syntax error, an unreadable file or bad options, 130 or 143 when SIGINT or
// SIGTERM stopped it (every actor killed, every printed line flushed first).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

#include "actors/exit_reason.hpp"
#include "actors/runtime.hpp"
#include "interp/actor/script_actor.hpp"
#include "interp/load/loader.hpp"
#include "lib/modules.hpp"
#include "serialize/codec.hpp"
#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/console.hpp"
#include "tools/exit_status.hpp"
#include "tools/source_file.hpp"
#include "tools/stop_signals.hpp"

namespace weft::tools {

namespace {

// "512M", "2G", "64K", "1048576", "0": a byte count, or nullopt.
std::optional<std::size_t> parse_size(const std::string& text) {
    std::size_t pos = 0;
    unsigned long long n;
    try {
        n = std::stoull(text, &pos);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    std::string unit = text.substr(pos);
    int shift = unit.empty() ? 0 : unit == "K" || unit == "k" ? 10 : unit == "M" || unit == "m" ? 20
                              : unit == "G" || unit == "g"   ? 30 : unit == "T" || unit == "t" ? 40 : -1;
    if (shift < 0 || (shift && n > (~0ull >> shift))) return std::nullopt;
    return std::size_t(n << shift);
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, run_options& options) {
    CLI::App* run = app.add_subcommand("run", "Run a Weft program: main(args) in the first actor");
    run->add_option("--threads", options.threads, "Worker threads (default: one per core)")
        ->check(CLI::Range(1u, 1024u));
    run->add_option("--max-heap", options.max_heap,
                    "Most memory one actor's heap may take, e.g. 512M or 2G; past it the actor ends with "
                    "MemoryError (default 1G; 0: no limit)")
        ->check([](const std::string& s) { return parse_size(s) ? std::string() : "expected a size such as 512M or 2G"; });
    run->add_option("--max-mailbox", options.max_mailbox,
                    "Most messages one mailbox may hold; past it the receiver ends with MemoryError (default 0: no limit)");
    run->add_option("--max-actors", options.max_actors, "Most actors alive at once (default 4194304)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 31));
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

// How `main` ended, or the stop signal that came first. Set by main's
// watcher actor or by the signal watcher thread; read by the tool's thread.
struct main_outcome {
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<term> reason;
    int signo = 0;
    bool runtime_up = false;  // before and after: nothing to stop in order

    void ended(term r) {
        std::lock_guard<std::mutex> lock(mutex);
        reason = std::move(r);
        changed.notify_all();
    }
    void signalled(int s) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!runtime_up) {  // loading, or done: no actor to stop, output to keep
            std::fflush(stdout);
            ::_exit(128 + s);
        }
        signo = s;
        changed.notify_all();
    }
};

// Runs main(args) as a script actor watched by a native stackless one, and
// waits until it ends or a stop signal comes. Throws runtime_error when
// `main` is not a function.
void run_main(runtime& rt, const interp::script_config& cfg, const std::vector<std::string>& args,
              main_outcome& outcome) {
    std::vector<term> words;
    for (const std::string& a : args) words.push_back(term::str(a));
    term argv[1] = {term::list(words)};
    envelope* start = interp::encode_call(*cfg.prog, "main", argv);
    // Stackless, so that no fiber has to be woken for the DOWN while other
    // actors keep every worker busy. It may outlive this call (a stop signal
    // returns early), so it holds nothing of this frame.
    rt.spawn(stackless, [&rt, &cfg, &outcome, start, spawned = false](actor& self) mutable {
        if (!spawned) {
            spawned = true;
            interp::spawn_script(rt, cfg, start, &self, interp::spawn_relation::monitor);
            return step_result::wait;
        }
        std::optional<message> down = self.try_receive();  // ("DOWN", ref, pid, reason): the only message
        if (!down) return step_result::wait;
        outcome.ended(decode(down->view()[3]));
        return step_result::done;
    });
    std::unique_lock<std::mutex> lock(outcome.mutex);
    outcome.changed.wait(lock, [&] { return outcome.reason || outcome.signo; });
}

int run_program(const run_options& options, main_outcome& outcome) {
    using namespace weft::interp;
    std::string error;
    std::optional<source_file> file = read_source_file(options.file, error);
    if (!file) {
        std::cerr << "weft: " << error << '\n';
        return exit_usage;
    }
    console out;
    line_writer writer = [&out](std::string_view text, bool flush) { out.write(text, flush); };
    load_options lo;
    lo.search_path = weft_path();
    lo.out = writer;
    for (const native_module* m : weft::lib::standard_modules()) lo.natives.push_back(m);
    std::unique_ptr<program> prog;
    try {
        prog = load_program_source(file->path, std::move(file->text), lo);
    } catch (const load_error& e) {
        out.report(e.report);
        return e.status == 2 ? exit_usage : exit_failure;
    }
    const module& main_module = prog->main_module();
    auto it = main_module.global_index.find("main");
    if (it == main_module.global_index.end() || main_module.globals[it->second].is_empty()) return exit_ok;

    script_config cfg{prog.get()};
    cfg.vm.out = &writer;
    runtime_options ro;
    ro.threads = options.threads;
    ro.max_heap_bytes = *parse_size(options.max_heap);
    ro.max_mailbox = options.max_mailbox;
    ro.max_actors = options.max_actors;
    ro.on_crash = [&out](pid p, const term& reason) {
        std::optional<std::string> report = exit_reason::error_report(reason);
        out.report("weft: actor " + term(p).repr() +
                   (report ? " crashed:\n" + *report : " ended with " + reason.repr() + "\n"));
    };
    {
        runtime rt(ro);
        {
            std::lock_guard<std::mutex> lock(outcome.mutex);
            outcome.runtime_up = true;
        }
        try {
            run_main(rt, cfg, options.args, outcome);
        } catch (const runtime_error& e) {  // e.g. `main` is not a function
            rt.stop();
            out.report("weft: " + main_module.file + ": " + e.what() + "\n");
            return exit_failure;
        }
        rt.stop();  // the remaining actors end here, before the program goes
        std::lock_guard<std::mutex> lock(outcome.mutex);
        outcome.runtime_up = false;
    }
    out.flush();
    if (outcome.signo) return 128 + outcome.signo;  // 130 for SIGINT, 143 for SIGTERM
    const term& reason = *outcome.reason;
    if (exit_reason::is_normal(reason)) return exit_ok;
    // ("error", kind, message, traceback): the traceback ends with "Kind: message".
    if (std::optional<std::string> report = exit_reason::error_report(reason))
        out.report(*report);
    else
        out.report("weft: main ended with reason " + reason.repr() + "\n");
    return exit_failure;
}

}  // namespace

int run_run(const run_options& options) {
    main_outcome outcome;
    // Before any other thread starts, so that every thread blocks the signals.
    stop_signals signals([&outcome](int signo) { outcome.signalled(signo); });
    int status = exit_failure;
    run_on_big_stack([&] { status = run_program(options, outcome); });
    return status;
}

}  // namespace weft::tools
