// builtins.hpp: the builtins module: the functions, types and exception
// classes every script sees by name (len, int, ValueError ...), and the
// methods of str, bytes, list and dict (xs.append, s.split ...).
//
// The loader hands builtins_module() to every program it makes (it is one of
// the globals, objects/builtin_def.hpp); the compiler and the VM reach these
// defs only through the program. The lookups below are for the builtins'
// own code and for tests.
#pragma once
#include <string_view>

#include "interp/heap/value.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

const native_module& builtins_module() noexcept;

// A builtin function, type or exception class of the module by name, or null.
const builtin_def* find_builtin(std::string_view name) noexcept;

// Methods by receiver: str, bytes, list, dict (null when there is none).
const builtin_def* find_method(value receiver, std::string_view name) noexcept;

// The exception classes (Exception and the ones LANGUAGE.md names, plus
// Python's intermediate classes ArithmeticError and LookupError, and
// AttributeError, ImportError for what Weft raises itself).
const builtin_def* find_exception_class(std::string_view name) noexcept;

// The def a value's type() is (int for a bignum, function for closures and
// builtins ...). For an exception, its class.
const builtin_def* type_def_of(value v) noexcept;

}  // namespace weft::interp
