// connection.cpp: see connection.hpp.
#include "cluster/connection.hpp"

#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <utility>

namespace weft::cluster {

namespace {

constexpr std::size_t read_chunk = 64 * 1024;
// How many small frames one write takes at most, and how many chunks of
// large lanes go between two batches of small ones.
constexpr std::size_t frames_per_write = 256;

std::string endpoint_text(const asio::ip::tcp::socket& s) {
    asio::error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "?";
    return ep.address().to_string() + ":" + std::to_string(ep.port());
}

// A frame's size for the queue's accounting (payload bytes, roughly).
std::size_t frame_bytes(const frame& f) {
    if (auto* e = std::get_if<envelope_frame>(&f)) return e->env ? e->env->words().size() * 8 + 64 : 64;
    if (auto* s = std::get_if<spawn_request_frame>(&f)) return s->args ? s->args->words().size() * 8 + 128 : 128;
    return 64;
}

}  // namespace

connection::connection(asio::io_context& io, owner& o, settings s, asio::ip::tcp::socket socket, bool dialled)
    : io_(io), owner_(o), settings_(std::move(s)), socket_(std::move(socket)), timer_(io), dialled_(dialled) {}

connection::~connection() = default;

std::shared_ptr<connection> connection::dial(asio::io_context& io, owner& o, settings s, std::string peer_name,
                                             std::string host, std::uint16_t port) {
    auto c = std::make_shared<connection>(io, o, std::move(s), asio::ip::tcp::socket(io), true);
    c->peer_name_ = std::move(peer_name);
    c->address_ = host + ":" + std::to_string(port);
    asio::post(io, [c, host = std::move(host), port] { c->start_dial(host, port); });
    return c;
}

std::shared_ptr<connection> connection::accept(asio::io_context& io, owner& o, settings s,
                                               asio::ip::tcp::socket socket) {
    auto c = std::make_shared<connection>(io, o, std::move(s), std::move(socket), false);
    c->address_ = endpoint_text(c->socket_);
    asio::post(io, [c] { c->start_handshake(); });
    return c;
}

void connection::start_dial(std::string host, std::uint16_t port) {
    if (closed_) return;
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(io_);
    std::string h = host.size() > 2 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
    resolver->async_resolve(
        h, std::to_string(port),
        [self = shared_from_this(), resolver](const asio::error_code& ec, asio::ip::tcp::resolver::results_type r) {
            if (self->closed_) return;
            if (ec) return self->shut("cannot resolve " + self->address_ + ": " + ec.message());
            asio::async_connect(self->socket_, r, [self](const asio::error_code& e, const asio::ip::tcp::endpoint&) {
                if (self->closed_) return;
                if (e) return self->shut("cannot connect to " + self->address_ + ": " + e.message());
                self->start_handshake();
            });
        });
    // The whole dial and handshake has one deadline.
    timer_.expires_after(settings_.handshake_timeout);
    timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
        if (!ec && !self->ready_) self->shut("no handshake with " + self->address_ + " within the timeout");
    });
}

void connection::start_handshake() {
    if (closed_) return;
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    try {
        if (dialled_) {
            initiator_.emplace(settings_.self, peer_name_);
            handshake_ = &*initiator_;
            std::string hello = initiator_->start();
            if (initiator_->failed()) return shut(initiator_->failure());
            write_raw(std::move(hello));
        } else {
            acceptor_.emplace(settings_.self);
            handshake_ = &*acceptor_;
            timer_.expires_after(settings_.handshake_timeout);
            timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
                if (!ec && !self->ready_) self->shut("no handshake from " + self->address_ + " within the timeout");
            });
        }
    } catch (const std::exception& e) {
        return shut(std::string("handshake: ") + e.what());
    }
    handshake_read();
}

void connection::handshake_read() {
    handshake_in_.resize(4096);
    socket_.async_read_some(asio::buffer(handshake_in_), [self = shared_from_this()](const asio::error_code& ec,
                                                                                      std::size_t n) {
        if (self->closed_) return;
        if (ec) return self->shut("the connection with " + self->address_ + " ended during the handshake");
        std::string out = self->handshake_->feed(std::string_view(self->handshake_in_.data(), n));
        if (!out.empty()) self->write_raw(std::move(out));
        if (self->handshake_->failed()) {
            // Let the REFUSED go out before closing.
            std::string why = self->handshake_->failure();
            asio::post(self->io_, [self, why] { self->shut(why); });
            return;
        }
        if (self->handshake_->done()) return self->became_ready();
        self->handshake_read();
    });
}

// Handshake bytes, written in order (one write at a time).
void connection::write_raw(std::string bytes) {
    handshake_out_.push_back(std::move(bytes));
    if (handshake_out_.size() > 1) return;  // a write is under way; it goes on with this one
    auto next = [self = shared_from_this()](auto&& again) -> void {
        asio::async_write(self->socket_, asio::buffer(self->handshake_out_.front()),
                          [self, again](const asio::error_code& ec, std::size_t) {
                              if (ec) return self->shut("cannot write to " + self->address_ + ": " + ec.message());
                              self->handshake_out_.erase(self->handshake_out_.begin());
                              if (!self->handshake_out_.empty()) again(again);
                          });
    };
    next(next);
}

