// handshake_test.cpp: the initiator and the acceptor against each other and
// against recorded, tampered, replayed and malformed messages.
#include "cluster/handshake.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cluster/node_name.hpp"

namespace weft::cluster {
namespace {

using namespace std::string_literals;

const std::string cookie = "c0ffee-d00d-4b1d-9e5a-cookie-of-the-cluster";
const std::string other_cookie = "a-different-cookie-entirely-0123456789";

handshake_identity node_a(const std::string& c = cookie) { return {"a@h:1", 1111, c}; }
handshake_identity node_b(const std::string& c = cookie) { return {"b@h:2", 2222, c}; }

// What each side wrote, one entry per write.
struct recording {
    std::vector<std::string> to_acceptor;
    std::vector<std::string> to_initiator;
};

// Passes bytes between the two until neither has anything to write. With
// `byte_by_byte`, every write reaches the other side one byte per feed().
recording run(handshake_initiator& i, handshake_acceptor& a, bool byte_by_byte = false) {
    recording rec;
    auto deliver = [byte_by_byte](handshake_side& to, const std::string& bytes) {
        if (!byte_by_byte) return to.feed(bytes);
        std::string out;
        for (char c : bytes) out += to.feed(std::string(1, c));
        return out;
    };
    std::string to_a = i.start();
    std::string to_i;
    while (!to_a.empty() || !to_i.empty()) {
        if (!to_a.empty()) {
            rec.to_acceptor.push_back(to_a);
            to_i += deliver(a, to_a);
            to_a.clear();
        }
        if (!to_i.empty()) {
            rec.to_initiator.push_back(to_i);
            to_a += deliver(i, to_i);
            to_i.clear();
        }
    }
    return rec;
}

// The one message in a write.
handshake_message message_in(const std::string& framed) {
    handshake_frame_reader r;
    r.feed(framed);
    std::optional<std::string> body = r.next();
    EXPECT_TRUE(body);
    EXPECT_EQ(r.unread_size(), 0u);
    decoded_handshake_message d = decode_handshake_message(body.value_or(""));
    EXPECT_TRUE(d.message) << d.error;
    return d.message.value_or(ok_message{});
}

refused_message refusal_in(const std::string& framed) {
    handshake_message m = message_in(framed);
    EXPECT_TRUE(std::holds_alternative<refused_message>(m)) << handshake_message_name(m);
    return std::holds_alternative<refused_message>(m) ? std::get<refused_message>(m) : refused_message{};
}

std::string framed(const handshake_message& m) { return frame_handshake_message(encode_handshake_message(m)); }

TEST(Handshake, FullExchangeAuthenticatesBothSides) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    recording rec = run(i, a);

    ASSERT_TRUE(i.done()) << i.failure();
    ASSERT_TRUE(a.done()) << a.failure();
    EXPECT_EQ(i.peer().name, "b@h:2");
    EXPECT_EQ(i.peer().node_id, node_id_of("b@h:2"));
    EXPECT_EQ(i.peer().creation, 2222u);
    EXPECT_EQ(a.peer().name, "a@h:1");
    EXPECT_EQ(a.peer().node_id, node_id_of("a@h:1"));
    EXPECT_EQ(a.peer().creation, 1111u);
    EXPECT_EQ(i.failure(), "");

    // HELLO, RESPONSE one way; CHALLENGE, OK the other.
    ASSERT_EQ(rec.to_acceptor.size(), 2u);
    ASSERT_EQ(rec.to_initiator.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<hello_message>(message_in(rec.to_acceptor[0])));
    EXPECT_TRUE(std::holds_alternative<challenge_message>(message_in(rec.to_initiator[0])));
    EXPECT_TRUE(std::holds_alternative<response_message>(message_in(rec.to_acceptor[1])));
    EXPECT_TRUE(std::holds_alternative<ok_message>(message_in(rec.to_initiator[1])));
}

TEST(Handshake, FullExchangeTheOtherWayRound) {
    handshake_initiator i(node_b(), "a@h:1");
    handshake_acceptor a(node_a());
    run(i, a);
    ASSERT_TRUE(i.done()) << i.failure();
    ASSERT_TRUE(a.done()) << a.failure();
    EXPECT_EQ(i.peer().name, "a@h:1");
    EXPECT_EQ(i.peer().creation, 1111u);
    EXPECT_EQ(a.peer().name, "b@h:2");
    EXPECT_EQ(a.peer().creation, 2222u);
}

TEST(Handshake, FullExchangeByteByByte) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    run(i, a, true);
    ASSERT_TRUE(i.done()) << i.failure();
    ASSERT_TRUE(a.done()) << a.failure();
    EXPECT_EQ(i.peer().name, "b@h:2");
    EXPECT_EQ(a.peer().name, "a@h:1");
}

