// node.hpp: a runtime as a node of a cluster (DESIGN.md, Cluster): it listens
// for peers, dials them on demand (the first send to one of their pids, or
// connect()), and carries messages and signals between this runtime's actors
// and theirs with Erlang's semantics: links and monitors across nodes, DOWN
// and exit signals with "noconnection" when a peer is lost (heartbeats tell
// within a few ticks), ("nodedown", node) for monitor_node, per-pair order,
// messages to an unreachable node dropped and counted.
//
// It is the runtime's remote_nodes (actors/remote.hpp) and one of its
// extensions; its sockets run on the runtime's io service. What it cannot do
// by itself, starting a function of a loaded program for a peer's spawn, it
// asks of a spawner that the tool gives it (the tool knows the program).
//
// It must never block a caller (route() only queues), never deliver a peer's
// frame before that peer proved the cookie, and never trust a peer's kind,
// name or pid without checking it.
#pragma once
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "actors/extension.hpp"
#include "actors/remote.hpp"
#include "actors/runtime.hpp"
#include "cluster/connection.hpp"
#include "cluster/cross_links.hpp"
#include "cluster/failure_log_limiter.hpp"
#include "cluster/frame_types.hpp"
#include "cluster/node_name.hpp"
#include "cluster/tls.hpp"

namespace weft::cluster {

struct node_options {
    std::string name;    // name@host:port; port 0 picks a free one
    std::string cookie;  // cookie.hpp: load_cookie
    std::chrono::milliseconds tick{1000};  // heartbeat; a peer silent for 4 ticks is down
    // Per connection: unwritten bytes of small messages (and, apart, of large
    // ones) over which senders pause (remote_nodes::congested).
    std::size_t send_queue_limit = std::size_t(16) << 20;
    // Mutual TLS with certificates of the cluster's CA (tls.hpp), or plain TCP.
    std::optional<tls_files> tls;
    // Starts `module.function(*args)` for a peer's spawn request, held
    // (runtime::spawn_held, linked to or monitored by the request's parent as
    // it asks): the new pid, which the node starts once its answer is on the
    // way, or why not. Null: this node starts nothing for peers.
    std::function<std::variant<pid, std::string>(const spawn_request_frame&)> spawner;
    // A line for the operator (a refused handshake, a lost peer). Null: stderr.
    std::function<void(const std::string&)> log;
};

class node final : public runtime_extension, public remote_nodes, private connection::owner {
public:
    // Makes `rt` a node: listens on the name's host and port, names the
    // runtime after it (before any actor runs), and routes other nodes' pids
    // through it. Throws std::runtime_error saying what is wrong (a bad name,
    // the port in use, a runtime that already has actors, a TLS file).
    static node& start(runtime& rt, node_options options);
    // The node `rt` is, or null.
    static node* of(runtime& rt) noexcept;

    node(runtime& rt, node_options options);
    ~node() override;

    // ---- remote_nodes ----
    routed route(pid to, envelope* e) override;
    routed route_named(std::string_view node, std::string_view name, envelope* e) override;
    std::string self_name() const override { return self_name_; }
    std::vector<std::string> connected() const override;
    std::optional<std::string> name_of(std::uint32_t node_id) const override;
    void connect(std::string_view node, pid reply_to, ref tag) override;
    bool disconnect(std::string_view node) override;
    void monitor_node(pid watcher, std::string_view node) override;
    void spawn(std::string_view node, spawn_call call, pid reply_to, ref tag) override;
    bool congested(std::uint32_t node_id, std::size_t message_bytes) const override;
    std::optional<node_traffic> traffic(std::string_view node) const override;
    std::vector<peer_figures> peers() const override;

    // ---- runtime_extension ----
    void stop() noexcept override;
    // Other nodes may send at any time: a node is never stuck.
    bool may_wake_actors() noexcept override { return true; }

    // Messages dropped because their node could not be reached.
    std::uint64_t dropped_messages() const noexcept { return dropped_.load(std::memory_order_relaxed); }

private:
    struct peer;
    struct pending_spawn {
        pid reply_to;
        ref tag;
        std::uint32_t node;
        bool link = false;
        std::optional<ref> monitor;
    };

    void listen(const node_name& where);
    void accept_next();
    // The peer for a full name, made when new (the table lock held by the caller).
    peer& peer_named(const std::string& full_name);
    peer* peer_by_id(std::uint32_t id) const;
    // Sends a frame to a peer, dialling it first when needed.
    routed send_to(peer& p, frame f);
    void dial(peer& p);
    connection::settings settings() const;

    // ---- connection::owner (io thread) ----
    void connection_ready(const std::shared_ptr<connection>& c) override;
    void frame_arrived(connection& c, frame&& f) override;
    void connection_closed(connection& c, const std::string& why, bool was_ready) override;
    std::optional<handshake_acceptor::name_refusal> admit(connection& c, const std::string& peer_name) override;
    // Our dial was refused as crossed: the peer's comes instead. What waits
    // goes on waiting for it (p.mutex held), for a handshake's timeout.
    void await_crossed_dial(peer& p);

    // What a peer's end leaves to answer: frames that waited for it, connect()
    // and monitor_node callers, links and monitors across.
    struct losses {
        std::deque<frame> waiting;
        std::vector<std::pair<pid, ref>> waiters;
        std::vector<pid> watchers;
        std::vector<cross_links::lost> links;
    };
    losses take_losses(peer& p);     // p.mutex held: the peer is now unconnected
    void report(peer& p, losses gone);  // no lock held: noconnection, nodedown, false, dropped

    void deliver(peer& from, envelope_frame&& f);
    void answer_spawn(peer& from, connection& c, spawn_request_frame&& r);
    void spawn_answered(spawn_reply_frame&& r);
    // A frame that will never be sent: a message is counted, a link or
    // monitor request answered "noconnection".
    void undeliverable(frame&& f);
    void reply(pid to, ref tag, term result);
    void log(const std::string& line);

    runtime& rt_;
    node_options options_;
    std::shared_ptr<asio::ssl::context> tls_;  // made from options_.tls; shared by every connection
    std::string self_name_;  // with the port actually bound
    std::uint32_t self_id_ = 0;
    asio::io_context& io_;
    asio::ip::tcp::acceptor acceptor_;
    asio::steady_timer accept_retry_;  // after an accept failed

    mutable std::shared_mutex table_mutex_;  // the peers map (each peer has its own lock)
    std::unordered_map<std::uint32_t, std::unique_ptr<peer>> peers_;
    std::mutex spawns_mutex_;
    std::unordered_map<std::uint64_t, pending_spawn> spawns_;
    std::atomic<std::uint64_t> next_request_{1};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<bool> stopping_{false};
    std::mutex log_mutex_;
    failure_log_limiter log_limiter_;
};

}  // namespace weft::cluster
