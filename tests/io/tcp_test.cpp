// tcp_test.cpp: io/tcp.hpp from native C++ actors: the answers come as
// messages to whoever asked; running out of descriptors fails the one call
// with EMFILE and the node goes on (made to happen in a child process with
// a low limit); stopping the runtime with actors waiting on sockets ends
// cleanly.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"
#include "io/tcp.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;

// How a blocking actor waits for an operation: the reply comes to it as the
// message (err, result).
io::tcp_reply reply_to(runtime& rt, pid me) {
    return [&rt, me](io::tcp_outcome o) {
        rt.send(me, term::tuple({term(std::int64_t(o.err)), std::move(o.result)}));
    };
}

struct answer {
    int err = -1000;  // -1000: none came
    term result;
};

answer wait_answer(actor& self) {
    std::optional<message> m = self.receive(60s);
    if (!m) return {};
    term t = m->value();
    return {int(t[0].as_int()), t[1]};
}

// For send and the reads, which may have the outcome at once.
answer now_or_later(actor& self, std::optional<io::tcp_outcome> now) {
    if (now) return {now->err, now->result};
    return wait_answer(self);
}

std::string text_of(const term& t) {
    auto b = t.as_bytes();
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

TEST(Tcp, AConnAcceptedAndAConnMadeTalkBothWays) {
    runtime rt({.threads = 2});
    std::string heard, end;
    rt.spawn([&](actor& self) {
        io::tcp_table& t = io::tcp_table_of(rt);
        int err = 0;
        port listener = t.listen(self.self(), "127.0.0.1", 0, 16, err);
        ASSERT_EQ(err, 0);
        std::uint16_t number = t.address(listener)->second;
        t.connect(self.self(), "127.0.0.1", number, std::nullopt, reply_to(rt, self.self()));
        answer client = wait_answer(self);
        ASSERT_EQ(client.err, 0);
        t.accept(listener, self.self(), 5000ms, reply_to(rt, self.self()));
        answer server = wait_answer(self);
        ASSERT_EQ(server.err, 0);
        EXPECT_EQ(io::kind_of(server.result.as_port()), io::port_kind::conn);
        // Read first: nothing is there, so the answer comes later, as a message.
        EXPECT_FALSE(t.recv_line(server.result.as_port(), self.self(), std::nullopt, reply_to(rt, self.self())));
        EXPECT_EQ(now_or_later(self, t.send(client.result.as_port(), "ping\nrest", reply_to(rt, self.self()))).err, 0);
        heard = text_of(wait_answer(self).result);
        EXPECT_EQ(t.close(client.result.as_port()), 0);
        EXPECT_EQ(t.close(client.result.as_port()), EBADF);
        end = text_of(now_or_later(self, t.recv(server.result.as_port(), self.self(), 100, std::nullopt,
                                                 reply_to(rt, self.self()))).result);
        t.close(server.result.as_port());
        t.close(listener);
        EXPECT_EQ(t.open_sockets(), 0u);
    });
    rt.run_until_idle();
    EXPECT_EQ(heard, "ping\n");
    EXPECT_EQ(end, "rest");
}

// A port of another node (or of another runtime in this process) names no
// socket here: the error says so rather than touching one of ours.
TEST(Tcp, APortOfAnotherNodeIsRefused) {
    runtime rt({.threads = 1});
    io::tcp_table& t = io::tcp_table_of(rt);
    int err = 0;
    port mine = t.listen(pid{}, "127.0.0.1", 0, 16, err);
    ASSERT_EQ(err, 0);
    port theirs{mine.node + 1, mine.creation, mine.serial};
    EXPECT_EQ(t.close(theirs), io::tcp_not_this_node);
    std::optional<io::tcp_outcome> got = t.send(theirs, "x", [](io::tcp_outcome) {});
    ASSERT_TRUE(got);
    EXPECT_EQ(got->err, io::tcp_not_this_node);
    EXPECT_EQ(t.close(mine), 0);
}

// In a child process whose limit is 64 descriptors: connects until one
// fails, which must be EMFILE ([Errno 24] Too many open files) for that call
// alone; after closing a few, connecting works again.
TEST(Tcp, OutOfDescriptorsFailsTheOneCallAndTheNodeGoesOn) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        rlimit low{64, 64};
        ::setrlimit(RLIMIT_NOFILE, &low);
        int status = 1;
        {
            runtime rt({.threads = 2});
            rt.spawn([&](actor& self) {
                io::tcp_table& t = io::tcp_table_of(rt);
                int err = 0;
                port listener = t.listen(self.self(), "127.0.0.1", 0, 128, err);
                if (err) return;
                std::uint16_t number = t.address(listener)->second;
                std::vector<port> conns;
                int failed_with = 0;
                for (int k = 0; k < 200 && !failed_with; ++k) {
                    t.connect(self.self(), "127.0.0.1", number, 5000ms, reply_to(rt, self.self()));
                    answer a = wait_answer(self);
                    if (a.err) failed_with = a.err;
                    else conns.push_back(a.result.as_port());
                }
                for (int k = 0; k < 4 && !conns.empty(); ++k) {
                    t.close(conns.back());
                    conns.pop_back();
                }
                t.connect(self.self(), "127.0.0.1", number, 5000ms, reply_to(rt, self.self()));
                answer again = wait_answer(self);
                status = failed_with == EMFILE && again.err == 0 ? 0 : 2;
            });
            rt.run_until_idle();
        }
        ::_exit(status);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no answer; 2: not EMFILE, or no recovery";
}

// Stopping the runtime while actors wait in accept and recv: the sockets
// close, nobody is answered (their actors are ending), nothing hangs.
TEST(Tcp, StoppingWithActorsWaitingOnSocketsEnds) {
    runtime rt({.threads = 2});
    std::atomic<int> waiting{0};
    int err = 0;
    port listener = io::tcp_table_of(rt).listen(pid{}, "127.0.0.1", 0, 16, err);
    ASSERT_EQ(err, 0);
    for (int k = 0; k < 3; ++k)
        rt.spawn([&](actor& self) {
            io::tcp_table_of(rt).accept(listener, self.self(), std::nullopt, reply_to(rt, self.self()));
            ++waiting;
            self.receive();
        });
    while (waiting.load() < 3) std::this_thread::sleep_for(1ms);
    rt.stop();
    EXPECT_EQ(rt.live_actors(), 0u);
    EXPECT_EQ(io::tcp_table_of(rt).open_sockets(), 0u);
}

}  // namespace
}  // namespace weft
