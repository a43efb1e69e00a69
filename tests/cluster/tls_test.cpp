// tls_test.cpp: nodes in mutual TLS mode (--tls-cert --tls-key --tls-ca),
// with a CA and certificates that the test makes with the script the guide
// shows (examples/cluster/make-certs.sh, on openssl). Nodes of the cluster's
// CA talk as in plain mode; a certificate of another CA, one that names
// another host, and a plain node are refused with a line that says why, and
// the refusing node lives on. Bad TLS files stop a node at start, naming the
// file and the cause.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/ssl.hpp>
#include <asio/write.hpp>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "cluster/handshake.hpp"
#include "cluster/tls.hpp"
#include "node_processes.hpp"

using namespace weft_test;

namespace {

// The test's certificates, made once: a CA with nodes a and b (both on
// 127.0.0.1) and "elsewhere" (on 10.9.9.9), and another CA with its own a.
const std::string& pki() {
    static const std::string dir = [] {
        std::string d = ::testing::TempDir() + "weft_pki_" + std::to_string(::getpid());
        for (std::string args : {d + " ca", d + " node a 127.0.0.1", d + " node b 127.0.0.1 localhost",
                                 d + " node elsewhere 10.9.9.9", d + "/other ca", d + "/other node a 127.0.0.1"}) {
            std::string command = std::string(WEFT_MAKE_CERTS) + " " + args;
            EXPECT_EQ(std::system(command.c_str()), 0) << command;
        }
        return d;
    }();
    return dir;
}

weft::cluster::tls_files files_of(const std::string& node, const std::string& dir = pki()) {
    return {dir + "/" + node + ".pem", dir + "/" + node + ".key", dir + "/ca.pem"};
}

// weft's options for `node`'s certificate from the CA in `dir`.
std::vector<std::string> tls(const std::string& node, const std::string& dir = pki()) {
    weft::cluster::tls_files f = files_of(node, dir);
    return {"--tls-cert", f.cert, "--tls-key", f.key, "--tls-ca", f.ca};
}

std::uint16_t port_of(const std::string& node_name) {
    return std::uint16_t(std::stoi(node_name.substr(node_name.rfind(':') + 1)));
}

const std::string ping_pong_output =
    "connect True True\nconnect() cannot wait inside a receive's guard\n200 round trips\ndown normal\n"
    "dead remote pid noproc\n";

TEST(Tls, NodesOfTheClustersCaTalkAsInPlainMode) {
    std::string cookie = cookie_file("tls");
    node_process b(cookie, "1000", "b@127.0.0.1:0", tls("b"));
    ASSERT_NE(b.name.find("b@127.0.0.1:"), std::string::npos) << b.name << b.p.err();
    outcome ping = run_scenario("ping_pong", b.name, cookie, "1000", "", tls("a"));
    EXPECT_EQ(ping.status, 0) << ping.err;
    EXPECT_EQ(ping.out, ping_pong_output);
    // Large messages in lanes beside small ones, through TLS records.
    outcome stream = run_scenario("stream", b.name, cookie, "1000", "", tls("a"));
    EXPECT_EQ(stream.status, 0) << stream.err;
    EXPECT_EQ(stream.out, "small 3000 big 20971520\n");
    outcome many = run_scenario("many_large", b.name, cookie, "1000", "", tls("a"));
    EXPECT_EQ(many.status, 0) << many.err;
    EXPECT_EQ(many.out, "large messages 40 out of order 0\n") << many.err;
}

TEST(Tls, ACertificateOfAnotherCaIsRefusedOnBothSides) {
    std::string cookie = cookie_file("tls_stranger");
    node_process b(cookie, "1000", "b@127.0.0.1:0", tls("b"));
    outcome stranger = run_scenario("wrong_cookie", b.name, cookie, "1000", "", tls("a", pki() + "/other"));
    EXPECT_EQ(stranger.status, 0) << stranger.err;
    EXPECT_EQ(stranger.out, "connect False []\nstill alive\n");
    EXPECT_NE(stranger.err.find("TLS handshake with 127.0.0.1:" + std::to_string(port_of(b.name)) + " failed: "),
              std::string::npos)
        << stranger.err;
    outcome friendly = run_scenario("ping_pong", b.name, cookie, "1000", "", tls("a"));
    EXPECT_EQ(friendly.out, ping_pong_output) << friendly.err;
    b.p.signal(SIGTERM);
    EXPECT_EQ(b.p.finish(), 0);
    EXPECT_NE(b.p.err().find("refused a connection from 127.0.0.1:"), std::string::npos) << b.p.err();
    EXPECT_NE(b.p.err().find("TLS handshake failed: "), std::string::npos) << b.p.err();
}

TEST(Tls, APlainNodeAndATlsNodeDoNotConnectAndSaySo) {
    std::string cookie = cookie_file("tls_plain");
    {
        node_process b(cookie, "1000", "b@127.0.0.1:0", tls("b"));
        outcome plain = run_scenario("wrong_cookie", b.name, cookie);
        EXPECT_EQ(plain.out, "connect False []\nstill alive\n") << plain.err;
        ASSERT_TRUE(write_to_node(b.name, std::string(5000, '\x16')));  // garbage that starts as TLS would
        EXPECT_EQ(run_scenario("ping_pong", b.name, cookie, "1000", "", tls("a")).out, ping_pong_output);
        b.p.signal(SIGTERM);
        EXPECT_EQ(b.p.finish(), 0);
        EXPECT_NE(b.p.err().find("the peer does not speak TLS (this node runs with --tls-cert; is it a plain node?)"),
                  std::string::npos)
            << b.p.err();
    }
    node_process b(cookie);
    outcome secure = run_scenario("wrong_cookie", b.name, cookie, "1000", "", tls("a"));
    EXPECT_EQ(secure.out, "connect False []\nstill alive\n") << secure.err;
    b.p.signal(SIGTERM);
    EXPECT_EQ(b.p.finish(), 0);
    EXPECT_NE(b.p.err().find("the peer speaks TLS (it runs with --tls-cert; this node does not)"), std::string::npos)
        << b.p.err();
}

// A peer with a good certificate for 10.9.9.9 that claims a name on
// 127.0.0.1: it gets through TLS, but the node refuses the name in its HELLO.
TEST(Tls, ACertificateForAnotherHostCannotSpeakForANodeOnThisOne) {
    std::string cookie = cookie_file("tls_impostor");
    node_process b(cookie, "1000", "b@127.0.0.1:0", tls("b"));
    std::string failure;
    {
        asio::io_context io;
        auto context = weft::cluster::make_tls_context(files_of("elsewhere"), "10.9.9.9");
        asio::ssl::stream<asio::ip::tcp::socket> s(io, *context);
        s.next_layer().connect({asio::ip::make_address("127.0.0.1"), port_of(b.name)});
        s.handshake(asio::ssl::stream_base::client);
        weft::cluster::handshake_initiator hs({"a@127.0.0.1:1", 7, "tls_impostor"}, b.name);
        asio::write(s, asio::buffer(hs.start()));
        char buf[4096];
        while (!hs.done() && !hs.failed()) {
            asio::error_code ec;
            std::size_t n = s.read_some(asio::buffer(buf), ec);
            if (ec) break;
            std::string out = hs.feed({buf, n});
            if (!out.empty()) asio::write(s, asio::buffer(out));
        }
        failure = hs.failure();
    }
    EXPECT_EQ(failure, b.name + " refused the handshake: this node's TLS certificate does not name the host of "
                                "a@127.0.0.1:1");
    EXPECT_EQ(run_scenario("ping_pong", b.name, cookie, "1000", "", tls("a")).out, ping_pong_output);
    b.p.signal(SIGTERM);
    EXPECT_EQ(b.p.finish(), 0);
    EXPECT_NE(b.p.err().find("a@127.0.0.1:1: its certificate does not name the address 127.0.0.1"), std::string::npos)
        << b.p.err();
}

// The other way: a node dials a name on 127.0.0.1 and finds a certificate
// for 10.9.9.9 there (a listener of the test's, which the CA signed).
TEST(Tls, ANodeRefusesAPeerWhoseCertificateNamesAnotherHost) {
    asio::io_context io;
    auto context = weft::cluster::make_tls_context(files_of("elsewhere"), "10.9.9.9");
    asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
    asio::ssl::stream<asio::ip::tcp::socket> s(io, *context);
    std::thread serve([&] {
        asio::error_code ec;
        listener.accept(s.next_layer(), ec);
        if (!ec) s.handshake(asio::ssl::stream_base::server, ec);
        char buf[256];
        while (!ec) s.read_some(asio::buffer(buf), ec);  // until the node hangs up
    });
    std::string impostor = "x@127.0.0.1:" + std::to_string(listener.local_endpoint().port());
    std::string cookie = cookie_file("tls_dial");
    outcome a = run_scenario("wrong_cookie", impostor, cookie, "1000", "", tls("a"));
    serve.join();
    EXPECT_EQ(a.out, "connect False []\nstill alive\n") << a.err;
    EXPECT_NE(a.err.find(impostor + " at 127.0.0.1:" + impostor.substr(impostor.rfind(':') + 1) +
                         ": its certificate does not name the address 127.0.0.1"),
              std::string::npos)
        << a.err;
}

// `weft node` with the given options: its exit status and stderr.
outcome start_node(const std::vector<std::string>& options, const std::string& as = "b@127.0.0.1:0") {
    std::vector<std::string> args{WEFT_BINARY, "node", "--name", as, "--cookie-file", cookie_file("tls_start")};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(program());
    process p(args);
    int status = p.finish();
    return {status, p.out(), p.err()};
}

TEST(Tls, BadTlsFilesStopTheNodeAtStartSayingWhich) {
    auto fails_with = [](const std::vector<std::string>& options, const std::string& text) {
        outcome o = start_node(options);
        EXPECT_NE(o.status, 0) << text;
        EXPECT_NE(o.err.find(text), std::string::npos) << "expected: " << text << "\ngot: " << o.err;
    };
    std::vector<std::string> b = tls("b");
    fails_with({"--tls-cert", "/nonexistent/b.pem", "--tls-key", b[3], "--tls-ca", b[5]},
               "cannot read TLS certificate /nonexistent/b.pem (--tls-cert): No such file or directory");
    fails_with({"--tls-cert", pki(), "--tls-key", b[3], "--tls-ca", b[5]}, "(--tls-cert) is not a regular file");
    fails_with({"--tls-cert", b[1], "--tls-key", b[3], "--tls-ca", b[1] + "x"}, "cannot read TLS CA file");
    fails_with({"--tls-cert", b[3], "--tls-key", b[3], "--tls-ca", b[5]}, "(--tls-cert) holds no PEM certificate");
    fails_with({"--tls-cert", b[1], "--tls-key", pki() + "/a.key", "--tls-ca", b[5]},
               "(--tls-key) does not match the TLS certificate " + b[1]);
    fails_with({"--tls-cert", b[1], "--tls-key", b[3], "--tls-ca", pki() + "/other/ca.pem"},
               "does not verify against the TLS CA file " + pki() + "/other/ca.pem (--tls-ca): unable to get local "
               "issuer certificate");
    fails_with(tls("elsewhere"), "does not name the address 127.0.0.1, this node's host, as a subjectAltName: its peers would refuse it");
    fails_with({"--tls-cert", b[1]}, "--tls-cert requires --tls-key");

    std::string open_key = pki() + "/open.key";
    ASSERT_EQ(std::system(("cp " + b[3] + " " + open_key + " && chmod 644 " + open_key).c_str()), 0);
    fails_with({"--tls-cert", b[1], "--tls-key", open_key, "--tls-ca", b[5]},
               "is readable or writable by group or others (mode 0644): run chmod 600 " + open_key);
}

}  // namespace
