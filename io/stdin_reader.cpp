// stdin_reader.cpp: see stdin_reader.hpp.
#include "io/stdin_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "actors/remote.hpp"

namespace weft::io {

stdin_reader::stdin_reader(runtime& rt, int fd) : rt_(rt), fd_(fd) {
    thread_ = std::thread([this] { serve(); });
}

stdin_reader::~stdin_reader() { stop(); }

void stdin_reader::ask(pid to, ref tag, amount what) {
    {
        std::lock_guard guard(mutex_);
        requests_.push_back({to, tag, what});
    }
    // The reader waits on wake_ only with no request queued: notify after
    // the push, under no lock, is enough (it rechecks the queue under the
    // mutex before it waits).
    wake_.notify_one();
}

void stdin_reader::stop() noexcept {
    {
        std::lock_guard guard(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool stdin_reader::fill() {
    if (at_end_) return false;
    char chunk[65536];
    for (;;) {
        {
            std::lock_guard guard(mutex_);
            if (stopping_) return false;
        }
        pollfd p{fd_, POLLIN, 0};
        int ready = ::poll(&p, 1, 100);
        if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
        ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {  // the end, or stdin closed or unreadable: the end for the script
            at_end_ = true;
            return false;
        }
        buffer_.append(chunk, std::size_t(n));
        return true;
    }
}

void stdin_reader::serve() {
    for (;;) {
        request r;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !requests_.empty(); });
            if (stopping_) return;
            r = requests_.front();
            requests_.pop_front();
        }
        std::size_t end;
        if (r.what == amount::line) {
            while ((end = buffer_.find('\n')) == std::string::npos && fill()) {
            }
            end = end == std::string::npos ? buffer_.size() : end + 1;
        } else {
            while (fill()) {
            }
            end = buffer_.size();
        }
        term answer = end == 0 && at_end_ ? term::tuple({term::str("eof")})
                                          : term::tuple({term::str("ok"), term::bytes(buffer_.substr(0, end))});
        buffer_.erase(0, end);
        rt_.send(r.to, term::tuple({term::str(remote_reply_tag), term(r.tag), std::move(answer)}));
    }
}

stdin_reader& stdin_reader_of(runtime& rt) {
    static const char key = 0;  // its address names the extension; never written
    return static_cast<stdin_reader&>(rt.extension(&key, [&rt] { return std::make_unique<stdin_reader>(rt); }));
}

}  // namespace weft::io
