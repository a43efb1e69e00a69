// builtin_def.hpp: how C++ code appears to scripts. A builtin (len, int,
// ValueError, spawn, math.sqrt ...) is a plain C++ function with a name; a
// native module is a named set of them, with constants.
//
// This is the one interface through which native code adds names that scripts
// see: interp/builtins/ (the builtins module: len, int, ValueError and the
// methods of str, bytes, list and dict), interp/actor/ (spawn, send ...) and
// the modules of lib/ (`import math`) are all native modules, handed to the
// loader (interp/load/loader.hpp). The compiler and the VM know builtins only
// through it, so adding a module never touches them.
//
// A builtin is called with the positional arguments in the VM's register stack
// (rooted: the collector updates them; argv stays valid until the builtin calls
// back into script code with vm::call, which may grow and move the register
// stack) and the keyword arguments as a dict from str to value, or None when
// there were none. It returns the result or throws script_error
// (script_error.hpp) with CPython's kind and message, which the VM raises in
// the script; heap_exhausted becomes MemoryError. A method receives its
// receiver as argv[0].
//
// Every builtin_def and native_module is a constant with static storage:
// builtins hold no state, and a program makes one frozen value per def
// (compile/code.hpp: program::builtin_value). Types are builtins too (int,
// str, ValueError ...): `type` says which type a def stands for, so
// isinstance(), type() and `except` can use them; calling a type constructs a
// value of it.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "interp/heap/value.hpp"

namespace weft::interp {

class vm;
class frozen_arena;

using native_fn = value (*)(vm& m, value* argv, std::uint32_t argc, value kwargs);

// The types a value can have, as type() and isinstance() see them.
enum class type_tag : std::uint8_t {
    none_type, bool_, int_, float_, str, bytes, tuple, list, dict, function, pid, ref, range, module, set, frozenset,
    iterator,   // what iter() returns, whatever it walks
    exception,  // any exception class (builtin_def::base says which)
    record,     // any record type (natives.hpp: record_type says which)
    resource,   // any resource type (natives.hpp: resource_type says which)
    not_a_type, // plain functions
};

struct builtin_def {
    const char* name;
    native_fn fn;        // null: the type cannot be called (pid, ref, function)
    type_tag type = type_tag::not_a_type;
    const builtin_def* base = nullptr;  // exception classes: the parent class
};

// True when class `c` is `base` or derives from it.
inline bool exception_class_is(const builtin_def* c, const builtin_def* base) noexcept {
    for (; c; c = c->base)
        if (c == base) return true;
    return false;
}

// The same by the base's name, where its def is not at hand (OSError,
// SystemExit: the builtins' classes, seen from the objects layer).
inline bool exception_class_named(const builtin_def* c, std::string_view base) noexcept {
    for (; c; c = c->base)
        if (base == c->name) return true;
    return false;
}

// What a native module's constants may depend on: the program's command
// line (sys.argv).
struct native_context {
    std::span<const std::string> argv;  // the program's file, then its arguments
};

// A module-level constant of a native module (math.pi), made once, when the
// program loads the module, as a frozen value of the program's arena.
struct native_constant {
    const char* name;
    value (*make)(frozen_arena& arena, const native_context& context);
};

// A module written in C++. Scripts `import` it by name (lib/), or see its
// names without an import when the loader makes it one of the globals (the
// builtins module and the actor builtins).
struct resource_type;  // natives.hpp

// What a native module keeps per program (re's compiled patterns): made when
// the program learns of the module, at load, before any actor runs, and freed
// with the program. Every actor of the program reads it on any thread, so
// what it holds must be safe for that by itself (program::module_state).
struct native_state {
    virtual ~native_state() = default;
};

struct native_module {
    const char* name;                                  // "builtins", "math"
    std::span<const builtin_def* const> functions;     // functions, types and exception classes
    std::span<const native_constant> constants = {};
    // Types that have a value (type() returns it) but no name (NoneType).
    std::span<const builtin_def* const> unnamed = {};
    // The methods of the core value types by receiver and name, or null: the
    // builtins module's alone.
    const builtin_def* (*method)(value receiver, std::string_view name) noexcept = nullptr;
    // Modules inside it, each a global named after the last part of its
    // name ("os.path" is os's `path`).
    std::span<const native_module* const> submodules = {};
    // Its kinds of port (tcp's conn and listener): how a port that arrives in
    // a message becomes a value with methods, in any program that has the
    // module, imported or not.
    std::span<const resource_type* const> ports = {};
    // Its kinds of value that travel by what they are made of (re's
    // patterns: resource_type::rebuild), in any program that has the module.
    std::span<const resource_type* const> rebuilt = {};
    // Makes its per-program state, or null: it has none.
    native_state* (*make_state)() = nullptr;
};

}  // namespace weft::interp
