// handshake_message.hpp: the bytes of the five handshake messages.
//
// A body is a type byte, then fields, each a u16 little-endian length and that
// many bytes; integers inside fields are little-endian. Every field has an exact
// or a largest length, and a body is at most max_handshake_message_bytes:
//
//   HELLO     (1)  magic "WEFT" (4) | version u16 (2) | name (1-300) | creation u32 (4) | nonce (16)
//   CHALLENGE (2)  name (1-300) | creation u32 (4) | nonce (16) | mac (32)
//   RESPONSE  (3)  mac (32)
//   OK        (4)  no fields
//   REFUSED   (5)  reason u8 (1) | version u16 (2), the sender's protocol version
//
// HELLO keeps magic and version first in every protocol version, so that any
// node can tell "not Weft" and "another version" from "malformed". Decoding
// must never read past the body it is given, trust a length before checking
// it, or accept a body with bytes left over; it knows nothing of cookies.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace weft::cluster {

inline constexpr std::uint16_t handshake_protocol_version = 1;
inline constexpr std::string_view handshake_magic = "WEFT";
inline constexpr std::size_t handshake_nonce_bytes = 16;  // 128 bits, fresh from RAND_bytes
inline constexpr std::size_t handshake_mac_bytes = 32;    // HMAC-SHA256
inline constexpr std::size_t max_handshake_message_bytes = 1024;

using handshake_nonce = std::array<std::uint8_t, handshake_nonce_bytes>;
using handshake_mac = std::array<std::uint8_t, handshake_mac_bytes>;

enum class handshake_message_type : std::uint8_t { hello = 1, challenge = 2, response = 3, ok = 4, refused = 5 };

// Why a side gave up, as REFUSED carries it. Codes are never renumbered; a code
// this node does not know still arrives (refused_message::reason is a byte).
enum class refusal_reason : std::uint8_t {
    wrong_cookie = 1,         // the peer's proof did not match this side's cookie
    unsupported_version = 2,  // HELLO's version is not one this side speaks
    name_mismatch = 3,        // the acceptor's name is not the one the initiator dialled
    malformed = 4,            // a message could not be decoded or came out of turn
    node_id_clash = 5,        // the peer's name has this node's name or node id
    name_not_vouched = 6,     // the acceptor's check of the initiator's name failed (its TLS certificate)
    crossed = 7,              // both nodes dialled at once, and the acceptor's own dial goes on
};

struct hello_message {
    std::uint16_t version = handshake_protocol_version;
    std::string name;  // the initiator's full node name
    std::uint32_t creation = 0;
    handshake_nonce nonce{};
};

struct challenge_message {
    std::string name;  // the acceptor's full node name
    std::uint32_t creation = 0;
    handshake_nonce nonce{};
    handshake_mac mac{};  // the acceptor's proof (handshake_proof.hpp)
};

struct response_message {
    handshake_mac mac{};  // the initiator's proof
};

struct ok_message {};

struct refused_message {
    std::uint8_t reason = 0;  // a refusal_reason, or a code from a newer peer
    std::uint16_t version = handshake_protocol_version;
};

using handshake_message = std::variant<hello_message, challenge_message, response_message, ok_message, refused_message>;

// Message bodies (unframed: handshake_frame.hpp adds the length).
std::string encode_handshake_message(const handshake_message& message);

struct decoded_handshake_message {
    std::optional<handshake_message> message;  // set when the body is a well-formed message
    refusal_reason error_kind = refusal_reason::malformed;  // otherwise malformed or unsupported_version
    std::string error;                         // and why, e.g. "malformed handshake message: HELLO's nonce field is 3 bytes, expected 16"
};

// Decodes and checks one body. A HELLO or CHALLENGE decodes only with a valid
// node name whose port is not 0; a HELLO only with the right magic and version.
decoded_handshake_message decode_handshake_message(std::string_view body);

// "HELLO", "CHALLENGE", ... for messages.
const char* handshake_message_name(const handshake_message& message);

}  // namespace weft::cluster
