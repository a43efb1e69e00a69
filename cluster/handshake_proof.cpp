// handshake_proof.cpp: the transcript's bytes, OpenSSL's HMAC and random bytes.
#include "cluster/handshake_proof.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

namespace weft::cluster {

namespace {

void put_u16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xff);
    out += static_cast<char>(v >> 8);
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void put_name(std::string& out, std::string_view name) {
    // Names are at most max_full_name_bytes (checked when decoded or
    // configured); a u16 length holds any of them.
    put_u16(out, static_cast<std::uint16_t>(name.size()));
    out += name;
}

}  // namespace

std::string handshake_transcript_bytes(handshake_role prover, const handshake_transcript& t) {
    std::string_view label = prover == handshake_role::initiator ? "initiator" : "acceptor";
    std::string out;
    out += static_cast<char>(label.size());
    out += label;
    put_u16(out, t.version);
    out.append(reinterpret_cast<const char*>(t.initiator_nonce.data()), t.initiator_nonce.size());
    out.append(reinterpret_cast<const char*>(t.acceptor_nonce.data()), t.acceptor_nonce.size());
    put_name(out, t.initiator_name);
    put_name(out, t.acceptor_name);
    put_u32(out, t.initiator_creation);
    put_u32(out, t.acceptor_creation);
    return out;
}

handshake_mac handshake_proof(std::string_view cookie, handshake_role prover, const handshake_transcript& t) {
    if (cookie.size() > INT_MAX) throw std::runtime_error("handshake: cookie too long for HMAC");
    std::string data = handshake_transcript_bytes(prover, t);
    handshake_mac mac{};
    unsigned int length = 0;
    // A zero-length key is still a key to HMAC; OpenSSL wants a non-null pointer for it.
    static constexpr char empty_key = 0;
    const void* key = cookie.empty() ? &empty_key : cookie.data();
    if (HMAC(EVP_sha256(), key, static_cast<int>(cookie.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), mac.data(), &length) == nullptr ||
        length != mac.size()) {
        throw std::runtime_error("handshake: OpenSSL's HMAC-SHA256 failed");
    }
    return mac;
}

bool same_proof(const handshake_mac& a, const handshake_mac& b) {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

handshake_nonce fresh_handshake_nonce() {
    handshake_nonce nonce{};
    if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
        throw std::runtime_error("handshake: OpenSSL's random generator failed");
    }
    return nonce;
}

}  // namespace weft::cluster
