// os_error.hpp: Python's OSError family raised from C++ (the os module, and
// files and sockets to come): which class an errno makes, and the error a
// builtin throws for a failed system call, worded as CPython 3.11 on Linux:
//   FileNotFoundError: [Errno 2] No such file or directory: 'x.txt'
//
// Such an exception keeps args = (errno, strerror), or with file names
// (errno, strerror, filename[, filename2]): the names ride as further
// items, where Python keeps them apart, and the VM shows a script the first
// two as .args
// (exception_attr in vm/ops.cpp).
#pragma once
#include <optional>
#include <string>

#include "interp/heap/value.hpp"
#include "interp/objects/script_error.hpp"

namespace weft::interp {

// The class name Python gives an OSError of `err`: "FileNotFoundError" for
// ENOENT, "PermissionError" for EACCES and EPERM, ... else "OSError".
const char* os_error_kind(int err) noexcept;

// Throws the OSError of `err` (strerror's text), naming `filename` (and
// `filename2`, rename's destination) when given.
[[noreturn]] void throw_os_error(int err, std::optional<std::string> filename = std::nullopt,
                                 std::optional<std::string> filename2 = std::nullopt);

// Whether exception value `exc` is of the OSError family and made with an
// errno: its args are (errno, strerror[, filename]).
bool is_os_error(value exc) noexcept;

}  // namespace weft::interp
