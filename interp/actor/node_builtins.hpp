// node_builtins.hpp: node, nodes, connect, disconnect, monitor_node and the
// spawn_on family (LANGUAGE.md, Actors: Nodes) as a native module whose names
// every script sees, beside the actor builtins.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

const native_module& node_builtins_module() noexcept;

}  // namespace weft::interp
