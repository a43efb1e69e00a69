// trace_command.cpp: `weft trace [--pid P] [--function F] [--max-events N]
// [--format svg|mermaid|jsonl|png] [-o FILE] prog.weft [ARGS...]`: runs the
// program as `weft run` does, with the runtime's tracer on (actors/trace.hpp),
// and writes the trace: an SVG sequence diagram (the default, to
// PROG.trace.svg), Mermaid text or JSON lines (tools/trace/trace_render.hpp),
// or the SVG made a PNG by a packaged converter (tools/trace/png_file.hpp;
// -o FILE.png asks for it too).
//
// The output file is opened (for PNG: the converter found and a file beside
// it reserved) before the program runs, so that a path that cannot be written
// or a missing converter is reported at once rather than after a long run.
// The program's own output and exit status are those of `weft run`.
#include <CLI/CLI.hpp>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/trace/png_file.hpp"
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
    trace->add_option("--format", options.format, "svg (default; png when -o names a .png), mermaid, jsonl or png")
        ->type_name("FORMAT")
        ->check([](const std::string& f) {
            return f == "svg" || f == "mermaid" || f == "jsonl" || f == "png"
                       ? std::string()
                       : "unknown trace format '" + f + "' (formats: svg, mermaid, jsonl, png)";
        });
    trace->add_option("-o,--output", options.output,
                      "Where to write the trace (default PROG.trace.svg; a .png is drawn by rsvg-convert, "
                      "ImageMagick or inkscape)")
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
    const char* ext = format == "svg"       ? ".trace.svg"
                      : format == "mermaid" ? ".trace.mmd"
                      : format == "png"     ? ".trace.png"
                                            : ".trace.jsonl";
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
    return render_svg(trace, numbers);  // and for png, which is made from it
}

// No --format: png when -o names a .png, else svg.
std::string format_of(const trace_command_options& o) {
    if (!o.format.empty()) return o.format;
    std::string ext = std::filesystem::path(o.output).extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".png" ? "png" : "svg";
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
    std::string format = format_of(options);
    std::string path = options.output.empty() ? default_output(options.run.file, format) : options.output;
    std::optional<png_file> png;
    std::ofstream file;
    if (format == "png") {
        const char* search = std::getenv("PATH");
        auto opened = png_file::open(path, search ? search : "");
        if (auto* why = std::get_if<std::string>(&opened)) {
            std::cerr << "weft: trace: " << *why << "\n";
            return exit_usage;
        }
        png.emplace(std::move(std::get<png_file>(opened)));
    } else {
        file.open(path, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << "weft: trace: cannot write the trace to '" << path << "': " << std::strerror(errno) << "\n";
            return exit_usage;
        }
    }
    std::string text;
    bool traced = false;
    std::size_t events = 0;
    options.run.started = [&to](runtime& rt) { rt.trace().start(to); };
    options.run.ending = [&](runtime& rt) {
        trace_result result = rt.trace().stop();
        events = result.events.size();
        text = render(format, result, rt.numbers());
        traced = true;
    };
    int status = run_run(options.run);
    if (!traced) {  // no main ran (a module without one, or one that failed to load)
        node_numbers none(0, 0);
        text = render(format, trace_result{}, none);
    }
    if (png) {
        if (std::string why = png->commit(text); !why.empty()) {
            std::cerr << "weft: trace: " << why << "\n";
            return status == exit_ok ? exit_failure : status;
        }
        std::cerr << "weft: trace: " << events << " events written to " << path << " (drawn by "
                  << png->converter().name << ")\n";
        return status;
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
