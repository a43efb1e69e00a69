// introspection.cpp: the introspection builtins of LANGUAGE.md: processes(),
// is_alive(pid), registered(), process_info(pid) and queue_len(). They read
// the runtime's snapshot of other actors (actors/process_info.hpp) and never
// stop or wake the actor they look at.
#include "interp/actor/introspection.hpp"

#include <array>
#include <string>
#include <vector>

#include "actors/process_info.hpp"
#include "interp/actor/actor_args.hpp"
#include "interp/builtins/args.hpp"

namespace weft::interp::bi {
namespace {

value pid_list(vm& m, const std::vector<weft::pid>& pids) {
    rooted list(m.heap(), m.heap().alloc_list(pids.size()));
    for (const weft::pid& p : pids) {
        value v = m.heap().alloc_pid(p);
        m.heap().list_append(list, v);
    }
    return list;
}

value builtin_processes(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "processes");
    no_kwargs(kwargs, "processes");
    no_args("processes", argc);
    return pid_list(m, self.api().rt().processes());
}

value builtin_is_alive(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "is_alive");
    no_kwargs(kwargs, "is_alive");
    exactly_one("is_alive", argc);
    return value::boolean(self.api().rt().alive(pid_arg(argv[0], "is_alive")));
}

value builtin_registered(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "registered");
    no_kwargs(kwargs, "registered");
    no_args("registered", argc);
    std::vector<std::string> names = self.api().rt().registered();
    rooted list(m.heap(), m.heap().alloc_list(names.size()));
    for (const std::string& n : names) {
        value v = m.heap().alloc_str(n);
        m.heap().list_append(list, v);
    }
    return list;
}

value builtin_queue_len(vm& m, value*, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "queue_len");
    no_kwargs(kwargs, "queue_len");
    no_args("queue_len", argc);
    return m.heap().make_int(self.api().queue_length());
}

// A dict with LANGUAGE.md's keys, or None for an ended (or unknown) actor.
value builtin_process_info(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    script_actor& self = running(m, "process_info");
    no_kwargs(kwargs, "process_info");
    exactly_one("process_info", argc);
    weft::pid who = pid_arg(argv[0], "process_info");
    std::optional<process_info> info = self.api().rt().info(who);
    if (!info) return value::none();
    if (who == self.api().self()) {
        // The caller itself: its cell holds what it published at the end of
        // its last turn (zeros in its first); its live figures are here.
        info->reductions = m.live_reductions();
        info->heap_bytes = m.heap().block_bytes();
        info->current_line = m.current_line();
    }
    heap& h = m.heap();
    rooted d(h, h.alloc_dict());
    rooted key(h), item(h);
    auto put = [&](const char* k, value v) {
        item = v;
        key = h.alloc_str(k);
        h.dict_set(d, key, item);
    };
    put("status", h.alloc_str(run_state_name(info->status)));
    put("queue_len", h.make_int(info->queue_len));
    put("heap_bytes", h.make_int(std::int64_t(info->heap_bytes)));
    put("reductions", h.make_int(std::int64_t(info->reductions)));
    put("links", pid_list(m, info->links));
    put("monitors", pid_list(m, info->monitors));
    put("name", info->name ? h.alloc_str(*info->name) : value::none());
    put("initial_call", h.alloc_str(info->initial_call));
    put("current_line", h.make_int(info->current_line));
    return d;
}

constexpr builtin_def def_processes{"processes", builtin_processes};
constexpr builtin_def def_is_alive{"is_alive", builtin_is_alive};
constexpr builtin_def def_registered{"registered", builtin_registered};
constexpr builtin_def def_queue_len{"queue_len", builtin_queue_len};
constexpr builtin_def def_process_info{"process_info", builtin_process_info};

constexpr std::array<const builtin_def*, 5> introspection_defs = {
    &def_processes, &def_is_alive, &def_registered, &def_queue_len, &def_process_info,
};

constexpr native_module module_def{"builtins", introspection_defs};

}  // namespace
}  // namespace weft::interp::bi

namespace weft::interp {

const native_module& introspection_builtins_module() noexcept { return bi::module_def; }

}  // namespace weft::interp
