// handshake_frame.hpp: handshake messages on a byte stream.
//
// On the socket each handshake message is a u32 little-endian length, then
// that many bytes of body (handshake_message.hpp). Reads arrive in pieces of
// any size; handshake_frame_reader gathers them and hands out whole bodies.
// It must never return part of a body, wait for a body longer than its limit,
// or drop bytes it has not handed out (after the handshake they are the first
// bytes of the node protocol).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cluster/handshake_message.hpp"

namespace weft::cluster {

inline constexpr std::size_t handshake_frame_header_bytes = 4;

// The length, then the body.
std::string frame_handshake_message(std::string_view body);

class handshake_frame_reader {
public:
    explicit handshake_frame_reader(std::size_t max_body = max_handshake_message_bytes) : max_body_(max_body) {}

    // Appends bytes as read from the stream. Ignored once the stream is bad.
    void feed(std::string_view bytes);

    // The next whole body, or nullopt when more bytes are needed or the stream
    // is bad (a length over the limit: failed() and error() say so).
    std::optional<std::string> next();

    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }

    // Every byte fed and not handed out by next(), in order; the reader is empty after.
    std::string take_unread();
    std::size_t unread_size() const { return buf_.size() - pos_; }

private:
    std::string buf_;
    std::size_t pos_ = 0;  // bytes of buf_ already handed out
    std::size_t max_body_;
    std::string error_;
};

}  // namespace weft::cluster
