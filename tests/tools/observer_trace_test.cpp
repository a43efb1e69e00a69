// observer_trace_test.cpp: the web observer's "trace" button at the wire, on
// the real binary: over the page's WebSocket, a trace request for an actor
// that exchanges messages is answered with a well-formed SVG sequence
// diagram (parsed by python3's minidom, a parser we did not write) with that
// actor's lifeline; a trace the program runs itself is left alone and the
// answer says why; malformed requests and unknown actors are answered with
// their cause. No timing assertions: the request's window is far longer
// than the events take, and reads wait only for progress.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "observer_client.hpp"

namespace {

using namespace weft::test;

// pong answers chatter's pings for ever, a few milliseconds apart.
constexpr const char* chatty = R"(
def pong():
    while True:
        receive:
            case ("ping", sender, n):
                send(sender, ("pong", n))

def chatter(p):
    n = 0
    while True:
        send(p, ("ping", self(), n))
        receive:
            case ("pong", _):
                pass
        n += 1
        sleep(5)

def main(args):
    p = spawn(pong)
    register("ponger", p)
    register("chatter", spawn(chatter, p))
    print("ready", flush=True)
    receive:
        case "never":
            return
)";

// The same, with a trace of the program's own running.
constexpr const char* self_traced = R"(
import trace

def idle():
    receive:
        case "never":
            return

def main(args):
    trace.start(max_events=100000)
    register("idler", spawn(idle))
    print("ready", flush=True)
    receive:
        case "never":
            return
)";

// A WebSocket to the observer, past its handshake.
class web_socket {
public:
    explicit web_socket(int port) : fd_(connect_to(port)) {
        send_all(fd_,
                 "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        while (got_.find("\r\n\r\n") == std::string::npos)
            if (!read_more()) break;
        EXPECT_EQ(status_of(got_), 101) << got_;
        std::size_t end = got_.find("\r\n\r\n");
        got_.erase(0, end == std::string::npos ? got_.size() : end + 4);
    }
    ~web_socket() { ::close(fd_); }

    // One text message, masked as a browser's (RFC 6455, 5.3).
    void send_text(const std::string& text) {
        std::string f(1, char(0x81));
        if (text.size() < 126) {
            f += char(0x80 | text.size());
        } else {
            f += char(0x80 | 126);
            f += char(text.size() >> 8);
            f += char(text.size() & 0xff);
        }
        const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
        f.append(reinterpret_cast<const char*>(mask), 4);
        for (std::size_t i = 0; i < text.size(); ++i) f += char(text[i] ^ mask[i % 4]);
        send_all(fd_, f);
    }

    // The next text message that is a trace answer (samples are skipped),
    // or "" when the connection ends first.
    std::string next_trace_answer() {
        for (;;) {
            std::string m = next_message();
            if (m.empty() || m.starts_with("{\"trace\"")) return m;
        }
    }

private:
    bool read_more() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 60'000) <= 0) return false;
        char buf[16384];
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) return false;
        got_.append(buf, std::size_t(n));
        return true;
    }
    // A server frame: FIN and opcode, then a 7-, 16- or 64-bit length, unmasked.
    std::string next_message() {
        for (;;) {
            if (got_.size() >= 2) {
                std::uint64_t len = std::uint8_t(got_[1]) & 0x7f;
                std::size_t head = 2;
                if (len == 126 && got_.size() >= 4) {
                    len = (std::uint64_t(std::uint8_t(got_[2])) << 8) | std::uint8_t(got_[3]);
                    head = 4;
                } else if (len == 127 && got_.size() >= 10) {
                    len = 0;
                    for (int i = 0; i < 8; ++i) len = (len << 8) | std::uint8_t(got_[2 + i]);
                    head = 10;
                }
                if ((len < 126 || head > 2) && got_.size() >= head + len) {
                    EXPECT_EQ(std::uint8_t(got_[0]), 0x81);  // FIN, text
                    std::string payload = got_.substr(head, std::size_t(len));
                    got_.erase(0, head + std::size_t(len));
                    return payload;
                }
            }
            if (!read_more()) return "";
        }
    }

    int fd_;
    std::string got_;
};

