// connection.hpp: one TCP connection to a peer node: the cookie handshake,
// then frames both ways, and heartbeats that tell a silent peer from a quiet
// one.
//
// Everything touching the socket runs on the io service's thread, with one
// exception: send(), from any thread (an actor's, a timer's), writes a frame
// itself when the writer is idle and the socket takes the whole frame at once
// (a non-blocking send(2)); otherwise it queues, and the writer on the io
// thread encodes and writes. Whoever holds the writer's turn (write_scheduled_,
// taken under queue_mutex_) owns the encoder, the lanes and writing_. A large message goes as a lane whose chunks the
// writer interleaves with the small frames queued behind it, so a 100 MB
// transfer delays a small message by one 64 KiB chunk at most.
//
// It must never block a caller of send(), never let a peer's bytes reach an
// actor before the handshake is done, and never outlive its owner's interest:
// the owner hears of it through the owner interface, once ready and once
// closed, on the io thread.
//
// In TLS mode (settings::tls, tls.hpp) the cookie handshake and the frames go
// through a TLS stream over the socket; every write then goes through the io
// thread (OpenSSL's state is not to be shared between threads), as one
// gathered buffer so that a batch of small frames is one record, not one each.
#pragma once
#include <asio/ip/tcp.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/remote.hpp"
#include "cluster/frame_decoder.hpp"
#include "cluster/frame_encoder.hpp"
#include "cluster/frame_types.hpp"
#include "cluster/handshake.hpp"

namespace weft::cluster {

class connection : public std::enable_shared_from_this<connection> {
public:
    // What the node hears of a connection, on the io thread.
    class owner {
    public:
        // The handshake succeeded: peer() says who it is.
        virtual void connection_ready(const std::shared_ptr<connection>& c) = 0;
        virtual void frame_arrived(connection& c, frame&& f) = 0;
        // Once, whatever the cause; `was_ready` tells a lost peer from a
        // connection that never got through its handshake.
        virtual void connection_closed(connection& c, const std::string& why, bool was_ready) = 0;
        // An accepted connection's peer has proved the cookie as
        // `peer_name`: nullopt to send the OK, or the refusal. The owner
        // settles here two nodes dialling each other at once, as Erlang's
        // handshake does, and may take `c` as the peer's connection from
        // now (sends then wait for it rather than dial).
        virtual std::optional<handshake_acceptor::name_refusal> admit(connection& c,
                                                                      const std::string& peer_name) = 0;

    protected:
        ~owner() = default;
    };

    struct settings {
        handshake_identity self;
        std::chrono::milliseconds tick{1000};   // a heartbeat when idle this long
        int silent_ticks = 4;                    // no word for this many ticks: the peer is gone
        std::chrono::milliseconds handshake_timeout{10'000};
        // Backpressure: bytes of small messages queued, and separately of
        // large messages not yet written, over which a sender of that kind of
        // message is slowed (busy()).
        std::size_t send_queue_limit = std::size_t(16) << 20;
        // Mutual TLS (tls.hpp: make_tls_context), or null for plain TCP.
        std::shared_ptr<asio::ssl::context> tls;
    };

    // Dials `peer_name` (a full node name) at host:port.
    static std::shared_ptr<connection> dial(asio::io_context& io, owner& o, settings s, std::string peer_name,
                                            std::string host, std::uint16_t port);
    // Takes a socket the listener accepted and answers its handshake.
    static std::shared_ptr<connection> accept(asio::io_context& io, owner& o, settings s, asio::ip::tcp::socket socket);

    // Once ready: the authenticated peer.
    const handshake_peer& peer() const noexcept { return peer_; }
    bool dialled() const noexcept { return dialled_; }
    // The node dialled (a dialled connection), or admitted (an accepted
    // one, once its peer proved the cookie), else "".
    const std::string& dialled_name() const noexcept { return peer_name_; }
    // "127.0.0.1:7001", for log lines.
    const std::string& address() const noexcept { return address_; }
    // Io thread, once closed: whether it ended because both nodes dialled at
    // once and the other dial was kept (refused by either side).
    bool crossed() const noexcept;
    // Io thread: whether the peer sent anything (a connection closed before
    // its first byte refused nothing worth a log line: a port probe, or a
    // dial its node gave up before its HELLO).
    bool heard_from_peer() const noexcept { return heard_from_peer_; }

