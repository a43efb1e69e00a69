// handshake_frame.cpp: the length prefix and the incremental reader.
#include "cluster/handshake_frame.hpp"

#include <cstdint>

namespace weft::cluster {

std::string frame_handshake_message(std::string_view body) {
    auto n = static_cast<std::uint32_t>(body.size());
    std::string out;
    out.reserve(handshake_frame_header_bytes + body.size());
    for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
    out += body;
    return out;
}

void handshake_frame_reader::feed(std::string_view bytes) {
    if (failed()) return;
    // Drop what was handed out before growing, so the buffer holds only unread bytes.
    if (pos_ > 0) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    buf_ += bytes;
}

std::optional<std::string> handshake_frame_reader::next() {
    if (failed() || unread_size() < handshake_frame_header_bytes) return std::nullopt;
    std::uint32_t n = 0;
    for (int i = 3; i >= 0; --i) n = n << 8 | static_cast<std::uint8_t>(buf_[pos_ + static_cast<std::size_t>(i)]);
    if (n > max_body_) {
        error_ = "malformed handshake message: a frame of " + std::to_string(n) + " bytes, over the limit of " +
                 std::to_string(max_body_) + " (not a Weft node?)";
        return std::nullopt;
    }
    if (unread_size() - handshake_frame_header_bytes < n) return std::nullopt;
    std::string body = buf_.substr(pos_ + handshake_frame_header_bytes, n);
    pos_ += handshake_frame_header_bytes + n;
    return body;
}

std::string handshake_frame_reader::take_unread() {
    std::string rest = buf_.substr(pos_);
    buf_.clear();
    pos_ = 0;
    return rest;
}

}  // namespace weft::cluster
