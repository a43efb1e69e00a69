// observer_client.hpp: the web observer's tests' side of the wire: a node
// running a program with --observe (its URL and port), plain HTTP requests
// over loopback, and their status and body.
//
// No timing assertions: reads wait generously, and only for progress.
#pragma once
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace weft::test {

inline std::string temp_path(const std::string& stem) {
    static int counter = 0;
    return ::testing::TempDir() + "weft_observer_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + stem;
}

inline int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(std::uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    return fd;
}

inline void send_all(int fd, const std::string& s) {
    std::size_t at = 0;
    while (at < s.size()) {
        ssize_t n = ::write(fd, s.data() + at, s.size() - at);
        ASSERT_GT(n, 0);
        at += std::size_t(n);
    }
}

// Sends `raw` and reads the answer until the server closes (every request
// the tests make says Connection: close, or is one the server closes after).
inline std::string http_exchange(int port, const std::string& raw) {
    int fd = connect_to(port);
    send_all(fd, raw);
    std::string got;
    char buf[8192];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 60'000) <= 0) break;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, std::size_t(n));
    }
    ::close(fd);
    return got;
}

inline std::string get(int port, const std::string& target) {
    return http_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}

inline int status_of(const std::string& response) {
    return response.size() > 12 && response.starts_with("HTTP/1.1 ") ? std::stoi(response.substr(9, 3)) : -1;
}

// A node running the program with the observer on; the URL it printed.
struct observed {
    std::string prog = temp_path(".weft");
    std::unique_ptr<child_process> node;
    std::string url;
    int port = 0;

    // `program` prints "ready" once the test may look.
    observed(const std::string& program, const std::string& address, std::vector<std::string> extra = {}) {
        std::ofstream(prog) << program;
        std::vector<std::string> args{WEFT_BINARY, "run", "--threads", "2", "--observe", address};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(prog);
        node = std::make_unique<child_process>(args);
        auto m = node->read_until(std::regex(R"(observer at (http://[^\s]+:(\d+)/\S*)\n)"));
        if (!m) {
            ADD_FAILURE() << "no URL printed; output:\n" << node->output();
            return;
        }
        url = (*m)[1];
        port = std::stoi((*m)[2]);
        if (!node->read_until(std::regex("ready\n"))) ADD_FAILURE() << node->output();
    }
    ~observed() {
        node->signal(SIGTERM);
        EXPECT_EQ(node->finish(), 143) << node->output();
        std::remove(prog.c_str());
    }
};

inline std::string body_of(const std::string& response) {
    std::size_t at = response.find("\r\n\r\n");
    return at == std::string::npos ? "" : response.substr(at + 4);
}

}  // namespace weft::test
