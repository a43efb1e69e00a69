// nodes_test.cpp: two and three Weft nodes, as processes on loopback with
// free ports, running the scenarios of programs/peer.weft: remote ping-pong
// and spawn, registered names, links and monitors across nodes, a large
// message beside a stream of small ones, a wrong cookie, garbage on the
// port, a peer killed with SIGKILL mid-session, backpressure, and nodes in
// network namespaces cut apart or losing packets. No timing assertions: a
// scenario waits for what it expects, with generous timeouts.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "node_processes.hpp"

using namespace weft_test;

namespace {

TEST(Nodes, RemoteSpawnPingPongAndTheDeadPidAfter) {
    std::string cookie = cookie_file("ping");
    node_process b(cookie);
    ASSERT_NE(b.name.find("b@127.0.0.1:"), std::string::npos) << b.name;
    outcome a = run_scenario("ping_pong", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "connect True True\nconnect() cannot wait inside a receive's guard\n200 round trips\ndown normal\n"
                     "dead remote pid noproc\n");
}

// Both nodes traced: a message's Lamport clock travels with it, so the
// merged trace orders each of the 20 pings and 20 pongs after its send.
TEST(Nodes, TracesOfTwoNodesMergeInCausalOrder) {
    std::string cookie = cookie_file("traced");
    node_process b(cookie);
    outcome a = run_scenario("traced", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "40 messages crossed the nodes, each send before its receive\n");
}

TEST(Nodes, RegisteredNamesOnAnotherNode) {
    std::string cookie = cookie_file("names");
    node_process b(cookie);
    outcome a = run_scenario("names", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "registered echo\necho hello\na name nobody has: dropped\n");
}

TEST(Nodes, LinksAndMonitorsAcrossNodes) {
    std::string cookie = cookie_file("links");
    node_process b(cookie);
    outcome a = run_scenario("links", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out,
              "exit error ValueError remote failure\nmonitor True normal\n"
              "TypeError: spawn_on() needs a function, not 'builtin_function_or_method'\n");
}

TEST(Nodes, ALargeMessageBesideAStreamOfSmallOnesKeepsTheirOrder) {
    std::string cookie = cookie_file("stream");
    node_process b(cookie);
    outcome a = run_scenario("stream", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "small 3000 big 20971520\n");
}

TEST(Nodes, AWrongCookieIsRefusedAndLoggedOnBothSides) {
    std::string good = cookie_file("good"), wrong = cookie_file("wrong");
    node_process b(good);
    outcome a = run_scenario("wrong_cookie", b.name, wrong);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "connect False []\nstill alive\n");
    EXPECT_NE(a.err.find("wrong cookie"), std::string::npos) << a.err;
    // The node lives on and still serves a peer with the right cookie.
    outcome c = run_scenario("ping_pong", b.name, good);
    EXPECT_EQ(c.status, 0) << c.err;
    b.p.signal(SIGTERM);
    EXPECT_EQ(b.p.finish(), 0);
    EXPECT_NE(b.p.err().find("wrong cookie"), std::string::npos) << b.p.err();
}

TEST(Nodes, GarbageOnThePortDropsThatConnectionOnly) {
    std::string cookie = cookie_file("garbage");
    node_process b(cookie);
    for (const std::string& junk : {std::string("GET / HTTP/1.0\r\n\r\n"), std::string(100000, '\xff'),
                                    std::string("\x10\x00\x00\x00WEFT", 8)})
        ASSERT_TRUE(write_to_node(b.name, junk));
    outcome a = run_scenario("ping_pong", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "connect True True\nconnect() cannot wait inside a receive's guard\n200 round trips\ndown normal\n"
                     "dead remote pid noproc\n");
    b.p.signal(SIGTERM);
    EXPECT_EQ(b.p.finish(), 0);
    EXPECT_NE(b.p.err().find("refused a connection from 127.0.0.1"), std::string::npos) << b.p.err();
}

