// file_pool.hpp: a few threads for the file system's blocking calls (stat,
// readdir, open, read, write, rename ...), as BEAM's dirty I/O schedulers. A
// worker thread never makes such a call: an actor asks the pool and parks,
// and the answer comes back to it as the message ("weft.reply", tag, result)
// (actors/remote.hpp: remote_reply_tag), which wakes it like any message.
//
// A job is plain C++ that returns a term; it must not touch any actor's heap
// or state (it runs on a pool thread), and must not block forever (each one
// holds a pool thread while it runs). Nothing here knows script.
#pragma once
#include <asio/thread_pool.hpp>
#include <functional>

#include "actors/extension.hpp"
#include "actors/runtime.hpp"
#include "serialize/term.hpp"

namespace weft::io {

class file_pool final : public runtime_extension {
public:
    file_pool(runtime& rt, unsigned threads);
    ~file_pool() override;  // stop(), then joins the threads
    file_pool(const file_pool&) = delete;
    file_pool& operator=(const file_pool&) = delete;

    // Any thread: runs `job` on a pool thread and sends what it returns to
    // `to`, tagged with `tag`. After stop(), jobs are dropped unrun.
    void ask(pid to, ref tag, std::function<term()> job);

    // Jobs not yet started are abandoned; running ones finish; joins.
    void stop() noexcept override;

private:
    runtime& rt_;
    asio::thread_pool pool_;
};

// The pool of this runtime, made on first use: two threads (a file system
// call mostly waits for a disk, so more threads than cores help little, and
// two keep one slow disk from stalling every other request).
file_pool& file_pool_of(runtime& rt);

}  // namespace weft::io
