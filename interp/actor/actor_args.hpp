// actor_args.hpp: what the actor builtins share: the running actor behind a
// VM, and their arguments (pids, refs, names, milliseconds) with the errors
// a script gets for wrong ones.
#pragma once
#include <string_view>

#include "interp/actor/script_actor.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp::bi {

// The script actor the VM runs in; RuntimeError "F() needs a running actor
// ..." at load time, when module bodies run outside any actor.
script_actor& running(vm& m, const char* fname);
// RuntimeError where a builtin that waits (connect, os.listdir ...) cannot
// park the actor: inside a receive's guard, or in a function that another
// builtin calls (or with *args or **kwargs).
void must_await(vm& m, const char* fname);
// TypeError "F() needs a pid, not 'int'" and the like.
weft::pid pid_arg(value v, const char* fname);
weft::ref ref_arg(value v, const char* fname);
std::string_view name_arg(value v, const char* fname);
// Milliseconds as an int or float, never negative (ValueError for NaN).
double millis_arg(value v, const char* fname);

}  // namespace weft::interp::bi
