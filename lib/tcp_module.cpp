// tcp_module.cpp: `import tcp` (LANGUAGE.md): Erlang's gen_tcp with
// Python's names, on io/tcp.hpp.
//
//   listener = tcp.listen(port, host="127.0.0.1", backlog=128)   listener.port
//   conn = tcp.accept(listener, timeout=None)
//   conn = tcp.connect(host, port, timeout=None)
//   conn.send(data)  conn.recv(max=65536, timeout=None)  conn.recv_line(timeout=None)
//   conn.close()  conn.peer  with tcp.connect(...) as conn: ...
//   tcp.set_active(conn, True | False | "once")  tcp.set_owner(conn, pid)
//
// Timeouts are milliseconds (int or float), as `after` and gen_server's.
// A call that waits parks only its actor. Listeners and conns are ports:
// values that travel in messages and name the same socket in every actor
// of the node; the actor that made one owns it until it hands it on.
#include "lib/tcp_module.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <string>

#include "actors/remote.hpp"
#include "interp/actor/actor_args.hpp"
#include "interp/actor/file_call.hpp"
#include "interp/actor/script_actor.hpp"
#include "interp/builtins/args.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/os_error.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/vm/vm.hpp"
#include "io/tcp.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_module;
using interp::resource_type;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

// -- errors -----------------------------------------------------------------------------

[[noreturn]] void raise_tcp_error(const char* fname, int err) {
    using interp::throw_script_error;
    std::string f = fname;
    switch (err) {
    case io::tcp_not_owner:
        throw_script_error("RuntimeError", f + ": only the actor that owns the socket may do that (see tcp.set_owner)");
    case io::tcp_active:
        throw_script_error("RuntimeError", f + ": the conn is in active mode: its data comes as (\"tcp\", conn, data) messages");
    case io::tcp_not_this_node: throw_script_error("ValueError", f + ": the socket belongs to another node");
    case io::tcp_wrong_kind: throw_script_error("TypeError", f + ": a listener is not a conn, nor a conn a listener");
    case ETIMEDOUT: throw_script_error("TimeoutError", "timed out");  // Python's socket timeout
    case io::tcp_no_such_host: {  // as Python's socket.gaierror
        interp::script_error e;
        e.kind = "OSError";
        e.message = "Name or service not known";
        e.os_errno = -2;
        throw e;
    }
    default: interp::throw_os_error(err);
    }
}

// -- ports as values ----------------------------------------------------------------------

extern const resource_type conn_type;
extern const resource_type listener_type;

// The port of a conn or a listener (`want`), or of either when `want` is null.
weft::port port_arg(value v, const resource_type* want, const char* fname, const char* what) {
    const resource_type* type =
        interp::is_native(v, interp::native_kind::resource) ? interp::resource_ref_of(v).type : nullptr;
    bool ok = want ? type == want : type == &conn_type || type == &listener_type;
    if (!ok) bi::type_error(std::string(fname) + "() argument must be a tcp " + what + ", not " + interp::type_name_of(v));
    return interp::port_of(v);
}

// A timeout argument: None (or absent) waits for ever; else milliseconds.
io::tcp_timeout timeout_arg(value v, const char* fname) {
    if (v.is_empty() || v.is_none()) return std::nullopt;
    if (!interp::num::is_number(v) || v.is_bool())
        bi::type_error(std::string(fname) + "() timeout must be a number of milliseconds or None, not " +
                       interp::type_name_of(v));
    double ms = interp::num::to_double(v);
    if (std::isnan(ms) || ms < 0) bi::value_error(std::string(fname) + "() timeout must be 0 or more milliseconds");
    return std::chrono::milliseconds(std::int64_t(std::min(ms, 1e12)));
}

std::uint16_t port_number(value v, const char* fname) {
    if (!v.is_int() || v.is_bool()) bi::type_error(std::string(fname) + "() port must be int, not " + interp::type_name_of(v));
    if (v.as_int() < 0 || v.as_int() > 65535) interp::throw_script_error("OverflowError", std::string(fname) + "(): port must be 0-65535.");
    return std::uint16_t(v.as_int());
}

std::string host_arg(value v, const char* fname) {
    if (!interp::is_str(v)) bi::type_error(std::string(fname) + "() host must be str, not " + interp::type_name_of(v));
    return std::string(interp::str_view(v));
}

// -- waiting for the table ----------------------------------------------------------------