// Refused handshakes are logged a few times a minute per host, however many
// ports the attempts come from.
TEST(Nodes, RefusedConnectionsFromOneHostAreLoggedAFewTimesOnly) {
    std::string cookie = cookie_file("flood");
    node_process b(cookie);
    for (int k = 0; k < 20; ++k) ASSERT_TRUE(write_to_node(b.name, "GET / HTTP/1.0\r\n\r\n"));
    outcome a = run_scenario("ping_pong", b.name, cookie);  // b is alive and served the garbage first
    EXPECT_EQ(a.status, 0) << a.err;
    b.p.signal(SIGTERM);
    EXPECT_EQ(b.p.finish(), 0);
    std::size_t lines = count_of(b.p.err(), "refused a connection from");
    EXPECT_GE(lines, 1u) << b.p.err();
    EXPECT_LE(lines, 5u) << b.p.err();
}

// An actor that keeps sending to a node nobody runs: its messages are
// dropped, and the node dials (and logs) about once a tick, not once a send.
TEST(Nodes, SendsToANodeNobodyRunsDialAboutOnceATick) {
    std::string cookie = cookie_file("nobody");
    int s = ::socket(AF_INET, SOCK_STREAM, 0);  // a free port, then nobody on it
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    ::close(s);
    std::string nobody = "nobody@127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    outcome a = run_scenario("unreachable", nobody, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "sent 2000 False None\n");
    std::size_t lines = count_of(a.err, "cannot connect");
    EXPECT_GE(lines, 1u) << a.err;
    EXPECT_LE(lines, 3u) << a.err;
}

TEST(Nodes, AMessageThePeerWouldRefuseIsDroppedAloneAndTheConnectionLives) {
    std::string cookie = cookie_file("oversized");
    node_process b(cookie);
    outcome a = run_scenario("oversized", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "pong after the oversized message True\n") << a.err;
    EXPECT_NE(a.err.find("dropped a message for " + b.name + ": registered name of 70000 bytes exceeds the limit of 65536"),
              std::string::npos)
        << a.err;
}

TEST(Nodes, APeerKilledMidSessionGivesNoconnectionAndNodedown) {
    std::string cookie = cookie_file("lose");
    node_process b(cookie, "200");
    process a({WEFT_BINARY, "run", "--name", "a@127.0.0.1:0", "--cookie-file", cookie, "--tick-ms", "200",
               "--threads", "2", program(), "lose", b.name});
    ASSERT_TRUE(a.read_until("ready\n")) << a.out();
    b.p.signal(SIGKILL);
    EXPECT_EQ(a.finish(), 0) << a.err();
    EXPECT_EQ(a.out(), "ready\n['down noconnection', 'exit noconnection', 'nodedown']\nalive []\n");
}

TEST(Nodes, ThreeNodesAPidOfTheThirdTravelsAndIsDialled) {
    std::string cookie = cookie_file("three");
    node_process b(cookie);
    node_process c(cookie, "1000", "c@127.0.0.1:0");
    outcome a = run_scenario("three", b.name, cookie, "1000", c.name);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out,
              "50 round trips a -> b -> c -> a\nb is connected to a and c: True\n"
              "a is connected to b and c: True\n");
}

TEST(Nodes, ManySendersOnAllThreadsKeepTheirOrder) {
    std::string cookie = cookie_file("order");
    node_process b(cookie);
    outcome a = run_scenario("many_senders", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "40000 messages from 8 senders, 0 out of order\n");
}

TEST(Nodes, DisconnectIsAtOnceAndTheNextSendReconnects) {
    std::string cookie = cookie_file("reconnect");
    node_process b(cookie);
    outcome a = run_scenario("reconnect", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "disconnect True []\nagain False\npong after reconnecting True\n");
}

// Both nodes dial each other at once, round after round: one connection
// is kept, the same on both sides, whichever name sorts first (b, then A,
// which sorts before a).
TEST(Nodes, NodesThatDialEachOtherAtOnceKeepOneConnection) {
    std::string cookie = cookie_file("crossing");
    for (const char* name : {"b@127.0.0.1:0", "A@127.0.0.1:0"}) {
        node_process b(cookie, "1000", name);
        outcome a = run_scenario("crossing", b.name, cookie);
        EXPECT_EQ(a.status, 0) << a.err;
        if (a.out != "crossing dials: 40 of 40 rounds connected and answered\n") {
            b.p.signal(SIGTERM);
            b.p.finish();
            ADD_FAILURE() << a.out << "\na's log:\n" << a.err << "\n" << name << "'s log:\n" << b.p.err();
        }
    }
}

