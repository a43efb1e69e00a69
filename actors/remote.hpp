// remote.hpp: how the runtime reaches other nodes: the interface that
// cluster/ implements (DESIGN.md: actors/ reaches other nodes only through
// it). A runtime without one is a node alone: pids of other nodes are
// unreachable, as if their node were down.
//
// Every call may come from any thread (an actor's, a timer's, outside code)
// and must never block on the network: a send is queued for the connection,
// whose writer does the rest.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serialize/envelope.hpp"
#include "serialize/ids.hpp"

namespace weft {

class remote_nodes {
public:
    virtual ~remote_nodes() = default;

    // Takes `e` (a message or any signal) to `to` on its node, connecting
    // first if needed. False when that node cannot be reached: the caller
    // still owns `e` (a message is dropped and counted; a link or monitor
    // request is answered "noconnection").
    virtual bool route(pid to, envelope* e) = 0;
    // The same to the actor registered as `name` on `node`.
    virtual bool route_named(std::string_view node, std::string_view name, envelope* e) = 0;

    // This node's full name ("a@127.0.0.1:7001") and the connected ones.
    virtual std::string self_name() const = 0;
    virtual std::vector<std::string> connected() const = 0;
    // The full name behind a pid's node id, if this node knows it.
    virtual std::optional<std::string> name_of(std::uint32_t node_id) const = 0;
    // Connects (waits for the handshake); true when connected.
    virtual bool connect(std::string_view node) = 0;
    virtual bool disconnect(std::string_view node) = 0;
    // `watcher` gets ("nodedown", node) when the connection to `node` is lost
    // (at once when it is not connected and cannot be).
    virtual void monitor_node(pid watcher, std::string_view node) = 0;
};

}  // namespace weft