TEST(Handshake, IPv6AndDnsNames) {
    handshake_initiator i({"x@[::1]:4370", 5, cookie}, "y@node-7.example.org:65535");
    handshake_acceptor a({"y@node-7.example.org:65535", 6, cookie});
    run(i, a);
    ASSERT_TRUE(i.done()) << i.failure();
    ASSERT_TRUE(a.done()) << a.failure();
    EXPECT_EQ(a.peer().name, "x@[::1]:4370");
}

TEST(Handshake, NonceIsFreshEachTime) {
    handshake_initiator i1(node_a(), "b@h:2");
    handshake_initiator i2(node_a(), "b@h:2");
    auto h1 = std::get<hello_message>(message_in(i1.start()));
    auto h2 = std::get<hello_message>(message_in(i2.start()));
    EXPECT_NE(h1.nonce, h2.nonce);
    EXPECT_EQ(h1.name, "a@h:1");
    EXPECT_EQ(h1.creation, 1111u);
    EXPECT_EQ(h1.version, handshake_protocol_version);
}

TEST(Handshake, WrongCookieFailsOnBothSides) {
    handshake_initiator i(node_a(cookie), "b@h:2");
    handshake_acceptor a(node_b(other_cookie));
    recording rec = run(i, a);

    ASSERT_TRUE(i.failed());
    ASSERT_TRUE(a.failed());
    EXPECT_EQ(i.failure(), "wrong cookie: the proof from b@h:2 does not match this node's cookie");
    EXPECT_EQ(a.failure(), "wrong cookie: a@h:1 could not verify this node's proof");
    // The initiator told the acceptor, in place of its RESPONSE.
    ASSERT_EQ(rec.to_acceptor.size(), 2u);
    EXPECT_EQ(refusal_in(rec.to_acceptor[1]).reason, static_cast<std::uint8_t>(refusal_reason::wrong_cookie));
    ASSERT_EQ(rec.to_initiator.size(), 1u);  // the acceptor answers a refusal with nothing
}

TEST(Handshake, InitiatorDetectsAWrongCookieAtChallenge) {
    handshake_initiator i(node_a(other_cookie), "b@h:2");
    handshake_acceptor a(node_b());
    std::string challenge = a.feed(i.start());
    ASSERT_TRUE(std::holds_alternative<challenge_message>(message_in(challenge)));
    EXPECT_EQ(i.status(), handshake_status::in_progress);
    std::string answer = i.feed(challenge);
    EXPECT_EQ(i.status(), handshake_status::failed);
    EXPECT_EQ(i.failure(), "wrong cookie: the proof from b@h:2 does not match this node's cookie");
    EXPECT_EQ(refusal_in(answer).reason, static_cast<std::uint8_t>(refusal_reason::wrong_cookie));
}

TEST(Handshake, AcceptorDetectsAWrongCookieAtResponse) {
    // An initiator that answers CHALLENGE with a proof made from another cookie
    // (an honest one stops at the CHALLENGE; a prober does not).
    handshake_initiator honest(node_a(), "b@h:2");
    std::string hello = honest.start();
    handshake_acceptor a(node_b());
    auto challenge = std::get<challenge_message>(message_in(a.feed(hello)));
    handshake_transcript t;
    t.initiator_nonce = std::get<hello_message>(message_in(hello)).nonce;
    t.acceptor_nonce = challenge.nonce;
    t.initiator_name = "a@h:1";
    t.acceptor_name = "b@h:2";
    t.initiator_creation = 1111;
    t.acceptor_creation = 2222;
    std::string forged = framed(response_message{handshake_proof(other_cookie, handshake_role::initiator, t)});

    std::string answer = a.feed(forged);
    EXPECT_TRUE(a.failed());
    EXPECT_EQ(a.failure(), "wrong cookie: the proof from a@h:1 does not match this node's cookie");
    EXPECT_EQ(refusal_in(answer).reason, static_cast<std::uint8_t>(refusal_reason::wrong_cookie));

    // The same transcript with the right cookie is what the acceptor wanted.
    handshake_acceptor a2(node_b());
    auto challenge2 = std::get<challenge_message>(message_in(a2.feed(hello)));
    t.acceptor_nonce = challenge2.nonce;
    EXPECT_EQ(message_in(a2.feed(framed(response_message{handshake_proof(cookie, handshake_role::initiator, t)})))
                  .index(),
              handshake_message(ok_message{}).index());
    EXPECT_TRUE(a2.done()) << a2.failure();
}

