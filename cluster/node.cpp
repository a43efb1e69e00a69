// node.cpp: see node.hpp.
#include "cluster/node.hpp"

#include "cluster/node_peer.hpp"

#include <asio/post.hpp>
#include <cstdio>
#include <deque>
#include <stdexcept>
#include <utility>

#include "actors/exit_reason.hpp"
#include "actors/signals.hpp"
#include "io/service.hpp"
#include "serialize/codec.hpp"
#include "serialize/term_view.hpp"

namespace weft::cluster {

namespace {

const char extension_key = 0;  // its address names the node among the runtime's extensions

term noconnection() { return term::str("noconnection"); }

bool is_signal_kind(std::uint32_t k) {
    return k >= std::uint32_t(signal_kind::exit) && k <= std::uint32_t(signal_kind::down);
}

// An exit-like signal from a peer carries ("EXIT", from, reason) or ("DOWN",
// ref, from, reason); anything else would make the receiver read what is not
// there.
bool well_formed(const envelope& e) {
    auto k = static_cast<signal_kind>(e.kind);
    bool exit_like = k == signal_kind::exit || k == signal_kind::link_exit;
    if (!exit_like && k != signal_kind::down) return true;
    if (e.words().empty()) return false;
    term_view v = term_view::root(e);
    if (v.kind() != term_kind::tuple || v.size() != (exit_like ? 3u : 4u) || v[0].kind() != term_kind::str)
        return false;
    return v[0].as_str() == (exit_like ? "EXIT" : "DOWN");
}

}  // namespace

node& node::start(runtime& rt, node_options options) {
    return static_cast<node&>(
        rt.extension(&extension_key, [&] { return std::make_unique<node>(rt, std::move(options)); }));
}

node* node::of(runtime& rt) noexcept { return dynamic_cast<node*>(rt.remote()); }

node::node(runtime& rt, node_options options)
    : rt_(rt), options_(std::move(options)), io_(io::service_of(rt).context()), acceptor_(io_),
      accept_retry_(io_) {
    node_name_result parsed = parse_node_name(options_.name);
    if (!parsed) throw std::runtime_error(parsed.error);
    if (options_.cookie.empty()) throw std::runtime_error("a node needs a cookie");
    if (options_.tls) tls_ = make_tls_context(*options_.tls, parsed.value->host);
    listen(*parsed.value);
    rt_.become_node(self_name_);
    self_id_ = rt_.node_id();
    rt_.set_remote(this);
    asio::post(io_, [this] { accept_next(); });
}

node::~node() { rt_.set_remote(nullptr); }

void node::listen(const node_name& where) {
    std::string host = where.host.size() > 2 && where.host.front() == '[' ? where.host.substr(1, where.host.size() - 2)
                                                                           : where.host;
    asio::error_code ec;
    asio::ip::tcp::resolver resolver(io_);
    auto endpoints = resolver.resolve(host, std::to_string(where.port), ec);
    if (ec || endpoints.empty())
        throw std::runtime_error("node " + where.full() + ": cannot resolve host '" + where.host + "': " + ec.message());
    asio::ip::tcp::endpoint ep = *endpoints.begin();
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("node " + where.full() + ": cannot listen on " + where.host + ":" +
                                     std::to_string(where.port) + ": " + ec.message());
    std::uint16_t port = acceptor_.local_endpoint().port();
    self_name_ = where.name + "@" + where.host + ":" + std::to_string(port);
}

connection::settings node::settings() const {
    connection::settings s;
    s.self = handshake_identity{self_name_, rt_.creation(), options_.cookie};
    s.tick = options_.tick;
    s.send_queue_limit = options_.send_queue_limit;
    s.tls = tls_;
    return s;
}

void node::accept_next() {
    if (stopping_.load(std::memory_order_acquire)) return;
    acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (ec) {
            // Out of descriptors, say: not at once again (that would spin),
            // but once the node had time to close some.
            log("cannot accept a connection: " + ec.message() + "; trying again in 100 ms");
            accept_retry_.expires_after(std::chrono::milliseconds(100));
            accept_retry_.async_wait([this](const asio::error_code& e) {
                if (!e) accept_next();
            });
            return;
        }
        connection::accept(io_, *this, settings(), std::move(socket));
        accept_next();
    });
}

