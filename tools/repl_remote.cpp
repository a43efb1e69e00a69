// repl_remote.cpp: the remote shell, both sides (see repl_remote.hpp).
#include "tools/repl_remote.hpp"

#include <pthread.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "actors/exit_reason.hpp"
#include "interp/actor/reply.hpp"
#include "lib/modules.hpp"
#include "serialize/codec.hpp"
#include "serialize/ids.hpp"
#include "tools/big_stack.hpp"
#include "tools/commands.hpp"
#include "tools/exit_status.hpp"
#include "tools/repl_front_end.hpp"
#include "tools/session.hpp"

namespace weft::tools {

namespace {

term tagged(const char* tag) { return term::tuple({term::str(tag)}); }
term tagged(const char* tag, term x) { return term::tuple({term::str(tag), std::move(x)}); }

bool is_tagged(const term& t, std::string_view tag, std::size_t size) {
    return t.is_tuple() && t.size() == size && t[0].is_str() && t[0].as_str() == tag;
}

// -- the node's side ---------------------------------------------------------------

// The lines of a client's terminal, as its door pushes them; a prompt asks
// the client for the next one.
class message_reader final : public line_reader {
public:
    struct item {
        enum class kind { line, eof, interrupt } what;
        std::string text;
    };
    message_reader(runtime& rt, pid relay) : rt_(rt), relay_(relay) {}

    status read(const std::string& prompt, std::string& line) override {
        rt_.send(relay_, tagged("read", term::str(prompt)));
        std::unique_lock<std::mutex> lock(mutex_);
        pushed_.wait(lock, [this] { return !items_.empty(); });
        item it = std::move(items_.front());
        if (it.what != item::kind::eof) items_.pop_front();  // the end stays the end
        switch (it.what) {
        case item::kind::line: line = std::move(it.text); return status::line;
        case item::kind::eof: return status::eof;
        case item::kind::interrupt: return status::interrupted;
        }
        return status::eof;
    }

    bool interrupted() override {
        std::lock_guard<std::mutex> lock(mutex_);
        if (items_.empty() || items_.front().what != item::kind::interrupt) return false;
        items_.pop_front();
        return true;
    }

    void push(item it) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            items_.push_back(std::move(it));
        }
        pushed_.notify_one();
    }

private:
    runtime& rt_;
    pid relay_;
    std::mutex mutex_;
    std::condition_variable pushed_;
    std::deque<item> items_;
};

// The shell's output, sent to the client's relay.
class forward_output final : public shell_output {
public:
    forward_output(runtime& rt, pid relay) : rt_(rt), relay_(relay) {}
    void write(std::string_view text, bool) override { rt_.send(relay_, tagged("out", term::str(text))); }
    void report(std::string_view text) override { rt_.send(relay_, tagged("err", term::str(text))); }
    void flush() override {}

private:
    runtime& rt_;
    pid relay_;
};

// One client's shell on this node: made by open_remote_shell, served by a
// thread of its own from the door's first step, kept until the runtime
// goes (actors spawned from it run its program's code).
struct remote_shell {
    remote_shell(runtime& rt, pid client)
        : relay(client), reader(rt, client), out(rt, client),
          shell(out, [this](std::string_view text, bool) { out.write(text, false); }) {}

    pid relay;
    message_reader reader;
    forward_output out;
    shell_instance shell;
    std::thread thread;
};

// The remote shells of one runtime. stop() ends their front ends (the
// runtime is stopping); their programs go with the runtime, after its actors.
class remote_shells final : public runtime_extension {
public:
    remote_shell& add(runtime& rt, pid client) {
        std::lock_guard<std::mutex> lock(mutex_);
        shells_.push_back(std::make_unique<remote_shell>(rt, client));
        return *shells_.back();
    }
    void start(runtime& rt, remote_shell& rs) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ || rs.thread.joinable()) return;
        rs.thread = std::thread([&rt, &rs] {
            int status = exit_failure;
            // The front end parses: on a stack of known size (big_stack.hpp).
            run_on_big_stack([&] { status = rs.shell.serve(rt, rs.reader, true); });
            rt.send(rs.relay, tagged("ended", term(std::int64_t(status))));
        });
    }
    void stop() noexcept override {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        for (auto& rs : shells_) {
            rs->shell.quit();
            rs->reader.push({message_reader::item::kind::eof, {}});
            if (rs->thread.joinable()) rs->thread.join();
        }
    }