TEST(Handshake, NoMessageContainsTheCookie) {
    for (const std::string& acceptor_cookie : {cookie, other_cookie}) {
        handshake_initiator i(node_a(), "b@h:2");
        handshake_acceptor a(node_b(acceptor_cookie));
        recording rec = run(i, a);
        std::vector<std::string> all = rec.to_acceptor;
        all.insert(all.end(), rec.to_initiator.begin(), rec.to_initiator.end());
        for (const std::string& bytes : all) {
            for (const std::string& secret : {cookie, other_cookie}) {
                EXPECT_EQ(bytes.find(secret.substr(0, 8)), std::string::npos);
            }
        }
        for (const std::string& secret : {cookie, other_cookie}) {
            EXPECT_EQ(i.failure().find(secret.substr(0, 8)), std::string::npos);
            EXPECT_EQ(a.failure().find(secret.substr(0, 8)), std::string::npos);
        }
    }
}

TEST(Handshake, ReplayedInitiatorSideFailsOnANewAcceptor) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    recording old = run(i, a);
    ASSERT_TRUE(a.done());

    // An eavesdropper plays the initiator's recorded bytes to a new acceptor of the same node.
    handshake_acceptor fresh(node_b());
    std::string challenge = fresh.feed(old.to_acceptor[0]);
    EXPECT_TRUE(std::holds_alternative<challenge_message>(message_in(challenge)));
    EXPECT_NE(challenge, old.to_initiator[0]);  // a fresh nonce, so a new proof is needed
    fresh.feed(old.to_acceptor[1]);
    EXPECT_TRUE(fresh.failed());
    EXPECT_FALSE(fresh.done());
    EXPECT_EQ(fresh.failure(), "wrong cookie: the proof from a@h:1 does not match this node's cookie");
}

TEST(Handshake, ReplayedAcceptorSideFailsOnANewInitiator) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    recording old = run(i, a);
    ASSERT_TRUE(i.done());

    // A fake b@h:2 plays the acceptor's recorded bytes to a new dial.
    handshake_initiator fresh(node_a(), "b@h:2");
    fresh.start();
    fresh.feed(old.to_initiator[0] + old.to_initiator[1]);
    EXPECT_TRUE(fresh.failed());
    EXPECT_EQ(fresh.failure(), "wrong cookie: the proof from b@h:2 does not match this node's cookie");
}

TEST(Handshake, TamperedChallengeNeverSucceeds) {
    handshake_initiator probe(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    std::string hello = probe.start();
    std::string challenge = a.feed(hello);
    for (std::size_t pos = 4; pos < challenge.size(); ++pos) {  // every byte of the body
        handshake_initiator i(node_a(), "b@h:2");
        i.start();
        // The new initiator has its own nonce, so even the untampered CHALLENGE fails; what matters is
        // that every variant fails with a reason.
        std::string bad = challenge;
        bad[pos] = static_cast<char>(bad[pos] ^ 0x01);
        i.feed(bad);
        EXPECT_TRUE(i.failed()) << pos;
        EXPECT_FALSE(i.failure().empty()) << pos;
    }
}

TEST(Handshake, TamperedProofOrCreationIsAWrongCookie) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    auto challenge = std::get<challenge_message>(message_in(a.feed(i.start())));
    challenge.creation ^= 1;  // an attacker claiming another incarnation
    i.feed(framed(challenge));
    EXPECT_EQ(i.failure(), "wrong cookie: the proof from b@h:2 does not match this node's cookie");
}

TEST(Handshake, PeerMustBeTheNodeDialled) {
    handshake_initiator i(node_a(), "c@h:3");
    handshake_acceptor a(node_b());
    recording rec = run(i, a);
    EXPECT_EQ(i.failure(), "peer named itself b@h:2 but was dialled as c@h:3");
    EXPECT_EQ(a.failure(), "a@h:1 refused the handshake: it dialled another node than b@h:2");
    EXPECT_EQ(refusal_in(rec.to_acceptor.back()).reason, static_cast<std::uint8_t>(refusal_reason::name_mismatch));
}

