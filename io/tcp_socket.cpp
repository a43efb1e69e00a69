// tcp_socket.cpp: a listener's and a conn's state and completions (see
// tcp_socket.hpp). Every function here runs with the socket's mutex held,
// or takes it first.
#include "io/tcp_socket.hpp"

#include <cerrno>

namespace weft::io {
namespace {

constexpr std::size_t read_chunk = 64 * 1024;
// A line longer than this is given in pieces of this size (as Erlang's
// {packet, line} does past its buffer): a peer that never sends "\n"
// cannot fill the node's memory.
constexpr std::size_t max_line = 1024 * 1024;

tcp_outcome failed(int err) { return {err, term()}; }
tcp_outcome gave(term t) { return {0, std::move(t)}; }

}  // namespace

// -- both kinds -------------------------------------------------------------------------

void tcp_socket::start(port id, pid owner) {
    std::lock_guard lock(mu_);
    id_ = id;
    owner_ = owner;
}

int tcp_socket::close(bool quiet) {
    std::lock_guard lock(mu_);
    if (closed_) return EBADF;
    close_locked(quiet);
    return 0;
}

int tcp_socket::set_owner(pid caller, pid new_owner) {
    std::lock_guard lock(mu_);
    if (closed_) return EBADF;
    if (owner_ != caller) return tcp_not_owner;
    owner_ = new_owner;
    return 0;
}

void tcp_socket::owner_ended(pid owner) noexcept {
    {
        std::lock_guard lock(mu_);
        if (closed_ || owner_ != owner) return;
        close_locked();
    }
    table_.forget(id_);
}

bool tcp_socket::owned_by(pid p) const noexcept {
    std::lock_guard lock(mu_);
    return !closed_ && owner_ == p;
}

int tcp_socket::check_reader(pid caller) const {
    if (closed_) return EBADF;
    if (owner_ != caller) return tcp_not_owner;
    return 0;
}

wait_timer tcp_socket::start_timer(tcp_timeout timeout, std::uint64_t seq) {
    if (!timeout) return {};
    return wait_timer(table_.rt(), *timeout, [weak = weak_from_this(), seq] {
        auto self = weak.lock();
        if (!self) return;
        std::lock_guard lock(self->mu_);
        if (!self->closed_) self->on_timeout(seq);
    });
}

// -- conn -------------------------------------------------------------------------------

tcp_conn::tcp_conn(tcp_table& table, asio::ip::tcp::socket socket)
    : tcp_socket(table),
      socket_(std::move(socket)),
      buf_(new char[read_chunk]) {
    asio::error_code ignored;
    // Small requests and answers go out at once (as Go's sockets do): a
    // request written in two sends must not wait 40 ms for a delayed ack.
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    // The calls made in an actor's thread (send's and read's first try)
    // must never wait; asio's own operations work either way.
    socket_.non_blocking(true, ignored);
    asio::ip::tcp::endpoint peer = socket_.remote_endpoint(ignored);
    if (!ignored) {
        peer_host_ = peer.address().to_string();
        peer_port_ = peer.port();
    }
}

std::optional<std::pair<std::string, std::uint16_t>> tcp_conn::address() {
    std::lock_guard lock(mu_);
    if (closed_) return std::nullopt;
    return std::pair{peer_host_, peer_port_};
}

void tcp_conn::close_locked(bool quiet) noexcept {
    closed_ = true;
    asio::error_code ignored;
    socket_.close(ignored);  // a read or write in flight completes with operation_aborted
    if (waiting_ && !quiet) waiting_->reply(failed(EBADF));
    waiting_.reset();
    for (auto& [bytes, reply] : out_)
        if (!quiet) reply(failed(EBADF));
    out_.clear();
}

std::optional<tcp_outcome> tcp_conn::send(std::string bytes, tcp_reply reply) {
    std::lock_guard lock(mu_);
    if (closed_) return failed(EBADF);
    if (write_err_) return failed(write_err_);
    std::size_t done = 0;
    if (out_.empty()) {  // nothing queued: as much as the socket takes now
        asio::error_code ec;
        done = socket_.write_some(asio::buffer(bytes), ec);  // non-blocking: see the constructor
        if (ec && ec != asio::error::would_block) {
            write_err_ = errno_of(ec);
            return failed(write_err_);
        }
        if (done == bytes.size()) return gave(term());
    }
    out_.emplace_back(std::move(bytes), std::move(reply));
    if (!writing_) {
        written_ = done;
        write_next();
    }
    return std::nullopt;
}

void tcp_conn::write_next() {
    writing_ = true;
    const std::string& bytes = out_.front().first;
    socket_.async_write_some(asio::buffer(bytes.data() + written_, bytes.size() - written_),
                             [self = std::static_pointer_cast<tcp_conn>(shared_from_this())](
                                 const asio::error_code& ec, std::size_t n) {
                                 std::lock_guard lock(self->mu_);
                                 self->writing_ = false;
                                 if (self->closed_) return;
                                 if (ec) {  // EPIPE, ECONNRESET: this send and those behind it fail
                                     self->write_err_ = errno_of(ec);
                                     for (auto& queued : self->out_) queued.second(failed(self->write_err_));
                                     self->out_.clear();
                                     self->written_ = 0;
                                     return;
                                 }
                                 self->written_ += n;
                                 if (self->written_ == self->out_.front().first.size()) {
                                     self->out_.front().second(gave(term()));
                                     self->out_.pop_front();
                                     self->written_ = 0;
                                 }
                                 if (!self->out_.empty()) self->write_next();
                             });
}

std::optional<tcp_outcome> tcp_conn::read(pid caller, bool line, std::size_t max, tcp_timeout timeout,
                                          tcp_reply reply) {
    std::lock_guard lock(mu_);
    if (int err = check_reader(caller)) return failed(err);
    if (active_ != active_mode::off) return failed(tcp_active);
    if (auto now = take(line, max)) return now;
    if (read_now())
        if (auto now = take(line, max)) return now;
    waiting_ = waiting_read{line, max, std::move(reply), ++seq_, start_timer(timeout, seq_)};
    serve();
    return std::nullopt;
}

bool tcp_conn::read_now() {
    if (reading_ || eof_ || read_err_) return false;
    asio::error_code ec;
    std::size_t n = socket_.read_some(asio::buffer(buf_.get(), read_chunk), ec);
    if (ec == asio::error::would_block) return false;
    if (ec == asio::error::eof) eof_ = true;
    else if (ec) read_err_ = errno_of(ec);
    else in_.append(buf_.get(), n);
    return true;
}

int tcp_conn::set_active(pid caller, active_mode mode) {
    std::lock_guard lock(mu_);
    if (int err = check_reader(caller)) return err;
    active_ = mode;
    serve();
    return 0;
}

void tcp_conn::on_timeout(std::uint64_t seq) {
    if (!waiting_ || waiting_->seq != seq) return;
    waiting_->reply(failed(ETIMEDOUT));  // the read in flight goes on: its bytes wait in in_
    waiting_.reset();
}

std::optional<tcp_outcome> tcp_conn::take(bool line, std::size_t max) {
    std::size_t n = 0;
    if (line) {
        std::size_t end = in_.find('\n');
        if (end != std::string::npos) n = end + 1;
        else if (in_.size() >= max_line) n = max_line;
        else if (eof_ || (read_err_ && !in_.empty())) n = in_.size();  // the last line, without its "\n"
        else if (!read_err_) return std::nullopt;
    } else {
        if (!in_.empty()) n = std::min(in_.size(), max);
        else if (!eof_ && !read_err_) return std::nullopt;
    }
    if (n == 0 && read_err_) return failed(read_err_);
    tcp_outcome got = gave(term::bytes(std::string_view(in_).substr(0, n)));
    in_.erase(0, n);
    return got;
}

// The waiting read's answer, if what has arrived gives one.
bool tcp_conn::answer_read() {
    if (!waiting_) return false;
    std::optional<tcp_outcome> got = take(waiting_->line, waiting_->max);
    if (!got) return false;
    waiting_->reply(std::move(*got));
    waiting_.reset();
    return true;
}

void tcp_conn::serve() {
    if (closed_) return;
    if (active_ != active_mode::off) {
        if (!in_.empty()) {
            table_.rt().send(owner_, term::tuple({term::str("tcp"), term(id_), term::bytes(in_)}));
            in_.clear();
            if (active_ == active_mode::once) active_ = active_mode::off;
        }
        if (active_ != active_mode::off && (eof_ || read_err_) && !told_closed_) {
            told_closed_ = true;
            table_.rt().send(owner_, term::tuple({term::str("tcp_closed"), term(id_)}));
        }
    } else {
        answer_read();
    }
    bool wanted = active_ != active_mode::off || waiting_;
    if (!wanted || reading_ || eof_ || read_err_) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(buf_.get(), read_chunk),
                            [self = std::static_pointer_cast<tcp_conn>(shared_from_this())](
                                const asio::error_code& ec, std::size_t n) {
                                std::lock_guard lock(self->mu_);
                                self->reading_ = false;
                                if (self->closed_) return;
                                if (ec == asio::error::eof) self->eof_ = true;
                                else if (ec) self->read_err_ = errno_of(ec);
                                else self->in_.append(self->buf_.get(), n);
                                self->serve();
                            });
}

