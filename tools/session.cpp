// session.cpp: see session.hpp.
#include "tools/session.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>

#include "actors/exit_reason.hpp"
#include "cluster/cookie.hpp"
#include "cluster/node.hpp"
#include "interp/actor/remote_spawn.hpp"
#include "lib/modules.hpp"
#include "tools/exit_status.hpp"
#include "tools/repl_remote.hpp"
#include "tools/observe/sample_server.hpp"
#include "tools/observe/web_server.hpp"
#include "tools/source_file.hpp"

namespace weft::tools {

namespace {

// "512M", "2G", "64K", "1048576", "0": a byte count, or nullopt.
std::optional<std::size_t> parse_size(const std::string& text) {
    if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;  // stoull takes "-1" and " 1"
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

// The library written in Weft script (lib/*.weft: gen_server, supervisor,
// task ...): beside an installed binary (PREFIX/bin/weft finds
// PREFIX/share/weft/lib), else in the source tree it was built from.
std::string library_dir() {
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        std::filesystem::path installed = exe.parent_path().parent_path() / "share" / "weft" / "lib";
        if (std::filesystem::is_directory(installed, ec)) return installed.string();
    }
    return WEFT_LIBRARY_DIR;
}

// A whole number from lo to hi: CLI11's Range says "Value abc not in range",
// which reads as if abc were a number.
std::function<std::string(const std::string&)> whole_number(std::uint64_t lo, std::uint64_t hi) {
    return [lo, hi](const std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
            return "'" + text + "' is not a number";
        errno = 0;
        unsigned long long n = std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE || n < lo || n > hi)
            return text + " is out of range: it must be from " + std::to_string(lo) + " to " + std::to_string(hi);
        return "";
    };
}

}  // namespace

std::vector<std::string> library_path() {
    std::vector<std::string> out;
    if (const char* env = std::getenv("WEFT_PATH")) {
        std::stringstream ss(env);
        std::string part;
        while (std::getline(ss, part, ':'))
            if (!part.empty()) out.push_back(part);
    }
    out.push_back(library_dir());
    return out;
}

void add_runtime_flags(CLI::App& command, runtime_flags& flags, bool node) {
    command.add_option("--threads", flags.threads, "Worker threads (default: one per core)")->check(whole_number(1, 1024));
    command
        .add_option("--max-heap", flags.max_heap,
                    "Most memory one actor's heap may take, e.g. 512M or 2G; past it the actor ends with "
                    "MemoryError (default 1G; 0: no limit)")
        ->check([](const std::string& s) { return parse_size(s) ? std::string() : "expected a size such as 512M or 2G"; });
    command.add_option("--max-mailbox", flags.max_mailbox,
                       "Most messages one mailbox may hold; past it the receiver ends with MemoryError (default 0: "
                       "no limit)")
        ->check(whole_number(0, std::uint64_t{1} << 40));
    command.add_option("--max-actors", flags.max_actors, "Most actors alive at once (default 4194304)")
        ->check(whole_number(1, (std::uint64_t{1} << 31) - 1));
    CLI::Option* name = command.add_option(
        "--name", flags.name, "This node's name, NAME@HOST:PORT (port 0: any free port); makes it a node of a cluster");
    if (node) name->required();
    command.add_option("--cookie-file", flags.cookie_file,
                       "The cluster's shared secret (default: $WEFT_COOKIE_FILE, else ~/.weft/cookie, made when "
                       "absent); must not be readable by group or others");
    command.add_option("--tick-ms", flags.tick_ms,
                       "Heartbeat in milliseconds; a peer silent for four ticks is declared down (default 1000)")
        ->check(whole_number(10, 600'000));
    command
        .add_option("--send-queue-limit", flags.send_queue_limit,
                    "Bytes a connection to another node may hold unwritten, of small messages and apart of large "
                    "ones, before their senders pause until it drains (default 16M)")
        ->check([](const std::string& s) {
            auto n = parse_size(s);
            return n && *n > 0 ? std::string() : "expected a size above 0 such as 512K or 64M";
        });
    CLI::Option* cert = command.add_option(
        "--tls-cert", flags.tls_cert,
        "Mutual TLS between nodes: this node's certificate (PEM), signed by the --tls-ca and naming its host");
    CLI::Option* key = command.add_option("--tls-key", flags.tls_key,
                                          "The certificate's private key (PEM); must not be readable by group or others");
    CLI::Option* ca = command.add_option("--tls-ca", flags.tls_ca,
                                         "The certificate of the CA that signs the cluster's nodes (PEM)");
    for (CLI::Option* o : {cert, key, ca}) {
        o->needs(name);
        for (CLI::Option* other : {cert, key, ca})
            if (other != o) o->needs(other);
    }
    command.add_option("--observe", flags.observe,
                       "Serve the live web observer on HOST:PORT (port 0: any free one; the URL is printed). "
                       "An address other than loopback needs the printed token, made from the cookie")
        ->type_name("HOST:PORT");
}

void run_outcome::ended(term r, pid by_link) {
    std::lock_guard<std::mutex> lock(mutex);
    reason = std::move(r);
    ended_by_link = by_link;
    changed.notify_all();
}

void run_outcome::signalled(int s) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!runtime_up) {  // loading, or done: no actor to stop, output to keep
        std::fflush(stdout);
        ::_exit(128 + s);
    }
    signo = s;
    changed.notify_all();
}