private:
    std::mutex mutex_;
    bool stopping_ = false;
    std::vector<std::unique_ptr<remote_shell>> shells_;
};

remote_shells& remote_shells_of(runtime& rt) {
    static const char key = 0;  // its address names the extension
    return static_cast<remote_shells&>(rt.extension(&key, [] { return std::make_unique<remote_shells>(); }));
}

}  // namespace

std::variant<pid, std::string> open_remote_shell(runtime& rt, const runtime::remote_parent& from) {
    remote_shell* rs = nullptr;
    try {
        rs = &remote_shells_of(rt).add(rt, from.parent);
    } catch (const interp::load_error& e) {
        return "the shell cannot start on node " + rt.node_name() + ": " + e.report;
    }
    // The door: takes the client's lines, and its first step (after the
    // spawn's answer is on its way) starts the front end, whose first
    // prompt must not overtake that answer.
    return rt.spawn_held(
        stackless,
        [&rt, rs, started = false](actor& self) mutable {
            using kind = message_reader::item::kind;
            if (!started) {
                started = true;
                self.monitor(rs->relay);  // a client that goes is an end of input
                remote_shells_of(rt).start(rt, *rs);
            }
            while (std::optional<message> m = self.try_receive()) {
                term t = decode(m->view());
                if (is_tagged(t, "line", 2) && t[1].is_str()) {
                    rs->reader.push({kind::line, std::string(t[1].as_str())});
                } else if (is_tagged(t, "interrupt", 1)) {
                    rs->reader.push({kind::interrupt, {}});
                } else if (is_tagged(t, "eof", 1) || is_tagged(t, "DOWN", 4)) {
                    rs->reader.push({kind::eof, {}});
                    return step_result::done;
                }
            }
            return step_result::wait;
        },
        from);
}

// -- the client's side -------------------------------------------------------------

namespace {

// What the relay tells the client's front end.
struct client_event {
    enum class kind { opened, read, ended } what;
    pid door;
    std::string text;  // read: the prompt; ended: why, when it is no status
    int status = 0;
};

class client_events {
public:
    void post(client_event e) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.push_back(std::move(e));
        }
        posted_.notify_one();
    }
    std::optional<client_event> next(std::chrono::milliseconds timeout) {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!posted_.wait_for(lock, timeout, [this] { return !queue_.empty(); })) return std::nullopt;
        client_event e = std::move(queue_.front());
        queue_.pop_front();
        return e;
    }

private:
    std::mutex mutex_;
    std::condition_variable posted_;
    std::deque<client_event> queue_;
};

// The client's relay: asks the node for a shell, then prints what the
// shell writes and passes its prompts to the front end.
pid start_relay(runtime& rt, const std::string& node, console& out, client_events& events) {
    return rt.spawn(stackless, [&rt, node, &out, &events, asked = false, tag = ref{}](actor& self) mutable {
        if (!asked) {
            asked = true;
            remote_nodes* nodes = rt.remote();
            tag = self.make_ref();
            std::optional<ref> monitor = self.expect_monitor(pid{node_id_of(node), 0, 0});
            envelope* args = envelope::acquire();
            encode(term::tuple({}), *args);
            nodes->spawn(node, remote_nodes::spawn_call{remote_shell_module, remote_shell_function, 0, args, false, monitor},
                         self.self(), tag);
            return step_result::wait;
        }
        while (std::optional<message> m = self.try_receive()) {
            term t = decode(m->view());
            if (is_tagged(t, "out", 2)) {
                out.write(t[1].as_str(), false);
            } else if (is_tagged(t, "err", 2)) {
                out.report(t[1].as_str());
            } else if (is_tagged(t, "read", 2)) {
                events.post({client_event::kind::read, pid{}, std::string(t[1].as_str())});
            } else if (is_tagged(t, "ended", 2) && t[1].is_int()) {
                events.post({client_event::kind::ended, pid{}, {}, int(t[1].as_int())});
            } else if (is_tagged(t, remote_reply_tag, 3)) {
                if (t[2].is_pid())
                    events.post({client_event::kind::opened, t[2].as_pid(), {}, 0});
                else
                    events.post({client_event::kind::ended, pid{}, "node " + node + " opened no shell: " + t[2].repr(),
                                 exit_usage});
            } else if (is_tagged(t, "DOWN", 4) && !exit_reason::is_normal(t[3])) {
                events.post({client_event::kind::ended, pid{}, "the shell on node " + node + " is gone: " + t[3].repr(),
                             exit_failure});
            }
        }
        return step_result::wait;
    });
}

