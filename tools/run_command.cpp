// run_command.cpp: `weft run [flags] FILE [ARGS...]`: load the program,
// start a runtime (a node of a cluster with --name), and call `main(args)`
// (args: the command line words after FILE, as strs; sys.argv has FILE
// first) in the first script actor. When main ends, the remaining actors
// are stopped and the process exits; sys.exit(code) in main gives that code.
//
// Exit status (LANGUAGE.md, "Programs"): 0 when main returns (or when there
// is no main: the module body ran at load), 1 with the traceback on stderr
// when it (or a module body) raised or main ended with another reason, 2 for
// a syntax error, an unreadable file, bad options or a node that cannot
// start, 130 or 143 when SIGINT or SIGTERM stopped it (every actor killed,
// every printed line flushed first).
#include <CLI/CLI.hpp>

#include <random>

#include "actors/exit_reason.hpp"
#include "serialize/codec.hpp"
#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/session.hpp"
#include "tools/stop_signals.hpp"

namespace weft::tools {

void add_seed_flags(CLI::App& command, run_options& options) {
    command
        .add_option("--seed", options.seed,
                    "Seed every actor's random generator from N: main as random.seed(N), the k-th actor "
                    "spawned after it as random.seed(\"N/k\"); with --deterministic, the schedule too")
        ->type_name("N")
        ->check([](const std::string& n) {
            std::size_t digits = !n.empty() && (n[0] == '+' || n[0] == '-') ? 1 : 0;
            bool ok = n.size() > digits && n.find_first_not_of("0123456789", digits) == std::string::npos;
            return ok ? std::string() : "N must be an integer, not '" + n + "'";
        });
    command.add_flag("--deterministic", options.deterministic,
                     "Run every actor on one thread, choosing which runs next from the seed, with a virtual "
                     "clock: the same seed gives the same run (a seed is drawn and printed on error when "
                     "--seed is not given)");
}

CLI::App* add_run_command(CLI::App& app, run_options& options) {
    CLI::App* run = app.add_subcommand("run", "Run a Weft program: main(args) in the first actor");
    add_runtime_flags(*run, options.flags, false);
    add_seed_flags(*run, options);
    run->add_flag("!--no-deadlock-check", options.deadlock_check,
                  "Wait forever when every actor waits and nothing can wake them (a server whose clients "
                  "come from outside); by default the run ends with a report after a second");
    run->add_option("file", options.file, "The program (e.g. prog.weft)")->required();
    run->add_option("args", options.args, "Arguments, passed to main(args) as a list of str");
    run->positionals_at_end();
    return run;
}

namespace {

// Runs main(args) as a script actor watched by a native stackless one, and
// waits until it ends or a stop signal comes. Throws runtime_error when
// `main` is not a function.
// main raised SystemExit (sys.exit): the status, as Python's: 0 for no code,
// the code when it is a number (its message is the number), else 1 with the
// message on stderr. nullopt for any other reason.
std::optional<int> system_exit_status(const term& reason, std::string& say) {
    if (!reason.is_tuple() || reason.size() != 4 || !reason[1].is_str() || reason[1].as_str() != "SystemExit" ||
        !reason[2].is_str())
        return std::nullopt;
    std::string message(reason[2].as_str());
    if (message.empty() || message == "None") return exit_ok;
    char* end = nullptr;
    long code = std::strtol(message.c_str(), &end, 10);
    if (*end == '\0' && end != message.c_str()) return int(code & 0xff);
    say = message + "\n";
    return exit_failure;
}

// What main's end means: sets the exit status and returns what to write
// on stderr ("" for a normal end or sys.exit(0)).
std::string ending_report(const term& reason, pid by_link, node_numbers& numbers, int& status) {
    status = exit_failure;
    if (exit_reason::is_normal(reason)) {
        status = exit_ok;
        return "";
    }
    std::optional<std::string> report = exit_reason::error_report(reason);
    if (by_link) {
        // Main did not raise: a linked actor's end took it down. Say which,
        // then that actor's traceback (or its reason).
        std::string head = "weft: main ended: linked actor " + numbers.text(by_link) + " ended with ";
        if (!report) return head + reason.repr(&numbers) + "\n";
        return head + std::string(reason[1].as_str()) + (reason[2].as_str().empty() ? "" : ": ") +
               std::string(reason[2].as_str()) + "\n" + *report;
    }
    std::string say;
    if (std::optional<int> code = system_exit_status(reason, say)) {
        status = *code;
        return say;
    }
    // ("error", kind, message, traceback): the traceback ends with "Kind: message".
    if (report) return *report;
    return "weft: main ended with reason " + reason.repr(&numbers) + "\n";
}

// How often the stillness check looks, and how many looks in a row must
// find the same still state before the run is declared stuck.
constexpr std::chrono::milliseconds stillness_period{400};
constexpr int stillness_looks = 3;

// "weft: all actors are waiting; nothing can wake them", and where each waits.
std::string stuck_report(runtime& rt) {
    constexpr std::size_t shown = 20;
    std::string out = "weft: all actors are waiting; nothing can wake them\n";
    std::size_t listed = 0, more = 0;
    for (pid p : rt.processes()) {
        std::optional<process_info> info = rt.info(p);
        if (!info || info->initial_call.empty()) continue;  // ended, or the tool's own native watcher
        if (listed == shown) {
            ++more;
            continue;
        }
        ++listed;
        out += "  " + rt.numbers().text(p) + " " + info->initial_call;
        if (info->current_line) out += ", line " + std::to_string(info->current_line);
        out += ": waits for a message; " + std::to_string(info->queue_len) + " in its mailbox";
        out += info->queue_len ? " (none of them matches)\n" : "\n";
    }
    if (more) out += "  ... and " + std::to_string(more) + " more\n";
    return out + "(weft run --no-deadlock-check waits instead)\n";
}

void run_main(runtime& rt, const interp::script_config& cfg, const run_options& options, run_outcome& outcome,
              bool deadlock_check) {
    std::vector<term> words;
    for (const std::string& a : options.args) words.push_back(term::str(a));
    term argv[1] = {term::list(words)};
    envelope* start = interp::encode_call(*cfg.prog, "main", argv);
    // Stackless, so that no fiber has to be woken for the DOWN while other
    // actors keep every worker busy. It may outlive this call (a stop signal
    // returns early), so it holds nothing of this frame.
    rt.spawn(stackless, [&rt, &cfg, &options, &outcome, start, spawned = false](actor& self) mutable {
        if (!spawned) {
            spawned = true;
            outcome.rt = &rt;
            outcome.main_pid = interp::spawn_script(rt, cfg, start, &self, interp::spawn_relation::monitor).first;
            outcome.main_spawned.store(true, std::memory_order_release);
            return step_result::wait;
        }
        std::optional<message> down = self.try_receive();  // ("DOWN", ref, pid, reason): the only message
        if (!down) return step_result::wait;
        std::uint64_t by_link = down->ended_by_link();
        if (rt.options().deterministic) {
            // The run ends here, at the point the seed chose, not whenever
            // this tool's thread gets to stop it: every other actor is killed
            // before it can run again, and the trace ends now.
            for (pid p : rt.processes())
                if (p != self.self()) rt.exit(p, exit_reason::kill());
            if (options.ending) options.ending(rt);
            outcome.ending_ran = true;
        }
        outcome.ended(decode(down->view()[3]), by_link ? pid{rt.node_id(), rt.creation(), by_link} : pid{});
        return step_result::done;
    });
    std::unique_lock<std::mutex> lock(outcome.mutex);
    auto over = [&] { return outcome.reason || outcome.signo; };
    if (!deadlock_check) return outcome.changed.wait(lock, over);
    std::optional<std::uint64_t> last;
    int same = 0;
    while (!outcome.changed.wait_for(lock, stillness_period, over)) {
        lock.unlock();
        std::optional<std::uint64_t> now = rt.stuck();
        lock.lock();
        same = now && now == last ? same + 1 : now ? 1 : 0;
        last = now;
        if (same == stillness_looks && !over()) {
            outcome.stuck = stuck_report(rt);
            return;
        }
    }
}

// What a deterministic run cannot be: a node (other nodes' messages come
// when they come) or observed from a browser. "" when the flags agree.
std::string deterministic_conflict(const run_options& options) {
    if (!options.deterministic) return "";
    if (!options.flags.name.empty()) return "--deterministic runs one program alone; it cannot be a node (--name)";
    if (!options.flags.observe.empty()) return "--deterministic cannot be used with --observe";
    if (options.flags.threads > 1) return "--deterministic runs every actor on one thread; leave out --threads";
    return "";
}

// The scheduler's seed from the seed's digits (FNV-1a): any N, however
// long, and the same number on every machine.
std::uint64_t schedule_seed(const std::string& digits) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : digits) h = (h ^ std::uint8_t(c)) * 1099511628211ull;
    return h;
}

