// handshake_message.cpp: encoding and bounds-checked decoding of handshake bodies.
//
// The decoder reads through one cursor that checks every length against what
// is left before it looks at a byte, and stops at the first fault with a
// message naming the message type, the field and the numbers.
#include "cluster/handshake_message.hpp"

#include <algorithm>

#include "cluster/node_name.hpp"

namespace weft::cluster {

namespace {

void put_u16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xff);
    out += static_cast<char>(v >> 8);
}

std::string u16_bytes(std::uint16_t v) {
    std::string s;
    put_u16(s, v);
    return s;
}

std::string u32_bytes(std::uint32_t v) {
    std::string s;
    for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}

template <std::size_t N>
std::string_view as_view(const std::array<std::uint8_t, N>& a) {
    return {reinterpret_cast<const char*>(a.data()), N};
}

// Appends a field; a value longer than a u16 can say is cut to fit, which only
// a caller building a deliberately bad message can ask for.
void put_field(std::string& out, std::string_view value) {
    std::size_t n = std::min<std::size_t>(value.size(), 0xffff);
    put_u16(out, static_cast<std::uint16_t>(n));
    out.append(value.data(), n);
}

std::string body(handshake_message_type type) { return std::string(1, static_cast<char>(type)); }

std::uint16_t get_u16(std::string_view b) {
    return static_cast<std::uint16_t>(static_cast<std::uint8_t>(b[0]) | static_cast<std::uint8_t>(b[1]) << 8);
}

std::uint32_t get_u32(std::string_view b) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(b[static_cast<std::size_t>(i)]);
    return v;
}

std::string count(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// Shows a few bytes of a field in a message: printable ASCII as is, the rest as \xNN.
std::string shown(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < 16; ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    if (s.size() > 16) out += "...";
    return out + "'";
}

class cursor {
public:
    cursor(std::string_view in, const char* message) : in_(in), message_(message) {}

    // Reads a field of exactly `size` bytes, or of 1 to `size` bytes when `up_to`.
    bool field(const char* name, std::size_t size, std::string_view& out, bool up_to = false) {
        if (left() < 2) return fail(std::string(message_) + " ends before its " + name + " field");
        std::size_t n = get_u16(in_.substr(pos_, 2));
        pos_ += 2;
        if (n > left()) {
            return fail(std::string(message_) + "'s " + name + " field claims " + count(n) +
                        ", more than the " + std::to_string(left()) + " left");
        }
        if (up_to && (n == 0 || n > size)) {
            return fail(std::string(message_) + "'s " + name + " field is " + count(n) + ", expected 1 to " +
                        std::to_string(size));
        }
        if (!up_to && n != size) {
            return fail(std::string(message_) + "'s " + name + " field is " + count(n) + ", expected " +
                        std::to_string(size));
        }
        out = in_.substr(pos_, n);
        pos_ += n;
        return true;
    }

    template <std::size_t N>
    bool bytes(const char* name, std::array<std::uint8_t, N>& out) {
        std::string_view v;
        if (!field(name, N, v)) return false;
        std::copy(v.begin(), v.end(), reinterpret_cast<char*>(out.data()));
        return true;
    }

    bool u32(const char* name, std::uint32_t& out) {
        std::string_view v;
        if (!field(name, 4, v)) return false;
        out = get_u32(v);
        return true;
    }

    bool u16(const char* name, std::uint16_t& out) {
        std::string_view v;
        if (!field(name, 2, v)) return false;
        out = get_u16(v);
        return true;
    }

    bool name(std::string& out) {
        std::string_view v;
        if (!field("name", max_full_name_bytes, v, true)) return false;
        node_name_result parsed = parse_node_name(v);
        if (!parsed) return fail(std::string(message_) + "'s name: " + parsed.error);
        if (parsed.value->port == 0) {
            return fail(std::string(message_) + "'s name " + std::string(v) + " has port 0, which no node listens on");
        }
        out.assign(v);
        return true;
    }

    bool end() {
        if (left() == 0) return true;
        return fail(std::string(message_) + " goes on for " + count(left()) + " after its last field");
    }

    bool fail(std::string why) {
        error_ = "malformed handshake message: " + std::move(why);
        return false;
    }

    std::size_t left() const { return in_.size() - pos_; }
    void skip_type() { pos_ = 1; }
    std::string& error() { return error_; }

private:
    std::string_view in_;
    std::size_t pos_ = 0;
    const char* message_;
    std::string error_;
};

decoded_handshake_message failure(refusal_reason kind, std::string error) {
    return {std::nullopt, kind, std::move(error)};
}

decoded_handshake_message decode_hello(cursor& c) {
    hello_message m;
    std::string_view magic;
    if (!c.field("magic", handshake_magic.size(), magic)) return failure(refusal_reason::malformed, c.error());
    if (magic != handshake_magic) {
        return failure(refusal_reason::malformed, "malformed handshake message: HELLO's magic is " + shown(magic) +
                                                      ", expected 'WEFT' (not a Weft node?)");
    }
    if (!c.u16("version", m.version)) return failure(refusal_reason::malformed, c.error());
    if (m.version != handshake_protocol_version) {
        return failure(refusal_reason::unsupported_version,
                       "protocol version " + std::to_string(m.version) + " is not supported (this node speaks " +
                           std::to_string(handshake_protocol_version) + ")");
    }
    if (!c.name(m.name) || !c.u32("creation", m.creation) || !c.bytes("nonce", m.nonce) || !c.end()) {
        return failure(refusal_reason::malformed, c.error());
    }
    return {std::move(m), {}, {}};
}

decoded_handshake_message decode_challenge(cursor& c) {
    challenge_message m;
    if (!c.name(m.name) || !c.u32("creation", m.creation) || !c.bytes("nonce", m.nonce) || !c.bytes("mac", m.mac) ||
        !c.end()) {
        return failure(refusal_reason::malformed, c.error());
    }
    return {std::move(m), {}, {}};
}

}  // namespace

