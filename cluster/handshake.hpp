// handshake.hpp: the two sides of the cookie handshake, as state machines.
//
// The node that dials is the initiator, the node that accepts the acceptor:
//
//   initiator                                         acceptor
//   HELLO{magic, version, name_i, creation_i, nonce_i} ->
//                  <- CHALLENGE{name_a, creation_a, nonce_a, mac_a}
//   checks name_a is the name it dialled, checks mac_a
//   RESPONSE{mac_i}                                   ->
//                                                        checks mac_i
//                                                  <- OK
//
// mac_a and mac_i are HMAC-SHA256 of the cookie over both nonces, both names and
// both creations, each with its own label (handshake_proof.hpp), so both sides
// prove the cookie and it never crosses the wire. Each side's nonce is fresh,
// so a recorded handshake replayed to either side fails (as a wrong cookie: the
// two cannot be told apart). A side that fails because of what it received
// answers REFUSED{reason} once, so that the other side too can log why
// (a wrong cookie is then logged on both sides), and then expects the
// connection to close.
//
// The machines own no socket, clock or thread: the connection layer feeds them
// what it reads and writes what they return, closes the connection when one
// fails (after writing what it returned), and puts its own timeout on the whole
// exchange. They check a peer's name against this node's own; the connection
// layer must also refuse a peer whose node id is that of another node it is
// connected to (node_name.hpp). They must never put the cookie in a message or
// a failure reason, and never read past a message's bytes.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cluster/handshake_frame.hpp"
#include "cluster/handshake_message.hpp"
#include "cluster/handshake_proof.hpp"

namespace weft::cluster {

// This node, as the handshake presents it.
struct handshake_identity {
    std::string name;            // this node's full name: valid, port not 0
    std::uint32_t creation = 0;  // this incarnation of the node
    std::string cookie;          // 1 to max_cookie_file_bytes bytes
};

enum class handshake_status { in_progress, done, failed };

// The authenticated peer, once done.
struct handshake_peer {
    std::string name;
    std::uint32_t node_id = 0;  // node_id_of(name)
    std::uint32_t creation = 0;
};

// What both sides share: status, failure, the peer, the stream reader.
class handshake_side {
public:
    handshake_status status() const { return status_; }
    bool done() const { return status_ == handshake_status::done; }
    bool failed() const { return status_ == handshake_status::failed; }
    const handshake_peer& peer() const { return peer_; }  // meaningful once done
    // Why it failed, for a human: "wrong cookie: ...", "protocol version 3 is
    // not supported (this node speaks 1)", "peer named itself b@h:1 but was
    // dialled as c@h:2", "malformed handshake message: ...".
    const std::string& failure() const { return failure_; }
    // How it failed, as the REFUSED code this side sent or received (or
    // would have sent: malformed for bytes that are no handshake).
    std::optional<refusal_reason> refusal() const { return refusal_; }

    // Feeds bytes as read from the socket; returns the bytes to write (framed),
    // often none. Once done, further bytes are not the handshake's and are kept
    // for take_unread(); once failed, they are dropped.
    std::string feed(std::string_view stream_bytes);

    // Feeds one message body (unframed); returns the bytes to write (framed).
    // Ignored once failed; std::logic_error once done, or (feed too) before
    // an initiator's start().
    std::string on_message(std::string_view body);

    // Ends a handshake in progress from this side: fails with `reason` and
    // returns a framed REFUSED{code} to write (nothing once done or failed).
    std::string refuse(refusal_reason code, std::string reason);

    // Once done: the bytes fed after the handshake's last message (the first
    // bytes of the node protocol), handed over once.
    std::string take_unread() { return reader_.take_unread(); }

    virtual ~handshake_side() = default;

protected:
    explicit handshake_side(handshake_identity self);
    // Movable (a connection may keep its handshake by value), never copied: a
    // copy would answer one peer twice with the same nonce.
    handshake_side(const handshake_side&) = delete;
    handshake_side& operator=(const handshake_side&) = delete;
    handshake_side(handshake_side&&) = default;
    handshake_side& operator=(handshake_side&&) = default;

    // One decoded message in the current state; returns the bytes to write.
    virtual std::string step(const handshake_message& message) = 0;
    // Whether this side dialled (the initiator).
    virtual bool started_by_this_side() const = 0;

    // Fails with `reason`; returns a framed REFUSED{code} to write, or nothing
    // when `answer` is false (the peer refused first, or nothing was received).
    std::string fail(std::string reason, refusal_reason code, bool answer = true);
    // Fails because the peer sent REFUSED; `who` names the peer.
    std::string refused_by_peer(const refused_message& m, const std::string& who);
    std::string out_of_turn(const handshake_message& got, const char* expected);
    void succeed(std::string name, std::uint32_t creation);

    handshake_identity self_;
    std::uint32_t self_id_;
    handshake_transcript transcript_;
    bool started_ = true;  // the initiator is not until start()

private:
    handshake_status status_ = handshake_status::in_progress;
    std::string failure_;
    std::optional<refusal_reason> refusal_;
    handshake_peer peer_;
    handshake_frame_reader reader_;
};

// The side that dialled. start() first, then feed() what the peer sends.
class handshake_initiator final : public handshake_side {
public:
    // `dialled` is the name this node connects to; the peer must name itself
    // exactly so. Throws std::invalid_argument if `self` is not a valid identity;
    // a bad `dialled` (invalid, port 0, this node's own id) makes start() fail.
    handshake_initiator(handshake_identity self, std::string dialled);

    // The framed HELLO to write first (nothing if it failed at once). Once only.
    std::string start();

private:
    std::string step(const handshake_message& message) override;
    bool started_by_this_side() const override { return true; }

    enum class state { before_start, awaiting_challenge, awaiting_ok, finished };
    std::string dialled_;
    state state_ = state::before_start;
};

// The side that accepted a connection. feed() what the peer sends.
class handshake_acceptor final : public handshake_side {
public:
    // A check of the initiator's name once it has proved the cookie, just
    // before this side's OK: nullopt to go on, else the refusal (the
    // connection layer checks the peer's TLS certificate, and settles two
    // nodes dialling each other at once). Null: no check.
    struct name_refusal {
        refusal_reason code;
        std::string why;
    };
    using name_check = std::function<std::optional<name_refusal>(const std::string& name)>;

    // Throws std::invalid_argument if `self` is not a valid identity.
    explicit handshake_acceptor(handshake_identity self, name_check check = nullptr);

private:
    std::string step(const handshake_message& message) override;
    bool started_by_this_side() const override { return false; }

    name_check check_;

    enum class state { awaiting_hello, awaiting_response, finished };
    state state_ = state::awaiting_hello;
};

}  // namespace weft::cluster
