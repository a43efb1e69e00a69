// web_parts_test.cpp: the web observer's pieces in process: the WebSocket
// framing (RFC 6455's example key, frames both ways, limits), the HTTP
// request reader (a request split anywhere, queries, an upgrade, garbage,
// headers over the limit), and the access token.
#include <gtest/gtest.h>

#include "tools/observe/access_token.hpp"
#include "tools/observe/http_request.hpp"
#include "tools/observe/websocket.hpp"

namespace weft::tools::observe {
namespace {

// A frame as a browser sends it: masked.
std::string client_frame(ws::opcode op, const std::string& payload, std::uint8_t first = 0x80) {
    std::string out;
    out += char(first | std::uint8_t(op));
    const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    if (payload.size() < 126) {
        out += char(0x80 | payload.size());
    } else {
        out += char(0x80 | 126);
        out += char(payload.size() >> 8);
        out += char(payload.size() & 0xff);
    }
    for (unsigned char m : mask) out += char(m);
    for (std::size_t i = 0; i < payload.size(); ++i) out += char(payload[i] ^ mask[i % 4]);
    return out;
}

TEST(WebSocket, TheHandshakeKeyOfTheRfc) {
    EXPECT_EQ(ws::accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocket, FramesOut) {
    std::string small = ws::encode_frame(ws::opcode::text, "hi");
    EXPECT_EQ(small, std::string("\x81\x02hi", 4));
    std::string mid = ws::encode_frame(ws::opcode::text, std::string(300, 'x'));
    EXPECT_EQ(std::uint8_t(mid[1]), 126);
    EXPECT_EQ(mid.size(), 4u + 300u);
    std::string big = ws::encode_frame(ws::opcode::text, std::string(70000, 'x'));
    EXPECT_EQ(std::uint8_t(big[1]), 127);
    EXPECT_EQ(big.size(), 10u + 70000u);
}

TEST(WebSocket, FramesIn) {
    std::string buf = client_frame(ws::opcode::text, "hello") + client_frame(ws::opcode::ping, std::string(200, 'p'));
    ws::frame f;
    std::string part = buf.substr(0, 3);
    EXPECT_EQ(ws::parse_frame(part, f, 1024), ws::parse_status::need_more);
    ASSERT_EQ(ws::parse_frame(buf, f, 1024), ws::parse_status::frame);
    EXPECT_EQ(f.op, ws::opcode::text);
    EXPECT_EQ(f.payload, "hello");
    ASSERT_EQ(ws::parse_frame(buf, f, 1024), ws::parse_status::frame);
    EXPECT_EQ(f.op, ws::opcode::ping);
    EXPECT_EQ(f.payload, std::string(200, 'p'));
    EXPECT_TRUE(buf.empty());
}

TEST(WebSocket, WhatAClientMayNotSend) {
    ws::frame f;
    std::string unmasked("\x81\x02hi", 4);
    EXPECT_EQ(ws::parse_frame(unmasked, f, 1024), ws::parse_status::error);
    std::string too_long = client_frame(ws::opcode::text, std::string(2000, 'x'));
    EXPECT_EQ(ws::parse_frame(too_long, f, 1024), ws::parse_status::error);
    std::string extension = client_frame(ws::opcode::text, "x", 0xC0);  // RSV1: no extension was agreed
    EXPECT_EQ(ws::parse_frame(extension, f, 1024), ws::parse_status::error);
    // A 64-bit length far past the limit is refused before anything is read.
    std::string huge("\x81\xff\x7f\xff\xff\xff\xff\xff\xff\xff", 10);
    EXPECT_EQ(ws::parse_frame(huge, f, 1024), ws::parse_status::error);
}

TEST(HttpRequest, ARequestSplitAnywhere) {
    std::string raw =
        "GET /actor.json?pid=%3C0.5%3E&token=ab+c HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\n"
        "Sec-WebSocket-Key: k==\r\n\r\n";
    for (std::size_t cut = 1; cut < raw.size(); cut += 7) {
        request_reader r;
        std::size_t used = 0;
        std::string rest = raw;
        request_reader::status st = r.feed(rest.substr(0, cut), used);
        ASSERT_NE(st, request_reader::status::error) << r.error();
        rest.erase(0, used);
        while (st == request_reader::status::need_more && !rest.empty()) {
            st = r.feed(rest, used);
            rest.erase(0, used);
        }
        ASSERT_EQ(st, request_reader::status::complete) << cut;
        http_request req = r.take();
        EXPECT_EQ(req.method, "GET");
        EXPECT_EQ(req.path, "/actor.json");
        EXPECT_EQ(req.query["pid"], "<0.5>");
        EXPECT_EQ(req.query["token"], "ab c");
        EXPECT_TRUE(req.websocket);
        EXPECT_EQ(req.websocket_key, "k==");
    }
}

TEST(HttpRequest, GarbageAndOversizedHeadersAreErrors) {
    request_reader r;
    std::size_t used = 0;
    EXPECT_EQ(r.feed("NOT HTTP AT ALL\r\n\r\n", used), request_reader::status::error);
    EXPECT_FALSE(r.error().empty());
    request_reader big;
    std::string raw = "GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(20000, 'a') + "\r\n\r\n";
    EXPECT_EQ(big.feed(raw, used), request_reader::status::error);
}

TEST(HttpRequest, Responses) {
    std::string r = http_response(404, "text/plain", "not found\n", false);
    EXPECT_TRUE(r.starts_with("HTTP/1.1 404 Not Found\r\n")) << r;
    EXPECT_NE(r.find("Content-Length: 10\r\n"), std::string::npos) << r;
    EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos) << r;
    EXPECT_TRUE(r.ends_with("\r\n\r\nnot found\n"));
    EXPECT_EQ(url_decode("a%2Fb+c%zz%4"), "a/b c%zz%4");
}

TEST(AccessToken, FromTheCookieInConstantTime) {
    std::string t = observer_token("cookie one");
    EXPECT_EQ(t.size(), 32u);
    EXPECT_EQ(t, observer_token("cookie one"));
    EXPECT_NE(t, observer_token("cookie two"));
    EXPECT_EQ(t.find("cookie"), std::string::npos);
    EXPECT_TRUE(token_matches(t, t));
    EXPECT_FALSE(token_matches(t, t.substr(1)));
    EXPECT_FALSE(token_matches(t, std::string(32, '0')));
}

}  // namespace
}  // namespace weft::tools::observe