void run_outcome::set_runtime_up(bool up) {
    std::lock_guard<std::mutex> lock(mutex);
    runtime_up = up;
}

interp::load_options standard_load_options(const std::string& path, const std::vector<std::string>& args) {
    interp::load_options lo;
    lo.search_path = library_path();
    lo.argv.push_back(path);  // sys.argv: as Python's, the program as given, then its arguments
    lo.argv.insert(lo.argv.end(), args.begin(), args.end());
    for (const interp::native_module* m : weft::lib::standard_modules()) lo.natives.push_back(m);
    return lo;
}

std::unique_ptr<interp::program> load_for_run(const std::string& path, console& out,
                                              const interp::line_writer& writer, int& status,
                                              const std::vector<std::string>& args) {
    using namespace weft::interp;
    std::string error;
    std::optional<source_file> file = read_source_file(path, error);
    if (!file) {
        out.report("weft: " + error + "\n");
        status = exit_usage;
        return nullptr;
    }
    load_options lo = standard_load_options(path, args);
    lo.out = writer;
    try {
        return load_program_source(file->path, std::move(file->text), lo);
    } catch (const load_error& e) {
        out.report(e.report);
        status = e.exit_code ? *e.exit_code : e.status == 2 ? exit_usage : exit_failure;
        return nullptr;
    }
}

runtime_options make_runtime_options(const runtime_flags& flags, console& out) {
    runtime_options ro;
    ro.threads = flags.threads;
    ro.max_heap_bytes = *parse_size(flags.max_heap);
    ro.max_mailbox = flags.max_mailbox;
    ro.max_actors = flags.max_actors;
    ro.on_crash = [&out](pid, const term&, const std::string& report) { out.report(report); };
    return ro;
}

std::string become_node(runtime& rt, const runtime_flags& flags, const interp::script_config& cfg) {
    if (flags.name.empty()) return "";
    cluster::node_options no;
    no.name = flags.name;
    no.tick = std::chrono::milliseconds(flags.tick_ms);
    no.send_queue_limit = *parse_size(flags.send_queue_limit);
    if (!flags.tls_cert.empty()) no.tls = cluster::tls_files{flags.tls_cert, flags.tls_key, flags.tls_ca};
    try {
        std::optional<std::string> file;
        if (!flags.cookie_file.empty()) file = flags.cookie_file;
        no.cookie = cluster::load_cookie(file);
    } catch (const cluster::cookie_error& e) {
        return e.what();
    }
    no.spawner = [&rt, &cfg](const spawn_request_frame& r) -> std::variant<pid, std::string> {
        // `weft repl --remote` asks for a shell of this node's (repl_remote.hpp).
        if (r.module == remote_shell_module && r.function == remote_shell_function)
            return open_remote_shell(rt, runtime::remote_parent{r.parent, r.link, r.monitor});
        std::uint64_t hash = 0;
        for (std::size_t i = 0; i < r.module_hash.size() && i < 8; ++i)
            hash |= std::uint64_t(std::to_integer<std::uint8_t>(r.module_hash[i])) << (8 * i);
        return interp::spawn_for_peer(rt, cfg, r.module, r.function, hash, r.args.get(),
                                      runtime::remote_parent{r.parent, r.link, r.monitor});
    };
    try {
        cluster::node::start(rt, std::move(no));
        // A node serves samples of itself to `weft top NODE`.
        observe::start_sample_server(rt);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

std::string start_observer(runtime& rt, const runtime_flags& flags, console& out) {
    if (flags.observe.empty()) return "";
    try {
        auto cookie = [&flags] {
            std::optional<std::string> file;
            if (!flags.cookie_file.empty()) file = flags.cookie_file;
            return cluster::load_cookie(file);
        };
        observe::web_server& server = observe::web_server::start(rt, flags.observe, cookie);
        out.report("weft: observer at " + server.url() + "\n");
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace weft::tools
