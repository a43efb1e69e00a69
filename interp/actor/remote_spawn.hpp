// remote_spawn.hpp: this node's answer to another node's spawn_on: start
// `module.function(*args)` of the loaded program as a script actor, held
// until the node has sent its answer (runtime::spawn_held). The function
// travels by module, name and the hash of its module's code, so a node that
// lacks the module, or has another version of it, refuses with a reason
// instead of running the wrong code.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "actors/runtime.hpp"
#include "interp/actor/script_actor.hpp"

namespace weft::interp {

// `args` (the envelope of a tuple of the arguments) stays the caller's.
std::variant<pid, std::string> spawn_for_peer(runtime& rt, const script_config& cfg, std::string_view module,
                                              std::string_view function, std::uint64_t code_hash, const envelope* args,
                                              const runtime::remote_parent& parent);

}  // namespace weft::interp
