// remote.hpp: how the runtime reaches other nodes: the interface that
// cluster/ implements (DESIGN.md: actors/ reaches other nodes only through
// it). A runtime without one is a node alone: pids of other nodes are
// unreachable, as if their node were down.
//
// Every call may come from any thread (an actor's, a timer's, outside code)
// and never waits on the network: what takes time (a connection, a spawn on
// another node) answers later with the message ("weft.reply", tag, result) to
// the actor that asked, which waits for it as for any message.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serialize/envelope.hpp"
#include "serialize/ids.hpp"

namespace weft {

// The first item of every answer: ("weft.reply", tag, result).
inline constexpr const char* remote_reply_tag = "weft.reply";

// One connection's traffic, for the observer and node_info().
struct node_traffic {
    std::uint64_t queued_bytes = 0;   // small messages queued, not yet written
    std::uint64_t queued_frames = 0;
    std::uint64_t large_bytes = 0;    // of large messages, not yet written
    std::uint64_t bytes_out = 0;      // written to the socket
    std::uint64_t bytes_in = 0;       // read from it
    std::uint64_t send_queue_limit = 0;
};

// One peer in a node's table, connected or not (the observer's node list).
struct peer_figures {
    std::string name;
    bool up = false;  // connected and past the handshake
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::uint64_t queued_bytes = 0;  // written by senders, not yet to the socket
};

class remote_nodes {
public:
    virtual ~remote_nodes() = default;

    // What route() did with an envelope.
    enum class routed : std::uint8_t {
        unknown_node,    // no node of that id is known: the caller still owns it
        sent,            // taken: queued for the node, or dropped and counted
        sent_congested,  // taken, and that connection is now over its limit (congested())
    };
    // Takes `e` (a message or any signal) to `to` on its node, connecting
    // first if needed. Once taken, a message the node cannot deliver is
    // dropped and counted, and a link or monitor request is answered
    // "noconnection".
    virtual routed route(pid to, envelope* e) = 0;
    // The same to the actor registered as `name` on `node` (a full name);
    // unknown_node when `node` is no node name.
    virtual routed route_named(std::string_view node, std::string_view name, envelope* e) = 0;

    // Backpressure, as a busy port in Erlang: an actor whose send was
    // sent_congested pauses until this is false. True while the connection
    // to node `node_id` (serialize/ids.hpp: node_id_of) holds more than its limit
    // unwritten of messages of the kind of one of `message_bytes`
    // (envelope::payload_bytes): small ones in its queue, or large ones in
    // their lanes. Nothing is refused or dropped for being busy.
    virtual bool congested(std::uint32_t node_id, std::size_t message_bytes) const = 0;
    // The traffic of the connection to `node`, if connected.
    virtual std::optional<node_traffic> traffic(std::string_view node) const = 0;
    // Every node this one has known (dialled, accepted or heard of), up or
    // down, with its traffic. Never blocks for long (the table's locks only).
    virtual std::vector<peer_figures> peers() const { return {}; }

    // This node's full name ("a@127.0.0.1:7001") and the connected ones.
    virtual std::string self_name() const = 0;
    virtual std::vector<std::string> connected() const = 0;
    // The full name behind a pid's node id, if this node knows it.
    virtual std::optional<std::string> name_of(std::uint32_t node_id) const = 0;
    // Connects; answers True or False.
    virtual void connect(std::string_view node, pid reply_to, ref tag) = 0;
    virtual bool disconnect(std::string_view node) = 0;
    // `watcher` gets ("nodedown", node) when the connection to `node` is
    // lost, or at once when it cannot be made.
    virtual void monitor_node(pid watcher, std::string_view node) = 0;

    // Starts module.function(*args) on `node`; answers the new pid, or
    // ("error", why) when the node cannot (it lacks the module, has another
    // version of it, or is unreachable). `args` (a tuple's envelope) is taken.
    struct spawn_call {
        std::string module;
        std::string function;
        std::uint64_t code_hash = 0;  // of the module's source: the same code on both nodes
        envelope* args = nullptr;
        // spawn_link_on: the new actor starts linked to the caller, and the
        // caller to it, before either can run. spawn_monitor_on: it starts
        // monitored under this ref (the caller noted the monitor first).
        bool link = false;
        std::optional<ref> monitor;
    };
    virtual void spawn(std::string_view node, spawn_call call, pid reply_to, ref tag) = 0;
};

}  // namespace weft