void connection::became_ready() {
    peer_ = handshake_->peer();
    ready_.store(true, std::memory_order_release);
    timer_.cancel();
    std::string unread = handshake_->take_unread();
    if (!unread.empty()) decoder_.feed(std::as_bytes(std::span<const char>(unread.data(), unread.size())));
    last_read_ = std::chrono::steady_clock::now();
    owner_.connection_ready(shared_from_this());
    if (closed_) return;
    // Frames that arrived with the handshake's last bytes.
    while (std::optional<frame> f = decoder_.pop()) owner_.frame_arrived(*this, std::move(*f));
    read_frames();
    schedule_write();
    tick();
}

void connection::read_frames() {
    std::span<std::byte> into = decoder_.prepare(read_chunk);
    socket_.async_read_some(asio::buffer(into.data(), into.size()), [self = shared_from_this()](
                                                                      const asio::error_code& ec, std::size_t n) {
        if (self->closed_) return;
        if (ec) {
            return self->shut(ec == asio::error::eof ? "the peer " + self->peer_.name + " closed the connection"
                                                     : "lost the connection with " + self->peer_.name + ": " +
                                                           ec.message());
        }
        self->decoder_.commit(n);
        self->last_read_ = std::chrono::steady_clock::now();
        while (std::optional<frame> f = self->decoder_.pop()) {
            self->owner_.frame_arrived(*self, std::move(*f));
            if (self->closed_) return;
        }
        if (self->decoder_.failed())
            return self->shut("bad data from " + self->peer_.name + " (" + self->address_ +
                              "): " + self->decoder_.failure());
        self->read_frames();
    });
}

bool connection::send(frame&& f) {
    std::lock_guard guard(queue_mutex_);
    if (closing_) return false;
    queued_bytes_ += frame_bytes(f);
    queue_.push_back(std::move(f));
    if (ready_ && !write_scheduled_) {
        write_scheduled_ = true;
        asio::post(io_, [self = shared_from_this()] { self->write_more(); });
    }
    return true;
}

void connection::schedule_write() {
    std::lock_guard guard(queue_mutex_);
    if (write_scheduled_ || (queue_.empty() && lanes_.empty())) return;
    write_scheduled_ = true;
    asio::post(io_, [self = shared_from_this()] { self->write_more(); });
}

// Writes a batch: the small frames queued now (in order; a large one adds its
// head here and its lane to lanes_), then one chunk of the oldest lane. The
// completion comes back here until nothing is left.
void connection::write_more() {
    if (closed_) return;
    writing_.clear();
    std::deque<frame> taken;
    {
        std::lock_guard guard(queue_mutex_);
        while (!queue_.empty() && taken.size() < frames_per_write) {
            queued_bytes_ -= std::min(queued_bytes_, frame_bytes(queue_.front()));
            taken.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        if (taken.empty() && lanes_.empty()) {
            write_scheduled_ = false;
            return;
        }
    }
    try {
        for (frame& f : taken) {
            std::visit(
                [this](auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, envelope_frame> || std::is_same_v<T, spawn_request_frame>) {
                        encoded_message m = encoder_.encode(std::move(v));
                        writing_.push_back(std::move(m.first));
                        if (m.rest) lanes_.push_back(std::move(*m.rest));
                    } else {
                        writing_.push_back(encoder_.encode(v));
                    }
                },
                f);
        }
        if (!lanes_.empty()) {
            writing_.push_back(lanes_.front().next_chunk());
            if (lanes_.front().done()) lanes_.pop_front();
            else lanes_.push_back(std::move(lanes_.front())), lanes_.pop_front();  // round robin
        }
    } catch (const std::exception& e) {
        return shut(std::string("cannot send to ") + peer_.name + ": " + e.what());
    }
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(writing_.size());
    for (const encoded_frame& w : writing_) buffers.emplace_back(w.bytes().data(), w.bytes().size());
    wrote_since_tick_ = true;
    asio::async_write(socket_, buffers, [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
        if (self->closed_) return;
        if (ec) return self->shut("cannot write to " + self->peer_.name + ": " + ec.message());
        self->write_more();
    });
}

// Every tick: a heartbeat when nothing else went out, and the peer declared
// gone when nothing came for silent_ticks ticks.
void connection::tick() {
    timer_.expires_after(settings_.tick);
    timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
        if (ec || self->closed_) return;
        auto silent = std::chrono::steady_clock::now() - self->last_read_;
        if (silent > self->settings_.tick * self->settings_.silent_ticks) {
            return self->shut("no word from " + self->peer_.name + " for " +
                              std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(silent).count()) +
                              " ms");
        }
        if (!self->wrote_since_tick_) self->send(heartbeat_frame{});
        self->wrote_since_tick_ = false;
        self->tick();
    });
}

void connection::close(std::string why) {
    asio::post(io_, [self = shared_from_this(), why = std::move(why)] { self->shut(why); });
}

void connection::shut(const std::string& why) {
    if (closed_) return;
    closed_ = true;
    {
        std::lock_guard guard(queue_mutex_);
        closing_ = true;
        queue_.clear();
        queued_bytes_ = 0;
    }
    lanes_.clear();
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    owner_.connection_closed(*this, why, ready_);
}

std::size_t connection::queued_bytes() const {
    std::lock_guard guard(queue_mutex_);
    return queued_bytes_;
}

}  // namespace weft::cluster