// NAME@HOST:PORT's host, for a name of our own on the same network.
std::string host_of(const std::string& node) {
    auto at = node.find('@');
    auto colon = node.rfind(':');
    if (at == std::string::npos || colon == std::string::npos || colon < at) return "127.0.0.1";
    return node.substr(at + 1, colon - at - 1);
}

int client_main(const repl_options& options, bool terminal, const sigset_t* unblock) {
    console out;
    runtime_flags flags = options.flags;
    if (flags.name.empty()) flags.name = "repl" + std::to_string(::getpid()) + "@" + host_of(options.remote) + ":0";
    // A node serves other nodes' spawns of its program's functions: this
    // one has none (an empty program).
    interp::load_options lo;
    for (const interp::native_module* m : weft::lib::standard_modules()) lo.natives.push_back(m);
    std::unique_ptr<interp::program> prog = interp::load_program_source("weft_repl_client", "", lo);
    interp::script_config cfg{prog.get()};
    runtime rt(make_runtime_options(flags, out));
    if (std::string error = become_node(rt, flags, cfg); !error.empty()) {
        rt.stop();
        out.report("weft: " + error + "\n");
        return exit_usage;
    }
    client_events events;
    start_relay(rt, options.remote, out, events);
    std::unique_ptr<line_reader> reader;
    if (terminal) {
        reader = make_terminal_reader([](std::string_view w) { return completions_of(nullptr, w); },
                                      default_history_file());
        out.write("Weft " WEFT_VERSION " shell on " + options.remote + ". help() lists the builtins; Ctrl-D leaves.\n",
                  true);
    } else {
        reader = make_pipe_reader();
    }
    if (unblock) pthread_sigmask(SIG_UNBLOCK, unblock, nullptr);
    pid door;
    bool opened = false;
    int status = exit_failure;
    for (bool done = false; !done;) {
        std::optional<client_event> e = events.next(std::chrono::milliseconds(100));
        if (!e) {
            if (reader->interrupted() && opened) rt.send(door, tagged("interrupt"));  // Ctrl-C while an input runs
            continue;
        }
        switch (e->what) {
        case client_event::kind::opened:
            door = e->door;
            opened = true;
            break;
        case client_event::kind::read: {
            out.flush();  // what the shell printed comes before the prompt
            std::string line;
            switch (reader->read(e->text, line)) {
            case line_reader::status::line:
                reader->remember(line);
                rt.send(door, tagged("line", term::str(line)));
                break;
            case line_reader::status::eof: rt.send(door, tagged("eof")); break;
            case line_reader::status::interrupted: rt.send(door, tagged("interrupt")); break;
            }
            break;
        }
        case client_event::kind::ended:
            if (!e->text.empty()) out.report("weft: " + e->text + "\n");
            status = e->status;
            done = true;
            break;
        }
    }
    if (unblock) pthread_sigmask(SIG_BLOCK, unblock, nullptr);
    rt.stop();
    out.flush();
    return status;
}

}  // namespace

int run_remote_repl(const repl_options& options) {
    const bool terminal = ::isatty(STDIN_FILENO);
    sigset_t sigint;  // as run_repl: Ctrl-C is the reading thread's alone
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    if (terminal) pthread_sigmask(SIG_BLOCK, &sigint, nullptr);
    int status = exit_failure;
    run_on_big_stack([&] { status = client_main(options, terminal, terminal ? &sigint : nullptr); });
    return status;
}

}  // namespace weft::tools
