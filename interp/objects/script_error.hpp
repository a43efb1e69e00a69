// script_error.hpp: a Weft script exception raised from C++ (numeric.cpp,
// format.cpp, and whatever else the VM adds), and Python's type names.
//
// Thrown by value; the VM catches it and raises `kind` with `message` as the
// script exception (str(e) == message). Kinds are Python's exception names
// ("TypeError", "ValueError", "ZeroDivisionError", "OverflowError", ...) and
// messages are worded exactly as CPython 3.11 words them.
//
// Memory: code here never throws MemoryError itself; a result too big for the
// heap throws heap_exhausted (heap.hpp), which the VM turns into MemoryError.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp {

struct script_error {
    std::string kind;
    std::string message;
    // An OSError (os_error.hpp): its errno, and the file it names if any;
    // args are then (errno, message[, filename]).
    int os_errno = 0;
    std::optional<std::string> filename, filename2;
};

[[noreturn]] inline void throw_script_error(std::string_view kind, std::string message) {
    script_error e;
    e.kind = kind;
    e.message = std::move(message);
    throw e;
}

// Python's name of a value's type: int (also a bignum), float, bool, str,
// bytes, NoneType, tuple, list, dict, pid, ref, and "function" for the VM's
// native objects (closures and functions are natives).
inline const char* type_name(value v) noexcept {
    if (v.is_int()) return "int";
    if (v.is_float()) return "float";
    if (v.is_bool()) return "bool";
    if (v.is_none()) return "NoneType";
    if (!v.is_obj()) return "object";  // the internal "empty" marker
    obj_kind k = v.as_obj()->kind;
    if (k == obj_kind::native) return "function";
    if (k == obj_kind::set && v.as_obj()->spare == set_frozenset) return "frozenset";
    return kind_name(k);
}

}  // namespace weft::interp
