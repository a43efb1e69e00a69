// connection.cpp: see connection.hpp.
#include "cluster/connection.hpp"

#include "cluster/node_name.hpp"
#include "cluster/tls.hpp"

#include <asio/connect.hpp>
#include <asio/ssl.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <sys/socket.h>
#include <utility>


namespace weft::cluster {

namespace {

constexpr std::size_t read_chunk = 64 * 1024;
// How many small frames one write takes at most (each write then takes one
// chunk of the oldest large lane).
constexpr std::size_t frames_per_write = 256;
// Two sends to an idle writer this close together are a stream (connection::send).
constexpr std::chrono::microseconds stream_gap{10};

std::string endpoint_text(const asio::ip::tcp::socket& s) {
    asio::error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "?";
    return ep.address().to_string() + ":" + std::to_string(ep.port());
}

// A frame's payload (payload_bytes), and its bytes as a lane's body.
struct frame_size {
    std::size_t payload = 0;
    std::size_t body = 0;
};
frame_size size_of(const frame& f) {
    const envelope* e = payload_of(f);
    if (!e) return {};
    std::size_t n = e->payload_bytes();
    return {n, n + 8 * e->binaries().size()};
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

template <class Buffers, class Handler>
void connection::read_some(const Buffers& into, Handler&& done) {
    if (tls_) tls_->async_read_some(into, std::forward<Handler>(done));
    else socket_.async_read_some(into, std::forward<Handler>(done));
}

template <class Buffers, class Handler>
void connection::write_all(const Buffers& bytes, Handler&& done) {
    if (tls_) asio::async_write(*tls_, bytes, std::forward<Handler>(done));
    else asio::async_write(socket_, bytes, std::forward<Handler>(done));
}

// The TCP connection is up (dialled or accepted).
void connection::start_handshake() {
    if (closed_) return;
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    if (!dialled_) {  // a dialled connection's deadline runs from the dial
        timer_.expires_after(settings_.handshake_timeout);
        timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
            if (!ec && !self->ready_) self->shut("no handshake from " + self->address_ + " within the timeout");
        });
    }
    if (settings_.tls) return start_tls();
    start_cookie_handshake();
}

// TLS mode: the TLS handshake, then the cookie's inside it. An acceptor first
// peeks at the first byte so that a plain node's hello is refused by name
// rather than as a TLS error (a TLS record begins with 22, a handshake).
void connection::start_tls() {
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *settings_.tls);
    auto handshake = [self = shared_from_this()] {
        auto side = self->dialled_ ? asio::ssl::stream_base::client : asio::ssl::stream_base::server;
        self->tls_->async_handshake(side, [self](const asio::error_code& ec) {
            if (self->closed_) return;
            if (ec)
                return self->shut((self->dialled_ ? "TLS handshake with " + self->address_ + " failed: "
                                                  : std::string("TLS handshake failed: ")) +
                                  ec.message());
            // The node dialled must be the one its certificate names (as a
            // browser checks a site's); the acceptor checks the initiator's
            // name once it proved the cookie (start_cookie_handshake).
            if (self->dialled_) {
                std::string mismatch = self->certificate_mismatch_of(self->peer_name_);
                if (!mismatch.empty()) return self->shut(self->peer_name_ + " at " + self->address_ + ": " + mismatch);
            }
            self->start_cookie_handshake();
        });
    };
    if (dialled_) return handshake();
    socket_.async_wait(asio::socket_base::wait_read, [self = shared_from_this(), handshake](const asio::error_code& ec) {
        if (self->closed_) return;
        unsigned char first = 0;
        ssize_t n = ec ? -1 : ::recv(self->socket_.native_handle(), &first, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n <= 0) return self->shut("the connection with " + self->address_ + " ended during the handshake");
        self->heard_from_peer_ = true;
        if (first != 22) return self->shut("the peer does not speak TLS (this node runs with --tls-cert; is it a plain node?)");
        handshake();
    });
}

// TLS mode: "" when the peer's certificate names the host of `node`, else why not.
std::string connection::certificate_mismatch_of(const std::string& node) const {
    node_name_result name = parse_node_name(node);
    if (!name) return name.error;
    std::string why = certificate_mismatch(SSL_get0_peer_certificate(tls_->native_handle()), name.value->host);
    return why.empty() ? why : "its certificate " + why + " (as a subjectAltName)";
}

void connection::start_cookie_handshake() {
    try {
        if (dialled_) {
            initiator_.emplace(settings_.self, peer_name_);
            handshake_ = &*initiator_;
            std::string hello = initiator_->start();
            if (initiator_->failed()) return shut(initiator_->failure());
            write_raw(std::move(hello));
        } else {
            acceptor_.emplace(settings_.self, [this](const std::string& name)
                                                  -> std::optional<handshake_acceptor::name_refusal> {
                if (tls_) {
                    if (std::string why = certificate_mismatch_of(name); !why.empty())
                        return handshake_acceptor::name_refusal{refusal_reason::name_not_vouched, why};
                }
                std::optional<handshake_acceptor::name_refusal> no = owner_.admit(*this, name);
                if (!no) peer_name_ = name;
                return no;
            });
            handshake_ = &*acceptor_;
        }
    } catch (const std::exception& e) {
        return shut(std::string("handshake: ") + e.what());
    }
    handshake_read();
}

