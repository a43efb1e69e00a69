// service.hpp: the runtime's one asio io_context and the threads that run it,
// for sockets, timers and process pipes (DESIGN.md, io/). The cluster and the
// I/O builtins share it: whichever needs it first makes it.
//
// Completion handlers run on the service's threads, never on a worker: they
// must not block, and they reach actors only by sending them messages
// (runtime::post and the like), so nothing here knows script.
#pragma once
#include <asio/io_context.hpp>
#include <asio/executor_work_guard.hpp>
#include <thread>
#include <vector>

#include "actors/extension.hpp"
#include "actors/runtime.hpp"

namespace weft::io {

class service final : public runtime_extension {
public:
    explicit service(unsigned threads = 1);
    ~service() override;  // stop(), then joins the threads
    service(const service&) = delete;
    service& operator=(const service&) = delete;

    asio::io_context& context() noexcept { return context_; }
    // Ends the handlers' loop and joins its threads; pending operations are abandoned.
    void stop() noexcept override;

private:
    asio::io_context context_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

// The service of this runtime, made (with one thread) on first use.
service& service_of(runtime& rt);

}  // namespace weft::io