TEST(Nodes, ARestartedPeerIsANewLifeAndItsOldPidsAreNoproc) {
    std::string cookie = cookie_file("restart");
    auto b = std::make_unique<node_process>(cookie);
    std::string name = b->name;
    process a({WEFT_BINARY, "run", "--name", "a@127.0.0.1:0", "--cookie-file", cookie, "--threads", "2", program(),
               "restart", name});
    ASSERT_TRUE(a.read_until("ready\n")) << a.out();
    b->p.signal(SIGKILL);
    b.reset();
    node_process again(cookie, "1000", name);  // the same name and port
    ASSERT_EQ(again.name, name);
    EXPECT_EQ(a.finish(), 0) << a.err();
    EXPECT_EQ(a.out(), "ready\ndown noconnection\nold pid noproc\nthe new life answers\n");
}

}  // namespace

// Backpressure: while the peer is stopped, a sender to it is held back near
// the connection's limit (its memory does not grow); once it runs again,
// every message arrives, in order.
TEST(Nodes, ACongestedPeerHoldsItsSenderBackAndLosesNothing) {
    std::string cookie = cookie_file("busy");
    node_process b(cookie, "5000");
    process a({WEFT_BINARY, "run", "--name", "a@127.0.0.1:0", "--cookie-file", cookie, "--tick-ms", "5000",
               "--threads", "2", "--send-queue-limit", "1M", program(), "congest", b.name});
    ASSERT_TRUE(a.read_until("connected\n")) << a.out();
    b.p.signal(SIGSTOP);
    bool congested = a.read_until("congested\n");
    b.p.signal(SIGCONT);
    ASSERT_TRUE(congested) << a.out();
    EXPECT_EQ(a.finish(), 0) << a.err();
    EXPECT_EQ(a.out(),
              "connected\ncongested\nthe backlog stayed within the limit True\nall arrived True out of order 0\n")
        << a.err();
}

// Forty messages of 200 KB at once: more than the 16 that may travel in
// chunks at a time, so the sender holds the rest back, in order.
TEST(Nodes, MoreLargeMessagesThanLanesWaitTheirTurn) {
    std::string cookie = cookie_file("lanes");
    node_process b(cookie);
    outcome a = run_scenario("many_large", b.name, cookie);
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, "large messages 40 out of order 0\n") << a.err;
    EXPECT_EQ(a.err, "");
}

// ---- Partitions and packet loss ---------------------------------------------
// Nodes in two network namespaces joined by a veth pair (a at 10.213.0.1, b
// at 10.213.0.2), with iptables dropping packets between them. Needs root
// (or CAP_NET_ADMIN), ip and iptables; skipped with the reason otherwise.
class namespaces {
public:
    namespaces() {
        std::string tag = std::to_string(::getpid() % 100000);
        a_ = "weft_a" + tag;
        b_ = "weft_b" + tag;
        std::string va = "va" + tag, vb = "vb" + tag;
        if (::geteuid() != 0) {
            why_not_ = "network namespaces need root";
            return;
        }
        for (const char* tool : {"ip", "iptables"})
            if (!sh(std::string("command -v ") + tool)) {
                why_not_ = std::string(tool) + " is not installed (scripts/install-deps.sh installs it)";
                return;
            }
        made_ = sh("ip netns add " + a_) && sh("ip netns add " + b_);
        if (!made_ || !sh("ip link add " + va + " netns " + a_ + " type veth peer name " + vb + " netns " + b_) ||
            !sh("ip -n " + a_ + " addr add 10.213.0.1/24 dev " + va) ||
            !sh("ip -n " + b_ + " addr add 10.213.0.2/24 dev " + vb) || !sh("ip -n " + a_ + " link set " + va + " up") ||
            !sh("ip -n " + b_ + " link set " + vb + " up") || !sh("ip -n " + a_ + " link set lo up") ||
            !sh("ip -n " + b_ + " link set lo up") || !sh("ip netns exec " + a_ + " iptables -S"))
            why_not_ = "cannot set up network namespaces here (no CAP_NET_ADMIN, or no nf_tables)";
    }
    ~namespaces() {
        if (made_) sh("ip netns del " + a_ + "; ip netns del " + b_);  // the veth pair goes with them
    }
    const std::string& why_not() const { return why_not_; }
    // Runs `weft ARGS...` inside namespace a or b.
    std::vector<std::string> in_a(std::vector<std::string> args) const { return in(a_, std::move(args)); }
    std::vector<std::string> in_b(std::vector<std::string> args) const { return in(b_, std::move(args)); }
    // Every packet between the two dropped (a partition), or none again.
    bool cut() const {
        return sh("ip netns exec " + a_ + " iptables -A INPUT -s 10.213.0.2 -j DROP") &&
               sh("ip netns exec " + a_ + " iptables -A OUTPUT -d 10.213.0.2 -j DROP");
    }
    bool heal() const { return sh("ip netns exec " + a_ + " iptables -F"); }
    // `percent` % of the packets dropped, each way.
    bool lose(int percent) const {
        std::string rule = " iptables -A INPUT -m statistic --mode random --probability 0." +
                           std::string(percent < 10 ? "0" : "") + std::to_string(percent) + " -j DROP";
        return sh("ip netns exec " + a_ + rule) && sh("ip netns exec " + b_ + rule);
    }

private:
    static bool sh(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }
    static std::vector<std::string> in(const std::string& ns, std::vector<std::string> args) {
        args.insert(args.begin(), {"ip", "netns", "exec", ns, WEFT_BINARY});
        return args;
    }
    std::string a_, b_, why_not_;
    bool made_ = false;
};

