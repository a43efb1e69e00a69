// actor_builtins.cpp: the actor builtins of LANGUAGE.md (spawn, send, self,
// link, monitor, exit, register, sleep, send_after, hibernate ...), which
// call the runtime (actors/) on behalf of the script actor running the VM.
//
// They work only inside a running actor: module bodies run when the program
// loads, outside any actor, and get a RuntimeError that says so. Messages
// leave the heap through the codec (codec.hpp) straight into an
// envelope; nothing here keeps a heap value across an allocation unrooted.
#include "interp/actor/actor_builtins.hpp"

#include <array>
#include <cmath>

#include "actors/exit_reason.hpp"
#include "interp/actor/actor_args.hpp"
#include "interp/actor/file_call.hpp"
#include "interp/actor/script_actor.hpp"
#include "interp/builtins/internal.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "serialize/codec.hpp"

namespace weft::interp::bi {

namespace {

// (name, node) for another node than this one, or nullopt.
std::optional<std::pair<std::string_view, std::string_view>> remote_name(runtime& rt, value dest) {
    if (!is_kind(dest, obj_kind::tuple) || as_tuple(dest)->length() != 2) return std::nullopt;
    value name = as_tuple(dest)->items()[0], node = as_tuple(dest)->items()[1];
    if (!is_str(name) || !is_str(node) || str_view(node) == rt.node_name()) return std::nullopt;
    return std::pair{str_view(name), str_view(node)};
}

// Where send() and send_after() deliver: a pid, a registered name, or
// (name, node) for this node (send() takes other nodes' names itself).
weft::pid destination(vm& m, value dest, const char* fname) {
    runtime& rt = running(m, fname).api().rt();
    if (is_kind(dest, obj_kind::pid)) return as_pid(dest)->p;
    std::string_view name;
    if (is_str(dest)) {
        name = str_view(dest);
    } else if (is_kind(dest, obj_kind::tuple) && as_tuple(dest)->length() == 2 && is_str(as_tuple(dest)->items()[0]) &&
               is_str(as_tuple(dest)->items()[1])) {
        name = str_view(as_tuple(dest)->items()[0]);
        std::string_view node = str_view(as_tuple(dest)->items()[1]);
        if (node != rt.node_name())
            throw_script_error("ValueError", std::string(fname) + "() sends to a name of this node only, not of '" +
                                                 std::string(node) + "'");
    } else {
        throw_script_error("TypeError", std::string(fname) + "() needs a pid, a registered name or (name, node), not '" +
                                            type_name(dest) + "'");
    }
    std::optional<weft::pid> p = rt.whereis(name);
    if (!p) throw_script_error("ValueError", std::string(fname) + "(): no actor is registered as '" + std::string(name) + "'");
    return *p;
}

// v encoded into `e`, which is released again if encoding fails.
envelope* encoded(vm& m, value v, envelope* e) {
    message owner(e);  // releases e unless encoding succeeds
    encode_value(m.prog(), v, *e);
    return owner.release();
}

// A heap value as a C++ term (for exit reasons and timers, which the runtime keeps as terms).
term to_term(vm& m, value v) { return message(encoded(m, v, envelope::acquire())).value(); }

value spawn_with(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* fname, spawn_relation relation) {
    script_actor& self = running(m, fname);
    no_kwargs(kwargs, fname);
    if (argc == 0) throw_script_error("TypeError", std::string(fname) + "() needs a function to run");
    if (!is_native(argv[0], native_kind::function) && !is_native(argv[0], native_kind::builtin))
        throw_script_error("TypeError", std::string(fname) + "() needs a function, not '" + type_name(argv[0]) + "'");
    value call = m.heap().alloc_tuple(std::span<const value>(argv, argc));
    envelope* start = encoded(m, call, envelope::acquire());
    start->aux = std::uint64_t(m.current_site());  // script_actor::begin: an error entering f names this line
    std::pair<weft::pid, weft::ref> spawned;
    try {
        spawned = spawn_script(self.api().rt(), self.config(), start, &self.api(), relation);
    } catch (const runtime_error&) {  // the process table is full
        throw_script_error("RuntimeError", std::string(fname) + "(): too many actors (the limit is " +
                                               std::to_string(self.api().rt().options().max_actors) +
                                               "; weft run --max-actors raises it)");
    }
    auto [child, monitor] = spawned;
    value p = m.heap().alloc_pid(child);
    if (relation != spawn_relation::monitor) return p;
    rooted keep(m.heap(), p);
    value r = m.heap().alloc_ref(monitor);
    value pair[2] = {keep.get(), r};
    return m.heap().alloc_tuple(std::span<const value>(pair, 2));
}


value builtin_spawn(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return spawn_with(m, argv, argc, kwargs, "spawn", spawn_relation::none);
}

value builtin_spawn_link(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return spawn_with(m, argv, argc, kwargs, "spawn_link", spawn_relation::link);
}

value builtin_spawn_monitor(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return spawn_with(m, argv, argc, kwargs, "spawn_monitor", spawn_relation::monitor);
}

value builtin_self(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "self");
    no_kwargs(kwargs, "self");
    no_args("self", argc);
    return m.heap().alloc_pid(self.api().self());
}

// A node's connections pause a sender while they hold too much unwritten
// (remote_nodes::congested): like a busy port, it looks again this often.
constexpr std::int64_t congestion_poll_ns = 1'000'000;

value builtin_send(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "send");
    no_kwargs(kwargs, "send");
    expected_args("send", argc, 2, 2);
    runtime& rt = self.api().rt();
    remote_nodes* nodes = rt.remote();
    std::uint32_t node_id;
    std::size_t bytes;  // of a message to another node: whether it was small or large
    bool congested;
    if (auto named = remote_name(rt, argv[0])) {  // the other node looks the name up
        envelope* e = encoded(m, argv[1], rt.make_message(self.api().self()));
        self.api().trace_send(pid{}, *e);
        node_id = node_id_of(named->second);
        bytes = e->payload_bytes();
        auto how = nodes ? nodes->route_named(named->second, named->first, e) : remote_nodes::routed::unknown_node;
        if (how == remote_nodes::routed::unknown_node) envelope::release(e);  // unreachable: dropped
        congested = how == remote_nodes::routed::sent_congested;
    } else {
        weft::pid to = destination(m, argv[0], "send");
        envelope* e = encoded(m, argv[1], rt.make_message(self.api().self()));
        self.api().trace_send(to, *e);
        node_id = to.node;
        bytes = rt.is_local(to) ? 0 : e->payload_bytes();  // measured before the envelope is handed on
        congested = rt.post(to, e);
    }
    if (congested && !m.in_callback())
        m.pause_after_call([nodes, node_id, bytes] { return nodes->congested(node_id, bytes); }, congestion_poll_ns);
    return argv[1];
}

