// make_handshake_corpus.cpp: writes handshake_fuzz's seed inputs, once.
//
// Usage: make_handshake_corpus DIR. Each file is a scenario byte (see
// handshake_fuzz.cpp) followed by valid messages from a real exchange, so the
// fuzzer starts from the shapes it must learn. The files are committed in
// tests/fuzz/handshake_corpus/; run this again only when the format changes.
#include <cstdio>
#include <fstream>
#include <string>

#include "cluster/handshake.hpp"
#include "cluster/handshake_frame.hpp"
#include "cluster/handshake_message.hpp"

using namespace weft::cluster;

namespace {

void write(const std::string& dir, const std::string& name, char scenario, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << scenario << bytes;
}

std::string body_of(const std::string& framed) { return framed.substr(handshake_frame_header_bytes); }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const std::string cookie = "fuzzing-cookie-0123456789abcdef";  // handshake_fuzz.cpp's
    handshake_initiator i({"a@h:1", 11, cookie}, "b@h:2");
    handshake_acceptor a({"b@h:2", 22, cookie});
    std::string hello = i.start();
    std::string challenge = a.feed(hello);
    std::string response = i.feed(challenge);
    std::string ok = a.feed(response);
    i.feed(ok);
    if (!i.done() || !a.done()) {
        std::fprintf(stderr, "the exchange failed: %s / %s\n", i.failure().c_str(), a.failure().c_str());
        return 1;
    }
    std::string refused = frame_handshake_message(encode_handshake_message(refused_message{1, 1}));

    write(dir, "acceptor-hello-response", 0, hello + response);
    write(dir, "acceptor-refused", 0, refused);
    write(dir, "acceptor-response", 1, response);
    write(dir, "initiator-challenge-ok", 2, challenge + ok);
    write(dir, "initiator-ok-then-more", 3, ok + "node protocol bytes");
    write(dir, "decode-hello", 4, body_of(hello));
    write(dir, "decode-challenge", 4, body_of(challenge));
    write(dir, "decode-name", 4, "name@[::1]:4370");
    write(dir, "frames", 5, hello + challenge + response + ok);
    return 0;
}
