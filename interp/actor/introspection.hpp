// introspection.hpp: processes, is_alive, registered, process_info and
// queue_len (LANGUAGE.md, Actors: Introspection) as a native module whose
// names every script sees, beside the actor builtins.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

const native_module& introspection_builtins_module() noexcept;

}  // namespace weft::interp
