// echo_load.cpp: the load for bench/io/echo.sh's line echo servers (Weft,
// Erlang/OTP's gen_tcp, CPython's asyncio): the same clients against each.
//
//   echo_load PORT [CLIENTS] [SECONDS] [IDLE]
//
// Opens IDLE connections that stay silent (the server holds them), then
// CLIENTS connections that each send a 32-byte line and wait for it to come
// back, over and over, for SECONDS. Prints
//   RESULT echo_rps <requests per second> req/s
//   RESULT echo_p99_us <99th percentile round trip> us
// and exits 1 when a connection fails or an answer is not the line sent.
// One thread, asio: the client must cost the same whatever the server is.
#include <algorithm>
#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct load {
    asio::io_context io;
    tcp::endpoint server;
    clock_type::time_point stop_at;
    std::vector<std::uint32_t> round_trips_us;
    std::size_t failures = 0;
    std::size_t running = 0;
};

class client : public std::enable_shared_from_this<client> {
public:
    client(load& l, int id) : l_(l), socket_(l.io), line_("client " + std::to_string(id) + " says hello ") {
        line_.resize(31, '.');
        line_ += '\n';
    }
    void start() {
        ++l_.running;
        socket_.async_connect(l_.server, [self = shared_from_this()](const asio::error_code& ec) {
            if (ec) return self->fail("connect: " + ec.message());
            self->socket_.set_option(tcp::no_delay(true));
            self->ask();
        });
    }

private:
    void ask() {
        if (clock_type::now() >= l_.stop_at) {
            --l_.running;
            return;
        }
        sent_ = clock_type::now();
        asio::async_write(socket_, asio::buffer(line_), [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
            if (ec) return self->fail("write: " + ec.message());
            asio::async_read_until(self->socket_, asio::dynamic_buffer(self->got_), '\n',
                                   [self](const asio::error_code& e, std::size_t n) {
                                       if (e) return self->fail("read: " + e.message());
                                       if (self->got_.compare(0, n, self->line_) != 0) return self->fail("wrong answer");
                                       self->got_.erase(0, n);
                                       auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                                           clock_type::now() - self->sent_);
                                       self->l_.round_trips_us.push_back(std::uint32_t(us.count()));
                                       self->ask();
                                   });
        });
    }
    void fail(const std::string& why) {
        if (l_.failures++ < 5) std::fprintf(stderr, "echo_load: %s\n", why.c_str());
        --l_.running;
    }

    load& l_;
    tcp::socket socket_;
    std::string line_, got_;
    clock_type::time_point sent_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: echo_load PORT [CLIENTS] [SECONDS] [IDLE]\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    int clients = argc > 2 ? std::atoi(argv[2]) : 1000;
    double seconds = argc > 3 ? std::atof(argv[3]) : 5;
    int idle = argc > 4 ? std::atoi(argv[4]) : 0;
    load l;
    l.server = tcp::endpoint(asio::ip::make_address("127.0.0.1"), std::uint16_t(port));

    std::vector<tcp::socket> silent;
    for (int k = 0; k < idle; ++k) {
        silent.emplace_back(l.io);
        asio::error_code ec;
        silent.back().connect(l.server, ec);
        if (ec) {
            std::fprintf(stderr, "echo_load: idle connection %d: %s\n", k, ec.message().c_str());
            return 1;
        }
    }
    l.stop_at = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
    auto began = clock_type::now();
    for (int k = 0; k < clients; ++k) std::make_shared<client>(l, k)->start();
    l.io.run();
    double took = std::chrono::duration<double>(clock_type::now() - began).count();
    if (l.round_trips_us.empty() || l.failures) {
        std::fprintf(stderr, "echo_load: %zu failures, %zu answers\n", l.failures, l.round_trips_us.size());
        return 1;
    }
    std::sort(l.round_trips_us.begin(), l.round_trips_us.end());
    std::uint32_t p99 = l.round_trips_us[l.round_trips_us.size() * 99 / 100];
    std::printf("RESULT echo_rps %.0f req/s\n", double(l.round_trips_us.size()) / took);
    std::printf("RESULT echo_p99_us %u us\n", p99);
    return 0;
}
