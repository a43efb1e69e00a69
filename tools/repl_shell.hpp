// repl_shell.hpp: the actor side of `weft repl`: the shell's loop, and the
// native module `_shell` its loop and the prompt's builtins use to reach the
// front end (repl_command.cpp), which reads the terminal.
//
// The shell is a script actor running a loop written in Weft script
// (shell_loop_source), not a native actor driving a VM of its own: the
// actor builtins (spawn, send, receive, self ...) work on script actors,
// so every input runs as ordinary script code in that actor, with its
// mailbox as the shell's mailbox, its tracebacks and its limits. The loop
// asks the front end for each input (`_shell.read()`), which the front end
// reads, compiles and answers with the input's body as a function; the loop
// calls it, and the body shows its expressions' values (_shell.show). Waiting for an input parks the actor like
// any receive: it holds no thread.
//
// Nothing here reads the terminal or writes to it but through the console.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "actors/runtime.hpp"
#include "interp/compile/code.hpp"
#include "interp/objects/builtin_def.hpp"
#include "serialize/term.hpp"
#include "tools/console.hpp"

namespace weft::tools {

// What the shell's side asks of the front end, or tells it.
struct shell_request {
    enum class kind {
        read,   // the next input: answer ("ok", body function) or ("eof",)
        load,   // load(path): answer ("ok", [names]) or ("error", report)
        ended,  // the shell's actor ended with `reason` (its watcher says so)
        quit,   // the runtime is stopping: the front end returns
    };
    kind what;
    pid from;
    ref tag;
    std::string path;
    term reason;
};

// Where a shell's output goes: this process's console, or the terminal of
// a `weft repl --remote` on another node.
class shell_output {
public:
    virtual void write(std::string_view text, bool flush_now) = 0;  // stdout's text
    virtual void report(std::string_view text) = 0;                 // stderr's, after what was written
    virtual void flush() = 0;

protected:
    ~shell_output() = default;
};

class console_output final : public shell_output {
public:
    explicit console_output(console& c) : c_(c) {}
    void write(std::string_view text, bool flush_now) override { c_.write(text, flush_now); }
    void report(std::string_view text) override { c_.report(text); }
    void flush() override { c_.flush(); }

private:
    console& c_;
};

// The front end's inbox: any thread posts, the front end takes.
class shell_channel {
public:
    void post(shell_request r);
    // The oldest request, waiting at most `timeout` for one.
    std::optional<shell_request> next(std::chrono::milliseconds timeout);

private:
    std::mutex mutex_;
    std::condition_variable posted_;
    std::deque<shell_request> queue_;
};

// How `_shell`'s builtins find the front end: the module's per-program
// state, filled in once by the front end before any actor runs.
struct shell_links {
    shell_channel* channel = nullptr;
    shell_output* out = nullptr;
};
shell_links& shell_links_of(const interp::program& prog);

// `_shell`: read() and report(e) for the loop; flush(), help() and
// load(path), which the front end binds at the prompt.
const interp::native_module& shell_module() noexcept;
// The builtins bound at the prompt by their names.
std::span<const interp::builtin_def* const> prompt_builtins() noexcept;
// What each expression statement at the prompt calls with its value: it
// prints the repr, nothing for None.
const interp::builtin_def& display_builtin() noexcept;

// The loop, the module "weft_shell" (file "<shell>"); its `main()` is the
// shell actor's function.
extern const char* const shell_loop_source;
inline constexpr const char* shell_loop_module = "weft_shell";
inline constexpr const char* shell_loop_file = "<shell>";

// A traceback without the loop's own frames: what the user's code did.
std::string strip_shell_frames(const std::string& traceback);

}  // namespace weft::tools