// ---- the peers -------------------------------------------------------------------------

node::peer& node::peer_named(const std::string& full_name) {
    std::uint32_t id = node_id_of(full_name);
    auto it = peers_.find(id);
    if (it != peers_.end()) return *it->second;
    auto p = std::make_unique<peer>();
    p->name = full_name;
    p->id = id;
    return *peers_.emplace(id, std::move(p)).first->second;
}

node::peer* node::peer_by_id(std::uint32_t id) const {
    std::shared_lock guard(table_mutex_);
    auto it = peers_.find(id);
    return it == peers_.end() ? nullptr : it->second.get();
}

void node::dial(peer& p) {  // p.mutex held
    node_name_result n = parse_node_name(p.name);
    if (!n || n.value->port == 0) return;  // the caller answers for what waits
    p.conn = connection::dial(io_, *this, settings(), p.name, n.value->host, n.value->port);
}

node::routed node::send_to(peer& p, frame f) {
    // What the peer would refuse is dropped here, alone: an encoder that
    // threw would end the connection and every link across it.
    if (auto* ef = std::get_if<envelope_frame>(&f)) {
        if (std::optional<std::string> why = refusal(*ef, frame_limits{})) {
            log("dropped a message for " + p.name + ": " + *why);
            undeliverable(std::move(f));
            return routed::sent;
        }
    }
    std::size_t bytes = payload_bytes(f);
    {
        std::lock_guard guard(p.mutex);
        if (p.ready && p.conn && p.conn->send(std::move(f)))
            return p.conn->busy(bytes) ? routed::sent_congested : routed::sent;
        bool quiet = !p.conn && std::chrono::steady_clock::now() < p.quiet_until;
        if (!stopping_.load(std::memory_order_acquire) && !quiet) {
            p.waiting.push_back(std::move(f));
            if (!p.conn) dial(p);
            if (p.conn) return routed::sent;
            f = std::move(p.waiting.back());  // a name that cannot be dialled
            p.waiting.pop_back();
        }
    }
    undeliverable(std::move(f));
    return routed::sent;
}

node::routed node::route(pid to, envelope* e) {
    peer* p = peer_by_id(to.node);
    if (!p) return routed::unknown_node;
    if (e->kind != std::uint32_t(signal_kind::message))
        p->links.leaving(static_cast<signal_kind>(e->kind), e->from, to, e->tag);
    return send_to(*p, envelope_frame{to, envelope_ptr(e)});
}

node::routed node::route_named(std::string_view node_name, std::string_view name, envelope* e) {
    if (node_name == self_name_) {
        std::optional<pid> p = rt_.whereis(name);
        return p && rt_.route(*p, e) ? routed::sent : routed::unknown_node;
    }
    // A known peer under the shared lock; a new name is checked and added once.
    peer* p = peer_by_id(node_id_of(node_name));
    if (!p) {
        if (!parse_node_name(node_name)) return routed::unknown_node;
        std::unique_lock guard(table_mutex_);
        p = &peer_named(std::string(node_name));
    }
    return send_to(*p, envelope_frame{std::string(name), envelope_ptr(e)});
}

bool node::congested(std::uint32_t node_id, std::size_t message_bytes) const {
    peer* p = peer_by_id(node_id);
    if (!p) return false;
    std::lock_guard guard(p->mutex);
    // While a connection is being made, what waits for it is bounded by the
    // handshake's timeout rather than by bytes.
    return p->ready && p->conn && p->conn->busy(message_bytes);
}

