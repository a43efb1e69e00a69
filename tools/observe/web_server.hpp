// web_server.hpp: the live web observer (`weft run --observe HOST:PORT`):
// an HTTP and WebSocket server on the runtime's io_context (io/) that
// serves the observer's page and its data:
//   GET /                 the page (observer_page.hpp), self-contained
//   GET /sample.json      one sample (snapshot.hpp), ?sort=&limit=
//   GET /actor.json?pid=  one actor's detail: process_info, its links and
//                         monitors, and its oldest queued messages
//   GET /ws               WebSocket: a sample every second; and a trace of
//                         one actor when the page asks (actor_trace.hpp)
// On a loopback address it asks for nothing; on any other address every
// request must carry ?token= (access_token.hpp), else 403.
//
// Requests are parsed with limits (http_request.hpp); a malformed one gets
// 400 and a close, never more. Samples are taken on a thread of the
// observer's own (their cost, docs/observer.md, grows with the actors), so
// the io thread, which the cluster's connections share, never waits for
// one. It must never block the io thread on an actor: a peek is a signal,
// answered later.
#pragma once
#include <asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <string>

#include "actors/extension.hpp"
#include "actors/runtime.hpp"

namespace weft::tools::observe {

class web_server final : public runtime_extension {
public:
    // Listens on `address` (HOST:PORT, port 0: any free one). `cookie` is
    // asked for only when HOST is not loopback (it may throw). Throws
    // std::runtime_error naming the cause: a bad address, the port in use,
    // no cookie.
    static web_server& start(runtime& rt, const std::string& address, const std::function<std::string()>& cookie);

    // The URL to open: http://HOST:PORT/ with ?token=... when one is needed.
    std::string url() const;

    web_server(runtime& rt);
    ~web_server() override;
    void stop() noexcept override;

    struct impl;

private:
    // The sampling thread: before impl_, so that it is joined (stop()) while
    // what its jobs use is still there, and never by one of its own jobs.
    asio::thread_pool sampling_{1};
    std::shared_ptr<impl> impl_;
};

}  // namespace weft::tools::observe
