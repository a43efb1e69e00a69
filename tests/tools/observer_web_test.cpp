// observer_web_test.cpp: the web observer end to end, on the real binary:
// `weft run --observe 127.0.0.1:0 prog.weft` on a program with known
// registered and linked actors; plain HTTP (the page, a sample, an actor's
// detail with its queued messages, 404, 403 for a wrong token, 400 for a
// malformed request that leaves the node serving), the WebSocket's first
// sample, errors a user can make (a bad address, the port in use), and
// headless Chromium rendering the page (the table has the names, the graph
// an edge between linked actors; a screenshot is a PNG). No timing
// assertions: waits are generous and only for progress.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "observer_client.hpp"

namespace {

constexpr const char* program = R"(
def leaf(tag):
    receive:
        case "stop":
            return

def boss():
    c = spawn_link(leaf, "child")
    register("beta", c)
    d = spawn_link(leaf, "other")
    register("gamma", d)
    receive:
        case "stop":
            return

def main(args):
    b = spawn(boss)
    register("alpha", b)
    for i in range(3):
        send(b, ("hello", i))
    while len(registered()) < 3:
        sleep(1)
    print("ready", flush=True)
    receive:
        case "never":
            return
)";

using namespace weft::test;

TEST(ObserverWeb, ServesThePageSamplesAndDetails) {
    observed o(program, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    EXPECT_EQ(o.url, "http://127.0.0.1:" + std::to_string(o.port) + "/");  // loopback: no token

    std::string page = get(o.port, "/");
    EXPECT_EQ(status_of(page), 200);
    EXPECT_NE(page.find("<title>weft observer</title>"), std::string::npos);
    EXPECT_EQ(body_of(page).find("src=\"http"), std::string::npos);

    std::string sample = body_of(get(o.port, "/sample.json"));
    for (const char* name : {"\"alpha\"", "\"beta\"", "\"gamma\"", "\"boss\"", "\"leaf\""})
        EXPECT_NE(sample.find(name), std::string::npos) << name << " in " << sample;

    // alpha's pid, from the table row that names it.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(sample, m, std::regex(R"re(\{[^{}]*"name":"alpha"[^{}]*\})re")));
    std::string row = m[0];
    ASSERT_TRUE(std::regex_search(row, m, std::regex(R"re("pid":"([^"]+)")re")));
    std::string alpha = m[1];
    std::string encoded;
    for (char c : alpha) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", unsigned(static_cast<unsigned char>(c)));
        encoded += std::isalnum(static_cast<unsigned char>(c)) ? std::string(1, c) : buf;
    }
    std::string detail = get(o.port, "/actor.json?pid=" + encoded);
    EXPECT_EQ(status_of(detail), 200);
    std::string d = body_of(detail);
    EXPECT_NE(d.find("\"alive\":true"), std::string::npos) << d;
    EXPECT_NE(d.find("('hello', 0)"), std::string::npos) << d;  // the oldest queued message, left queued
    EXPECT_NE(d.find("\"messages_queued\":3"), std::string::npos) << d;
    EXPECT_NE(d.find("\"name\":\"beta\""), std::string::npos) << d;  // a link, named

    EXPECT_EQ(status_of(get(o.port, "/actor.json?pid=nobody")), 404);
    EXPECT_EQ(status_of(get(o.port, "/no/such/page")), 404);
}

TEST(ObserverWeb, AMalformedRequestGets400AndTheNodeServesOn) {
    observed o(program, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    EXPECT_EQ(status_of(http_exchange(o.port, "NOT HTTP AT ALL\r\n\r\n")), 400);
    EXPECT_EQ(status_of(http_exchange(o.port, "GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(20000, 'a') + "\r\n\r\n")),
              400);  // headers over the limit
    // A connection that sends half a request and goes away.
    int fd = connect_to(o.port);
    send_all(fd, "GET /sample.js");
    ::close(fd);
    EXPECT_EQ(status_of(http_exchange(o.port, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), 405);
    EXPECT_EQ(status_of(get(o.port, "/sample.json")), 200);
}

TEST(ObserverWeb, TheWebSocketSendsSamples) {
    observed o(program, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    int fd = connect_to(o.port);
    send_all(fd,
             "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    std::string got;
    char buf[8192];
    // The 101, then one text frame holding a sample.
    while (got.find("\"table\"") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        ASSERT_GT(::poll(&p, 1, 60'000), 0) << got;
        ssize_t n = ::read(fd, buf, sizeof buf);
        ASSERT_GT(n, 0) << got;
        got.append(buf, std::size_t(n));
    }
    EXPECT_EQ(status_of(got), 101);
    EXPECT_NE(got.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos);  // RFC 6455's example
    std::size_t frame = got.find("\r\n\r\n") + 4;
    EXPECT_EQ(std::uint8_t(got[frame]), 0x81);  // FIN, text
    ::close(fd);
}

TEST(ObserverWeb, BeyondLoopbackATokenIsNeeded) {
    std::string cookie = temp_path(".cookie");
    {
        std::ofstream(cookie) << "observer-test-cookie-0123456789abcdef";
        ::chmod(cookie.c_str(), 0600);
    }
    {
        observed o(program, "0.0.0.0:0", {"--cookie-file", cookie});
        ASSERT_GT(o.port, 0);
        std::smatch m;
        ASSERT_TRUE(std::regex_search(o.url, m, std::regex("token=([0-9a-f]{32})$"))) << o.url;
        std::string token = m[1];
        EXPECT_EQ(status_of(get(o.port, "/sample.json")), 403);
        EXPECT_EQ(status_of(get(o.port, "/sample.json?token=" + std::string(32, '0'))), 403);
        EXPECT_EQ(status_of(get(o.port, "/?token=" + token)), 200);
        EXPECT_EQ(status_of(get(o.port, "/sample.json?token=" + token)), 200);
    }
    std::remove(cookie.c_str());
}

TEST(ObserverWeb, BadAddressesNameTheCause) {
    std::string prog = temp_path(".weft");
    std::ofstream(prog) << "def main(args):\n    print('ran')\n";
    {
        child_process c({WEFT_BINARY, "run", "--observe", "localhost", prog});
        EXPECT_EQ(c.finish(), 2);
        EXPECT_NE(c.output().find("expected HOST:PORT"), std::string::npos) << c.output();
    }
    {
        child_process c({WEFT_BINARY, "run", "--observe", "nohost.invalid:80", prog});
        EXPECT_EQ(c.finish(), 2);
        EXPECT_NE(c.output().find("is not an IP address"), std::string::npos) << c.output();
    }
    // A port that is taken.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    {
        child_process c({WEFT_BINARY, "run", "--observe", "127.0.0.1:" + std::to_string(ntohs(a.sin_port)), prog});
        EXPECT_EQ(c.finish(), 2);
        EXPECT_NE(c.output().find("in use"), std::string::npos) << c.output();
        EXPECT_EQ(c.output().find("ran"), std::string::npos);  // the program did not start
    }
    ::close(fd);
    std::remove(prog.c_str());
}

TEST(ObserverWeb, ANodeShowsItsPeers) {
    std::string cookie = temp_path(".cookie");
    {
        std::ofstream(cookie) << "observer-test-cookie-0123456789abcdef";
        ::chmod(cookie.c_str(), 0600);
    }
    std::string prog = temp_path(".weft");
    std::ofstream(prog) << "def hello():\n    return 1\n";
    child_process node({WEFT_BINARY, "node", "--name", "served@127.0.0.1:0", "--cookie-file", cookie, "--observe", "127.0.0.1:0",
                prog});
    auto url = node.read_until(std::regex(R"(observer at http://127\.0\.0\.1:(\d+)/\n)"));
    ASSERT_TRUE(url) << node.output();
    int port = std::stoi((*url)[1]);
    auto name = node.read_until(std::regex(R"((served@127\.0\.0\.1:\d+)\n)"));
    ASSERT_TRUE(name) << node.output();
    std::string sample = body_of(get(port, "/sample.json"));
    EXPECT_NE(sample.find("\"node\":\"" + std::string((*name)[1]) + "\""), std::string::npos) << sample;
    EXPECT_NE(sample.find("\"peers\":[]"), std::string::npos) << sample;
    // Another node joins (weft top asks for one sample): the node lists it.
    child_process top({WEFT_BINARY, "top", "--once", "--json", "--cookie-file", cookie, std::string((*name)[1])});
    EXPECT_EQ(top.finish(), 0) << top.output();
    sample = body_of(get(port, "/sample.json"));
    EXPECT_TRUE(std::regex_search(sample, std::regex(R"re("name":"top_\d+@127\.0\.0\.1:\d+")re"))) << sample;
    node.signal(SIGTERM);
    EXPECT_EQ(node.finish(), 0) << node.output();
    std::remove(cookie.c_str());
    std::remove(prog.c_str());
}

// Headless Chromium, as installed by scripts/install-deps.sh.
std::string chromium() {
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (::access(p, X_OK) == 0) return p;
    return "";
}

TEST(ObserverWeb, ChromiumRendersTheTableAndTheGraph) {
    std::string browser = chromium();
    if (browser.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh)";
    observed o(program, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    std::string profile = temp_path(".chromium");
    std::vector<std::string> common{browser, "--headless", "--no-sandbox", "--disable-gpu",
                                    "--user-data-dir=" + profile, "--virtual-time-budget=10000"};
    std::string dom;
    {
        std::vector<std::string> args = common;
        args.push_back("--dump-dom");
        args.push_back(o.url);
        child_process c(args);
        c.finish();
        dom = c.output();
    }
    for (const char* name : {">alpha<", ">beta<", ">gamma<"}) EXPECT_NE(dom.find(name), std::string::npos) << name << "\n" << dom;
    // The graph: a link edge between alpha and beta, in either direction.
    bool edge = std::regex_search(dom, std::regex(R"re(class="edge link" data-from="alpha" data-to="beta")re")) ||
                std::regex_search(dom, std::regex(R"re(class="edge link" data-from="beta" data-to="alpha")re"));
    EXPECT_TRUE(edge) << dom;
    EXPECT_NE(dom.find("data-samples=\""), std::string::npos);  // the page's script ran

    std::string png = temp_path(".png");
    {
        std::vector<std::string> args = common;
        args.push_back("--window-size=1280,1000");
        args.push_back("--screenshot=" + png);
        args.push_back(o.url);
        child_process c(args);
        c.finish();
    }
    std::ifstream shot(png, std::ios::binary);
    char magic[8] = {};
    shot.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
    if (const char* keep = std::getenv("WEFT_OBSERVER_SCREENSHOT")) {  // docs/observer.png is made this way
        std::ifstream in(png, std::ios::binary);
        std::ofstream(keep, std::ios::binary) << in.rdbuf();
    }
    std::remove(png.c_str());
    std::error_code ignored;
    std::filesystem::remove_all(profile, ignored);
}

}  // namespace