std::string pid_named(int port, const std::string& name) {
    std::string sample = body_of(get(port, "/sample.json"));
    std::smatch m;
    if (!std::regex_search(sample, m, std::regex("\\{[^{}]*\"name\":\"" + name + "\"[^{}]*\\}"))) return "";
    std::string row = m[0];
    return std::regex_search(row, m, std::regex(R"re("pid":"([^"]+)")re")) ? std::string(m[1]) : "";
}

bool parses_as_xml(const std::string& svg) {
    std::string path = temp_path(".svg");
    std::ofstream(path) << svg;
    std::string command = "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' " + path;
    int status = std::system(command.c_str());
    std::remove(path.c_str());
    return status == 0;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

TEST(ObserverTrace, TheTraceButtonDrawsAnActorsMessages) {
    observed o(chatty, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    std::string chatter = pid_named(o.port, "chatter");
    ASSERT_FALSE(chatter.empty());
    web_socket ws(o.port);
    ws.send_text(nlohmann::json{{"trace", chatter}, {"max_events", 20}, {"window_ms", 30000}}.dump());
    std::string answer = ws.next_trace_answer();
    nlohmann::json j = nlohmann::json::parse(answer, nullptr, false);
    ASSERT_TRUE(j.is_object()) << answer;
    const nlohmann::json& t = j["trace"];
    EXPECT_EQ(t.value("pid", ""), chatter);
    ASSERT_FALSE(t.contains("error")) << answer;
    EXPECT_EQ(t.value("events", 0), 20);  // full: the window did not end it
    std::string svg = t.value("svg", "");
    ASSERT_TRUE(svg.find("<svg") != std::string::npos) << answer;
    EXPECT_TRUE(parses_as_xml(svg)) << svg;
    std::string escaped = std::regex_replace(std::regex_replace(chatter, std::regex("<"), "&lt;"), std::regex(">"), "&gt;");
    EXPECT_NE(svg.find("class=\"lifeline\" data-actor=\"" + escaped + "\""), std::string::npos) << svg;
    EXPECT_GE(occurrences(svg, "<g class=\"message"), 5u) << svg;  // 20 events of a ping-pong
    EXPECT_NE(svg.find("(&apos;ping&apos;, " + escaped), std::string::npos) << svg;

    // The trace is over: a second one may start, and a program's trace could too.
    ws.send_text(nlohmann::json{{"trace", chatter}, {"max_events", 4}}.dump());
    nlohmann::json again = nlohmann::json::parse(ws.next_trace_answer(), nullptr, false);
    EXPECT_EQ(again["trace"].value("events", 0), 4) << again.dump();
}

TEST(ObserverTrace, BadRequestsAndUnknownActorsNameTheirCause) {
    observed o(chatty, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    web_socket ws(o.port);
    ws.send_text(R"({"trace": "<0.999.0>"})");
    std::string answer = ws.next_trace_answer();
    EXPECT_NE(answer.find("no live actor <0.999.0> on this node"), std::string::npos) << answer;
    ws.send_text(R"({"trace": "<0.1.0>", "max_events": 0})");
    answer = ws.next_trace_answer();
    EXPECT_NE(answer.find("max_events must be a positive integer, not 0"), std::string::npos) << answer;
    ws.send_text(R"({"trace": 5})");
    answer = ws.next_trace_answer();
    EXPECT_NE(answer.find("must be a pid as text"), std::string::npos) << answer;
}

TEST(ObserverTrace, AProgramsOwnTraceIsLeftAlone) {
    observed o(self_traced, "127.0.0.1:0");
    ASSERT_GT(o.port, 0);
    std::string idler = pid_named(o.port, "idler");
    ASSERT_FALSE(idler.empty());
    web_socket ws(o.port);
    ws.send_text(nlohmann::json{{"trace", idler}}.dump());
    std::string answer = ws.next_trace_answer();
    EXPECT_NE(answer.find("a trace is already running on this node"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("\"svg\""), std::string::npos) << answer;
}

}  // namespace