// The line that tells how to run a failed deterministic run again.
std::string replay_hint(const run_options& options, const std::string& seed) {
    std::string line = "weft: deterministic run with seed " + seed +
                       "; run it again with: weft run --deterministic --seed " + seed + " " + options.file;
    for (const std::string& a : options.args) line += " " + a;
    return line + "\n";
}

int run_program(const run_options& options, run_outcome& outcome) {
    using namespace weft::interp;
    console out;
    if (std::string conflict = deterministic_conflict(options); !conflict.empty()) {
        out.report("weft: " + conflict + "\n");
        return exit_usage;
    }
    line_writer writer = [&out](std::string_view text, bool flush) { out.write(text, flush); };
    int status = exit_ok;
    std::string ending;  // what to say about main's end, on stderr
    std::unique_ptr<program> prog = load_for_run(options.file, out, writer, status, options.args);
    if (!prog) return status;
    const module& main_module = prog->main_module();
    auto it = main_module.global_index.find("main");
    if (it == main_module.global_index.end() || main_module.globals[it->second].is_empty()) return exit_ok;

    script_config cfg{prog.get()};
    cfg.vm.out = &writer;
    seed_plan seed;
    std::string seed_text = options.seed;
    // A deterministic run always has a seed: drawn here when not given, and
    // printed if the run fails, so that any failure can be run again.
    if (options.deterministic && seed_text.empty()) seed_text = std::to_string(std::random_device{}() % 1'000'000);
    if (!seed_text.empty()) {
        // GMP reads no '+' and keeps the sign; the generator takes |N|, as CPython's seed does.
        seed.n = seed_text.substr(seed_text[0] == '+' || seed_text[0] == '-' ? 1 : 0);
        cfg.vm.seed = &seed;
    }
    {
        runtime_options ro = make_runtime_options(options.flags, out);
        ro.deterministic = options.deterministic;
        ro.seed = schedule_seed(seed_text);
        ro.on_crash = [report = std::move(ro.on_crash), &outcome](pid p, const term& reason, const std::string& text) {
            if (!outcome.main_over()) report(p, reason, text);
        };
        runtime rt(std::move(ro));
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
        if (options.started) options.started(rt);
        try {
            // An observed program stays up, stuck or not: it is there to be looked at.
            run_main(rt, cfg, options, outcome, options.deadlock_check && options.flags.observe.empty());
        } catch (const runtime_error& e) {  // e.g. `main` is not a function
            rt.stop();
            out.report("weft: " + main_module.file + ": " + e.what() + "\n");
            return exit_failure;
        }
        if (options.ending && !outcome.ending_ran) options.ending(rt);
        if (outcome.reason) ending = ending_report(*outcome.reason, outcome.ended_by_link, rt.numbers(), status);
        else if (!outcome.stuck.empty()) ending = outcome.stuck, status = exit_failure;
        rt.stop();  // the remaining actors end here, before the program goes
        outcome.set_runtime_up(false);
    }
    out.flush();
    if (outcome.signo) return 128 + outcome.signo;  // 130 for SIGINT, 143 for SIGTERM
    if (!ending.empty()) out.report(ending);
    if (options.deterministic && status != exit_ok) out.report(replay_hint(options, seed_text));
    return status;
}

}  // namespace

int run_run(const run_options& options) {
    run_outcome outcome;
    // Before any other thread starts, so that every thread blocks the signals.
    stop_signals signals([&outcome](int signo) { outcome.signalled(signo); });
    int status = exit_failure;
    run_on_big_stack([&] { status = run_program(options, outcome); });
    return status;
}

}  // namespace weft::tools