value builtin_link(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "link");
    no_kwargs(kwargs, "link");
    exactly_one("link", argc);
    self.api().link(pid_arg(argv[0], "link"));
    return value::none();
}

value builtin_unlink(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "unlink");
    no_kwargs(kwargs, "unlink");
    exactly_one("unlink", argc);
    self.api().unlink(pid_arg(argv[0], "unlink"));
    return value::none();
}

value builtin_monitor(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "monitor");
    no_kwargs(kwargs, "monitor");
    exactly_one("monitor", argc);
    return m.heap().alloc_ref(self.api().monitor(pid_arg(argv[0], "monitor")));
}

value builtin_demonitor(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "demonitor");
    no_kwargs(kwargs, "demonitor");
    exactly_one("demonitor", argc);
    self.api().demonitor(ref_arg(argv[0], "demonitor"));
    return value::none();
}

value builtin_trap_exits(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "trap_exits");
    no_kwargs(kwargs, "trap_exits");
    exactly_one("trap_exits", argc);
    self.api().trap_exits(truthy(argv[0]));
    return value::none();
}

// exit(reason) ends the caller (through the runtime's actor_exit, which no
// script `except` catches); exit(pid, reason) sends an exit signal.
value builtin_exit(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "exit");
    no_kwargs(kwargs, "exit");
    expected_args("exit", argc, 1, 2);
    if (argc == 1) throw actor_exit{to_term(m, argv[0])};
    weft::pid to = pid_arg(argv[0], "exit");
    self.api().exit(to, to_term(m, argv[1]));
    return value::none();
}

value builtin_register(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "register");
    no_kwargs(kwargs, "register");
    expected_args("register", argc, 2, 2);
    std::string_view name = name_arg(argv[0], "register");
    weft::pid p = pid_arg(argv[1], "register");
    try {
        self.api().rt().register_name(name, p);
    } catch (const runtime_error& e) {
        throw_script_error("ValueError", e.what());
    }
    return value::none();
}

value builtin_unregister(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "unregister");
    no_kwargs(kwargs, "unregister");
    exactly_one("unregister", argc);
    return value::boolean(self.api().rt().unregister_name(name_arg(argv[0], "unregister")));
}

value builtin_whereis(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "whereis");
    no_kwargs(kwargs, "whereis");
    exactly_one("whereis", argc);
    std::optional<weft::pid> p = self.api().rt().whereis(name_arg(argv[0], "whereis"));
    return p ? m.heap().alloc_pid(*p) : value::none();
}

value builtin_sleep(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    running(m, "sleep");
    no_kwargs(kwargs, "sleep");
    exactly_one("sleep", argc);
    double ms = millis_arg(argv[0], "sleep");
    if (m.in_callback())
        throw_script_error("RuntimeError", "sleep() cannot wait inside a function that a builtin calls");
    m.suspend_after_call(vm::wait_kind::sleep, steady_now_ns() + std::int64_t(std::min(ms, 1e13) * 1e6));
    return value::none();
}

