// trace_command.cpp: `weft trace [--pid P] [--function F] [--max-events N]
// [--format svg|mermaid|jsonl] [-o FILE] prog.weft [ARGS...]`: runs the
// program as `weft run` does, with the runtime's tracer on (actors/trace.hpp),
// and writes the trace: an SVG sequence diagram (the default, to
// PROG.trace.svg), Mermaid text or JSON lines (tools/trace/trace_render.hpp).
//
// The output file is opened before the program runs, so that a path that
// cannot be written is reported at once rather than after a long run. The
// program's own output and exit status are those of `weft run`.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/trace/trace_render.hpp"

namespace weft::tools {

CLI::App* add_trace_command(CLI::App& app, trace_command_options& options) {
    CLI::App* trace = app.add_subcommand("trace", "Run a Weft program traced and draw who sent what to whom");
    add_runtime_flags(*trace, options.run.flags, false);
    add_seed_flags(*trace, options.run);
    trace->add_option("--pid", options.pids, "Trace only events of this actor, <0.S.0> (repeatable)")
        ->type_name("PID");
    trace->add_option("--function", options.functions,
                      "Trace only events of actors spawned with this function (repeatable)")
        ->type_name("NAME");
    trace->add_option("--max-events", options.max_events, "Keep at most N events (default 1000); tracing stops there")
        ->type_name("N")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
    trace->add_option("--format", options.format, "svg (default), mermaid or jsonl")
        ->type_name("FORMAT")
        ->check([](const std::string& f) {
            return f == "svg" || f == "mermaid" || f == "jsonl"
                       ? std::string()
                       : "unknown trace format '" + f + "' (formats: svg, mermaid, jsonl)";
        });
    trace->add_option("-o,--output", options.output, "Where to write the trace (default PROG.trace.svg)")
        ->type_name("FILE");
    trace->add_option("file", options.run.file, "The program (e.g. prog.weft)")->required();
    trace->add_option("args", options.run.args, "Arguments, passed to main(args) as a list of str");
    trace->positionals_at_end();
    return trace;
}

namespace {

std::string default_output(const std::string& program, const std::string& format) {
    std::filesystem::path p(program);
    std::string stem = p.extension() == ".weft" ? p.stem().string() : p.filename().string();
    const char* ext = format == "svg" ? ".trace.svg" : format == "mermaid" ? ".trace.mmd" : ".trace.jsonl";
    return (p.parent_path() / (stem + ext)).string();
}

// "<0.S.0>" or "0.S.0", an actor of this node: its S. nullopt when malformed.
std::optional<std::uint64_t> spawn_number(std::string text) {
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>') text = text.substr(1, text.size() - 2);
    unsigned long long n = 0, s = 0, c = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%llu.%llu.%llu%c", &n, &s, &c, &tail) != 3) return std::nullopt;
    if (n != 0 || c != 0) return std::nullopt;
    return s;
}

std::string render(const std::string& format, const trace_result& trace, node_numbers& numbers) {
    if (format == "mermaid") return render_mermaid(trace, numbers);
    if (format == "jsonl") return render_jsonl(trace, numbers);
    return render_svg(trace, numbers);
}

}  // namespace

int run_trace(trace_command_options& options) {
    trace_options to;
    to.max_events = options.max_events;
    to.functions = options.functions;
    for (const std::string& p : options.pids) {
        std::optional<std::uint64_t> s = spawn_number(p);
        if (!s) {
            std::cerr << "weft: trace: --pid takes an actor of this node as <0.S.0>, not '" << p << "'\n";
            return exit_usage;
        }
        to.spawn_numbers.push_back(*s);
    }
    std::string path = options.output.empty() ? default_output(options.run.file, options.format) : options.output;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) {
        std::cerr << "weft: trace: cannot write the trace to '" << path << "': " << std::strerror(errno) << "\n";
        return exit_usage;
    }
    std::string text;
    bool traced = false;
    std::size_t events = 0;
    options.run.started = [&to](runtime& rt) { rt.trace().start(to); };
    options.run.ending = [&](runtime& rt) {
        trace_result result = rt.trace().stop();
        events = result.events.size();
        text = render(options.format, result, rt.numbers());
        traced = true;
    };
    int status = run_run(options.run);
    if (!traced) {  // no main ran (a module without one, or one that failed to load)
        node_numbers none(0, 0);
        text = render(options.format, trace_result{}, none);
    }
    file << text;
    file.flush();
    if (!file) {
        std::cerr << "weft: trace: writing '" << path << "' failed: " << std::strerror(errno) << "\n";
        return status == exit_ok ? exit_failure : status;
    }
    std::cerr << "weft: trace: " << events << " events written to " << path << "\n";
    return status;
}

}  // namespace weft::tools
