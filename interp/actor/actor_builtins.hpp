// actor_builtins.hpp: the actor builtins of LANGUAGE.md (spawn, send, self,
// link, monitor, exit, register, sleep, timers, hibernate ...) as a native
// module whose names every script sees: the loader makes it one of the
// globals, beside the builtins module.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

const native_module& actor_builtins_module() noexcept;

}  // namespace weft::interp
