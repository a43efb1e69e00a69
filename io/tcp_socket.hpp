// tcp_socket.hpp: what tcp_table keeps for each port (see tcp.hpp): a
// listener or a conn, its owner, and its state under its own mutex. Only
// io/tcp*.cpp include it.
//
// Locks: a socket's mutex may be held while the table's is taken, never the
// other way round; a listener's may be held while a new conn's is taken.
// Reply functions and runtime sends are called with the mutex held: they
// only post messages and never come back here.
#pragma once
#include <asio/ip/tcp.hpp>
#include <cerrno>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actors/owned.hpp"
#include "io/tcp.hpp"

namespace weft::io {

// An asio error as the errno a script sees: asio's system errors are errnos;
// the few of its own (a resolver's, a closed stream's) are EIO. Never 0 for
// an error: end of stream is told apart (asio::error::eof) before this.
inline int errno_of(const asio::error_code& ec) {
    return ec.category() == asio::system_category() ? ec.value() : EIO;
}

// A timeout on the runtime's timers, those of sleep and `receive ... after`:
// `fire` runs once on the timer thread when it passes, unless the timer is
// dropped (or cancelled) first.
class wait_timer {
public:
    wait_timer() = default;
    wait_timer(runtime& rt, std::chrono::milliseconds after, std::function<void()> fire)
        : timers_(&rt.sched().timers()), id_(timers_->schedule_after(after, std::move(fire))) {}
    wait_timer(wait_timer&& o) noexcept : timers_(o.timers_), id_(std::exchange(o.id_, 0)) {}
    wait_timer& operator=(wait_timer&& o) noexcept {
        cancel();
        timers_ = o.timers_;
        id_ = std::exchange(o.id_, 0);
        return *this;
    }
    ~wait_timer() { cancel(); }
    void cancel() noexcept {
        if (id_) timers_->cancel(std::exchange(id_, 0));
    }

private:
    timer_service* timers_ = nullptr;
    timer_service::timer_id id_ = 0;
};

class tcp_socket : public owned_resource, public std::enable_shared_from_this<tcp_socket> {
public:
    explicit tcp_socket(tcp_table& table) : table_(table) {}
    virtual port_kind kind() const noexcept = 0;

    // Named and owned (tcp_table::adopt), before anyone else can see it.
    void start(port id, pid owner);
    // 0, or EBADF when it was closed already. The table forgets it after.
    // Whoever waits on it gets EBADF, unless the runtime is stopping
    // (`quiet`): then its actors are about to end, and an error would only
    // make each one report a crash on the way out.
    int close(bool quiet = false);
    int set_owner(pid caller, pid new_owner);
    virtual std::optional<std::pair<std::string, std::uint16_t>> address() = 0;

    void owner_ended(pid owner) noexcept override;
    bool owned_by(pid p) const noexcept override;

protected:
    // With mu_ held: closes the socket and answers what waits with EBADF.
    virtual void close_locked(bool quiet = false) noexcept = 0;
    // With mu_ held: the caller's right to read (0 or an error).
    int check_reader(pid caller) const;
    // With mu_ held: a timer for the wait numbered `seq` (none without a
    // timeout); on_timeout(seq) runs, with mu_ held, when it passes first.
    wait_timer start_timer(tcp_timeout timeout, std::uint64_t seq);
    virtual void on_timeout(std::uint64_t seq) = 0;

    tcp_table& table_;
    mutable std::mutex mu_;
    port id_{};
    pid owner_{};
    bool closed_ = false;
    std::uint64_t seq_ = 0;  // numbers the waits, so a stale timer does nothing
};

class tcp_conn final : public tcp_socket {
public:
    tcp_conn(tcp_table& table, asio::ip::tcp::socket socket);
    port_kind kind() const noexcept override { return port_kind::conn; }

    // The outcome when it is had at once (see tcp.hpp); else the reply.
    std::optional<tcp_outcome> send(std::string bytes, tcp_reply reply);
    // line: recv_line; else up to `max` bytes. As send.
    std::optional<tcp_outcome> read(pid caller, bool line, std::size_t max, tcp_timeout timeout, tcp_reply reply);
    int set_active(pid caller, active_mode mode);
    std::optional<std::pair<std::string, std::uint16_t>> address() override;

private:
    void close_locked(bool quiet) noexcept override;
    void on_timeout(std::uint64_t seq) override;
    // Gives what has arrived to whoever waits for it (a read, or the owner
    // in active mode), and reads more while someone does.
    void serve();
    // What a read of this kind gets from what has arrived, or nullopt.
    std::optional<tcp_outcome> take(bool line, std::size_t max);
    bool answer_read();  // true when the waiting read got its answer
    // A read in this thread of what the socket has now (never waits);
    // false when it had nothing yet.
    bool read_now();
    void write_next();

    asio::ip::tcp::socket socket_;
    std::string peer_host_;
    std::uint16_t peer_port_ = 0;
    // Reading: one read in flight at most, into buf_; what arrived waits in in_.
    std::unique_ptr<char[]> buf_;
    std::string in_;
    bool reading_ = false, eof_ = false;
    int read_err_ = 0;
    struct waiting_read {
        bool line;
        std::size_t max;
        tcp_reply reply;
        std::uint64_t seq;
        wait_timer timer;
    };
    std::optional<waiting_read> waiting_;
    active_mode active_ = active_mode::off;
    bool told_closed_ = false;
    // Writing: the sends in order; the first is in flight from written_.
    std::deque<std::pair<std::string, tcp_reply>> out_;
    std::size_t written_ = 0;
    bool writing_ = false;
    int write_err_ = 0;
};

class tcp_listener final : public tcp_socket {
public:
    tcp_listener(tcp_table& table, asio::ip::tcp::acceptor acceptor);
    port_kind kind() const noexcept override { return port_kind::listener; }

    int accept(pid caller, tcp_timeout timeout, tcp_reply reply);
    std::optional<std::pair<std::string, std::uint16_t>> address() override;

private:
    void close_locked(bool quiet) noexcept override;
    void on_timeout(std::uint64_t seq) override;
    void serve();

    asio::ip::tcp::acceptor acceptor_;
    std::deque<asio::ip::tcp::socket> ready_;  // accepted, for the next accept() (after a timeout)
    bool accepting_ = false;
    int accept_err_ = 0;  // EMFILE ...: for the waiting accept, then tried again
    // Any actor may accept (several acceptors on one listener, as Erlang's):
    // they are served in turn, each new conn owned by its acceptor.
    struct waiting_accept {
        pid caller;
        tcp_reply reply;
        std::uint64_t seq;
        wait_timer timer;
    };
    std::deque<waiting_accept> waiting_;
};

}  // namespace weft::io
