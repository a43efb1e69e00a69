// top_command.cpp: `weft top [NODE]`: a terminal view of a node's actors,
// as etop does for BEAM: a header (actors, memory, messages/s, each
// worker's utilization and run queue, the cluster's nodes) and the top
// actors by reductions per interval, memory or queue length, redrawn every
// second. Keys: r, m and l choose the order; q or Ctrl-C quits (the
// terminal is restored). `--once --json` prints one sample and exits.
//
// With NODE (NAME@HOST:PORT of a `weft node` or `weft run --name`), this
// process joins that cluster as a node of its own, with the cookie, and
// asks the node's sample server; without NODE it shows its own runtime,
// which runs no program (useful for --once --json in scripts and tests).
//
// Exit status: 0; 1 when the node cannot be reached or gave no sample; 2
// for a bad command line or a live view without a terminal. It must never
// leave the terminal in raw mode (observe/terminal.hpp restores it) nor wait
// for a node without a deadline.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <optional>

#include "cluster/cookie.hpp"
#include "cluster/node.hpp"
#include "cluster/node_name.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/observe/remote_sampler.hpp"
#include "tools/observe/terminal.hpp"
#include "tools/observe/top_view.hpp"
#include "tools/stop_signals.hpp"

namespace weft::tools {

CLI::App* add_top_command(CLI::App& app, top_options& options) {
    CLI::App* top = app.add_subcommand(
        "top", "Watch a node's actors live (keys: r reductions, m memory, l queue length, q or Ctrl-C quit)");
    top->add_option("node", options.node, "The node, NAME@HOST:PORT (default: this process's own runtime)");
    top->add_flag("--once", options.once, "Print one sample and exit");
    top->add_flag("--json", options.json, "With --once: the sample as JSON (docs/observer.md)");
    top->add_option("--sort", options.sort, "reductions, memory or queue (default: reductions)")
        ->check([](const std::string& s) {
            return observe::parse_sort_key(s) ? std::string() : "must be reductions, memory or queue";
        });
    top->add_option("--limit", options.limit, "Actors in a --once sample (default 0: all)");
    top->add_option("--cookie-file", options.cookie_file,
                    "The cluster's cookie (default: $WEFT_COOKIE_FILE, else ~/.weft/cookie)");
    top->add_option("--timeout", options.timeout_ms, "Milliseconds to wait for a sample (default 5000)")
        ->check(CLI::Range(1u, 600000u));
    return top;
}

namespace {

// Where samples come from: this runtime, or another node through it.
class source {
public:
    explicit source(const top_options& o) : options_(o) {}

    // "" when ready, else why not.
    std::string open() {
        runtime_options ro;
        ro.threads = 1;
        rt_.emplace(ro);
        if (options_.node.empty()) {
            local_.emplace(*rt_);
            return "";
        }
        cluster::node_name_result target = cluster::parse_node_name(options_.node);
        if (!target) return target.error;
        cluster::node_options no;
        // A name of our own on the target's host, any port.
        no.name = "top_" + std::to_string(::getpid()) + "@" + target.value->host + ":0";
        try {
            std::optional<std::string> file;
            if (!options_.cookie_file.empty()) file = options_.cookie_file;
            no.cookie = cluster::load_cookie(file);
            no.log = [](const std::string&) {};  // errors come back as fetch_json's message
            cluster::node::start(*rt_, std::move(no));
        } catch (const std::exception& e) {
            return e.what();
        }
        remote_.emplace(*rt_, options_.node);
        return "";
    }

    // The sample as JSON; throws std::runtime_error when there is none.
    std::string fetch_json(const observe::sample_options& o) {
        if (local_) return observe::to_json(local_->take(o));
        return remote_->fetch_json(o, std::chrono::milliseconds(options_.timeout_ms));
    }

    ~source() {
        if (rt_) rt_->stop();
    }

private:
    const top_options& options_;
    std::optional<runtime> rt_;
    std::optional<observe::sampler> local_;
    std::optional<observe::remote_sampler> remote_;
};

int live(source& src, observe::sort_key key, std::atomic<bool>& stop) {
    std::optional<observe::terminal> term;
    try {
        term.emplace();
    } catch (const std::exception& e) {
        std::cerr << "weft top: " << e.what() << "\n";
        return exit_usage;
    }
    using clock = std::chrono::steady_clock;
    for (;;) {
        clock::time_point next = clock::now() + std::chrono::seconds(1);
        observe::sample_options o;
        o.sort = key;
        o.limit = std::size_t(std::max(1, term->rows()));
        std::string shown;
        try {
            std::optional<observe::sample> s = observe::sample_from_json(src.fetch_json(o));
            shown = s ? observe::render_top(*s, key, term->rows(), term->cols()) : "weft top: a bad sample";
        } catch (const std::exception& e) {
            term.reset();  // the message goes to the normal screen
            std::cerr << "weft top: " << e.what() << "\n";
            return exit_failure;
        }
        term->draw(shown);
        // Keys until the next second; a new order redraws at once.
        while (clock::now() < next) {
            if (stop.load(std::memory_order_acquire)) return exit_ok;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - clock::now());
            std::optional<char> k = term->read_key(int(std::min<long>(200, std::max<long>(1, left.count()))));
            if (!k) continue;
            if (*k == 'q' || *k == 3) return exit_ok;  // 3: Ctrl-C in raw mode
            std::optional<observe::sort_key> chosen = *k == 'r'   ? observe::sort_key::reductions
                                                       : *k == 'm' ? observe::sort_key::memory
                                                       : *k == 'l' ? observe::sort_key::queue
                                                                   : std::optional<observe::sort_key>{};
            if (chosen) {
                key = *chosen;
                break;
            }
        }
    }
}

}  // namespace

int run_top(const top_options& options) {
    if (options.json && !options.once) {
        std::cerr << "weft top: --json needs --once (the live view is for a terminal)\n";
        return exit_usage;
    }
    // SIGTERM (and SIGINT outside raw mode) end the view in order.
    std::atomic<bool> stop{false};
    stop_signals signals([&stop](int) { stop.store(true, std::memory_order_release); });
    source src(options);
    if (std::string why = src.open(); !why.empty()) {
        std::cerr << "weft top: " << why << "\n";
        return exit_usage;
    }
    observe::sort_key key = observe::parse_sort_key(options.sort).value_or(observe::sort_key::reductions);
    if (!options.once) return live(src, key, stop);
    observe::sample_options o;
    o.sort = key;
    o.limit = options.limit;
    std::string json;
    try {
        json = src.fetch_json(o);
    } catch (const std::exception& e) {
        std::cerr << "weft top: " << e.what() << "\n";
        return exit_failure;
    }
    if (options.json) {
        std::cout << json << "\n";
        return exit_ok;
    }
    std::optional<observe::sample> s = observe::sample_from_json(json);
    if (!s) return exit_failure;
    std::string text = observe::render_top(*s, key, int(s->actors.size()) + 8, 0);
    for (char& c : text)
        if (c == '\r') c = ' ';
    std::cout << text << "\n";
    return exit_ok;
}

}  // namespace weft::tools