    // Any thread: queues a frame for the writer. False once the connection
    // is closing: the frame is then left as it was, still the caller's.
    bool send(frame&& f);
    // Any thread: ends the connection; the owner hears of it once.
    void close(std::string why);
    // Io thread, a dialled connection: this node takes the peer's dial
    // instead (both dialled at once). Its handshake ends here, before it can
    // answer the peer again, with a REFUSED the peer knows as crossed.
    void give_up();

    // Any thread: whether a sender of a message of `message_bytes` should
    // wait before its next send, because the messages of its kind (small ones
    // in the queue, or large ones in their lanes) hold more than
    // send_queue_limit unwritten bytes. Small messages never wait behind a
    // large transfer, since that has lanes of its own.
    bool busy(std::size_t message_bytes) const noexcept;

    // What the observer shows of a connection (any thread; each figure read
    // on its own, so a sum of them is approximate while traffic flows).
    node_traffic stats() const noexcept;

    connection(asio::io_context& io, owner& o, settings s, asio::ip::tcp::socket socket, bool dialled);
    ~connection();

private:
    void start_dial(std::string host, std::uint16_t port);
    void start_handshake();
    void start_tls();
    void start_cookie_handshake();
    std::string certificate_mismatch_of(const std::string& node) const;
    void handshake_read();
    // Through the TLS stream when there is one, else on the socket (io thread).
    template <class Buffers, class Handler>
    void read_some(const Buffers& into, Handler&& done);
    template <class Buffers, class Handler>
    void write_all(const Buffers& bytes, Handler&& done);
    void write_raw(std::string bytes);
    void became_ready();
    void read_frames();
    bool write_now(frame&& f);
    void encode(frame& f);
    void schedule_write();
    void write_more();
    void tick();
    void shut(const std::string& why);

    asio::io_context& io_;
    owner& owner_;
    settings settings_;
    asio::ip::tcp::socket socket_;
    std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;  // TLS mode, from start_tls()
    std::vector<std::byte> tls_out_;  // TLS mode: a write's frames, gathered
    asio::steady_timer timer_;
    bool dialled_;
    std::string address_;
    std::string peer_name_;  // the name dialled, or admitted (dialled_name())
    std::optional<handshake_initiator> initiator_;
    std::optional<handshake_acceptor> acceptor_;
    handshake_side* handshake_ = nullptr;
    std::string handshake_in_;  // read buffer during the handshake
    bool heard_from_peer_ = false;  // a handshake read came in
    std::vector<std::string> handshake_out_;
    handshake_peer peer_;
    // Set on the io thread once the handshake is done; send() reads it from
    // any thread (acquire: it then sees peer_ too).
    std::atomic<bool> ready_{false};
    bool closed_ = false;  // io thread

    frame_encoder encoder_;
    frame_decoder decoder_;

    bool is_large(std::size_t payload_bytes) const noexcept;  // goes as a lane

    // The send queue: any thread pushes, the writer takes.
    mutable std::mutex queue_mutex_;
    std::deque<frame> queue_;
    // The backlog's bytes (see busy()). Changed by whoever queues or writes,
    // read by any sender without the lock: relaxed, since a reading a moment
    // stale only moves a sender's pause by a frame; nothing else is published
    // through them. The same for the byte counters.
    std::atomic<std::uint64_t> queued_bytes_{0};
    std::atomic<std::uint64_t> lane_bytes_{0};
    std::atomic<std::uint64_t> bytes_out_{0};
    std::atomic<std::uint64_t> bytes_in_{0};
    bool write_scheduled_ = false;  // a write_more is posted or writing
    bool closing_ = false;          // under queue_mutex_: send() refuses
    std::chrono::steady_clock::time_point last_idle_send_;  // under queue_mutex_

    // The writer's own (see above): what is being written (of its first
    // frame, a sender may have written a part already), and large lanes.
    std::vector<encoded_frame> writing_;
    std::size_t written_of_first_ = 0;
    std::deque<large_transfer> lanes_;
    std::chrono::steady_clock::time_point last_read_;
    // Whether anything went out since the last tick; relaxed: a stale value
    // costs one heartbeat more or one less, never a wrong verdict on the peer.
    std::atomic<bool> wrote_since_tick_{false};
};

}  // namespace weft::cluster