// Both nodes dialled at once: the acceptor whose own dial goes on refuses,
// and the initiator learns why (its node then waits for that dial).
TEST(Handshake, ACrossedDialIsRefusedWithItsOwnCode) {
    handshake_acceptor a(node_b(), [](const std::string&) {
        return handshake_acceptor::name_refusal{refusal_reason::crossed, "this node is dialling it"};
    });
    handshake_initiator i(node_a(), "b@h:2");
    run(i, a);
    EXPECT_EQ(i.refusal(), refusal_reason::crossed);
    EXPECT_EQ(i.failure(), "b@h:2 refused the handshake: it is dialling this node at the same time, and its dial goes on");
    EXPECT_EQ(a.failure(), "a@h:1: this node is dialling it");
}

// The other way: the initiator gives up its own dial for the peer's.
TEST(Handshake, AnInitiatorThatGivesUpItsDialSaysSo) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    a.feed(i.start());  // its CHALLENGE is on the way
    std::string refusal = i.refuse(refusal_reason::crossed, "given up for the peer's dial");
    EXPECT_EQ(refusal_in(refusal).reason, static_cast<std::uint8_t>(refusal_reason::crossed));
    EXPECT_EQ(i.failure(), "given up for the peer's dial");
    EXPECT_EQ(i.refuse(refusal_reason::crossed, "again"), "");  // once
    EXPECT_EQ(a.feed(refusal), "");
    EXPECT_EQ(a.refusal(), refusal_reason::crossed);
    EXPECT_EQ(a.failure(), "a@h:1 refused the handshake: it gave up its own dial, made at the same time, for this node's");
}

// The acceptor's name check (TLS: the certificate must name the host) runs
// once the initiator proved the cookie, instead of the OK; both sides say why.
TEST(Handshake, AcceptorsNameCheckRefusesInsteadOfTheOk) {
    std::vector<std::string> checked;
    handshake_acceptor a(node_b(), [&](const std::string& name) {
        checked.push_back(name);
        return handshake_acceptor::name_refusal{refusal_reason::name_not_vouched,
                                                "its certificate does not name the host h"};
    });
    handshake_initiator i(node_a(), "b@h:2");
    recording rec = run(i, a);
    EXPECT_EQ(checked, std::vector<std::string>{"a@h:1"});
    EXPECT_EQ(a.failure(), "a@h:1: its certificate does not name the host h");
    EXPECT_EQ(i.failure(), "b@h:2 refused the handshake: this node's TLS certificate does not name the host of a@h:1");
    ASSERT_EQ(rec.to_initiator.size(), 2u);  // CHALLENGE, REFUSED
    EXPECT_EQ(refusal_in(rec.to_initiator[1]).reason, static_cast<std::uint8_t>(refusal_reason::name_not_vouched));
    EXPECT_EQ(i.refusal(), refusal_reason::name_not_vouched);
    EXPECT_EQ(a.refusal(), refusal_reason::name_not_vouched);

    handshake_acceptor vouched(node_b(), [](const std::string&) { return std::nullopt; });
    handshake_initiator j(node_a(), "b@h:2");
    run(j, vouched);
    EXPECT_TRUE(j.done()) << j.failure();
    EXPECT_TRUE(vouched.done()) << vouched.failure();
}

TEST(Handshake, NamesAreComparedExactly) {
    handshake_initiator i(node_a(), "b@H:2");
    handshake_acceptor a(node_b());
    run(i, a);
    EXPECT_EQ(i.failure(), "peer named itself b@h:2 but was dialled as b@H:2");
}

TEST(Handshake, AcceptorRefusesItsOwnName) {
    handshake_acceptor a(node_b());
    hello_message h;
    h.name = "b@h:2";
    std::string answer = a.feed(framed(h));
    EXPECT_EQ(a.failure(), "peer named itself b@h:2, this node's own name");
    EXPECT_EQ(refusal_in(answer).reason, static_cast<std::uint8_t>(refusal_reason::node_id_clash));

    handshake_initiator i(node_a(), "b@h:2");
    i.start();
    i.feed(answer);
    EXPECT_EQ(i.failure(), "b@h:2 refused the handshake: this node's name a@h:1 has the same node id as its own");
}

// Two names whose FNV-1a ids are equal, found by search.
const std::string twin_1 = "n512789@h:1";
const std::string twin_2 = "n749192@h:1";

