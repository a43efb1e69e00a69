// web_session.hpp: the web observer's listener state (web_server::impl)
// and one connection to it (internal to web_server.cpp and
// web_session.cpp).
//
// Every handler of one connection runs on that connection's strand, so a
// connection's state needs no lock; what the listener shares between
// connections (the /sample.json sampler) has a mutex. A connection reads
// one request at a time and answers it before it parses the next, so
// answers keep the requests' order even when one waits for an actor.
// It must never block the io thread on an actor.
#pragma once
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actors/runtime.hpp"
#include "tools/observe/http_request.hpp"
#include "tools/observe/snapshot.hpp"
#include "tools/observe/web_server.hpp"

namespace weft::tools::observe {

struct web_server::impl : std::enable_shared_from_this<web_server::impl> {
    impl(runtime& r, asio::io_context& c, asio::thread_pool& s) : rt(r), io(c), sampling_thread(s), acceptor(c) {}

    // Throws std::runtime_error naming the cause (the port in use ...).
    void listen(const asio::ip::tcp::endpoint& at, const std::string& address, std::string access_token);
    std::string url() const;
    void stop() noexcept;
    void accept_next();

    runtime& rt;
    asio::io_context& io;
    asio::thread_pool& sampling_thread;  // web_server's; it outlives every job
    asio::ip::tcp::acceptor acceptor;
    std::string host;  // as the URL shows it
    std::uint16_t port = 0;
    std::string token;  // "" on loopback: none asked for
    std::atomic<bool> stopped{false};  // release/acquire: set once, read by every handler

    // /sample.json's sampler, shared by the connections; used on the
    // sampling thread only (one thread: the mutex is for clarity's sake
    // should it ever have more).
    std::mutex sampling;
    std::optional<sampler> shared_sampler;
};

class web_session : public std::enable_shared_from_this<web_session> {
public:
    web_session(std::shared_ptr<web_server::impl> server, asio::ip::tcp::socket socket);
    void start();
    // From any thread: ends the connection on its strand.
    void close();

private:
    void read_more();
    void on_bytes(std::size_t n);
    void parse_requests();
    void handle(const http_request& req);
    void answer_detail(const http_request& req);
    void start_websocket(const http_request& req);
    void on_websocket_bytes();
    void on_websocket_text(const std::string& text);
    void push_sample();
    void schedule_sample();
    void send(std::string bytes, bool close_after = false);
    void write_next();
    void respond(int status, std::string_view type, std::string_view body, bool keep_alive = true);

    std::shared_ptr<web_server::impl> server_;
    asio::ip::tcp::socket socket_;
    asio::strand<asio::io_context::executor_type> strand_;
    std::array<char, 4096> read_buf_{};
    std::string pending_;  // bytes read, not parsed yet
    request_reader reader_;
    std::deque<std::string> out_;
    bool writing_ = false;
    bool close_after_write_ = false;
    bool waiting_ = false;  // an answer is on its way: parse nothing more
    bool websocket_ = false;
    bool tracing_ = false;  // a trace (actor_trace.hpp) is being collected for this page
    bool closed_ = false;
    asio::steady_timer tick_;
    std::optional<sampler> ws_sampler_;  // used on the sampling thread only
};

}  // namespace weft::tools::observe
