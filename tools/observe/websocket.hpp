// websocket.hpp: the server side of RFC 6455 that the web observer needs:
// the handshake's accept key, text frames out (unmasked), and frames in
// (masked, as every browser sends them), parsed from a byte buffer.
//
// Why our own framing: Boost.Beast's websocket stream needs a Boost.Asio
// stream, and the runtime's one io_context is standalone asio (io/); two
// event loops per runtime are what DESIGN.md rules out. HTTP parsing does
// use Beast (http_request.hpp), which needs no socket.
//
// It must never trust a length from the wire: a frame over the limit is an
// error, not an allocation.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::tools::observe::ws {

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string accept_key(std::string_view client_key);

enum class opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// One frame from the server (FIN set, no mask).
std::string encode_frame(opcode op, std::string_view payload);

struct frame {
    opcode op = opcode::text;
    bool fin = true;
    std::string payload;  // unmasked
};

enum class parse_status { frame, need_more, error };

// Takes one frame from the front of `buffer` (consuming it) when complete.
// A frame that is unmasked (clients must mask) or longer than `max_payload`
// is an error; the caller closes the connection.
parse_status parse_frame(std::string& buffer, frame& out, std::size_t max_payload);

}  // namespace weft::tools::observe::ws
