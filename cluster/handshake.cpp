// handshake.cpp: the initiator's and the acceptor's steps, and what they share.
//
// Every step checks, in this order: that the message decoded, that it is a
// REFUSED (the peer gave up: say why, answer nothing), that it is the message
// this state expects, then names, then the proof. A proof is checked only
// after the names, so that "dialled the wrong node" is never reported as a
// wrong cookie.
#include "cluster/handshake.hpp"

#include <stdexcept>
#include <utility>

#include "cluster/cookie.hpp"
#include "cluster/node_name.hpp"

namespace weft::cluster {

namespace {

handshake_identity checked(handshake_identity self) {
    node_name_result parsed = parse_node_name(self.name);
    if (!parsed) throw std::invalid_argument("handshake: this node's name is not valid: " + parsed.error);
    if (parsed.value->port == 0) {
        throw std::invalid_argument("handshake: this node's name " + self.name +
                                    " has port 0; name the node by the port it listens on");
    }
    if (self.cookie.empty() || self.cookie.size() > max_cookie_file_bytes) {
        throw std::invalid_argument("handshake: the cookie must be 1 to " + std::to_string(max_cookie_file_bytes) +
                                    " bytes long");
    }
    return self;
}

std::string framed(const handshake_message& m) { return frame_handshake_message(encode_handshake_message(m)); }

}  // namespace

handshake_side::handshake_side(handshake_identity self)
    : self_(checked(std::move(self))), self_id_(node_id_of(self_.name)) {}

std::string handshake_side::feed(std::string_view stream_bytes) {
    std::string out;
    if (!started_) throw std::logic_error("handshake: bytes fed before start()");
    if (failed()) return out;
    reader_.feed(stream_bytes);
    while (status_ == handshake_status::in_progress) {
        std::optional<std::string> body = reader_.next();
        if (!body) {
            if (reader_.failed()) out += fail(reader_.error(), refusal_reason::malformed);
            break;
        }
        out += on_message(*body);
    }
    return out;
}

std::string handshake_side::on_message(std::string_view body) {
    if (!started_) throw std::logic_error("handshake: a message fed before start()");
    if (failed()) return {};
    if (done()) throw std::logic_error("handshake: a message fed after the handshake is done");
    decoded_handshake_message decoded = decode_handshake_message(body);
    if (!decoded.message) return fail(std::move(decoded.error), decoded.error_kind);
    return step(*decoded.message);
}

std::string handshake_side::fail(std::string reason, refusal_reason code, bool answer) {
    status_ = handshake_status::failed;
    failure_ = std::move(reason);
    refusal_ = code;
    if (!answer) return {};
    return framed(refused_message{static_cast<std::uint8_t>(code), handshake_protocol_version});
}

std::string handshake_side::refuse(refusal_reason code, std::string reason) {
    if (status_ != handshake_status::in_progress) return {};
    return fail(std::move(reason), code);
}

std::string handshake_side::refused_by_peer(const refused_message& m, const std::string& who) {
    std::string why;
    switch (static_cast<refusal_reason>(m.reason)) {
        case refusal_reason::wrong_cookie:
            return fail("wrong cookie: " + who + " could not verify this node's proof", refusal_reason::wrong_cookie,
                        false);
        case refusal_reason::unsupported_version:
            why = "it does not speak protocol version " + std::to_string(handshake_protocol_version) + " (it speaks " +
                  std::to_string(m.version) + ")";
            break;
        case refusal_reason::name_mismatch: why = "it dialled another node than " + self_.name; break;
        case refusal_reason::malformed: why = "it found a message from this node malformed or out of turn"; break;
        case refusal_reason::node_id_clash:
            why = "this node's name " + self_.name + " has the same node id as its own";
            break;
        case refusal_reason::crossed:  // an acceptor refuses the dial, or an initiator gives its own up
            why = started_by_this_side() ? "it is dialling this node at the same time, and its dial goes on"
                                         : "it gave up its own dial, made at the same time, for this node's";
            break;
        case refusal_reason::name_not_vouched:
            why = "this node's TLS certificate does not name the host of " + self_.name;
            break;
        default: why = "for a reason this node does not know (code " + std::to_string(m.reason) + ")"; break;
    }
    return fail(who + " refused the handshake: " + why, static_cast<refusal_reason>(m.reason), false);
}

std::string handshake_side::out_of_turn(const handshake_message& got, const char* expected) {
    return fail(std::string("malformed handshake message: ") + expected + " expected, " +
                    handshake_message_name(got) + " received",
                refusal_reason::malformed);
}

void handshake_side::succeed(std::string name, std::uint32_t creation) {
    status_ = handshake_status::done;
    peer_.node_id = node_id_of(name);
    peer_.name = std::move(name);
    peer_.creation = creation;
}

handshake_initiator::handshake_initiator(handshake_identity self, std::string dialled)
    : handshake_side(std::move(self)), dialled_(std::move(dialled)) {
    started_ = false;
}

std::string handshake_initiator::start() {
    if (state_ != state::before_start) throw std::logic_error("handshake: start() called twice");
    state_ = state::awaiting_challenge;
    started_ = true;
    node_name_result parsed = parse_node_name(dialled_);
    if (!parsed) return fail("cannot connect: " + parsed.error, refusal_reason::malformed, false);
    if (parsed.value->port == 0) {
        return fail("cannot connect to " + dialled_ + ": port 0 is not a port a node listens on",
                    refusal_reason::malformed, false);
    }
    if (dialled_ == self_.name) {
        return fail("cannot connect to " + dialled_ + ": it is this node's own name", refusal_reason::node_id_clash,
                    false);
    }
    if (node_id_of(dialled_) == self_id_) {
        return fail("cannot connect to " + dialled_ + ": its node id is the same as this node's (" + self_.name +
                        "); rename one of them",
                    refusal_reason::node_id_clash, false);
    }
    transcript_.version = handshake_protocol_version;
    transcript_.initiator_name = self_.name;
    transcript_.initiator_creation = self_.creation;
    transcript_.initiator_nonce = fresh_handshake_nonce();
    return framed(hello_message{handshake_protocol_version, self_.name, self_.creation, transcript_.initiator_nonce});
}

std::string handshake_initiator::step(const handshake_message& message) {
    if (const auto* refused = std::get_if<refused_message>(&message)) return refused_by_peer(*refused, dialled_);

    if (state_ == state::awaiting_challenge) {
        const auto* challenge = std::get_if<challenge_message>(&message);
        if (challenge == nullptr) return out_of_turn(message, "CHALLENGE");
        if (challenge->name != dialled_) {
            return fail("peer named itself " + challenge->name + " but was dialled as " + dialled_,
                        refusal_reason::name_mismatch);
        }
        transcript_.acceptor_name = challenge->name;
        transcript_.acceptor_creation = challenge->creation;
        transcript_.acceptor_nonce = challenge->nonce;
        if (!same_proof(challenge->mac, handshake_proof(self_.cookie, handshake_role::acceptor, transcript_))) {
            return fail("wrong cookie: the proof from " + dialled_ + " does not match this node's cookie",
                        refusal_reason::wrong_cookie);
        }
        state_ = state::awaiting_ok;
        return framed(response_message{handshake_proof(self_.cookie, handshake_role::initiator, transcript_)});
    }

    // awaiting_ok (finished never gets here: the side is done)
    if (!std::holds_alternative<ok_message>(message)) return out_of_turn(message, "OK");
    state_ = state::finished;
    succeed(transcript_.acceptor_name, transcript_.acceptor_creation);
    return {};
}

handshake_acceptor::handshake_acceptor(handshake_identity self, name_check check)
    : handshake_side(std::move(self)), check_(std::move(check)) {}

std::string handshake_acceptor::step(const handshake_message& message) {
    if (state_ == state::awaiting_hello) {
        if (const auto* refused = std::get_if<refused_message>(&message)) return refused_by_peer(*refused, "the peer");
        const auto* hello = std::get_if<hello_message>(&message);
        if (hello == nullptr) return out_of_turn(message, "HELLO");
        if (hello->name == self_.name) {
            return fail("peer named itself " + hello->name + ", this node's own name", refusal_reason::node_id_clash);
        }
        if (node_id_of(hello->name) == self_id_) {
            return fail("peer " + hello->name + " has the same node id as this node (" + self_.name +
                            "); rename one of them",
                        refusal_reason::node_id_clash);
        }
        transcript_.version = hello->version;
        transcript_.initiator_name = hello->name;
        transcript_.initiator_creation = hello->creation;
        transcript_.initiator_nonce = hello->nonce;
        transcript_.acceptor_name = self_.name;
        transcript_.acceptor_creation = self_.creation;
        transcript_.acceptor_nonce = fresh_handshake_nonce();
        state_ = state::awaiting_response;
        return framed(challenge_message{self_.name, self_.creation, transcript_.acceptor_nonce,
                                        handshake_proof(self_.cookie, handshake_role::acceptor, transcript_)});
    }

    // awaiting_response
    if (const auto* refused = std::get_if<refused_message>(&message)) {
        return refused_by_peer(*refused, transcript_.initiator_name);
    }
    const auto* response = std::get_if<response_message>(&message);
    if (response == nullptr) return out_of_turn(message, "RESPONSE");
    if (!same_proof(response->mac, handshake_proof(self_.cookie, handshake_role::initiator, transcript_))) {
        return fail("wrong cookie: the proof from " + transcript_.initiator_name + " does not match this node's cookie",
                    refusal_reason::wrong_cookie);
    }
    if (check_) {
        if (std::optional<name_refusal> no = check_(transcript_.initiator_name))
            return fail(transcript_.initiator_name + ": " + no->why, no->code);
    }
    state_ = state::finished;
    succeed(transcript_.initiator_name, transcript_.initiator_creation);
    return framed(ok_message{});
}

}  // namespace weft::cluster
