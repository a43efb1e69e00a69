// node_builtins.cpp: the node builtins of LANGUAGE.md: node(), nodes(),
// connect(), disconnect(), monitor_node() and spawn_on / spawn_link_on /
// spawn_monitor_on. They reach other nodes through the runtime's remote
// interface (actors/remote.hpp; cluster/ implements it). What waits for
// another node (a connection, a spawn) waits as a receive does, holding no
// thread: the builtin asks, awaits the answer message, and starts over when
// a message comes (interp/actor/reply.hpp).
#include "interp/actor/node_builtins.hpp"

#include <array>
#include <string>

#include "actors/remote.hpp"
#include "interp/actor/actor_args.hpp"
#include "interp/actor/reply.hpp"
#include "interp/builtins/args.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/natives.hpp"

namespace weft::interp::bi {
namespace {

remote_nodes* nodes_of(script_actor& self) { return self.api().rt().remote(); }

// A copy: the heap string may move when the builtin allocates.
std::string node_arg(value v, const char* fname) {
    if (!is_str(v))
        throw_script_error("TypeError", std::string(fname) + "() needs a node name (str), not '" + type_name(v) + "'");
    return std::string(str_view(v));
}


value builtin_node(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "node");
    no_kwargs(kwargs, "node");
    no_args("node", argc);
    return m.heap().alloc_str(self.api().rt().node_name());
}

value builtin_nodes(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "nodes");
    no_kwargs(kwargs, "nodes");
    no_args("nodes", argc);
    std::vector<std::string> names;
    if (remote_nodes* r = nodes_of(self)) names = r->connected();
    rooted list(m.heap(), m.heap().alloc_list(names.size()));
    for (const std::string& n : names) {
        value v = m.heap().alloc_str(n);
        m.heap().list_append(list, v);
    }
    return list;
}

// connect(node) -> bool: True once connected (at once when it is already).
value builtin_connect(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "connect");
    if (value tag = m.resumed(); !tag.is_empty()) {
        value answer = take_reply(m, self.api(), as_ref(tag)->r);
        return answer.is_empty() ? m.await(tag) : answer;
    }
    no_kwargs(kwargs, "connect");
    exactly_one("connect", argc);
    std::string node = node_arg(argv[0], "connect");
    remote_nodes* r = nodes_of(self);
    if (!r) return value::boolean(node == self.api().rt().node_name());
    must_await(m, "connect");
    weft::ref tag = self.api().make_ref();
    r->connect(node, self.api().self(), tag);
    return m.await(m.heap().alloc_ref(tag));
}

value builtin_disconnect(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "disconnect");
    no_kwargs(kwargs, "disconnect");
    exactly_one("disconnect", argc);
    std::string node = node_arg(argv[0], "disconnect");
    remote_nodes* r = nodes_of(self);
    return value::boolean(r && r->disconnect(node));
}

// monitor_node(node): ("nodedown", node) arrives when the connection is lost
// (or at once when it cannot be made). Returns True, as Erlang's.
value builtin_monitor_node(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "monitor_node");
    no_kwargs(kwargs, "monitor_node");
    exactly_one("monitor_node", argc);
    std::string node = node_arg(argv[0], "monitor_node");
    if (remote_nodes* r = nodes_of(self)) {
        r->monitor_node(self.api().self(), node);
    } else if (node != self.api().rt().node_name()) {
        self.api().send(self.api().self(), term::tuple({term::str("nodedown"), term::str(node)}));
    }
    return value::boolean(true);
}

