// websocket.cpp: see websocket.hpp.
#include "tools/observe/websocket.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace weft::tools::observe::ws {

std::string accept_key(std::string_view client_key) {
    static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::string joined(client_key);
    joined += guid;
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
    unsigned char b64[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
    int n = EVP_EncodeBlock(b64, digest, SHA_DIGEST_LENGTH);
    return std::string(reinterpret_cast<const char*>(b64), std::size_t(n));
}

std::string encode_frame(opcode op, std::string_view payload) {
    std::string out;
    out.reserve(payload.size() + 10);
    out += char(0x80 | std::uint8_t(op));
    std::uint64_t n = payload.size();
    if (n < 126) {
        out += char(n);
    } else if (n <= 0xffff) {
        out += char(126);
        out += char((n >> 8) & 0xff);
        out += char(n & 0xff);
    } else {
        out += char(127);
        for (int i = 7; i >= 0; --i) out += char((n >> (8 * i)) & 0xff);
    }
    out.append(payload);
    return out;
}

parse_status parse_frame(std::string& buffer, frame& out, std::size_t max_payload) {
    auto byte = [&](std::size_t i) { return std::uint8_t(buffer[i]); };
    if (buffer.size() < 2) return parse_status::need_more;
    bool fin = byte(0) & 0x80;
    if (byte(0) & 0x70) return parse_status::error;  // no extension was agreed
    auto op = opcode(byte(0) & 0x0f);
    bool masked = byte(1) & 0x80;
    if (!masked) return parse_status::error;
    std::uint64_t n = byte(1) & 0x7f;
    std::size_t at = 2;
    if (n == 126) {
        if (buffer.size() < 4) return parse_status::need_more;
        n = (std::uint64_t(byte(2)) << 8) | byte(3);
        at = 4;
    } else if (n == 127) {
        if (buffer.size() < 10) return parse_status::need_more;
        n = 0;
        for (int i = 0; i < 8; ++i) n = (n << 8) | byte(2 + std::size_t(i));
        at = 10;
    }
    if (n > max_payload) return parse_status::error;
    if (buffer.size() < at + 4 + n) return parse_status::need_more;
    std::uint8_t mask[4] = {byte(at), byte(at + 1), byte(at + 2), byte(at + 3)};
    at += 4;
    out.op = op;
    out.fin = fin;
    out.payload.assign(buffer, at, std::size_t(n));
    for (std::size_t i = 0; i < out.payload.size(); ++i) out.payload[i] = char(std::uint8_t(out.payload[i]) ^ mask[i % 4]);
    buffer.erase(0, at + std::size_t(n));
    return parse_status::frame;
}

}  // namespace weft::tools::observe::ws
