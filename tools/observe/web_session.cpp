// web_session.cpp: see web_session.hpp.
#include "tools/observe/web_session.hpp"

#include <asio/bind_executor.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "tools/observe/access_token.hpp"
#include "tools/observe/actor_detail.hpp"
#include "tools/observe/actor_trace.hpp"
#include "tools/observe/observer_page.hpp"
#include "tools/observe/websocket.hpp"

namespace weft::tools::observe {

namespace {
constexpr std::size_t table_rows = 1000;        // rows a sample sends the page at most
constexpr std::size_t peek_messages_shown = 10;
constexpr auto peek_patience = std::chrono::seconds(2);  // an actor busy in one long call answers late
constexpr std::size_t max_ws_frame = 64 * 1024;
constexpr std::size_t max_unsent = 4;  // samples for a slow WebSocket reader: skip, never pile up
constexpr std::size_t max_pending = 64 * 1024;

sample_options options_from(const http_request& req) {
    sample_options o;
    o.limit = table_rows;
    if (auto it = req.query.find("sort"); it != req.query.end())
        o.sort = parse_sort_key(it->second).value_or(sort_key::reductions);
    if (auto it = req.query.find("limit"); it != req.query.end()) {
        try {
            o.limit = std::stoul(it->second);
        } catch (const std::exception&) {
        }
    }
    return o;
}
}  // namespace

// ---- the listener ----

void web_server::impl::listen(const asio::ip::tcp::endpoint& at, const std::string& address, std::string access_token) {
    asio::error_code ec;
    acceptor.open(at.protocol(), ec);
    if (!ec) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(at, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("--observe " + address + ": " + ec.message());
    token = std::move(access_token);
    port = acceptor.local_endpoint().port();
    host = at.address().is_v6() ? "[" + at.address().to_string() + "]" : at.address().to_string();
    shared_sampler.emplace(rt);
    accept_next();
}

std::string web_server::impl::url() const {
    return "http://" + host + ":" + std::to_string(port) + "/" + (token.empty() ? "" : "?token=" + token);
}

void web_server::impl::stop() noexcept {
    if (stopped.exchange(true, std::memory_order_acq_rel)) return;
    // On the io thread, as every other use of the acceptor; the io service
    // stops after this extension, and its end frees what is still queued.
    asio::post(io, [self = shared_from_this()] {
        asio::error_code ignored;
        self->acceptor.close(ignored);
    });
}

void web_server::impl::accept_next() {
    acceptor.async_accept([self = shared_from_this()](asio::error_code ec, asio::ip::tcp::socket s) {
        if (self->stopped.load(std::memory_order_acquire) || ec == asio::error::operation_aborted) return;
        if (!ec) std::make_shared<web_session>(self, std::move(s))->start();
        self->accept_next();  // a failed accept (no descriptors) is no reason to stop listening
    });
}

// ---- one connection ----

web_session::web_session(std::shared_ptr<web_server::impl> server, asio::ip::tcp::socket socket)
    : server_(std::move(server)),
      socket_(std::move(socket)),
      strand_(asio::make_strand(server_->io)),
      tick_(strand_) {}

void web_session::start() {
    asio::post(strand_, [self = shared_from_this()] { self->read_more(); });
}

void web_session::close() {
    asio::post(strand_, [self = shared_from_this()] {
        if (self->closed_) return;
        self->closed_ = true;
        asio::error_code ignored;
        self->tick_.cancel();
        self->socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        self->socket_.close(ignored);
    });
}

void web_session::read_more() {
    if (closed_ || server_->stopped.load(std::memory_order_acquire)) return close();
    socket_.async_read_some(asio::buffer(read_buf_),
                            asio::bind_executor(strand_, [self = shared_from_this()](asio::error_code ec, std::size_t n) {
                                if (ec) return self->close();
                                self->on_bytes(n);
                            }));
}

void web_session::on_bytes(std::size_t n) {
    pending_.append(read_buf_.data(), n);
    if (pending_.size() > max_pending) return close();  // a client that sends without reading answers
    if (websocket_) return on_websocket_bytes();
    parse_requests();
}

// Parses and answers requests until one must wait, the bytes run out, or
// the connection ends; then reads on.
void web_session::parse_requests() {
    while (!waiting_ && !closed_ && !websocket_ && !close_after_write_) {
        if (pending_.empty()) return read_more();
        std::size_t used = 0;
        request_reader::status st = reader_.feed(pending_, used);
        pending_.erase(0, used);
        if (st == request_reader::status::error) {
            respond(400, "text/plain", "bad request: " + reader_.error() + "\n", false);
            return;
        }
        if (st == request_reader::status::need_more) return read_more();
        handle(reader_.take());
    }
}

void web_session::respond(int status, std::string_view type, std::string_view body, bool keep_alive) {
    send(http_response(status, type, body, keep_alive), !keep_alive);
}

void web_session::handle(const http_request& req) {
    if (!server_->token.empty()) {
        auto it = req.query.find("token");
        if (it == req.query.end() || !token_matches(server_->token, it->second))
            return respond(403, "text/plain",
                           "forbidden: this observer listens beyond loopback and needs the ?token= that the node "
                           "printed when it started\n",
                           false);
    }
    if (req.method != "GET") return respond(405, "text/plain", "only GET is served here\n", req.keep_alive);
    if (req.path == "/" || req.path == "/index.html")
        return respond(200, "text/html; charset=utf-8", observer_page(), req.keep_alive);
    if (req.path == "/sample.json") {
        // On the sampling thread; the answer comes back to this strand, and
        // nothing more is parsed meanwhile (answers keep the requests' order).
        waiting_ = true;
        asio::post(server_->sampling_thread, [self = shared_from_this(), o = options_from(req), keep = req.keep_alive] {
            std::string json;
            {
                std::lock_guard lock(self->server_->sampling);
                json = to_json(self->server_->shared_sampler->take(o));
            }
            asio::post(self->strand_, [self, json = std::move(json), keep]() mutable {
                self->waiting_ = false;
                self->respond(200, "application/json", json, keep);
                self->parse_requests();
            });
        });
        return;
    }
    if (req.path == "/actor.json") return answer_detail(req);
    if (req.path == "/ws" && req.websocket && !req.websocket_key.empty()) return start_websocket(req);
    respond(404, "text/plain", "not found: " + req.path + "\n", req.keep_alive);
}

namespace {

// The peek's answer, brought back to the connection's strand; whichever of
// the answer and the patience timer comes first answers the request.
struct detail_wait : std::enable_shared_from_this<detail_wait> {
    detail_wait(std::shared_ptr<web_session> s, asio::strand<asio::io_context::executor_type> st, runtime& r, pid who)
        : session(std::move(s)), strand(st), rt(r), p(who), timer(st) {}
    std::shared_ptr<web_session> session;
    asio::strand<asio::io_context::executor_type> strand;
    runtime& rt;
    pid p;
    asio::steady_timer timer;
    bool done = false;  // on the strand only
};

struct web_peek final : message_peek {
    web_peek(std::shared_ptr<detail_wait> w, std::function<void(peeked_messages)> f)
        : message_peek(peek_messages_shown), wait(std::move(w)), finish(std::move(f)) {}
    std::shared_ptr<detail_wait> wait;
    std::function<void(peeked_messages)> finish;
    void answer(peeked_messages result) noexcept override {
        try {
            asio::post(wait->strand, [f = finish, r = std::move(result)]() mutable { f(std::move(r)); });
        } catch (...) {
            // Out of memory posting: the patience timer answers instead.
        }
    }
};

}  // namespace

void web_session::answer_detail(const http_request& req) {
    auto it = req.query.find("pid");
    std::optional<pid> who = it == req.query.end() ? std::nullopt : find_pid(server_->rt, it->second);
    if (!who) return respond(404, "application/json", R"({"alive": false})", req.keep_alive);
    waiting_ = true;
    bool keep_alive = req.keep_alive;
    auto wait = std::make_shared<detail_wait>(shared_from_this(), strand_, server_->rt, *who);
    auto finish = [wait, keep_alive](std::optional<peeked_messages> r) {
        if (wait->done) return;
        wait->done = true;
        wait->timer.cancel();
        web_session& s = *wait->session;
        peeked_messages shown;
        if (r) shown = std::move(*r);
        std::string body = actor_detail_json(wait->rt, wait->p, shown);
        if (!r) {  // busy in one long call: the figures without the messages
            nlohmann::json j = nlohmann::json::parse(body);
            if (j.value("alive", false)) j["messages"] = nullptr;
            body = j.dump();
        }
        s.waiting_ = false;
        s.respond(200, "application/json", body, keep_alive);
        s.parse_requests();
    };
    wait->timer.expires_after(peek_patience);
    wait->timer.async_wait([wait, finish](asio::error_code ec) {
        if (!ec) finish(std::nullopt);
    });
    server_->rt.peek_messages(*who, std::make_shared<web_peek>(wait, [finish](peeked_messages r) { finish(std::move(r)); }));
}

void web_session::start_websocket(const http_request& req) {
    websocket_ = true;
    send(websocket_upgrade_response(ws::accept_key(req.websocket_key)));
    ws_sampler_.emplace(server_->rt);
    push_sample();
    if (!pending_.empty()) on_websocket_bytes();
    read_more();
}

// Takes a sample on the sampling thread and sends it from this strand; the
// next one is due a second later.
void web_session::push_sample() {
    if (closed_) return;
    if (out_.size() >= max_unsent) return schedule_sample();  // a slow reader: skip this one
    asio::post(server_->sampling_thread, [self = shared_from_this()] {
        sample_options o;
        o.limit = table_rows;
        std::string frame = ws::encode_frame(ws::opcode::text, to_json(self->ws_sampler_->take(o)));
        asio::post(self->strand_, [self, frame = std::move(frame)]() mutable {
            self->send(std::move(frame));
            self->schedule_sample();
        });
    });
}

void web_session::schedule_sample() {
    if (closed_) return;
    tick_.expires_after(std::chrono::seconds(1));
    tick_.async_wait(asio::bind_executor(strand_, [self = shared_from_this()](asio::error_code ec) {
        if (!ec) self->push_sample();
    }));
}

void web_session::on_websocket_bytes() {
    for (;;) {
        ws::frame f;
        ws::parse_status st = ws::parse_frame(pending_, f, max_ws_frame);
        if (st == ws::parse_status::need_more) return read_more();
        if (st == ws::parse_status::error) return close();
        switch (f.op) {
        case ws::opcode::close: return send(ws::encode_frame(ws::opcode::close, ""), true);
        case ws::opcode::ping: send(ws::encode_frame(ws::opcode::pong, f.payload)); break;
        case ws::opcode::text: on_websocket_text(f.payload); break;
        default: break;  // the page sends nothing else; samples come on the tick
        }
    }
}

// The page's one request: a trace of an actor (actor_trace.hpp). One at a
// time per connection; anything that is not a request is ignored.
void web_session::on_websocket_text(const std::string& text) {
    auto request = parse_trace_request(text);
    if (!request) return;
    if (auto* why = std::get_if<std::string>(&*request))
        return send(ws::encode_frame(ws::opcode::text, trace_error_reply("", *why)));
    const trace_request& req = std::get<trace_request>(*request);
    if (tracing_)
        return send(ws::encode_frame(ws::opcode::text,
                                     trace_error_reply(req.pid, "this page is collecting a trace already")));
    tracing_ = true;
    collect_actor_trace(server_->rt, strand_, server_->sampling_thread, req,
                        [self = shared_from_this()](std::string reply) {
                            self->tracing_ = false;
                            self->send(ws::encode_frame(ws::opcode::text, reply));
                        });
}

void web_session::send(std::string bytes, bool close_after) {
    if (closed_) return;
    out_.push_back(std::move(bytes));
    if (close_after) close_after_write_ = true;
    if (!writing_) write_next();
}

void web_session::write_next() {
    if (out_.empty()) {
        writing_ = false;
        if (close_after_write_) close();
        return;
    }
    writing_ = true;
    asio::async_write(socket_, asio::buffer(out_.front()),
                      asio::bind_executor(strand_, [self = shared_from_this()](asio::error_code ec, std::size_t) {
                          if (ec) return self->close();
                          self->out_.pop_front();
                          self->write_next();
                      }));
}

}  // namespace weft::tools::observe