value builtin_monotonic_ms(vm& m, value*, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "monotonic_ms");
    no_args("monotonic_ms", argc);
    (void)m;
    return value::from_int(steady_now_ns() / 1'000'000);
}

value builtin_make_ref(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "make_ref");
    no_kwargs(kwargs, "make_ref");
    no_args("make_ref", argc);
    return m.heap().alloc_ref(self.api().make_ref());  // sets the receive marker
}

value builtin_send_after(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "send_after");
    no_kwargs(kwargs, "send_after");
    expected_args("send_after", argc, 3, 3);
    double ms = millis_arg(argv[0], "send_after");
    weft::pid to = destination(m, argv[1], "send_after");
    auto delay = std::chrono::milliseconds(std::int64_t(std::min(ms, 1e13)));
    return m.heap().alloc_ref(self.api().send_after(delay, to, to_term(m, argv[2])));
}

value builtin_cancel_timer(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "cancel_timer");
    no_kwargs(kwargs, "cancel_timer");
    exactly_one("cancel_timer", argc);
    return value::boolean(self.api().rt().cancel_timer(ref_arg(argv[0], "cancel_timer")));
}

// Collects the heap down to its live data and waits for the next message;
// the call then returns None and the actor goes on.
value builtin_hibernate(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "hibernate");
    no_kwargs(kwargs, "hibernate");
    no_args("hibernate", argc);
    if (m.in_callback())
        throw_script_error("RuntimeError", "hibernate() cannot wait inside a function that a builtin calls");
    m.heap().collect();
    self.api().take_arrivals();
    if (self.api().queue_length() == 0) m.suspend_after_call(vm::wait_kind::hibernate, vm::no_deadline);
    return value::none();
}


constexpr builtin_def def_spawn{"spawn", builtin_spawn};
constexpr builtin_def def_spawn_link{"spawn_link", builtin_spawn_link};
constexpr builtin_def def_spawn_monitor{"spawn_monitor", builtin_spawn_monitor};
constexpr builtin_def def_self{"self", builtin_self};
constexpr builtin_def def_send{"send", builtin_send};
constexpr builtin_def def_link{"link", builtin_link};
constexpr builtin_def def_unlink{"unlink", builtin_unlink};
// input(prompt=""): writes the prompt where print writes, then parks until
// a line of stdin comes; the line without its "\n", EOFError at the end.
value builtin_input(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    auto line_of = [&m](value line) {
        if (m.trapped()) return line;  // still waiting
        if (line.is_none()) throw_script_error("EOFError", "EOF when reading a line");
        std::string_view text = str_view(line);
        if (!text.empty() && text.back() == '\n') return m.heap().alloc_str(text.substr(0, text.size() - 1));
        return line;
    };
    if (value line = stdin_answer(m, "input"); !line.is_empty()) return line_of(line);
    no_kwargs(kwargs, "input");
    takes_args("input", argc, 0, 1);
    if (m.host()) must_await(m, "input");  // before the prompt: a call that cannot wait shows none
    if (argc == 1) m.write_out(m.str(argv[0]), true);
    return line_of(ask_stdin(m, "input", false));
}

constexpr builtin_def def_monitor{"monitor", builtin_monitor};
constexpr builtin_def def_demonitor{"demonitor", builtin_demonitor};
constexpr builtin_def def_trap_exits{"trap_exits", builtin_trap_exits};
constexpr builtin_def def_exit{"exit", builtin_exit};
constexpr builtin_def def_register{"register", builtin_register};
constexpr builtin_def def_unregister{"unregister", builtin_unregister};
constexpr builtin_def def_whereis{"whereis", builtin_whereis};
constexpr builtin_def def_sleep{"sleep", builtin_sleep};
constexpr builtin_def def_monotonic_ms{"monotonic_ms", builtin_monotonic_ms};
constexpr builtin_def def_make_ref{"make_ref", builtin_make_ref};
constexpr builtin_def def_send_after{"send_after", builtin_send_after};
constexpr builtin_def def_cancel_timer{"cancel_timer", builtin_cancel_timer};
constexpr builtin_def def_hibernate{"hibernate", builtin_hibernate};
constexpr builtin_def def_input{"input", builtin_input};

constexpr std::array<const builtin_def*, 21> actor_defs = {
    &def_spawn, &def_spawn_link, &def_spawn_monitor, &def_self, &def_send, &def_link, &def_unlink, &def_monitor,
    &def_demonitor, &def_trap_exits, &def_exit, &def_register, &def_unregister, &def_whereis, &def_sleep,
    &def_monotonic_ms, &def_make_ref, &def_send_after, &def_cancel_timer, &def_hibernate, &def_input,
};

// They travel in messages as builtins, as in Python's one builtins module.
constexpr native_module module_def{"builtins", actor_defs};

}  // namespace
}  // namespace weft::interp::bi

namespace weft::interp {

const native_module& actor_builtins_module() noexcept { return bi::module_def; }

}  // namespace weft::interp
