// session.hpp: what `weft run` and `weft node` share: the runtime's flags
// (threads, limits, the node's name, cookie and tick), loading the program
// with the standard library, the runtime's options, becoming a node, and how
// a run ends (main's end or a stop signal).
//
// It must never print anything but through the console (stdout's order with
// stderr is the console's job).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actors/runtime.hpp"
#include "interp/actor/script_actor.hpp"
#include "interp/load/loader.hpp"
#include "tools/console.hpp"

namespace CLI {
class App;
}

namespace weft::tools {

struct runtime_flags {
    unsigned threads = 0;          // 0: one per core
    std::string max_heap = "1G";   // per script actor; "0": no limit
    std::size_t max_mailbox = 0;   // 0: no limit
    std::size_t max_actors = std::size_t{1} << 22;
    std::string name;              // NAME@HOST:PORT: a node of a cluster
    std::string cookie_file;       // "": $WEFT_COOKIE_FILE, else ~/.weft/cookie
    unsigned tick_ms = 1000;       // heartbeat; a peer silent for 4 ticks is down
    std::string send_queue_limit = "16M";  // per connection, before senders pause
    std::string tls_cert, tls_key, tls_ca;  // all three: mutual TLS between nodes
    std::string observe;           // HOST:PORT of the web observer, or ""
};
// Registers the flags on a command; `node` makes --name required.
void add_runtime_flags(CLI::App& command, runtime_flags& flags, bool node);

// How a run ends: main's reason (weft run), or the stop signal that came
// first. Set by main's watcher actor or by the signal thread; read by the
// tool's thread.
struct run_outcome {
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<term> reason;
    pid ended_by_link;  // the linked actor whose end ended main, if one did
    // The run's `ending` hook already ran, on main's end (a deterministic
    // run); written before ended(), read after it.
    bool ending_ran = false;
    std::string stuck;  // weft run's report of a run that can never go on
    int signo = 0;
    bool runtime_up = false;  // before and after: nothing to stop in order

    // main's actor, once spawned (written before main_spawned is set, with
    // release). Once it has ended the program is over: an actor that ends on
    // the way out (an acceptor whose listener main owned) is no crash to
    // report.
    std::atomic<bool> main_spawned{false};
    runtime* rt = nullptr;
    pid main_pid;
    bool main_over() const { return main_spawned.load(std::memory_order_acquire) && !rt->alive(main_pid); }

    void ended(term r, pid by_link = {});
    // A stop signal: records it, or with no runtime up ends the process at
    // once, stdout flushed (status 128 + signo).
    void signalled(int s);
    void set_runtime_up(bool up);
};

// How `weft run` loads `path`: the standard library's native modules, and
// WEFT_PATH then lib/ for `import`.
interp::load_options standard_load_options(const std::string& path, const std::vector<std::string>& args = {});

// The program at `path` with the standard library, printing through `out`;
// nullptr after reporting why not (then `status` says how to exit).
std::unique_ptr<interp::program> load_for_run(const std::string& path, console& out,
                                              const interp::line_writer& writer, int& status,
                                              const std::vector<std::string>& args = {});

// Where `import` looks after the program's own folder: WEFT_PATH's folders,
// then the library written in Weft script (lib/*.weft: gen_server,
// supervisor, task ...).
std::vector<std::string> library_path();

runtime_options make_runtime_options(const runtime_flags& flags, console& out);

// With --name: makes `rt` a node (the cookie read, the port bound), serving
// other nodes' spawns of `cfg`'s functions. "" when done or not asked for,
// else what went wrong, for the user.
std::string become_node(runtime& rt, const runtime_flags& flags, const interp::script_config& cfg);

// With --observe: starts the web observer (tools/observe/web_server.hpp)
// and prints its URL on stderr. "" when done or not asked for, else what
// went wrong, for the user (a bad address, the port in use).
std::string start_observer(runtime& rt, const runtime_flags& flags, console& out);

}  // namespace weft::tools