TEST(Handshake, NamesWithTheSameIdRefuseToConnect) {
    ASSERT_EQ(node_id_of(twin_1), node_id_of(twin_2));
    handshake_acceptor a({twin_1, 1, cookie});
    hello_message h;
    h.name = twin_2;
    a.feed(framed(h));
    EXPECT_EQ(a.failure(), "peer n749192@h:1 has the same node id as this node (n512789@h:1); rename one of them");

    handshake_initiator i({twin_1, 1, cookie}, twin_2);
    EXPECT_EQ(i.start(), "");
    EXPECT_EQ(i.failure(),
              "cannot connect to n749192@h:1: its node id is the same as this node's (n512789@h:1); rename one of them");
}

TEST(Handshake, DialledNameIsChecked) {
    handshake_initiator bad(node_a(), "b-at-h");
    EXPECT_EQ(bad.start(), "");
    EXPECT_EQ(bad.failure(), "cannot connect: node name 'b-at-h' has no '@': expected name@host:port");

    handshake_initiator zero(node_a(), "b@h:0");
    EXPECT_EQ(zero.start(), "");
    EXPECT_EQ(zero.failure(), "cannot connect to b@h:0: port 0 is not a port a node listens on");

    handshake_initiator self(node_a(), "a@h:1");
    EXPECT_EQ(self.start(), "");
    EXPECT_EQ(self.failure(), "cannot connect to a@h:1: it is this node's own name");
}

TEST(Handshake, OwnIdentityIsChecked) {
    EXPECT_THROW(handshake_acceptor({"bad", 1, cookie}), std::invalid_argument);
    EXPECT_THROW(handshake_acceptor({"b@h:0", 1, cookie}), std::invalid_argument);
    EXPECT_THROW(handshake_acceptor({"b@h:2", 1, ""}), std::invalid_argument);
    EXPECT_THROW(handshake_initiator({"b@h:2", 1, std::string(1025, 'c')}, "a@h:1"), std::invalid_argument);
    try {
        handshake_acceptor a({"b@h:0", 1, cookie});
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "handshake: this node's name b@h:0 has port 0; name the node by the port it listens on");
    }
}

TEST(Handshake, WrongVersionIsRefusedAndBothSay) {
    handshake_acceptor a(node_b());
    hello_message h;
    h.version = 3;
    h.name = "a@h:1";
    std::string answer = a.feed(framed(h));
    EXPECT_EQ(a.failure(), "protocol version 3 is not supported (this node speaks 1)");
    refused_message r = refusal_in(answer);
    EXPECT_EQ(r.reason, static_cast<std::uint8_t>(refusal_reason::unsupported_version));
    EXPECT_EQ(r.version, 1);

    // An initiator of this version hearing the same from a node of version 2:
    handshake_initiator i(node_a(), "b@h:2");
    i.start();
    i.feed(framed(refused_message{static_cast<std::uint8_t>(refusal_reason::unsupported_version), 2}));
    EXPECT_EQ(i.failure(), "b@h:2 refused the handshake: it does not speak protocol version 1 (it speaks 2)");
}

TEST(Handshake, WrongMagicFails) {
    handshake_acceptor a(node_b());
    std::string hello = framed(hello_message{1, "a@h:1", 1, {}});
    hello.replace(4 + 3, 4, "WEFF");
    std::string answer = a.feed(hello);
    EXPECT_EQ(a.failure(), "malformed handshake message: HELLO's magic is 'WEFF', expected 'WEFT' (not a Weft node?)");
    EXPECT_EQ(refusal_in(answer).reason, static_cast<std::uint8_t>(refusal_reason::malformed));
}

