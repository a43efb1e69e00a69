// stdin_reader.hpp: this process's standard input, read for actors (input(),
// sys.stdin) without blocking a worker or the io service.
//
// One thread per runtime, started on first use, waits on fd 0 with poll and
// reads it: epoll cannot watch a regular file (stdin redirected from one),
// and putting a terminal's descriptor in non-blocking mode would leave it so
// for the shell after us. Requests are served in order; the bytes read past
// a line wait in a buffer for the next request. The answer goes to the
// asking actor as ("weft.reply", tag, ("ok", bytes) or ("eof",)).
//
// It must never read stdin from another thread, and never keep the runtime
// from stopping (its poll wakes every 100 ms while a request waits).
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "actors/extension.hpp"
#include "actors/runtime.hpp"

namespace weft::io {

class stdin_reader final : public runtime_extension {
public:
    explicit stdin_reader(runtime& rt, int fd = 0);
    ~stdin_reader() override;  // stop()

    enum class amount { line, all };
    // Any thread: reads a line (with its '\n'; the rest at the end) or all
    // that is left, and answers `to` with it.
    void ask(pid to, ref tag, amount what);

    void stop() noexcept override;

private:
    struct request {
        pid to;
        ref tag;
        amount what;
    };
    void serve();
    // Reads more into buffer_; false at the end (or on an error, or stop).
    bool fill();

    runtime& rt_;
    int fd_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<request> requests_;  // under mutex_
    bool stopping_ = false;         // under mutex_
    std::string buffer_;            // the reading thread's
    bool at_end_ = false;           // the reading thread's
    std::thread thread_;
};

// The reader of this runtime, made on first use.
stdin_reader& stdin_reader_of(runtime& rt);

}  // namespace weft::io
