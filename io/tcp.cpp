// tcp.cpp: the table of a node's sockets, listening and connecting (see
// tcp.hpp); each socket's own work is in tcp_socket.cpp.
#include "io/tcp.hpp"

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <cerrno>
#include <vector>

#include "io/service.hpp"
#include "io/tcp_socket.hpp"

namespace weft::io {
namespace {

// The resolver's errors: no such host is tcp_no_such_host.
int resolve_error(const asio::error_code& ec) {
    if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
        ec == asio::error::no_data || ec == asio::error::service_not_found)
        return tcp_no_such_host;
    return errno_of(ec);
}

// One connect(): the host's addresses tried in turn until one answers, under
// one timeout for them all (on the runtime's timers). Its handlers run on the
// io service, the timeout on the timer thread; the mutex keeps them apart.
class connecting : public std::enable_shared_from_this<connecting> {
public:
    connecting(tcp_table& table, asio::io_context& io, pid owner, tcp_reply reply)
        : table_(table), resolver_(io), socket_(io), owner_(owner), reply_(std::move(reply)) {}

    void start(const std::string& host, std::uint16_t number, tcp_timeout timeout) {
        std::lock_guard lock(mu_);
        if (timeout)
            timer_ = wait_timer(table_.rt(), *timeout, [weak = weak_from_this()] {
                auto self = weak.lock();
                if (!self) return;
                std::lock_guard held(self->mu_);
                asio::error_code ignored;
                self->resolver_.cancel();
                self->socket_.close(ignored);
                self->finish({ETIMEDOUT, term()});
            });
        resolver_.async_resolve(host, std::to_string(number),
                                [self = shared_from_this()](const asio::error_code& ec,
                                                            asio::ip::tcp::resolver::results_type found) {
                                    std::lock_guard held(self->mu_);
                                    if (self->done_) return;
                                    if (ec) return self->finish({resolve_error(ec), term()});
                                    for (const auto& entry : found) self->addresses_.push_back(entry.endpoint());
                                    self->try_next(ECONNREFUSED);
                                });
    }

private:
    void try_next(int last_err) {
        if (next_ == addresses_.size()) return finish({last_err, term()});
        const asio::ip::tcp::endpoint& to = addresses_[next_++];
        asio::error_code failed;
        socket_.close(failed);
        socket_.open(to.protocol(), failed);
        if (failed) return finish({errno_of(failed), term()});  // EMFILE: out of descriptors
        socket_.async_connect(to, [self = shared_from_this()](const asio::error_code& ec) {
            std::lock_guard lock(self->mu_);
            if (self->done_) return;
            if (ec) return self->try_next(errno_of(ec));
            self->timer_.cancel();
            auto conn = std::make_shared<tcp_conn>(self->table_, std::move(self->socket_));
            self->finish({0, term(self->table_.adopt(std::move(conn), self->owner_))});
        });
    }

    void finish(tcp_outcome outcome) {
        if (done_) return;
        done_ = true;
        timer_.cancel();
        reply_(std::move(outcome));
    }

    tcp_table& table_;
    std::mutex mu_;
    asio::ip::tcp::resolver resolver_;
    asio::ip::tcp::socket socket_;
    wait_timer timer_;
    pid owner_;
    tcp_reply reply_;
    std::vector<asio::ip::tcp::endpoint> addresses_;
    std::size_t next_ = 0;
    bool done_ = false;
};

asio::io_context& io_of(runtime& rt) { return service_of(rt).context(); }

}  // namespace

tcp_table::tcp_table(runtime& rt) : rt_(rt) {}

tcp_table::~tcp_table() { stop(); }

// Once stopped_ is set, adopt() takes no more: it sets nothing in a shard
// after it has seen stopped_ clear under the shard's lock, and stop() sets
// stopped_ before it empties each shard under that lock.
void tcp_table::stop() noexcept {
    stopped_.store(true);
    std::vector<std::shared_ptr<tcp_socket>> open;
    for (shard& sh : shards_) {
        std::lock_guard lock(sh.mutex);
        for (auto& [serial, s] : sh.sockets) open.push_back(s);
        sh.sockets.clear();
    }
    for (auto& s : open) s->close(true);
}

port tcp_table::adopt(std::shared_ptr<tcp_socket> s, pid owner) {
    std::uint64_t serial = std::uint64_t(s->kind()) << 56 | next_.fetch_add(1, std::memory_order_relaxed);
    port id{rt_.node_id(), rt_.creation(), serial};
    {
        shard& sh = shard_of(serial);
        std::lock_guard lock(sh.mutex);
        if (stopped_.load()) {
            s->close(true);
            return port{};
        }
        sh.sockets.emplace(serial, s);
    }
    s->start(id, owner);
    // The owner keeps it from now on; an owner that has ended closes it at
    // once. No owner (C++ outside any actor): it lives until closed.
    if (owner && !rt_.hand_over(owner, s)) s->owner_ended(owner);
    return id;
}

void tcp_table::forget(port p) noexcept {
    shard& sh = shard_of(p.serial);
    std::lock_guard lock(sh.mutex);
    sh.sockets.erase(p.serial);
}

