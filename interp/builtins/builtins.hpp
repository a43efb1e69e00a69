// builtins.hpp: the C++ functions that scripts call by name (len, sorted,
// ValueError ...) and as methods (xs.append, s.split ...), and how they are
// described to the compiler and the VM.
//
// A builtin is a plain function `native_fn`. The VM calls it with the
// positional arguments in its register stack (rooted: the collector updates
// them; argv stays valid until the builtin calls back into script code with
// vm::call, which may grow and move the register stack) and the keyword
// arguments as a dict from str to value, or None when there were none. It
// returns the result or throws script_error (script_error.hpp) with CPython's
// kind and message, which the VM raises in the script. heap_exhausted becomes
// MemoryError. A method receives its receiver as argv[0].
//
// Every builtin_def is a static constant: builtins hold no state, and the
// program makes one frozen value per def (vm.hpp: program::builtin_value).
// Types are builtins too (int, str, list, ValueError ...): `type_tag` says
// which type a def stands for, so isinstance(), type() and `except` can use
// them; calling a type constructs a value of it.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "interp/heap/value.hpp"

namespace weft::interp {

class vm;

using native_fn = value (*)(vm& m, value* argv, std::uint32_t argc, value kwargs);

// The types a value can have, as type() and isinstance() see them.
enum class type_tag : std::uint8_t {
    none_type, bool_, int_, float_, str, bytes, tuple, list, dict, function, pid, ref, range, module,
    exception,  // any exception class (builtin_def::base says which)
    not_a_type, // plain functions
};

struct builtin_def {
    const char* name;
    native_fn fn;        // null: the type cannot be called (pid, ref, function)
    type_tag type = type_tag::not_a_type;
    const builtin_def* base = nullptr;  // exception classes: the parent class
};

// Every builtin the program makes a value of, in no special order: the
// functions and types scripts see by name (find_builtin), and the types
// only type() returns (NoneType, function, pid, ref, module).
std::span<const builtin_def* const> builtin_functions() noexcept;
// A builtin function or type by name, or null.
const builtin_def* find_builtin(std::string_view name) noexcept;

// Methods by receiver: str, bytes, list, dict (null when there is none).
const builtin_def* find_method(value receiver, std::string_view name) noexcept;

// The exception classes (Exception and the ones LANGUAGE.md names, plus
// Python's intermediate classes ArithmeticError and LookupError, and
// AttributeError, ImportError for what Weft raises itself).
const builtin_def* find_exception_class(std::string_view name) noexcept;
// True when class `c` is `base` or derives from it.
bool exception_class_is(const builtin_def* c, const builtin_def* base) noexcept;

// The def a value's type() is (int for a bignum, function for closures and
// builtins ...). For an exception, its class.
const builtin_def* type_def_of(value v) noexcept;

}  // namespace weft::interp