// Starts an operation whose answer comes as ("weft.reply", tag, ("ok", x) or
// ("err", code)), and parks the actor until it does; or, when `start` has
// the outcome at once (a send the socket took whole, a line already there),
// gives it without waiting.
template <class Start>
value ask_tcp(vm& m, const char* fname, Start start) {
    interp::script_actor& self = bi::running(m, fname);
    bi::must_await(m, fname);
    weft::ref tag = self.api().make_ref();
    runtime& rt = self.api().rt();
    pid me = self.api().self();
    io::tcp_reply reply = [&rt, me, tag](io::tcp_outcome o) {
        term answer = o.err ? term::tuple({term::str("err"), term(std::int64_t(o.err))})
                            : term::tuple({term::str("ok"), std::move(o.result)});
        rt.send(me, term::tuple({term::str(remote_reply_tag), term(tag), std::move(answer)}));
    };
    std::optional<io::tcp_outcome> now = start(io::tcp_table_of(rt), me, std::move(reply));
    if (!now) return m.await(m.heap().alloc_ref(tag));
    if (now->err) raise_tcp_error(fname, now->err);
    if (now->result.is_none()) return value::none();
    if (now->result.is_bytes()) return m.heap().alloc_bytes(now->result.as_bytes());
    return bi::value_of(m, now->result);
}

// First thing in a builtin that waits: empty for a fresh call; the result
// (or its error raised) once the answer is here; the await again before.
value tcp_answer(vm& m, const char* fname) {
    value tag = m.resumed();
    if (tag.is_empty()) return value::empty();
    value answer = bi::answer_or_wait(m, fname, tag, interp::as_ref(tag)->r);
    if (m.trapped()) return answer;
    interp::tuple_obj* t = interp::as_tuple(answer);
    if (interp::str_view(t->items()[0]) == "ok") return t->items()[1];
    raise_tcp_error(fname, int(t->items()[1].as_int()));
}

// -- the module's functions ---------------------------------------------------------------

value tcp_listen(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[3];
    bi::parse_kwargs(kwargs, "listen", {"port", "host", "backlog"}, a);
    bi::takes_args("listen", argc, 0, 3);
    static constexpr const char* names[] = {"port", "host", "backlog"};
    for (std::uint32_t k = 0; k < 3; ++k) a[k] = bi::merge_arg("listen", argv, argc, k, a[k], names[k]);
    if (a[0].is_empty()) bi::type_error("listen() missing required argument 'port' (pos 1)");
    std::uint16_t number = port_number(a[0], "listen");
    std::string host = a[1].is_empty() ? "127.0.0.1" : host_arg(a[1], "listen");
    std::int64_t backlog = 128;
    if (!a[2].is_empty()) {
        if (!a[2].is_int() || a[2].is_bool()) bi::type_error(std::string("listen() backlog must be int, not ") + interp::type_name_of(a[2]));
        backlog = std::max<std::int64_t>(0, std::min<std::int64_t>(a[2].as_int(), 65535));
    }
    interp::script_actor& self = bi::running(m, "listen");
    int err = 0;
    weft::port p = io::tcp_table_of(self.api().rt()).listen(self.api().self(), host, number, int(backlog), err);
    if (err) raise_tcp_error("listen", err);
    return interp::alloc_port(m.heap(), &listener_type, p);
}

value tcp_accept(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = tcp_answer(m, "accept"); !done.is_empty()) return done;
    value a[2];
    bi::parse_kwargs(kwargs, "accept", {"listener", "timeout"}, a);
    bi::takes_args("accept", argc, 0, 2);
    for (std::uint32_t k = 0; k < 2; ++k) a[k] = bi::merge_arg("accept", argv, argc, k, a[k], k ? "timeout" : "listener");
    if (a[0].is_empty()) bi::type_error("accept() missing required argument 'listener' (pos 1)");
    weft::port listener = port_arg(a[0], &listener_type, "accept", "listener");
    io::tcp_timeout timeout = timeout_arg(a[1], "accept");
    return ask_tcp(m, "accept", [&](io::tcp_table& t, pid me, io::tcp_reply reply) {
        t.accept(listener, me, timeout, std::move(reply));
        return std::optional<io::tcp_outcome>();
    });
}