std::shared_ptr<tcp_socket> tcp_table::find(port p, int& err) {
    err = 0;
    if (p.node != rt_.node_id() || p.creation != rt_.creation()) {
        err = tcp_not_this_node;
        return nullptr;
    }
    shard& sh = shard_of(p.serial);
    std::lock_guard lock(sh.mutex);
    auto it = sh.sockets.find(p.serial);
    if (it == sh.sockets.end()) {
        err = EBADF;
        return nullptr;
    }
    return it->second;
}

std::size_t tcp_table::open_sockets() {
    std::size_t n = 0;
    for (shard& sh : shards_) {
        std::lock_guard lock(sh.mutex);
        n += sh.sockets.size();
    }
    return n;
}

port tcp_table::listen(pid owner, const std::string& host, std::uint16_t number, int backlog, int& err) {
    err = 0;
    asio::io_context& io = io_of(rt_);
    asio::error_code ec;
    asio::ip::tcp::endpoint at;
    asio::ip::address address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (!ec) {
        at = asio::ip::tcp::endpoint(address, number);
    } else {
        asio::ip::tcp::resolver resolver(io);
        auto found = resolver.resolve(host, std::to_string(number), ec);
        if (ec || found.empty()) {
            err = ec ? resolve_error(ec) : tcp_no_such_host;
            return port{};
        }
        at = found.begin()->endpoint();
    }
    asio::ip::tcp::acceptor acceptor(io);
    acceptor.open(at.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(at, ec);
    if (!ec) acceptor.listen(backlog, ec);
    if (ec) {
        err = errno_of(ec);
        return port{};
    }
    return adopt(std::make_shared<tcp_listener>(*this, std::move(acceptor)), owner);
}

void tcp_table::accept(port listener, pid caller, tcp_timeout timeout, tcp_reply reply) {
    int err;
    auto s = find(listener, err);
    if (s && s->kind() != port_kind::listener) err = tcp_wrong_kind;
    if (!err) err = static_cast<tcp_listener&>(*s).accept(caller, timeout, reply);
    if (err) reply({err, term()});
}

void tcp_table::connect(pid owner, const std::string& host, std::uint16_t number, tcp_timeout timeout,
                        tcp_reply reply) {
    auto c = std::make_shared<connecting>(*this, io_of(rt_), owner, std::move(reply));
    c->start(host, number, timeout);
}

std::optional<tcp_outcome> tcp_table::send(port conn, std::string bytes, tcp_reply reply) {
    int err;
    auto s = find(conn, err);
    if (s && s->kind() != port_kind::conn) err = tcp_wrong_kind;
    if (err) return tcp_outcome{err, term()};
    return static_cast<tcp_conn&>(*s).send(std::move(bytes), std::move(reply));
}

std::optional<tcp_outcome> tcp_table::recv(port conn, pid caller, std::size_t max, tcp_timeout timeout,
                                           tcp_reply reply) {
    int err;
    auto s = find(conn, err);
    if (s && s->kind() != port_kind::conn) err = tcp_wrong_kind;
    if (err) return tcp_outcome{err, term()};
    return static_cast<tcp_conn&>(*s).read(caller, false, max, timeout, std::move(reply));
}

std::optional<tcp_outcome> tcp_table::recv_line(port conn, pid caller, tcp_timeout timeout, tcp_reply reply) {
    int err;
    auto s = find(conn, err);
    if (s && s->kind() != port_kind::conn) err = tcp_wrong_kind;
    if (err) return tcp_outcome{err, term()};
    return static_cast<tcp_conn&>(*s).read(caller, true, 0, timeout, std::move(reply));
}

int tcp_table::close(port p) {
    int err;
    auto s = find(p, err);
    if (err) return err;
    err = s->close();
    forget(p);
    return err;
}

int tcp_table::set_active(port conn, pid caller, active_mode mode) {
    int err;
    auto s = find(conn, err);
    if (s && s->kind() != port_kind::conn) err = tcp_wrong_kind;
    return err ? err : static_cast<tcp_conn&>(*s).set_active(caller, mode);
}

int tcp_table::set_owner(port p, pid caller, pid new_owner) {
    int err;
    auto s = find(p, err);
    if (err) return err;
    if (!rt_.is_local(new_owner)) return tcp_not_this_node;
    if ((err = s->set_owner(caller, new_owner))) return err;
    if (!rt_.hand_over(new_owner, s)) s->owner_ended(new_owner);
    return 0;
}

std::optional<std::pair<std::string, std::uint16_t>> tcp_table::address(port p) {
    int err;
    auto s = find(p, err);
    return s ? s->address() : std::nullopt;
}

tcp_table& tcp_table_of(runtime& rt) {
    static const char key = 0;  // its address names the extension; never written
    return static_cast<tcp_table&>(rt.extension(&key, [&rt] {
        // The io service is made first, so that it is stopped and destroyed
        // after the table (extensions go newest first).
        service_of(rt);
        return std::make_unique<tcp_table>(rt);
    }));
}

}  // namespace weft::io
