// handshake_message_test.cpp: the bodies byte by byte, and decoding bad ones.
#include "cluster/handshake_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace weft::cluster {
namespace {

using namespace std::string_literals;

hello_message sample_hello() {
    hello_message h;
    h.name = "a@h:1";
    h.creation = 0x04030201;
    for (std::size_t i = 0; i < h.nonce.size(); ++i) h.nonce[i] = static_cast<std::uint8_t>(0xa0 + i);
    return h;
}

challenge_message sample_challenge() {
    challenge_message c;
    c.name = "b@h:2";
    c.creation = 7;
    c.nonce.fill(0x11);
    c.mac.fill(0x22);
    return c;
}

std::string error_of(std::string_view body) {
    decoded_handshake_message d = decode_handshake_message(body);
    EXPECT_FALSE(d.message.has_value());
    return d.error;
}

TEST(HandshakeMessage, HelloBytes) {
    std::string expected = "\x01"s                        // HELLO
                           "\x04\x00WEFT"s                // magic
                           "\x02\x00\x01\x00"s            // version 1
                           "\x05\x00" "a@h:1"s            // name
                           "\x04\x00\x01\x02\x03\x04"s    // creation 0x04030201
                           "\x10\x00"s;                   // nonce
    for (int i = 0; i < 16; ++i) expected += static_cast<char>(0xa0 + i);
    EXPECT_EQ(encode_handshake_message(sample_hello()), expected);
}

TEST(HandshakeMessage, ChallengeResponseOkRefusedBytes) {
    std::string challenge = "\x02\x05\x00" "b@h:2" "\x04\x00\x07\x00\x00\x00"s + "\x10\x00"s + std::string(16, '\x11') +
                            "\x20\x00"s + std::string(32, '\x22');
    EXPECT_EQ(encode_handshake_message(sample_challenge()), challenge);
    response_message r;
    r.mac.fill(0x33);
    EXPECT_EQ(encode_handshake_message(r), "\x03\x20\x00"s + std::string(32, '\x33'));
    EXPECT_EQ(encode_handshake_message(ok_message{}), "\x04"s);
    EXPECT_EQ(encode_handshake_message(refused_message{1, 1}), "\x05\x01\x00\x01\x02\x00\x01\x00"s);
}

TEST(HandshakeMessage, EveryMessageRoundTrips) {
    hello_message h = sample_hello();
    auto d = decode_handshake_message(encode_handshake_message(h));
    ASSERT_TRUE(d.message) << d.error;
    const auto& h2 = std::get<hello_message>(*d.message);
    EXPECT_EQ(h2.version, h.version);
    EXPECT_EQ(h2.name, h.name);
    EXPECT_EQ(h2.creation, h.creation);
    EXPECT_EQ(h2.nonce, h.nonce);

    challenge_message c = sample_challenge();
    d = decode_handshake_message(encode_handshake_message(c));
    ASSERT_TRUE(d.message) << d.error;
    const auto& c2 = std::get<challenge_message>(*d.message);
    EXPECT_EQ(c2.name, c.name);
    EXPECT_EQ(c2.creation, c.creation);
    EXPECT_EQ(c2.nonce, c.nonce);
    EXPECT_EQ(c2.mac, c.mac);

    response_message r;
    r.mac.fill(9);
    d = decode_handshake_message(encode_handshake_message(r));
    ASSERT_TRUE(d.message);
    EXPECT_EQ(std::get<response_message>(*d.message).mac, r.mac);

    d = decode_handshake_message(encode_handshake_message(ok_message{}));
    ASSERT_TRUE(d.message);
    EXPECT_TRUE(std::holds_alternative<ok_message>(*d.message));

    d = decode_handshake_message(encode_handshake_message(refused_message{200, 9}));
    ASSERT_TRUE(d.message);
    EXPECT_EQ(std::get<refused_message>(*d.message).reason, 200);
    EXPECT_EQ(std::get<refused_message>(*d.message).version, 9);
}

TEST(HandshakeMessage, EveryTruncationFailsWithAReason) {
    for (const handshake_message& m : {handshake_message{sample_hello()}, handshake_message{sample_challenge()},
                                       handshake_message{response_message{}}, handshake_message{refused_message{}}}) {
        std::string body = encode_handshake_message(m);
        for (std::size_t n = 0; n < body.size(); ++n) {
            std::string cut = body.substr(0, n);  // its own buffer, so ASan sees a read past it
            std::string error = error_of(cut);
            EXPECT_EQ(error.rfind("malformed handshake message: ", 0), 0u) << n << ": " << error;
        }
    }
}

TEST(HandshakeMessage, TruncationMessages) {
    std::string hello = encode_handshake_message(sample_hello());
    EXPECT_EQ(error_of(""), "malformed handshake message: empty message");
    EXPECT_EQ(error_of(hello.substr(0, 1)), "malformed handshake message: HELLO ends before its magic field");
    EXPECT_EQ(error_of(hello.substr(0, 5)),
              "malformed handshake message: HELLO's magic field claims 4 bytes, more than the 2 left");
    EXPECT_EQ(error_of(hello.substr(0, hello.size() - 1)),
              "malformed handshake message: HELLO's nonce field claims 16 bytes, more than the 15 left");
    EXPECT_EQ(error_of(hello + "x"), "malformed handshake message: HELLO goes on for 1 byte after its last field");
    EXPECT_EQ(error_of("\x04zz"), "malformed handshake message: OK goes on for 2 bytes after its last field");
    EXPECT_EQ(error_of("\x03"), "malformed handshake message: RESPONSE ends before its mac field");
}

TEST(HandshakeMessage, FieldLengthsAreChecked) {
    EXPECT_EQ(error_of("\x03\x1f\x00"s + std::string(31, 'm')),
              "malformed handshake message: RESPONSE's mac field is 31 bytes, expected 32");
    EXPECT_EQ(error_of("\x03\x21\x00"s + std::string(33, 'm')),
              "malformed handshake message: RESPONSE's mac field is 33 bytes, expected 32");
    EXPECT_EQ(error_of("\x05\x00\x00\x02\x00\x01\x00"s),
              "malformed handshake message: REFUSED's reason field is 0 bytes, expected 1");

    hello_message h = sample_hello();
    h.name = "n@" + std::string(297, 'h') + ":1";  // 301 bytes
    EXPECT_EQ(error_of(encode_handshake_message(h)),
              "malformed handshake message: HELLO's name field is 301 bytes, expected 1 to 300");
    h.name = "";
    EXPECT_EQ(error_of(encode_handshake_message(h)),
              "malformed handshake message: HELLO's name field is 0 bytes, expected 1 to 300");
}

TEST(HandshakeMessage, NamesMustBeValidAndDialable) {
    hello_message h = sample_hello();
    h.name = "no-at-sign";
    EXPECT_EQ(error_of(encode_handshake_message(h)),
              "malformed handshake message: HELLO's name: node name 'no-at-sign' has no '@': expected name@host:port");
    challenge_message c = sample_challenge();
    c.name = "b@h:0";
    EXPECT_EQ(error_of(encode_handshake_message(c)),
              "malformed handshake message: CHALLENGE's name b@h:0 has port 0, which no node listens on");
}

TEST(HandshakeMessage, WrongMagicIsNotWeft) {
    std::string hello = encode_handshake_message(sample_hello());
    hello.replace(3, 4, "HTTP");
    EXPECT_EQ(error_of(hello), "malformed handshake message: HELLO's magic is 'HTTP', expected 'WEFT' (not a Weft node?)");
    hello.replace(3, 4, "\0\xff\n'", 4);
    EXPECT_EQ(error_of(hello),
              "malformed handshake message: HELLO's magic is '\\x00\\xff\\x0a\\x27', expected 'WEFT' (not a Weft node?)");
}

TEST(HandshakeMessage, OtherVersionsAreNotSupported) {
    hello_message h = sample_hello();
    h.version = 3;
    decoded_handshake_message d = decode_handshake_message(encode_handshake_message(h));
    EXPECT_FALSE(d.message);
    EXPECT_EQ(d.error_kind, refusal_reason::unsupported_version);
    EXPECT_EQ(d.error, "protocol version 3 is not supported (this node speaks 1)");

    // A later version may change what follows the version; it is still "another version".
    std::string future = "\x01\x04\x00WEFT\x02\x00\x02\x00"s + "anything at all";
    d = decode_handshake_message(future);
    EXPECT_EQ(d.error_kind, refusal_reason::unsupported_version);
    EXPECT_EQ(d.error, "protocol version 2 is not supported (this node speaks 1)");
}

TEST(HandshakeMessage, UnknownTypeAndOversize) {
    EXPECT_EQ(error_of("\x09"), "malformed handshake message: unknown message type 9");
    EXPECT_EQ(error_of("\x00"s), "malformed handshake message: unknown message type 0");
    EXPECT_EQ(error_of(std::string(1025, '\x04')),
              "malformed handshake message: 1025 bytes, over the limit of 1024");
}

TEST(HandshakeMessage, Names) {
    EXPECT_STREQ(handshake_message_name(hello_message{}), "HELLO");
    EXPECT_STREQ(handshake_message_name(challenge_message{}), "CHALLENGE");
    EXPECT_STREQ(handshake_message_name(response_message{}), "RESPONSE");
    EXPECT_STREQ(handshake_message_name(ok_message{}), "OK");
    EXPECT_STREQ(handshake_message_name(refused_message{}), "REFUSED");
}

}  // namespace
}  // namespace weft::cluster
