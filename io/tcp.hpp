// tcp.hpp: TCP listeners and connections for actors, on the runtime's io
// service (epoll through asio: no thread per connection).
//
// Each socket is named by a port, an id of this node that any of its actors
// may hold and pass on in messages (Erlang's ports). One actor at a time
// owns a socket: only the owner reads, switches active mode or hands the
// socket on (set_owner), active-mode data goes to the owner as ("tcp",
// port, bytes) then ("tcp_closed", port), and the socket closes when the
// owner ends, before the owner's links and monitors hear of the end
// (actors/owned.hpp). Any actor of the node may send on a conn, close a
// socket, or accept on a listener (the new conn is the acceptor's).
//
// An operation that waits answers through its reply function, once, on an
// io thread (it must not block): with a result, or with an errno, ETIMEDOUT
// when its timeout came first. A timeout loses nothing: bytes that arrive
// after it wait for the next read, a connection for the next accept. send,
// recv and recv_line first try in the caller's thread (a non-blocking write
// or read): when that is enough they return the outcome and never call the
// reply, so that a request and its answer cost the actor no wait at all.
//
// It must never block an io thread, and never be touched by two threads at
// once: every socket's state, asio's socket object included, is changed
// under that socket's mutex (handlers, calls from workers, an owner's end).
// Nothing here knows script.
#pragma once
#include <chrono>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "actors/extension.hpp"
#include "actors/runtime.hpp"
#include "serialize/term.hpp"

namespace weft::io {

struct tcp_outcome {
    int err = 0;  // 0, or the errno it failed with
    term result;  // when err == 0
};
using tcp_reply = std::function<void(tcp_outcome)>;
using tcp_timeout = std::optional<std::chrono::milliseconds>;

// Errors beside the errnos (negative, so never one of them).
inline constexpr int tcp_no_such_host = -2;     // the resolver's EAI_NONAME, as Python's socket.gaierror numbers it
inline constexpr int tcp_not_owner = -101;      // only the owner may do that
inline constexpr int tcp_active = -102;         // a read on a conn in active mode
inline constexpr int tcp_not_this_node = -103;  // a port of another node (or runtime)
inline constexpr int tcp_wrong_kind = -104;     // a listener used as a conn or back

enum class port_kind : std::uint8_t { listener = 1, conn = 2 };
// Ports of both kinds share one counter; the kind rides in the serial's top byte.
inline port_kind kind_of(port p) noexcept { return port_kind(p.serial >> 56); }

enum class active_mode { off, on, once };

class tcp_socket;

class tcp_table final : public runtime_extension {
public:
    explicit tcp_table(runtime& rt);
    ~tcp_table() override;
    tcp_table(const tcp_table&) = delete;
    tcp_table& operator=(const tcp_table&) = delete;
    void stop() noexcept override;  // closes every socket
    bool may_wake_actors() noexcept override { return open_sockets() > 0; }

    // `owner` may be no pid (C++ code outside any actor): the socket then
    // lives until it is closed or the runtime stops.
    // Listens on host:number (0: a free port) with SO_REUSEADDR; the
    // listener's port, or the errno in `err` (EADDRINUSE, EACCES ...). A
    // host name is looked up here, in the caller's thread.
    port listen(pid owner, const std::string& host, std::uint16_t number, int backlog, int& err);
    // result: the new conn's port, owned by `caller`. Acceptors are served
    // in the order they asked.
    void accept(port listener, pid caller, tcp_timeout timeout, tcp_reply reply);
    // result: the new conn's port, owned by `owner`. Each address the host
    // name gives is tried in turn; the last one's error is the answer.
    void connect(pid owner, const std::string& host, std::uint16_t number, tcp_timeout timeout, tcp_reply reply);
    // result: None once every byte is written. Sends from any actor go out
    // whole, in the order they were made.
    std::optional<tcp_outcome> send(port conn, std::string bytes, tcp_reply reply);
    // result: up to `max` bytes; b"" at the end of the stream.
    std::optional<tcp_outcome> recv(port conn, pid caller, std::size_t max, tcp_timeout timeout, tcp_reply reply);
    // result: the bytes up to and with the next b"\n"; at the end, what is
    // left (a last line without one), then b"".
    std::optional<tcp_outcome> recv_line(port conn, pid caller, tcp_timeout timeout, tcp_reply reply);

    // The calls that do not wait: 0 or an error.
    int close(port p);  // EBADF when already closed
    int set_active(port conn, pid caller, active_mode mode);
    int set_owner(port p, pid caller, pid new_owner);
    // The peer's address and port, or a listener's own; nullopt once closed.
    std::optional<std::pair<std::string, std::uint16_t>> address(port p);
    std::size_t open_sockets();

    // For the sockets themselves.
    runtime& rt() noexcept { return rt_; }
    port adopt(std::shared_ptr<tcp_socket> s, pid owner);  // names it, owns it, hands it to `owner`
    void forget(port p) noexcept;

private:
    std::shared_ptr<tcp_socket> find(port p, int& err);

    // The sockets by serial, in shards so that actors using different
    // sockets do not meet on one lock (every call looks its socket up). A
    // shard's mutex may be taken while a socket's is held, never the other
    // way round.
    struct shard {
        std::mutex mutex;
        std::unordered_map<std::uint64_t, std::shared_ptr<tcp_socket>> sockets;
    };
    static constexpr std::size_t shard_count = 16;
    shard& shard_of(std::uint64_t serial) noexcept { return shards_[serial % shard_count]; }

    runtime& rt_;
    shard shards_[shard_count];
    std::atomic<std::uint64_t> next_{1};  // relaxed: a counter, nothing is published through it
    std::atomic<bool> stopped_{false};    // seq_cst: see adopt() and stop()
};

// The table of this runtime, made (with the io service) on first use.
tcp_table& tcp_table_of(runtime& rt);

}  // namespace weft::io