value tcp_connect(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = tcp_answer(m, "connect"); !done.is_empty()) return done;
    value a[3];
    bi::parse_kwargs(kwargs, "connect", {"host", "port", "timeout"}, a);
    bi::takes_args("connect", argc, 0, 3);
    static constexpr const char* names[] = {"host", "port", "timeout"};
    for (std::uint32_t k = 0; k < 3; ++k) a[k] = bi::merge_arg("connect", argv, argc, k, a[k], names[k]);
    if (a[0].is_empty()) bi::type_error("connect() missing required argument 'host' (pos 1)");
    if (a[1].is_empty()) bi::type_error("connect() missing required argument 'port' (pos 2)");
    std::string host = host_arg(a[0], "connect");
    std::uint16_t number = port_number(a[1], "connect");
    io::tcp_timeout timeout = timeout_arg(a[2], "connect");
    return ask_tcp(m, "connect", [&](io::tcp_table& t, pid me, io::tcp_reply reply) {
        t.connect(me, host, number, timeout, std::move(reply));
        return std::optional<io::tcp_outcome>();
    });
}

value tcp_set_active(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "set_active");
    bi::takes_args("set_active", argc, 2, 2);
    weft::port conn = port_arg(argv[0], &conn_type, "set_active", "conn");
    io::active_mode mode;
    if (argv[1].is_bool()) mode = argv[1].as_bool() ? io::active_mode::on : io::active_mode::off;
    else if (interp::is_str(argv[1]) && interp::str_view(argv[1]) == "once") mode = io::active_mode::once;
    else bi::value_error(std::string("set_active() takes True, False or \"once\", not ") + interp::type_name_of(argv[1]));
    interp::script_actor& self = bi::running(m, "set_active");
    if (int err = io::tcp_table_of(self.api().rt()).set_active(conn, self.api().self(), mode))
        raise_tcp_error("set_active", err);
    return value::none();
}

value tcp_set_owner(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "set_owner");
    bi::takes_args("set_owner", argc, 2, 2);
    weft::port p = port_arg(argv[0], nullptr, "set_owner", "conn");
    if (!interp::is_kind(argv[1], interp::obj_kind::pid))
        bi::type_error(std::string("set_owner() argument 2 must be a pid, not ") + interp::type_name_of(argv[1]));
    interp::script_actor& self = bi::running(m, "set_owner");
    if (int err = io::tcp_table_of(self.api().rt()).set_owner(p, self.api().self(), interp::as_pid(argv[1])->p))
        raise_tcp_error("set_owner", err);
    return value::none();
}

// -- a conn's and a listener's methods ----------------------------------------------------

value conn_send(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = tcp_answer(m, "send"); !done.is_empty()) return done;
    bi::no_kwargs(kwargs, "send");
    bi::expected_args("send", argc - 1, 1, 1);
    value data = argv[1];
    // str goes as its UTF-8 (Python's sockets take bytes only).
    if (!interp::is_bytes(data) && !interp::is_str(data))
        bi::type_error(std::string("a bytes-like object is required, not '") + interp::type_name_of(data) + "'");
    std::string bytes(interp::is_bytes(data) ? interp::bytes_view(data) : interp::str_view(data));
    weft::port conn = interp::port_of(argv[0]);
    return ask_tcp(m, "send", [&](io::tcp_table& t, pid, io::tcp_reply reply) {
        return t.send(conn, std::move(bytes), std::move(reply));
    });
}

value conn_recv(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = tcp_answer(m, "recv"); !done.is_empty()) return done;
    value a[2];
    bi::parse_kwargs(kwargs, "recv", {"max", "timeout"}, a);
    bi::expected_args("recv", argc - 1, 0, 2);
    for (std::uint32_t k = 0; k < 2; ++k) a[k] = bi::merge_arg("recv", argv + 1, argc - 1, k, a[k], k ? "timeout" : "max");
    std::int64_t max = 65536;
    if (!a[0].is_empty()) {
        if (!a[0].is_int() || a[0].is_bool()) bi::type_error(std::string("recv() max must be int, not ") + interp::type_name_of(a[0]));
        if (a[0].as_int() <= 0) bi::value_error("recv() max must be positive");
        max = a[0].as_int();
    }
    io::tcp_timeout timeout = timeout_arg(a[1], "recv");
    weft::port conn = interp::port_of(argv[0]);
    return ask_tcp(m, "recv", [&](io::tcp_table& t, pid me, io::tcp_reply reply) {
        return t.recv(conn, me, std::size_t(max), timeout, std::move(reply));
    });
}