// -- listener ---------------------------------------------------------------------------

tcp_listener::tcp_listener(tcp_table& table, asio::ip::tcp::acceptor acceptor)
    : tcp_socket(table), acceptor_(std::move(acceptor)) {}

std::optional<std::pair<std::string, std::uint16_t>> tcp_listener::address() {
    std::lock_guard lock(mu_);
    if (closed_) return std::nullopt;
    asio::error_code ec;
    asio::ip::tcp::endpoint here = acceptor_.local_endpoint(ec);
    if (ec) return std::nullopt;
    return std::pair{here.address().to_string(), here.port()};
}

void tcp_listener::close_locked(bool quiet) noexcept {
    closed_ = true;
    asio::error_code ignored;
    acceptor_.close(ignored);
    ready_.clear();  // connections nobody accepted are closed
    for (waiting_accept& w : waiting_)
        if (!quiet) w.reply(failed(EBADF));
    waiting_.clear();
}

int tcp_listener::accept(pid caller, tcp_timeout timeout, tcp_reply reply) {
    std::lock_guard lock(mu_);
    if (closed_) return EBADF;
    waiting_.push_back(waiting_accept{caller, std::move(reply), ++seq_, start_timer(timeout, seq_)});
    serve();
    return 0;
}

void tcp_listener::on_timeout(std::uint64_t seq) {
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
        if (it->seq == seq) {
            it->reply(failed(ETIMEDOUT));  // an accept in flight goes on: its conn waits in ready_
            waiting_.erase(it);
            return;
        }
}

void tcp_listener::serve() {
    if (closed_) return;
    while (!waiting_.empty() && !ready_.empty()) {
        auto conn = std::make_shared<tcp_conn>(table_, std::move(ready_.front()));
        ready_.pop_front();
        waiting_accept w = std::move(waiting_.front());
        waiting_.pop_front();
        w.reply(gave(term(table_.adopt(std::move(conn), w.caller))));
    }
    if (accept_err_ && !waiting_.empty()) {  // out of descriptors: this accept fails, the next one tries again
        waiting_.front().reply(failed(std::exchange(accept_err_, 0)));
        waiting_.pop_front();
    }
    if (waiting_.empty() || accepting_) return;
    accepting_ = true;
    acceptor_.async_accept([self = std::static_pointer_cast<tcp_listener>(shared_from_this())](
                               const asio::error_code& ec, asio::ip::tcp::socket socket) {
        std::lock_guard lock(self->mu_);
        self->accepting_ = false;
        if (self->closed_) return;
        if (ec && ec != asio::error::connection_aborted) self->accept_err_ = errno_of(ec);
        if (!ec) self->ready_.push_back(std::move(socket));
        self->serve();
    });
}

}  // namespace weft::io
