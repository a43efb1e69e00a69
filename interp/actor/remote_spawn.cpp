// remote_spawn.cpp: see remote_spawn.hpp.
#include "interp/actor/remote_spawn.hpp"

#include <atomic>
#include <memory>
#include <vector>

#include "interp/objects/natives.hpp"
#include "serialize/codec.hpp"

namespace weft::interp {

std::variant<pid, std::string> spawn_for_peer(runtime& rt, const script_config& cfg, std::string_view module_name,
                                              std::string_view function, std::uint64_t code_hash, const envelope* args,
                                              const runtime::remote_parent& parent) {
    const program& prog = *cfg.prog;
    const std::string where = "node " + rt.node_name();
    const module* m = prog.find_module(module_name);
    if (!m) return "module '" + std::string(module_name) + "' is not loaded on " + where;
    if (m->code_hash != code_hash)
        return "module '" + std::string(module_name) + "' on " + where + " is another version of it (its code differs)";
    std::uint32_t slot = m->slot_of(function);  // the shell's module may be adding names meanwhile
    value f = slot == module::no_slot ? value::empty()
                                      : std::atomic_ref<value>(m->globals[slot]).load(std::memory_order_acquire);
    if (!is_native(f, native_kind::function))
        return "module '" + std::string(module_name) + "' on " + where + " has no function '" + std::string(function) + "'";
    const proto* p = function_proto(f);

    std::vector<term> call{term::function(m->name, p->id, p->name, {})};
    if (args && !args->words().empty()) {
        term given = decode(*args);
        if (!given.is_tuple()) return std::string("the arguments of a spawn must be a tuple");
        for (std::size_t k = 0; k < given.size(); ++k) call.push_back(given[k]);
    }
    envelope* start = envelope::acquire();
    try {
        encode(term::tuple(std::move(call)), *start);
    } catch (...) {
        envelope::release(start);
        throw;
    }
    std::shared_ptr<script_actor> sa;
    try {
        sa = std::make_shared<script_actor>(cfg, start, rt.options().max_heap_bytes);
    } catch (...) {
        envelope::release(start);
        throw;
    }
    return rt.spawn_held(stackless, [sa = std::move(sa)](actor& self) { return sa->step(self); }, parent);
}

}  // namespace weft::interp