value conn_recv_line(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = tcp_answer(m, "recv_line"); !done.is_empty()) return done;
    value a[1];
    bi::parse_kwargs(kwargs, "recv_line", {"timeout"}, a);
    bi::expected_args("recv_line", argc - 1, 0, 1);
    a[0] = bi::merge_arg("recv_line", argv + 1, argc - 1, 0, a[0], "timeout");
    io::tcp_timeout timeout = timeout_arg(a[0], "recv_line");
    weft::port conn = interp::port_of(argv[0]);
    return ask_tcp(m, "recv_line", [&](io::tcp_table& t, pid me, io::tcp_reply reply) {
        return t.recv_line(conn, me, timeout, std::move(reply));
    });
}

// close(): closing a closed socket does nothing, as Python's.
value port_close(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "close");
    bi::expected_args("close", argc - 1, 0, 0);
    int err = io::tcp_table_of(bi::running(m, "close").api().rt()).close(interp::port_of(argv[0]));
    if (err && err != EBADF) raise_tcp_error("close", err);
    return value::none();
}

value port_enter(vm&, value* argv, std::uint32_t, value) { return argv[0]; }
value port_exit(vm& m, value* argv, std::uint32_t, value) {
    io::tcp_table_of(bi::running(m, "__exit__").api().rt()).close(interp::port_of(argv[0]));
    return value::none();
}

value port_attr(vm& m, value self, std::string_view name) {
    bool conn = interp::resource_ref_of(self).type == &conn_type;
    if (name != (conn ? "peer" : "port")) return value::empty();
    auto at = io::tcp_table_of(bi::running(m, conn ? "peer" : "port").api().rt()).address(interp::port_of(self));
    if (!at) interp::throw_os_error(EBADF);  // as Python's getpeername() on a closed socket
    if (!conn) return value::from_int(at->second);
    interp::rooted host(m.heap(), m.heap().alloc_str(at->first));
    value items[2] = {host, value::from_int(at->second)};
    return m.heap().alloc_tuple(std::span<const value>(items, 2));
}

std::string port_repr(value self, const interp::value_repr&) {
    bool conn = interp::resource_ref_of(self).type == &conn_type;
    weft::port p = interp::port_of(self);
    return std::string(conn ? "<tcp.conn " : "<tcp.listener ") + std::to_string(p.serial & ((std::uint64_t(1) << 56) - 1)) + ">";
}

constexpr builtin_def def_send{"send", conn_send};
constexpr builtin_def def_recv{"recv", conn_recv};
constexpr builtin_def def_recv_line{"recv_line", conn_recv_line};
constexpr builtin_def def_close{"close", port_close};
constexpr builtin_def def_enter{"__enter__", port_enter};
constexpr builtin_def def_exit{"__exit__", port_exit};
const std::array<const builtin_def*, 6> conn_methods = {&def_send, &def_recv, &def_recv_line, &def_close, &def_enter, &def_exit};
const std::array<const builtin_def*, 3> listener_methods = {&def_close, &def_enter, &def_exit};

constexpr builtin_def def_conn{"tcp.conn", nullptr, interp::type_tag::resource};
constexpr builtin_def def_listener{"tcp.listener", nullptr, interp::type_tag::resource};
const resource_type conn_type{&def_conn, conn_methods, port_attr, port_repr, nullptr, std::uint8_t(io::port_kind::conn)};
const resource_type listener_type{&def_listener, listener_methods, port_attr, port_repr, nullptr,
                                  std::uint8_t(io::port_kind::listener)};

constexpr builtin_def def_listen{"listen", tcp_listen};
constexpr builtin_def def_accept{"accept", tcp_accept};
constexpr builtin_def def_connect{"connect", tcp_connect};
constexpr builtin_def def_set_active{"set_active", tcp_set_active};
constexpr builtin_def def_set_owner{"set_owner", tcp_set_owner};
const std::array<const builtin_def*, 7> functions = {&def_listen,     &def_accept, &def_connect, &def_set_active,
                                                     &def_set_owner, &def_conn,   &def_listener};
const std::array<const resource_type*, 2> ports = {&conn_type, &listener_type};

const native_module module_def{.name = "tcp", .functions = functions, .ports = ports};

}  // namespace

const native_module& tcp_module() noexcept { return module_def; }

}  // namespace weft::lib
