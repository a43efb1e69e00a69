// top_command_test.cpp: `weft top` on the real binary: one sample as JSON
// of its own runtime and of another node (joined with the cookie), and the
// messages for what a user can get wrong, and the live view on a pseudo
// terminal (keys, quitting, the terminal restored; its text is tested in
// observe_tests, snapshot_test.cpp).
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace {

using weft::test::run_to_end;

std::string temp_path(const std::string& stem) {
    static int counter = 0;
    return ::testing::TempDir() + "weft_top_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + stem;
}

TEST(TopCommand, OnceAsJsonOfItsOwnRuntime) {
    auto [status, out] = run_to_end({WEFT_BINARY, "top", "--once", "--json"});
    EXPECT_EQ(status, 0) << out;
    EXPECT_EQ(out.front(), '{') << out;
    for (const char* key : {"\"table\"", "\"workers\"", "\"memory\"", "\"rss_bytes\"", "\"messages_per_s\""})
        EXPECT_NE(out.find(key), std::string::npos) << key;
}

TEST(TopCommand, WhatAUserCanGetWrong) {
    auto [s1, o1] = run_to_end({WEFT_BINARY, "top", "--json"});
    EXPECT_EQ(s1, 2);
    EXPECT_NE(o1.find("--json needs --once"), std::string::npos) << o1;
    auto [s2, o2] = run_to_end({WEFT_BINARY, "top", "--once", "not-a-node"});
    EXPECT_EQ(s2, 2);
    EXPECT_NE(o2.find("not-a-node"), std::string::npos) << o2;
    auto [s3, o3] = run_to_end({WEFT_BINARY, "top", "--once", "--sort", "size"});
    EXPECT_EQ(s3, 2);
    EXPECT_NE(o3.find("reductions, memory or queue"), std::string::npos) << o3;
    // Nobody listens there: the connection is refused, and it says so.
    std::string cookie = temp_path(".cookie");
    std::ofstream(cookie) << "top-test-cookie-0123456789";
    ::chmod(cookie.c_str(), 0600);
    auto [s4, o4] = run_to_end({WEFT_BINARY, "top", "--once", "--cookie-file", cookie, "--timeout", "3000", "x@127.0.0.1:1"});
    EXPECT_EQ(s4, 1);
    EXPECT_NE(o4.find("cannot connect to node x@127.0.0.1:1"), std::string::npos) << o4;
    std::remove(cookie.c_str());
}

// Reads from `fd` until `text` has arrived (true) or two minutes passed.
bool read_until(int fd, std::string& got, const std::string& text) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (got.find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 1000) <= 0) continue;
        char buf[4096];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return false;
        got.append(buf, std::size_t(n));
    }
    return true;
}

TEST(TopCommand, TheLiveViewOnATerminal) {
    int master = -1;
    winsize size{30, 120, 0, 0};
    pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::execl(WEFT_BINARY, WEFT_BINARY, "top", nullptr);
        ::_exit(127);
    }
    std::string got;
    ASSERT_TRUE(read_until(master, got, "sort: reductions")) << got;
    EXPECT_NE(got.find("\x1b[?1049h"), std::string::npos);  // the alternate screen
    EXPECT_NE(got.find("q quit"), std::string::npos);
    ASSERT_EQ(::write(master, "m", 1), 1);  // a new order redraws at once
    ASSERT_TRUE(read_until(master, got, "sort: memory")) << got;
    ASSERT_EQ(::write(master, "q", 1), 1);
    ASSERT_TRUE(read_until(master, got, "\x1b[?1049l")) << got;  // the normal screen back
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ::close(master);
}

TEST(TopCommand, CtrlCQuitsTheLiveView) {
    int master = -1;
    winsize size{24, 80, 0, 0};
    pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::execl(WEFT_BINARY, WEFT_BINARY, "top", nullptr);
        ::_exit(127);
    }
    std::string got;
    ASSERT_TRUE(read_until(master, got, "sort: reductions")) << got;
    ASSERT_EQ(::write(master, "\x03", 1), 1);  // raw mode: Ctrl-C is a key
    ASSERT_TRUE(read_until(master, got, "\x1b[?1049l")) << got;
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ::close(master);
}

TEST(TopCommand, OnceAsJsonOfAnotherNode) {
    std::string cookie = temp_path(".cookie");
    std::ofstream(cookie) << "top-test-cookie-0123456789";
    ::chmod(cookie.c_str(), 0600);
    std::string prog = temp_path(".weft");
    std::ofstream(prog) << R"(
def sleeper():
    receive:
        case "stop":
            return

def main(args):
    p = spawn(sleeper)
    register("napper", p)
    print("node", node(), flush=True)
    receive:
        case "never":
            return
)";
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t node = ::fork();
    if (node == 0) {
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(WEFT_BINARY, WEFT_BINARY, "run", "--threads", "2", "--name", "observed@127.0.0.1:0", "--cookie-file",
                cookie.c_str(), prog.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string got;
    std::smatch m;
    auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (!std::regex_search(got, m, std::regex(R"(node (observed@127\.0\.0\.1:\d+)\n)"))) {
        ASSERT_LT(std::chrono::steady_clock::now(), give_up) << got;
        pollfd p{fds[0], POLLIN, 0};
        if (::poll(&p, 1, 1000) <= 0) continue;
        char buf[4096];
        ssize_t n = ::read(fds[0], buf, sizeof buf);
        ASSERT_GT(n, 0) << got;
        got.append(buf, std::size_t(n));
    }
    std::string name = m[1];
    auto [status, out] = run_to_end({WEFT_BINARY, "top", "--once", "--json", "--cookie-file", cookie, name});
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("\"node\":\"" + name + "\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"napper\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"weft_observer\""), std::string::npos) << out;  // the server itself is an actor
    // The asker joined as a node: the observed node lists it as an up peer.
    EXPECT_TRUE(std::regex_search(out, std::regex(R"re(\{[^{}]*"name":"top_\d+@127\.0\.0\.1:\d+"[^{}]*"up":true)re")) ||
                std::regex_search(out, std::regex(R"re(\{[^{}]*"up":true[^{}]*"name":"top_\d+@127\.0\.0\.1:\d+")re")))
        << out;
    // And as text, sorted by memory.
    auto [status2, text] = run_to_end({WEFT_BINARY, "top", "--once", "--sort", "memory", "--cookie-file", cookie, name});
    EXPECT_EQ(status2, 0) << text;
    EXPECT_NE(text.find("napper"), std::string::npos) << text;
    EXPECT_NE(text.find("sort: memory"), std::string::npos) << text;
    ::kill(node, SIGTERM);
    int st = 0;
    ::waitpid(node, &st, 0);
    ::close(fds[0]);
    std::remove(cookie.c_str());
    std::remove(prog.c_str());
}

}  // namespace
