// trace_module.cpp: `import trace`: start(pids=None, max_events=1000,
// functions=None) turns the runtime's tracer on (actors/trace.hpp) and
// stop() turns it off and returns its events, oldest first in causal order,
// as dicts: {"kind": "send", "clock": 4, "actor": <0.2.0>, "other": <0.3.0>,
// "msg_clock": 4, "skipped": 0, "text": "('ping', 1)"}, so that a test
// program can assert on who sent what to whom.
//
// The trace belongs to the runtime, not to the calling actor: a second
// start() ends the first trace, and any actor may stop it. It must never
// keep a heap value across an allocation unrooted.
#include "lib/trace_module.hpp"

#include <array>
#include <string>

#include "actors/runtime.hpp"
#include "interp/actor/actor_args.hpp"
#include "interp/actor/script_actor.hpp"
#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/vm/vm.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_module;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

std::vector<pid> pid_list(value v) {
    std::vector<pid> out;
    if (v.is_empty() || v.is_none()) return out;
    const value* items = nullptr;
    std::size_t n = 0;
    if (interp::is_kind(v, interp::obj_kind::list)) {
        items = interp::as_list(v)->slots();
        n = interp::as_list(v)->length;
    } else if (interp::is_kind(v, interp::obj_kind::tuple)) {
        items = interp::as_tuple(v)->items();
        n = interp::as_tuple(v)->length();
    } else {
        bi::type_error(std::string("trace.start(): pids must be a list of pids or None, not '") +
                       interp::type_name_of(v) + "'");
    }
    for (std::size_t k = 0; k < n; ++k) {
        if (!interp::is_kind(items[k], interp::obj_kind::pid))
            bi::type_error(std::string("trace.start(): pids must hold pids, not '") + interp::type_name_of(items[k]) +
                           "'");
        out.push_back(interp::as_pid(items[k])->p);
    }
    if (out.empty()) bi::value_error("trace.start(): pids is empty (None traces every actor)");
    return out;
}

std::vector<std::string> name_list(value v) {
    std::vector<std::string> out;
    if (v.is_empty() || v.is_none()) return out;
    if (!interp::is_kind(v, interp::obj_kind::list) && !interp::is_kind(v, interp::obj_kind::tuple))
        bi::type_error(std::string("trace.start(): functions must be a list of str or None, not '") +
                       interp::type_name_of(v) + "'");
    bool list = interp::is_kind(v, interp::obj_kind::list);
    std::size_t n = list ? interp::as_list(v)->length : interp::as_tuple(v)->length();
    const value* items = list ? interp::as_list(v)->slots() : interp::as_tuple(v)->items();
    for (std::size_t k = 0; k < n; ++k) {
        if (!interp::is_str(items[k]))
            bi::type_error(std::string("trace.start(): functions must hold str, not '") +
                           interp::type_name_of(items[k]) + "'");
        out.emplace_back(interp::str_view(items[k]));
    }
    return out;
}

value trace_start(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    enum { k_pids, k_max_events, k_functions, k_count };
    value kw[k_count];
    bi::parse_kwargs(kwargs, "start", {"pids", "max_events", "functions"}, kw);
    bi::expected_args("start", argc, 0, 3);
    value pids = bi::merge_arg("start", argv, argc, 0, kw[k_pids], "pids");
    value max_events = bi::merge_arg("start", argv, argc, 1, kw[k_max_events], "max_events");
    value functions = bi::merge_arg("start", argv, argc, 2, kw[k_functions], "functions");
    runtime& rt = bi::running(m, "trace.start").api().rt();
    trace_options o;
    o.pids = pid_list(pids);
    o.functions = name_list(functions);
    if (!max_events.is_empty() && !max_events.is_none()) {
        if (!max_events.is_int() || max_events.is_bool())
            bi::type_error(std::string("trace.start(): max_events must be an int, not '") +
                           interp::type_name_of(max_events) + "'");
        if (max_events.as_int() < 1) bi::value_error("trace.start(): max_events must be at least 1");
        o.max_events = std::size_t(max_events.as_int());
    }
    rt.trace().start(std::move(o));
    return value::none();
}

// d[key] = v, with the key made first and kept rooted while v is made.
template <class Make>
void put(interp::heap& h, interp::rooted& d, std::string_view key, Make make) {
    interp::rooted k(h, h.alloc_str(key));
    value v = make();
    h.dict_set(d, k, v);
}

value trace_stop(vm& m, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "stop");
    bi::no_args("stop", argc);
    runtime& rt = bi::running(m, "trace.stop").api().rt();
    trace_result r = rt.trace().stop();
    interp::heap& h = m.heap();
    interp::rooted list(h, h.alloc_list(r.events.size()));
    auto pid_or_none = [&h](pid p) { return p ? h.alloc_pid(p) : value::none(); };
    for (const trace_event& e : r.events) {
        interp::rooted d(h, h.alloc_dict(7));
        put(h, d, "kind", [&] { return h.alloc_str(trace_kind_name(e.kind)); });
        put(h, d, "clock", [&] { return h.make_int(std::int64_t(e.clock)); });
        put(h, d, "actor", [&] { return pid_or_none(e.actor); });
        put(h, d, "other", [&] { return pid_or_none(e.other); });
        put(h, d, "msg_clock", [&] { return h.make_int(std::int64_t(e.msg_clock)); });
        put(h, d, "skipped", [&] { return h.make_int(std::int64_t(e.skipped)); });
        put(h, d, "text", [&] { return h.alloc_str(e.text); });
        h.list_append(list, d);
    }
    return list.get();
}

constexpr builtin_def def_start{"start", trace_start};
constexpr builtin_def def_stop{"stop", trace_stop};

constexpr std::array<const builtin_def*, 2> functions = {&def_start, &def_stop};

constexpr native_module module_def{"trace", functions};

}  // namespace

const native_module& trace_module() noexcept { return module_def; }

}  // namespace weft::lib
