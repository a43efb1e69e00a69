// handshake_fuzz.cpp: libFuzzer harness for the cookie handshake (cluster/handshake*.hpp).
//
// The first input byte picks what the rest is fed to:
//   0  an acceptor waiting for HELLO          2  an initiator waiting for CHALLENGE
//   1  an acceptor waiting for RESPONSE       3  an initiator waiting for OK
//   4  the decoder and the node-name parser, directly
//   5  the frame reader, in pieces whose sizes the input gives
// For 0-3 the bytes go to two machines in the same state, one in a single
// feed() and one a byte at a time: both must end the same way. Neither side may
// ever be done unless its peer proved the cookie, which fuzzed bytes cannot do
// (except OK itself, in state 3). Any crash, sanitizer report or broken rule
// (a trap) is a finding. Built only with clang: -fsanitize=fuzzer,address.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cluster/handshake.hpp"
#include "cluster/handshake_frame.hpp"
#include "cluster/handshake_message.hpp"
#include "cluster/node_name.hpp"

namespace {

using namespace weft::cluster;

const std::string cookie = "fuzzing-cookie-0123456789abcdef";
handshake_identity node_a() { return {"a@h:1", 11, cookie}; }
handshake_identity node_b() { return {"b@h:2", 22, cookie}; }

void require(bool ok) {
    if (!ok) __builtin_trap();
}

// An acceptor that has answered a real HELLO.
handshake_acceptor acceptor_after_hello() {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    a.feed(i.start());
    return a;
}

// An initiator that has sent its RESPONSE to a real CHALLENGE.
handshake_initiator initiator_after_challenge() {
    handshake_initiator i(node_a(), "b@h:2");
    handshake_acceptor a(node_b());
    i.feed(a.feed(i.start()));
    return i;
}

handshake_initiator started_initiator() {
    handshake_initiator i(node_a(), "b@h:2");
    i.start();
    return i;
}

void feed_both(handshake_side& whole, handshake_side& bytewise, std::string_view in, bool may_finish) {
    whole.feed(in);
    for (char c : in) bytewise.feed(std::string_view(&c, 1));
    require(whole.status() == bytewise.status());
    require(whole.failure() == bytewise.failure());
    require(whole.failed() == !whole.failure().empty());
    if (!may_finish) require(!whole.done());
    if (whole.done()) require(whole.take_unread() == bytewise.take_unread());
}

void fuzz_messages(std::string_view in) {
    decoded_handshake_message d = decode_handshake_message(in);
    require(d.message.has_value() == d.error.empty());
    if (d.message) {
        // What decodes encodes back to the same bytes.
        require(encode_handshake_message(*d.message) == in);
    }
    node_name_result n = parse_node_name(in);
    require(n.value.has_value() == n.error.empty());
    if (n) require(n.value->full() == in);
    (void)node_id_of(in);
}

void fuzz_frames(std::string_view in) {
    // Piece sizes come from the input's own bytes, so the fuzzer explores splits.
    handshake_frame_reader chunked;
    handshake_frame_reader whole;
    whole.feed(in);
    std::string from_whole;
    while (auto m = whole.next()) from_whole += frame_handshake_message(*m);
    std::string from_chunks;
    std::size_t pos = 0;
    while (pos < in.size()) {
        std::size_t n = 1 + static_cast<std::uint8_t>(in[pos]) % 16;
        chunked.feed(in.substr(pos, n));
        pos += n;
        while (auto m = chunked.next()) from_chunks += frame_handshake_message(*m);
    }
    require(from_whole == from_chunks);
    require(whole.failed() == chunked.failed());
    if (!whole.failed()) require(from_whole + whole.take_unread() == in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 6) {
        case 0: {
            handshake_acceptor a1(node_b()), a2(node_b());
            feed_both(a1, a2, in, false);
            break;
        }
        case 1: {
            handshake_acceptor a1 = acceptor_after_hello(), a2 = acceptor_after_hello();
            feed_both(a1, a2, in, false);
            break;
        }
        case 2: {
            handshake_initiator i1 = started_initiator(), i2 = started_initiator();
            feed_both(i1, i2, in, false);
            break;
        }
        case 3: {
            handshake_initiator i1 = initiator_after_challenge(), i2 = initiator_after_challenge();
            feed_both(i1, i2, in, true);
            break;
        }
        case 4: fuzz_messages(in); break;
        default: fuzz_frames(in); break;
    }
    return 0;
}
