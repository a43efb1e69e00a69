// node_spawn.cpp: spawning on another node (node.hpp), both ways: asking a
// peer to start module.function(*args), and starting one for a peer, held
// until its answer is on the way.
#include "cluster/node.hpp"

#include <optional>
#include <utility>

#include "cluster/node_peer.hpp"

namespace weft::cluster {

void node::spawn(std::string_view node_name, spawn_call call, pid reply_to, ref tag) {
    envelope_ptr args(call.args);
    if (!parse_node_name(node_name) || node_name == self_name_) {
        return reply(reply_to, tag,
                     term::tuple({term::str("error"), term::str("cannot spawn on node '" + std::string(node_name) +
                                                                "': not a node this one can reach")}));
    }
    peer* p;
    {
        std::unique_lock guard(table_mutex_);
        p = &peer_named(std::string(node_name));
    }
    std::uint64_t id = next_request_.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard guard(spawns_mutex_);
        spawns_[id] = pending_spawn{reply_to, tag, p->id, call.link, call.monitor};
    }
    spawn_request_frame r;
    r.request_id = id;
    r.module = std::move(call.module);
    r.function = std::move(call.function);
    r.module_hash.resize(8);
    for (int i = 0; i < 8; ++i) r.module_hash[std::size_t(i)] = std::byte(call.code_hash >> (8 * i));
    r.args = std::move(args);
    r.parent = reply_to;
    r.link = call.link;
    r.monitor = call.monitor;
    send_to(*p, std::move(r));
}

void node::answer_spawn(peer& from, connection& c, spawn_request_frame&& r) {
    spawn_reply_frame answer{r.request_id, std::string()};
    if (!options_.spawner) {
        answer.result = std::string("node " + self_name_ + " starts no actors for other nodes");
    } else {
        try {
            answer.result = options_.spawner(r);
        } catch (const std::exception& e) {
            answer.result = std::string(e.what());
        }
    }
    const pid* child = std::get_if<pid>(&answer.result);
    // The held actor starts after its answer is queued (its end can never
    // overtake it), and however this ends: one never started would keep the
    // runtime from stopping.
    struct start_at_end {
        runtime& rt;
        std::optional<pid> held;
        ~start_at_end() {
            if (held) rt.start_held(*held);
        }
    } starter{rt_, child ? std::optional<pid>(*child) : std::nullopt};
    if (child && r.link) from.links.arriving(signal_kind::link, r.parent, *child, {});
    if (child && r.monitor) from.links.arriving(signal_kind::monitor, r.parent, *child, *r.monitor);
    c.send(std::move(answer));
}

void node::spawn_answered(spawn_reply_frame&& r) {
    pending_spawn s;
    {
        std::lock_guard guard(spawns_mutex_);
        auto it = spawns_.find(r.request_id);
        if (it == spawns_.end()) return;
        s = it->second;
        spawns_.erase(it);
    }
    const pid* child = std::get_if<pid>(&r.result);
    if (child && child->node != s.node) {
        r.result = std::string("the node answered with a pid of another node");
        child = nullptr;
    }
    if (child) {
        // The remote actor is linked to the caller already; the caller's side
        // of the link goes in before the answer (and before the child's exit
        // signal, which the peer sends after it). A monitor the caller noted
        // itself before asking.
        if (peer* p = peer_by_id(s.node)) {
            if (s.link) p->links.leaving(signal_kind::link, s.reply_to, *child, {});
            if (s.monitor) p->links.leaving(signal_kind::monitor, s.reply_to, *child, *s.monitor);
        }
        if (s.link) rt_.send_signal(s.reply_to, signal_kind::link, *child, {}, nullptr);
        return reply(s.reply_to, s.tag, term(*child));
    }
    reply(s.reply_to, s.tag, term::tuple({term::str("error"), term::str(std::get<std::string>(r.result))}));
}

}  // namespace weft::cluster
