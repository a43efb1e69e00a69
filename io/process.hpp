// process.hpp: running a program as a child process without a thread of its
// own: posix_spawn, the child's pipes on the runtime's io service, its end
// seen through a pidfd (epoll, as the pipes), a timeout on the same timers.
// When the child has ended and its pipes are drained, the answer goes to the
// actor that asked as a message, as the file pool's do (file_pool.hpp).
//
// It must never block a thread of the io service (every read, write and wait
// is asynchronous) and never leave a child behind: a timed-out child is
// killed (SIGKILL) and reaped, and so is every child still running when the
// runtime stops. Nothing here knows script.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/runtime.hpp"
#include "serialize/term.hpp"

namespace weft::io {

struct process_request {
    std::vector<std::string> argv;               // argv[0] without a '/' is looked up on PATH (env's, when given)
    std::optional<std::string> cwd;              // the child's working folder
    std::optional<std::vector<std::string>> env; // "NAME=value" each; the parent's environment when absent
    std::optional<std::string> input;            // written to its stdin, which then closes; else stdin is /dev/null
    bool capture = false;                        // stdout and stderr to the answer; else the parent's own
    std::optional<std::chrono::milliseconds> timeout;  // then SIGKILL
};

struct process_outcome {
    int spawn_errno = 0;   // the program could not start (ENOENT, EACCES ...): nothing else is set
    int exit_code = 0;     // its exit status, or -N when signal N ended it (as Python's returncode)
    bool timed_out = false;
    std::string out, err;  // what it wrote, when captured
};

// Any thread: starts the child now (on the io service) and, once it ends,
// sends `answer(outcome)` to `to`, tagged with `tag` as ("weft.reply", tag,
// answer). `answer` runs on the io thread; it must not block.
// Returns what kills the child (SIGKILL) if it still runs, from any thread,
// for the asking actor to call if it ends first: its answer then goes
// nowhere. The function must not outlive the runtime.
std::function<void()> run_process(runtime& rt, pid to, ref tag, process_request request,
                                  std::function<term(const process_outcome&)> answer);

// The same in this thread, waiting for the child: for code that runs
// before any runtime (a program's module-level code as it loads).
process_outcome run_process_now(process_request request);

}  // namespace weft::io
