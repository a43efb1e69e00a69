// node_peer.hpp: what a node knows of one peer (node.cpp and node_spawn.cpp
// only; nothing outside the node sees it).
#pragma once
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cluster/node.hpp"

namespace weft::cluster {

// One peer node: its connection (dialled or accepted) and what waits for it.
struct node::peer {
    std::string name;
    std::uint32_t id = 0;
    std::mutex mutex;
    std::shared_ptr<connection> conn;  // in use; null: none
    bool ready = false;
    std::deque<frame> waiting;  // until the connection is ready
    cross_links links;
    std::vector<pid> watchers;  // monitor_node: one ("nodedown", name) each
    std::vector<std::pair<pid, ref>> connect_waiters;
    // After a dial failed, for a tick: sends are dropped (and counted) without
    // dialling again, so an actor sending to a dead node neither hammers its
    // host nor floods the log; connect() still dials.
    std::chrono::steady_clock::time_point quiet_until{};
};

}  // namespace weft::cluster
