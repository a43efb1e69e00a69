// handshake_proof_test.cpp: the transcript's bytes and the HMAC over them.
#include "cluster/handshake_proof.hpp"

#include <gtest/gtest.h>

#include <string>

namespace weft::cluster {
namespace {

using namespace std::string_literals;

const std::string cookie = "c0ffee-d00d-4b1d-9e5a-cookie-of-the-cluster";
const std::string other_cookie = "a-different-cookie-entirely-0123456789";

TEST(HandshakeProof, DependsOnEveryPartOfTheTranscript) {
    handshake_transcript t;
    t.initiator_name = "a@h:1";
    t.acceptor_name = "b@h:2";
    t.initiator_creation = 1;
    t.acceptor_creation = 2;
    const handshake_mac base = handshake_proof(cookie, handshake_role::acceptor, t);
    EXPECT_TRUE(same_proof(base, handshake_proof(cookie, handshake_role::acceptor, t)));
    EXPECT_FALSE(same_proof(base, handshake_proof(cookie, handshake_role::initiator, t)));
    EXPECT_FALSE(same_proof(base, handshake_proof(other_cookie, handshake_role::acceptor, t)));
    auto differs = [&](auto change) {
        handshake_transcript u = t;
        change(u);
        return !same_proof(base, handshake_proof(cookie, handshake_role::acceptor, u));
    };
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.version = 2; }));
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.initiator_nonce[15] ^= 1; }));
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.acceptor_nonce[0] ^= 1; }));
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.initiator_name = "a@h:3"; }));
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.acceptor_name = "b@h:3"; }));
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.initiator_creation = 3; }));
    EXPECT_TRUE(differs([](handshake_transcript& u) { u.acceptor_creation = 3; }));
    // Lengths are part of it: moving a byte from one name to the other changes the proof.
    EXPECT_TRUE(differs([](handshake_transcript& u) {
        u.initiator_name = "a@h:1b";
        u.acceptor_name = "@h:2";
    }));
}

std::string hex(const handshake_mac& mac) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : mac) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

TEST(HandshakeProof, IsHmacSha256OfTheTranscriptBytes) {
    handshake_transcript t;  // zero nonces
    t.initiator_name = "a@h:1";
    t.acceptor_name = "b@h:2";
    t.initiator_creation = 1;
    t.acceptor_creation = 2;
    std::string bytes = handshake_transcript_bytes(handshake_role::initiator, t);
    EXPECT_EQ(bytes, "\x09initiator\x01\x00"s + std::string(32, '\0') + "\x05\x00" "a@h:1\x05\x00" "b@h:2"s +
                         "\x01\x00\x00\x00\x02\x00\x00\x00"s);
    EXPECT_EQ(handshake_transcript_bytes(handshake_role::acceptor, t).substr(0, 9), "\x08" "acceptor"s);
    // Expected values from an independent HMAC-SHA256 (Python's hmac module) over the same bytes.
    EXPECT_EQ(hex(handshake_proof("Jefe", handshake_role::initiator, t)),
              "05afb2da6ef885758ac7f985b724dd2d6d0b09420ad214108f7503160937ecca");
    EXPECT_EQ(hex(handshake_proof("Jefe", handshake_role::acceptor, t)),
              "4f82e6c4df2eeab5904b50ffceed0660bfa901c83e84a536d440fe9e22737856");
}

}  // namespace
}  // namespace weft::cluster