std::optional<node_traffic> node::traffic(std::string_view node_name) const {
    peer* p = peer_by_id(node_id_of(node_name));
    if (!p) return std::nullopt;
    std::shared_ptr<connection> c;
    {
        std::lock_guard guard(p->mutex);
        if (!p->ready || !p->conn) return std::nullopt;
        c = p->conn;
    }
    return c->stats();
}

std::vector<peer_figures> node::peers() const {
    std::vector<std::pair<peer_figures, std::shared_ptr<connection>>> seen;
    {
        std::shared_lock guard(table_mutex_);
        for (const auto& [id, p] : peers_) {
            std::lock_guard g(p->mutex);
            peer_figures f;
            f.name = p->name;
            f.up = p->ready && p->conn;
            std::shared_ptr<connection> c = f.up ? p->conn : nullptr;
            seen.emplace_back(std::move(f), std::move(c));
        }
    }
    // The traffic outside the table's locks: a connection's stats take its own.
    std::vector<peer_figures> out;
    out.reserve(seen.size());
    for (auto& [f, c] : seen) {
        if (c) {
            node_traffic t = c->stats();
            f.bytes_in = t.bytes_in;
            f.bytes_out = t.bytes_out;
            f.queued_bytes = t.queued_bytes + t.large_bytes;
        }
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::string> node::connected() const {
    std::vector<std::string> out;
    std::shared_lock guard(table_mutex_);
    for (const auto& [id, p] : peers_) {
        std::lock_guard g(p->mutex);
        if (p->ready) out.push_back(p->name);
    }
    return out;
}

std::optional<std::string> node::name_of(std::uint32_t id) const {
    if (id == self_id_) return self_name_;
    peer* p = peer_by_id(id);
    if (!p) return std::nullopt;
    return p->name;
}

void node::connect(std::string_view node_name, pid reply_to, ref tag) {
    if (node_name == self_name_) return reply(reply_to, tag, term(true));
    node_name_result n = parse_node_name(node_name);
    if (!n || n.value->port == 0) return reply(reply_to, tag, term(false));
    peer* p;
    {
        std::unique_lock guard(table_mutex_);
        p = &peer_named(std::string(node_name));
    }
    {
        std::lock_guard guard(p->mutex);
        if (!p->ready) {
            p->connect_waiters.emplace_back(reply_to, tag);
            if (!p->conn) dial(*p);
            return;
        }
    }
    reply(reply_to, tag, term(true));
}

// At once, as in Erlang: when it returns, the peer is not in nodes(), links
// and monitors across have had their noconnection, and the next send dials
// anew (the old connection's close, later, finds it replaced).
bool node::disconnect(std::string_view node_name) {
    peer* p = peer_by_id(node_id_of(node_name));
    if (!p) return false;
    std::shared_ptr<connection> old;
    losses gone;
    {
        std::lock_guard guard(p->mutex);
        if (!p->ready || !p->conn) return false;
        old = p->conn;
        gone = take_losses(*p);
    }
    old->close("disconnect() was called on " + self_name_);
    report(*p, std::move(gone));
    return true;
}

void node::monitor_node(pid watcher, std::string_view node_name) {
    bool down_now = false;
    if (!parse_node_name(node_name)) {
        down_now = true;
    } else {
        peer* p;
        {
            std::unique_lock guard(table_mutex_);
            p = &peer_named(std::string(node_name));
        }
        std::lock_guard guard(p->mutex);
        p->watchers.push_back(watcher);
        if (!p->conn) dial(*p);  // Erlang's monitor_node tries to connect
        down_now = !p->conn;
        if (down_now) p->watchers.pop_back();
    }
    if (down_now) rt_.send(watcher, term::tuple({term::str("nodedown"), term::str(node_name)}));
}

// ---- what cannot be sent --------------------------------------------------------------

void node::undeliverable(frame&& f) {
    if (auto* ef = std::get_if<envelope_frame>(&f)) {
        if (ef->env->kind == std::uint32_t(signal_kind::message)) dropped_.fetch_add(1, std::memory_order_relaxed);  // Erlang's rule: dropped, counted
        // A link or monitor request is answered as by a lost node.
        if (const pid* to = std::get_if<pid>(&ef->to)) rt_.bounce(*to, ef->env.release(), noconnection());
    } else if (auto* sr = std::get_if<spawn_request_frame>(&f)) {
        spawn_answered(spawn_reply_frame{sr->request_id, std::string("the node cannot be reached")});
    }
}

void node::reply(pid to, ref tag, term result) {
    rt_.send(to, term::tuple({term::str(remote_reply_tag), term(tag), std::move(result)}));
}

void node::log(const std::string& line) {
    std::lock_guard guard(log_mutex_);
    if (options_.log) return options_.log(line);
    std::string text = "weft: node " + self_name_ + ": " + line + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
}

// ---- connections (io thread) ------------------------------------------------------------

void node::connection_ready(const std::shared_ptr<connection>& c) {
    const handshake_peer& who = c->peer();
    std::vector<std::pair<pid, ref>> waiters;
    std::vector<node_info_frame> others;
    std::optional<losses> earlier_life;
    std::shared_ptr<connection> replaced;
    peer* p;
    {
        std::unique_lock guard(table_mutex_);
        p = &peer_named(who.name);
        for (const auto& [id, q] : peers_)
            if (q.get() != p) others.push_back(node_info_frame{id, q->name, 0});
    }
    if (p->name != who.name) {  // ids are hashes: pids of the two could not be told apart
        c->close("node " + who.name + " has the same node id as " + p->name + ", which this node knows; rename one");
        return;
    }
    {
        std::lock_guard guard(p->mutex);
        if (p->conn && p->conn != c) {
            if (c->dialled()) {
                // This node's dial, given up for the peer's (admit()) while
                // its last answer was on the way.
                c->close("a connection with " + who.name + " exists already");
                return;
            }
            // The peer dialled anew. A node dials only when it holds no
            // connection to the other (and crossed dials are settled in
            // admit()), so what this node still holds is over: noconnection,
            // nodedown, and when the peer restarted, its earlier life too
            // (the old connection's close, later, finds it replaced).
            replaced = std::move(p->conn);
            if (p->ready) earlier_life = take_losses(*p);
        }
        p->conn = c;
        p->ready = true;
        while (!p->waiting.empty()) {
            c->send(std::move(p->waiting.front()));
            p->waiting.pop_front();
        }
        waiters.swap(p->connect_waiters);
        for (node_info_frame& o : others) c->send(std::move(o));
    }
    // Its pids print with the next node number, in the order nodes connect.
    rt_.numbers().of(p->id, who.creation);
    // Every other peer learns the new one's name, so that its pids in their
    // messages can be dialled (peers know each other by names; pids carry ids).
    {
        node_info_frame info{p->id, p->name, 0};
        std::shared_lock guard(table_mutex_);
        for (const auto& [id, q] : peers_) {
            if (q.get() == p) continue;
            std::lock_guard g(q->mutex);
            if (q->ready && q->conn) q->conn->send(node_info_frame(info));
        }
    }
    if (replaced) {
        bool restarted = earlier_life && replaced->peer().creation != who.creation;
        replaced->close(restarted ? who.name + " restarted" : who.name + " dialled again");  // reported here instead
        if (restarted) log("node " + who.name + " restarted; its earlier pids are gone");
    }
    if (earlier_life) report(*p, std::move(*earlier_life));
    for (const auto& [to, tag] : waiters) reply(to, tag, term(true));
}

void node::frame_arrived(connection& c, frame&& f) {
    peer* p = peer_by_id(c.peer().node_id);
    if (!p) return;
    std::visit(
        [&](auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, envelope_frame>) {
                deliver(*p, std::move(v));
            } else if constexpr (std::is_same_v<T, spawn_request_frame>) {
                answer_spawn(*p, c, std::move(v));
            } else if constexpr (std::is_same_v<T, spawn_reply_frame>) {
                spawn_answered(std::move(v));
            } else if constexpr (std::is_same_v<T, node_info_frame>) {
                if (v.node != node_id_of(v.name) || v.node == self_id_) return;  // a peer's slip: ignore it
                std::unique_lock guard(table_mutex_);
                peer_named(v.name);
            } else if constexpr (std::is_same_v<T, goodbye_frame>) {
                c.close("the peer said goodbye: " + v.reason);
            }
            // heartbeat_frame: its arrival is the point (the connection noted it).
        },
        f);
}

void node::deliver(peer& from, envelope_frame&& f) {
    envelope* e = f.env.release();
    std::uint32_t k = e->kind;
    if (k != std::uint32_t(signal_kind::message) && (!is_signal_kind(k) || !well_formed(*e))) {
        log("dropped a malformed signal (kind " + std::to_string(k) + ") from " + from.name);
        envelope::release(e);
        return;
    }
    if (const std::string* name = std::get_if<std::string>(&f.to)) {
        std::optional<pid> p = rt_.whereis(*name);
        if (!p || !rt_.route(*p, e)) envelope::release(e);  // as to an ended actor
        return;
    }
    pid to = std::get<pid>(f.to);
    // A peer signals for its own actors only (or for no actor: code outside
    // any actor): a link, exit or DOWN "from" a pid of another node is forged.
    if (k != std::uint32_t(signal_kind::message) && e->from != pid{} && e->from.node != from.id) {
        log("dropped a signal from " + from.name + " that claims to come from another node's actor");
        envelope::release(e);
        return;
    }
    if (k != std::uint32_t(signal_kind::message)) from.links.arriving(static_cast<signal_kind>(k), e->from, to, e->tag);
    // A pid of another node, or of this node's earlier life: nobody is there.
    if (!rt_.is_local(to) || !rt_.route(to, e)) rt_.bounce(to, e, exit_reason::noproc());
}

void node::connection_closed(connection& c, const std::string& why, bool was_ready) {
    const std::string& name = was_ready ? c.peer().name : c.dialled_name();
    peer* p = name.empty() ? nullptr : peer_by_id(node_id_of(name));
    if (!p) {  // an accepted connection that never got through its handshake
        if (c.crossed() || !c.heard_from_peer()) return;  // our own dial goes on; or nothing was said
        if (!stopping_.load(std::memory_order_acquire)) {
            failure_log_limiter::verdict v;
            {
                std::lock_guard guard(log_mutex_);
                // By host: each attempt comes from a new port.
                const std::string& where = c.address();
                v = log_limiter_.on_failure(where.substr(0, where.rfind(':')), std::chrono::steady_clock::now());
            }
            if (v.log)
                log("refused a connection from " + c.address() + ": " + why +
                    (v.suppressed ? " (" + std::to_string(v.suppressed) + " more like it not shown)" : ""));
        }
        return;
    }
    losses gone;
    bool failed_again = false;
    {
        std::lock_guard guard(p->mutex);
        if (p->conn.get() != &c) return;  // a connection already replaced
        if (!was_ready && c.crossed()) return await_crossed_dial(*p);
        gone = take_losses(*p);
        if (!was_ready) {
            auto now = std::chrono::steady_clock::now();
            failed_again = now < p->quiet_until + options_.tick;  // within a tick of the last quiet spell
            p->quiet_until = now + options_.tick;
        }
    }
    bool stopping = stopping_.load(std::memory_order_acquire);
    if (!stopping && was_ready) log("lost node " + p->name + ": " + why);
    if (!stopping && !was_ready && !failed_again)
        log(why + " (messages to " + p->name + " are dropped until it can be reached)");
    report(*p, std::move(gone));
}

// An accepted connection's peer proved the cookie (connection.hpp: admit).
// When this node is dialling that peer too, both nodes dialled at once, and
// the dial of the node whose name sorts first is kept: both nodes apply the
// rule here, where each sees the other's dial arrive. Taking the admitted
// connection as the peer's at once (before its OK goes out) leaves no moment
// in which this node could dial again. Io thread.
std::optional<handshake_acceptor::name_refusal> node::admit(connection& c, const std::string& peer_name) {
    peer* p;
    {
        std::unique_lock guard(table_mutex_);
        p = &peer_named(peer_name);
    }
    if (p->name != peer_name) return std::nullopt;  // an id clash: connection_ready refuses it
    std::shared_ptr<connection> given_up;
    {
        std::lock_guard guard(p->mutex);
        bool dialling = p->conn && !p->ready && p->conn->dialled();
        if (dialling && self_name_ < peer_name)
            return handshake_acceptor::name_refusal{refusal_reason::crossed,
                                                    "both nodes dialled at once; this node's dial goes on"};
        if (dialling) given_up = std::move(p->conn);
        if (!p->conn) p->conn = c.shared_from_this();
    }
    if (given_up) given_up->give_up();
    return std::nullopt;
}

// p.conn stays the refused connection meanwhile, so that sends and connect()
// wait (in p.waiting, p.connect_waiters) instead of dialling again; the
// peer's connection replaces it in connection_ready. If that one does not
// come, what waits is answered as for a failed dial.
void node::await_crossed_dial(peer& p) {  // p.mutex held
    auto timer = std::make_shared<asio::steady_timer>(io_, settings().handshake_timeout);
    timer->async_wait([this, &p, refused = p.conn, timer](const asio::error_code&) {
        if (stopping_.load(std::memory_order_acquire)) return;
        losses gone;
        {
            std::lock_guard guard(p.mutex);
            if (p.conn != refused) return;  // the peer's dial came
            gone = take_losses(p);
        }
        log("node " + p.name + " dialled this node at the same time as this node dialled it, and did not get "
            "through (messages to it are dropped until it can be reached)");
        report(p, std::move(gone));
    });
}

node::losses node::take_losses(peer& p) {  // p.mutex held
    losses gone;
    p.conn.reset();
    p.ready = false;
    gone.waiting.swap(p.waiting);
    gone.waiters.swap(p.connect_waiters);
    gone.watchers.swap(p.watchers);
    gone.links = p.links.peer_lost();
    return gone;
}

void node::report(peer& p, losses gone) {
    term reason = noconnection();
    for (const cross_links::lost& l : gone.links)
        rt_.send_signal(l.to, l.kind, l.from, l.tag, l.kind == signal_kind::demonitor ? nullptr : &reason);
    while (!gone.waiting.empty()) {
        undeliverable(std::move(gone.waiting.front()));
        gone.waiting.pop_front();
    }
    for (const auto& [to, tag] : gone.waiters) reply(to, tag, term(false));
    for (pid w : gone.watchers) rt_.send(w, term::tuple({term::str("nodedown"), term::str(p.name)}));
    // Spawns this node waits for from the lost peer will never be answered.
    std::vector<std::uint64_t> orphans;
    {
        std::lock_guard guard(spawns_mutex_);
        for (const auto& [id, s] : spawns_)
            if (s.node == p.id) orphans.push_back(id);
    }
    for (std::uint64_t id : orphans) spawn_answered(spawn_reply_frame{id, "the connection to " + p.name + " was lost"});
}

void node::stop() noexcept {
    stopping_.store(true, std::memory_order_release);
    rt_.set_remote(nullptr);
    asio::post(io_, [this] {
        asio::error_code ignored;
        acceptor_.close(ignored);
        accept_retry_.cancel();
        std::shared_lock guard(table_mutex_);
        for (const auto& [id, p] : peers_) {
            std::lock_guard g(p->mutex);
            if (!p->conn) continue;
            frame bye = goodbye_frame{"node " + self_name_ + " is stopping"};
            p->conn->send(std::move(bye));
            p->conn->close("this node is stopping");
        }
    });
}

}  // namespace weft::cluster