std::vector<std::string> node_b_args(const std::string& cookie, const std::string& tick) {
    return {"node", "--name", "b@10.213.0.2:0", "--cookie-file", cookie, "--tick-ms", tick, "--threads", "2", program()};
}
std::vector<std::string> run_a_args(const std::string& cookie, const std::string& tick, const std::string& scenario,
                                    const std::string& peer) {
    return {"run", "--name", "a@10.213.0.1:0", "--cookie-file", cookie, "--tick-ms", tick, "--threads", "2",
            program(), scenario, peer};
}

TEST(Partition, ALostLinkIsNodedownAndTheHealedOneReconnectsWithNothingReorderedOrDoubled) {
    namespaces ns;
    if (!ns.why_not().empty()) GTEST_SKIP() << ns.why_not();
    std::string cookie = cookie_file("partition");
    process b(ns.in_b(node_b_args(cookie, "200")));
    std::string b_name = b.first_line();
    ASSERT_NE(b_name.find("b@10.213.0.2:"), std::string::npos) << b_name;
    process a(ns.in_a(run_a_args(cookie, "200", "partition", b_name)));
    ASSERT_TRUE(a.read_until("connected\n")) << a.out();
    ASSERT_TRUE(ns.cut());
    bool down = a.read_until("nodedown");
    ASSERT_TRUE(ns.heal());
    ASSERT_TRUE(down) << a.out();
    EXPECT_EQ(a.finish(), 0) << a.err();
    EXPECT_EQ(a.out(),
              "before the partition 1000\nconnected\nnodedown True\nreconnected\n"
              "after healing 2000 out of order 0\n")
        << a.err();
}

// The tick is long here: at 10% loss each way, TCP's retransmissions back
// off exponentially (0.2, 0.4, 0.8, 1.6, 3.2 s ...), so a segment lost five
// times in a row keeps the link silent for over 6 s, and under a sanitizer
// on a loaded machine a 2 s tick (down after 8 s) was sometimes reached. The
// test is about order and loss, not failure detection: a 10 s tick (down
// after 40 s of silence, eight losses in a row) keeps nodedown out of it.
TEST(Partition, TenPercentPacketLossLosesNothingAndKeepsTheOrder) {
    namespaces ns;
    if (!ns.why_not().empty()) GTEST_SKIP() << ns.why_not();
    std::string cookie = cookie_file("lossy");
    process b(ns.in_b(node_b_args(cookie, "10000")));
    std::string b_name = b.first_line();
    ASSERT_NE(b_name.find("b@10.213.0.2:"), std::string::npos) << b_name;
    ASSERT_TRUE(ns.lose(10));
    process a(ns.in_a(run_a_args(cookie, "10000", "lossy", b_name)));
    EXPECT_EQ(a.finish(), 0) << a.err();
    EXPECT_EQ(a.out(), "over a lossy link 20000 out of order 0\n") << a.err();
}
