// file_pool.cpp: see file_pool.hpp.
#include "io/file_pool.hpp"

#include <asio/post.hpp>
#include <memory>

#include "actors/remote.hpp"

namespace weft::io {

file_pool::file_pool(runtime& rt, unsigned threads) : rt_(rt), pool_(threads == 0 ? 1 : threads) {}

file_pool::~file_pool() { stop(); }

void file_pool::ask(pid to, ref tag, std::function<term()> job) {
    asio::post(pool_, [this, to, tag, job = std::move(job)] {
        term result = job();
        rt_.send(to, term::tuple({term::str(remote_reply_tag), term(tag), std::move(result)}));
    });
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
