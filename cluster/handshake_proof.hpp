// handshake_proof.hpp: how each side proves it holds the cookie.
//
// A proof is HMAC-SHA256 keyed with the cookie over the handshake's transcript:
// who proves (the role's label), the protocol version, both fresh nonces, both
// names and both creations, every variable part length-prefixed so no two
// transcripts share bytes. The labels keep one side's proof from passing as the
// other's; the nonces keep an old proof from passing in a new handshake. Proofs
// are compared in constant time. This file must never let the cookie out in any
// other form than an HMAC, and never compare proofs with memcmp or ==.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "cluster/handshake_message.hpp"

namespace weft::cluster {

enum class handshake_role { initiator, acceptor };

struct handshake_transcript {
    std::uint16_t version = handshake_protocol_version;
    handshake_nonce initiator_nonce{};
    handshake_nonce acceptor_nonce{};
    std::string initiator_name;
    std::string acceptor_name;
    std::uint32_t initiator_creation = 0;
    std::uint32_t acceptor_creation = 0;
};

// The bytes the proof is computed over:
//   u8 label length | label ("initiator" or "acceptor") | u16 version |
//   initiator nonce (16) | acceptor nonce (16) |
//   u16 length | initiator name | u16 length | acceptor name |
//   u32 initiator creation | u32 acceptor creation            (integers little-endian)
std::string handshake_transcript_bytes(handshake_role prover, const handshake_transcript& t);

// HMAC-SHA256(cookie, transcript bytes). Throws std::runtime_error if OpenSSL fails.
handshake_mac handshake_proof(std::string_view cookie, handshake_role prover, const handshake_transcript& t);

// Constant-time equality (CRYPTO_memcmp).
bool same_proof(const handshake_mac& a, const handshake_mac& b);

// 128 fresh random bits (RAND_bytes). Throws std::runtime_error if OpenSSL fails.
handshake_nonce fresh_handshake_nonce();

}  // namespace weft::cluster