TEST(Handshake, GarbageFailsCleanly) {
    handshake_acceptor a(node_b());
    std::string answer = a.feed("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
    EXPECT_EQ(a.failure(),
              "malformed handshake message: a frame of 542393671 bytes, over the limit of 1024 (not a Weft node?)");
    EXPECT_EQ(refusal_in(answer).reason, static_cast<std::uint8_t>(refusal_reason::malformed));

    handshake_acceptor b(node_b());
    b.feed(frame_handshake_message("\xde\xad\xbe\xef"));
    EXPECT_EQ(b.failure(), "malformed handshake message: unknown message type 222");
}

TEST(Handshake, OversizeFrameFails) {
    handshake_acceptor a(node_b());
    a.feed(frame_handshake_message(std::string(1025, '\x01')));
    EXPECT_EQ(a.failure(), "malformed handshake message: a frame of 1025 bytes, over the limit of 1024 (not a Weft node?)");

    handshake_initiator i(node_a(), "b@h:2");
    i.start();
    i.feed("\xff\xff\xff\xff"s);
    EXPECT_EQ(i.failure(),
              "malformed handshake message: a frame of 4294967295 bytes, over the limit of 1024 (not a Weft node?)");
}

TEST(Handshake, TruncatedMessagesFail) {
    handshake_initiator i(node_a(), "b@h:2");
    std::string hello = i.start();
    std::string body = hello.substr(4);
    for (std::size_t n = 0; n < body.size(); ++n) {
        handshake_acceptor a(node_b());
        std::string cut = body.substr(0, n);
        std::string answer = a.on_message(cut);
        EXPECT_TRUE(a.failed()) << n;
        EXPECT_EQ(a.failure().rfind("malformed handshake message: ", 0), 0u) << n << ": " << a.failure();
        EXPECT_EQ(refusal_in(answer).reason, static_cast<std::uint8_t>(refusal_reason::malformed));
    }
    // Through the stream, a truncated frame is only incomplete: the connection
    // layer's timeout ends it, not the handshake.
    handshake_acceptor a(node_b());
    EXPECT_EQ(a.feed(hello.substr(0, hello.size() - 1)), "");
    EXPECT_EQ(a.status(), handshake_status::in_progress);
}

TEST(Handshake, MessagesOutOfTurnFail) {
    handshake_acceptor a(node_b());
    a.feed(framed(ok_message{}));
    EXPECT_EQ(a.failure(), "malformed handshake message: HELLO expected, OK received");

    handshake_initiator i(node_a(), "b@h:2");
    std::string hello = i.start();
    i.feed(hello);  // its own HELLO reflected back
    EXPECT_EQ(i.failure(), "malformed handshake message: CHALLENGE expected, HELLO received");

    handshake_initiator i2(node_a(), "b@h:2");
    handshake_acceptor a2(node_b());
    a2.feed(i2.start());
    a2.feed(hello);
    EXPECT_EQ(a2.failure(), "malformed handshake message: RESPONSE expected, HELLO received");

    handshake_initiator i3(node_a(), "b@h:2");
    handshake_acceptor a3(node_b());
    i3.feed(a3.feed(i3.start()));
    i3.feed(framed(response_message{}));
    EXPECT_EQ(i3.failure(), "malformed handshake message: OK expected, RESPONSE received");
}

TEST(Handshake, RefusalBeforeAnythingElse) {
    handshake_acceptor a(node_b());
    EXPECT_EQ(a.feed(framed(refused_message{4, 1})), "");  // a refusal is never answered
    EXPECT_EQ(a.failure(), "the peer refused the handshake: it found a message from this node malformed or out of turn");

    handshake_initiator i(node_a(), "b@h:2");
    i.start();
    i.feed(framed(refused_message{77, 1}));
    EXPECT_EQ(i.failure(), "b@h:2 refused the handshake: for a reason this node does not know (code 77)");
}

TEST(Handshake, BytesAfterTheHandshakeAreKept) {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    std::string response = i.feed(a.feed(i.start()));
    std::string ok = a.feed(response);
    ASSERT_TRUE(a.done());
    // The acceptor's first node-protocol bytes arrive in the same read as OK.
    EXPECT_EQ(i.feed(ok + "node protocol"), "");
    ASSERT_TRUE(i.done());
    EXPECT_EQ(i.feed(" goes on"), "");
    EXPECT_EQ(i.take_unread(), "node protocol goes on");
    EXPECT_EQ(a.take_unread(), "");
    EXPECT_THROW(i.on_message("x"), std::logic_error);
}

TEST(Handshake, NothingMoreOnceFailed) {
    handshake_acceptor a(node_b());
    a.feed(framed(ok_message{}));
    std::string first = a.failure();
    handshake_initiator i(node_a(), "b@h:2");
    EXPECT_EQ(a.feed(i.start()), "");
    EXPECT_EQ(a.on_message("\x01"), "");
    EXPECT_EQ(a.failure(), first);
    EXPECT_EQ(a.take_unread(), "");
}

TEST(Handshake, InitiatorMisuse) {
    handshake_initiator i(node_a(), "b@h:2");
    EXPECT_THROW(i.feed("x"), std::logic_error);
    EXPECT_THROW(i.on_message("x"), std::logic_error);
    i.start();
    EXPECT_THROW(i.start(), std::logic_error);
}

}  // namespace
}  // namespace weft::cluster