void connection::handshake_read() {
    handshake_in_.resize(4096);
    read_some(asio::buffer(handshake_in_), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
        if (self->closed_) return;
        if (ec) return self->shut("the connection with " + self->address_ + " ended during the handshake");
        // A TLS ClientHello's first bytes (a handshake record, version 3.x)
        // are no length a HELLO could have.
        bool first_read = !self->heard_from_peer_;
        self->heard_from_peer_ = true;
        if (first_read && !self->tls_ && !self->dialled_ && n >= 2 && self->handshake_in_[0] == 22 &&
            self->handshake_in_[1] == 3)
            return self->shut("the peer speaks TLS (it runs with --tls-cert; this node does not)");
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
        self->write_all(asio::buffer(self->handshake_out_.front()),
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
    read_some(asio::buffer(into.data(), into.size()), [self = shared_from_this()](const asio::error_code& ec,
                                                                                   std::size_t n) {
        if (self->closed_) return;
        if (ec) {
            return self->shut(ec == asio::error::eof ? "the peer " + self->peer_.name + " closed the connection"
                                                     : "lost the connection with " + self->peer_.name + ": " +
                                                           ec.message());
        }
        self->decoder_.commit(n);
        self->bytes_in_.fetch_add(n, std::memory_order_relaxed);
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
    if (!settings_.tls && ready_.load(std::memory_order_acquire) && !write_scheduled_ && queue_.empty()) {
        // The writer is idle: nothing queued, no lane open, no write under
        // way. A lone message (a request, a reply) is written from this
        // thread, as a BEAM scheduler writes to a port: the io thread is then
        // not woken for a frame the socket takes at once. Holding
        // queue_mutex_ keeps shut() from closing the socket meanwhile, and
        // another sender from writing in between. Sends that follow each
        // other closely are a stream: those queue, and the io thread writes
        // them in batches, a syscall per batch rather than per message.
        auto now = std::chrono::steady_clock::now();
        bool streaming = now - last_idle_send_ < stream_gap;
        last_idle_send_ = now;
        if (!streaming) return write_now(std::move(f));
    }
    std::size_t bytes = payload_bytes(f);
    (is_large(bytes) ? lane_bytes_ : queued_bytes_).fetch_add(bytes, std::memory_order_relaxed);
    queue_.push_back(std::move(f));
    if (ready_.load(std::memory_order_acquire) && !write_scheduled_) {
        write_scheduled_ = true;
        asio::post(io_, [self = shared_from_this()] { self->write_more(); });
    }
    return true;
}

// queue_mutex_ held, the writer idle (so encoder_, lanes_ and writing_ are
// this thread's until it hands them back).
bool connection::write_now(frame&& f) {
    try {
        encode(f);
    } catch (const std::exception& e) {
        std::string why = std::string("cannot send to ") + peer_.name + ": " + e.what();
        asio::post(io_, [self = shared_from_this(), why] { self->shut(why); });
        return true;
    }
    wrote_since_tick_.store(true, std::memory_order_relaxed);
    if (lanes_.empty() && writing_.size() == 1) {
        std::span<const std::byte> b = writing_.front().bytes();
        ssize_t n = ::send(socket_.native_handle(), b.data(), b.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n == ssize_t(b.size())) {
            bytes_out_.fetch_add(b.size(), std::memory_order_relaxed);
            writing_.clear();
            return true;
        }
        // The socket's buffer is full (or it failed: the io thread's write
        // finds out and says why): the io thread writes the rest.
        written_of_first_ = n > 0 ? std::size_t(n) : 0;
        bytes_out_.fetch_add(written_of_first_, std::memory_order_relaxed);
    }
    write_scheduled_ = true;
    asio::post(io_, [self = shared_from_this()] { self->write_more(); });
    return true;
}

// Encodes one frame onto writing_; a large message's rest becomes a lane.
void connection::encode(frame& f) {
    std::visit(
        [this](auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, envelope_frame> || std::is_same_v<T, spawn_request_frame>) {
                encoded_message m = encoder_.encode(std::move(v));
                writing_.push_back(std::move(m.first));
                if (m.rest) {
                    lane_bytes_.fetch_add(m.rest->remaining_bytes(), std::memory_order_relaxed);
                    lanes_.push_back(std::move(*m.rest));
                }
            } else {
                writing_.push_back(encoder_.encode(v));
            }
        },
        f);
}

void connection::schedule_write() {
    std::lock_guard guard(queue_mutex_);
    if (write_scheduled_ || (queue_.empty() && lanes_.empty())) return;
    write_scheduled_ = true;
    asio::post(io_, [self = shared_from_this()] { self->write_more(); });
}

// Writes a batch: what a sender left half written, the small frames queued
// now (in order; a large one adds its head here and its lane to lanes_), then
// one chunk of the oldest lane. The completion comes back here until nothing
// is left.
void connection::write_more() {
    if (closed_) return;
    std::deque<frame> taken;
    {
        std::lock_guard guard(queue_mutex_);
        std::size_t lanes = lanes_.size();
        std::uint64_t lane_body = 0;  // as the peer counts them: whole bodies of open lanes
        for (const large_transfer& l : lanes_) lane_body += l.body_bytes();
        while (!queue_.empty() && taken.size() < frames_per_write) {
            // A large message's bytes stay counted until its lane is written.
            auto [bytes, body] = size_of(queue_.front());
            if (is_large(bytes)) {
                // The peer holds at most max_lanes lanes, of so many bytes in
                // all, open at once: the rest waits (and what is behind it,
                // to keep the order) until a lane is done.
                if (lanes >= encoder_.limits().max_lanes ||
                    (lanes > 0 && lane_body + body > encoder_.limits().max_in_flight_bytes))
                    break;
                ++lanes;
                lane_body += body;
            }
            (is_large(bytes) ? lane_bytes_ : queued_bytes_).fetch_sub(bytes, std::memory_order_relaxed);
            taken.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        if (taken.empty() && lanes_.empty() && writing_.empty()) {
            write_scheduled_ = false;
            return;
        }
    }
    try {
        for (frame& f : taken) encode(f);
        if (!lanes_.empty()) {
            std::uint64_t before = lanes_.front().remaining_bytes();
            writing_.push_back(lanes_.front().next_chunk());
            lane_bytes_.fetch_sub(before - lanes_.front().remaining_bytes(), std::memory_order_relaxed);
            if (lanes_.front().done()) lanes_.pop_front();
            else lanes_.push_back(std::move(lanes_.front())), lanes_.pop_front();  // round robin
        }
    } catch (const std::exception& e) {
        return shut(std::string("cannot send to ") + peer_.name + ": " + e.what());
    }
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(writing_.size());
    for (const encoded_frame& w : writing_) buffers.emplace_back(w.bytes().data(), w.bytes().size());
    buffers.front() += written_of_first_;
    written_of_first_ = 0;
    wrote_since_tick_.store(true, std::memory_order_relaxed);
    if (tls_) {
        // One buffer: asio's TLS stream writes a buffer sequence one buffer
        // (one record, one send) at a time.
        tls_out_.resize(asio::buffer_size(buffers));
        asio::buffer_copy(asio::buffer(tls_out_), buffers);
        buffers.assign(1, asio::buffer(tls_out_));
    }
    write_all(buffers, [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
        if (self->closed_) return;
        if (ec) return self->shut("cannot write to " + self->peer_.name + ": " + ec.message());
        self->bytes_out_.fetch_add(n, std::memory_order_relaxed);
        self->writing_.clear();
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
        if (!self->wrote_since_tick_.exchange(false, std::memory_order_relaxed)) self->send(heartbeat_frame{});
        self->tick();
    });
}

void connection::give_up() {
    if (closed_) return;
    const std::string why = "both nodes dialled at once; the peer's dial was kept";
    std::string refusal = handshake_ ? handshake_->refuse(refusal_reason::crossed, why) : std::string();
    if (!refusal.empty()) write_raw(std::move(refusal));
    asio::post(io_, [self = shared_from_this(), why] { self->shut(why); });  // once the REFUSED is out
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
    }
    lanes_.clear();
    queued_bytes_.store(0, std::memory_order_relaxed);
    lane_bytes_.store(0, std::memory_order_relaxed);
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    owner_.connection_closed(*this, why, ready_);
}

bool connection::crossed() const noexcept {
    return handshake_ && handshake_->failed() && handshake_->refusal() == refusal_reason::crossed;
}

bool connection::is_large(std::size_t payload_bytes) const noexcept {
    return payload_bytes > encoder_.limits().large_threshold;
}

bool connection::busy(std::size_t message_bytes) const noexcept {
    const std::atomic<std::uint64_t>& backlog = is_large(message_bytes) ? lane_bytes_ : queued_bytes_;
    return backlog.load(std::memory_order_relaxed) > settings_.send_queue_limit;
}

node_traffic connection::stats() const noexcept {
    std::size_t frames;
    {
        std::lock_guard guard(queue_mutex_);
        frames = queue_.size();
    }
    return {queued_bytes_.load(std::memory_order_relaxed), frames, lane_bytes_.load(std::memory_order_relaxed),
            bytes_out_.load(std::memory_order_relaxed), bytes_in_.load(std::memory_order_relaxed),
            settings_.send_queue_limit};
}

}  // namespace weft::cluster
