// os_error.cpp: see os_error.hpp.
#include "interp/objects/os_error.hpp"

#include <cerrno>
#include <cstring>

#include "interp/objects/builtin_def.hpp"
#include "interp/objects/natives.hpp"

namespace weft::interp {

const char* os_error_kind(int err) noexcept {
    switch (err) {
    case ENOENT: return "FileNotFoundError";
    case EEXIST: return "FileExistsError";
    case EACCES:
    case EPERM: return "PermissionError";
    case EISDIR: return "IsADirectoryError";
    case ENOTDIR: return "NotADirectoryError";
    case EPIPE:
    case ESHUTDOWN: return "BrokenPipeError";
    case ECONNREFUSED: return "ConnectionRefusedError";
    case ECONNRESET: return "ConnectionResetError";
    case ETIMEDOUT: return "TimeoutError";
    default: return "OSError";
    }
}

void throw_os_error(int err, std::optional<std::string> filename, std::optional<std::string> filename2) {
    script_error e;
    e.kind = os_error_kind(err);
    e.message = std::strerror(err);
    e.os_errno = err;
    e.filename = std::move(filename);
    e.filename2 = std::move(filename2);
    throw e;
}

bool is_os_error(value exc) noexcept {
    value args = exception_args(exc);
    if (!is_kind(args, obj_kind::tuple) || as_tuple(args)->length() < 2 || !as_tuple(args)->items()[0].is_int())
        return false;
    return exception_class_named(builtin_of(exception_class(exc)), "OSError");
}

}  // namespace weft::interp
