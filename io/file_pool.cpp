// file_pool.cpp: see file_pool.hpp.
#include "io/file_pool.hpp"

#include <asio/post.hpp>
#include <memory>

#include "actors/remote.hpp"

namespace weft::io {

file_pool::file_pool(runtime& rt, unsigned threads) : rt_(rt), pool_(threads == 0 ? 1 : threads) {}

file_pool::~file_pool() { stop(); }

void file_pool::ask(pid to, ref tag, std::function<term()> job) {
    auto answer = [this, to, tag, job = std::move(job)]() mutable {
        term result = job();
        // The job's captures go before the answer does: a file's descriptor
        // that the job shared is closed by then, so an actor that counts its
        // descriptors after the answer never sees one that is on its way out.
        job = nullptr;
        rt_.send(to, term::tuple({term::str(remote_reply_tag), term(tag), std::move(result)}));
    };
    // A deterministic run does the call here, on its one worker: the answer
    // is then in the asker's mailbox before anything else runs, the same on
    // every run. A file call is short; the run has one thread anyway.
    if (rt_.options().deterministic) return answer();
    asio::post(pool_, std::move(answer));
}

void file_pool::stop() noexcept {
    pool_.stop();
    pool_.join();
}

file_pool& file_pool_of(runtime& rt) {
    static const char key = 0;  // its address names the extension; never written
    return static_cast<file_pool&>(rt.extension(&key, [&rt] { return std::make_unique<file_pool>(rt, 2); }));
}

}  // namespace weft::io