// spawn_on(node, f, *args) and its link and monitor forms. f must be a
// top-level function: it travels as its module, its name and the hash of its
// module's code, and the other node refuses to run another version of it.
value spawn_on_with(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* fname, bool link, bool monitor) {
    script_actor& self = running(m, fname);
    if (value resumed = m.resumed(); !resumed.is_empty()) {  // (tag, monitor ref or None)
        rooted state(m.heap(), resumed);  // take_reply allocates: the state may move
        value answer = take_reply(m, self.api(), as_ref(as_tuple(state)->items()[0])->r);
        if (answer.is_empty()) return m.await(state);
        value mref = as_tuple(state)->items()[1];
        if (is_kind(answer, obj_kind::pid)) {
            if (!monitor) return answer;
            self.api().retarget_monitor(as_ref(mref)->r, as_pid(answer)->p);
            value pair[2] = {answer, mref};
            return m.heap().alloc_tuple(std::span<const value>(pair, 2));  // roots its items while allocating
        }
        if (monitor) self.api().demonitor(as_ref(mref)->r);  // the monitor of nothing goes
        std::string why = is_kind(answer, obj_kind::tuple) && as_tuple(answer)->length() == 2 &&
                                  is_str(as_tuple(answer)->items()[1])
                              ? std::string(str_view(as_tuple(answer)->items()[1]))
                              : "no answer";
        throw_script_error("RuntimeError", std::string(fname) + "(): " + why);
    }
    no_kwargs(kwargs, fname);
    if (argc < 2) throw_script_error("TypeError", std::string(fname) + "() needs a node and a function to run");
    std::string node = node_arg(argv[0], fname);
    value f = argv[1];
    if (!is_native(f, native_kind::function))
        throw_script_error("TypeError", std::string(fname) + "() needs a function, not '" + type_name_of(f) + "'");
    const proto* p = function_proto(f);
    if (!p->mod || as_native(f)->traced != 0 || p->mod->slot_of(p->name) == module::no_slot)
        throw_script_error("TypeError", std::string(fname) + "() runs a top-level function of the program on "
                                                             "another node, not a closure or lambda");
    if (node == self.api().rt().node_name()) {  // this node: as spawn, spawn_link, spawn_monitor
        value call = m.heap().alloc_tuple(std::span<const value>(argv + 1, argc - 1));
        envelope* start = envelope::acquire();
        try {
            encode_value(m.prog(), call, *start);
        } catch (...) {
            envelope::release(start);
            throw;
        }
        start->aux = std::uint64_t(m.current_site());  // as spawn's (actor_builtins.cpp)
        auto relation = link ? spawn_relation::link : monitor ? spawn_relation::monitor : spawn_relation::none;
        auto [child, mon] = spawn_script(self.api().rt(), self.config(), start, &self.api(), relation);
        value pid_value = m.heap().alloc_pid(child);
        if (!monitor) return pid_value;
        rooted keep(m.heap(), pid_value);
        value ref_value = m.heap().alloc_ref(mon);  // may move pid_value: read keep after it
        value pair[2] = {keep.get(), ref_value};
        return m.heap().alloc_tuple(std::span<const value>(pair, 2));
    }
    remote_nodes* r = nodes_of(self);
    if (!r)
        throw_script_error("RuntimeError", std::string(fname) + "(): this node is not part of a cluster (start it "
                                                               "with weft run --name NAME@HOST:PORT)");
    must_await(m, fname);
    weft::ref tag = self.api().make_ref();
    value mref = value::none();
    std::optional<weft::ref> monitor_ref;
    if (monitor) {
        monitor_ref = self.api().expect_monitor(weft::pid{node_id_of(node), 0, 0});
        mref = m.heap().alloc_ref(*monitor_ref);
    }
    rooted keep_mref(m.heap(), mref);
    value args = m.heap().alloc_tuple(std::span<const value>(argv + 2, argc - 2));
    envelope* e = envelope::acquire();
    try {
        encode_value(m.prog(), args, *e);
    } catch (...) {
        envelope::release(e);
        throw;
    }
    r->spawn(node, remote_nodes::spawn_call{p->mod->name, p->name, p->mod->code_hash, e, link, monitor_ref},
             self.api().self(), tag);
    rooted tag_value(m.heap(), m.heap().alloc_ref(tag));
    value state[2] = {tag_value.get(), keep_mref.get()};
    return m.await(m.heap().alloc_tuple(std::span<const value>(state, 2)));
}

value builtin_spawn_on(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return spawn_on_with(m, argv, argc, kwargs, "spawn_on", false, false);
}
value builtin_spawn_link_on(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return spawn_on_with(m, argv, argc, kwargs, "spawn_link_on", true, false);
}
value builtin_spawn_monitor_on(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return spawn_on_with(m, argv, argc, kwargs, "spawn_monitor_on", false, true);
}

// node_info(node) -> dict | None: the connection's traffic (None when not
// connected): queued_bytes and queued_messages of small messages not yet
// written, large_bytes of large ones, bytes_out, bytes_in, and the
// send_queue_limit over which senders pause.
value builtin_node_info(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "node_info");
    no_kwargs(kwargs, "node_info");
    exactly_one("node_info", argc);
    std::string node = node_arg(argv[0], "node_info");
    remote_nodes* r = nodes_of(self);
    std::optional<node_traffic> t = r ? r->traffic(node) : std::nullopt;
    if (!t) return value::none();
    heap& h = m.heap();
    rooted d(h, h.alloc_dict());
    rooted key(h), item(h);
    auto put = [&](const char* k, std::uint64_t n) {
        item = h.make_int(std::int64_t(n));
        key = h.alloc_str(k);
        h.dict_set(d, key, item);
    };
    put("queued_bytes", t->queued_bytes);
    put("queued_messages", t->queued_frames);
    put("large_bytes", t->large_bytes);
    put("bytes_out", t->bytes_out);
    put("bytes_in", t->bytes_in);
    put("send_queue_limit", t->send_queue_limit);
    return d;
}

constexpr builtin_def def_node{"node", builtin_node};
constexpr builtin_def def_node_info{"node_info", builtin_node_info};
constexpr builtin_def def_nodes{"nodes", builtin_nodes};
constexpr builtin_def def_connect{"connect", builtin_connect};
constexpr builtin_def def_disconnect{"disconnect", builtin_disconnect};
constexpr builtin_def def_monitor_node{"monitor_node", builtin_monitor_node};
constexpr builtin_def def_spawn_on{"spawn_on", builtin_spawn_on};
constexpr builtin_def def_spawn_link_on{"spawn_link_on", builtin_spawn_link_on};
constexpr builtin_def def_spawn_monitor_on{"spawn_monitor_on", builtin_spawn_monitor_on};

constexpr std::array<const builtin_def*, 9> node_defs = {
    &def_node, &def_node_info, &def_nodes, &def_connect, &def_disconnect, &def_monitor_node,
    &def_spawn_on, &def_spawn_link_on, &def_spawn_monitor_on,
};

constexpr native_module module_def{"builtins", node_defs};

}  // namespace
}  // namespace weft::interp::bi

namespace weft::interp {

const native_module& node_builtins_module() noexcept { return bi::module_def; }

}  // namespace weft::interp
