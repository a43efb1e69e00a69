// service.cpp: see service.hpp.
#include "io/service.hpp"

#include <pthread.h>
#include <signal.h>

#include <memory>

namespace weft::io {

service::service(unsigned threads) : work_(asio::make_work_guard(context_)) {
    if (threads == 0) threads = 1;
    for (unsigned i = 0; i < threads; ++i)
        threads_.emplace_back([this] {
            // A write to a pipe or socket whose reader is gone must fail
            // with EPIPE here, not end the process with SIGPIPE (a program
            // embedding the runtime may not ignore the signal as weft does).
            sigset_t pipe;
            sigemptyset(&pipe);
            sigaddset(&pipe, SIGPIPE);
            pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
            context_.run();
        });
}

service::~service() { stop(); }

// Joins its threads (unless called from one of them): once stop() returns, no
// completion handler runs any more, so the extensions that own sockets on this
// context may go.
void service::stop() noexcept {
    work_.reset();
    context_.stop();
    for (std::thread& t : threads_)
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
}

service& service_of(runtime& rt) {
    static const char key = 0;  // its address names the extension; never written
    return static_cast<service&>(rt.extension(&key, [] { return std::make_unique<service>(1); }));
}

}  // namespace weft::io