std::string encode_handshake_message(const handshake_message& message) {
    struct encoder {
        std::string operator()(const hello_message& m) const {
            std::string out = body(handshake_message_type::hello);
            put_field(out, handshake_magic);
            put_field(out, u16_bytes(m.version));
            put_field(out, m.name);
            put_field(out, u32_bytes(m.creation));
            put_field(out, as_view(m.nonce));
            return out;
        }
        std::string operator()(const challenge_message& m) const {
            std::string out = body(handshake_message_type::challenge);
            put_field(out, m.name);
            put_field(out, u32_bytes(m.creation));
            put_field(out, as_view(m.nonce));
            put_field(out, as_view(m.mac));
            return out;
        }
        std::string operator()(const response_message& m) const {
            std::string out = body(handshake_message_type::response);
            put_field(out, as_view(m.mac));
            return out;
        }
        std::string operator()(const ok_message&) const { return body(handshake_message_type::ok); }
        std::string operator()(const refused_message& m) const {
            std::string out = body(handshake_message_type::refused);
            put_field(out, std::string(1, static_cast<char>(m.reason)));
            put_field(out, u16_bytes(m.version));
            return out;
        }
    };
    return std::visit(encoder{}, message);
}

decoded_handshake_message decode_handshake_message(std::string_view body) {
    if (body.empty()) return failure(refusal_reason::malformed, "malformed handshake message: empty message");
    if (body.size() > max_handshake_message_bytes) {
        return failure(refusal_reason::malformed, "malformed handshake message: " + std::to_string(body.size()) +
                                                      " bytes, over the limit of " +
                                                      std::to_string(max_handshake_message_bytes));
    }
    auto type = static_cast<std::uint8_t>(body[0]);
    switch (static_cast<handshake_message_type>(type)) {
        case handshake_message_type::hello: {
            cursor c(body, "HELLO");
            c.skip_type();
            return decode_hello(c);
        }
        case handshake_message_type::challenge: {
            cursor c(body, "CHALLENGE");
            c.skip_type();
            return decode_challenge(c);
        }
        case handshake_message_type::response: {
            cursor c(body, "RESPONSE");
            c.skip_type();
            response_message m;
            if (!c.bytes("mac", m.mac) || !c.end()) return failure(refusal_reason::malformed, c.error());
            return {m, {}, {}};
        }
        case handshake_message_type::ok: {
            cursor c(body, "OK");
            c.skip_type();
            if (!c.end()) return failure(refusal_reason::malformed, c.error());
            return {ok_message{}, {}, {}};
        }
        case handshake_message_type::refused: {
            cursor c(body, "REFUSED");
            c.skip_type();
            refused_message m;
            std::string_view reason;
            if (!c.field("reason", 1, reason) || !c.u16("version", m.version) || !c.end()) {
                return failure(refusal_reason::malformed, c.error());
            }
            m.reason = static_cast<std::uint8_t>(reason[0]);
            return {m, {}, {}};
        }
    }
    return failure(refusal_reason::malformed,
                   "malformed handshake message: unknown message type " + std::to_string(type));
}

const char* handshake_message_name(const handshake_message& message) {
    static constexpr const char* names[] = {"HELLO", "CHALLENGE", "RESPONSE", "OK", "REFUSED"};
    return names[message.index()];
}

}  // namespace weft::cluster
