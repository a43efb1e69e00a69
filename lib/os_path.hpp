// os_path.hpp: `os.path` (posixpath), the os module's submodule: string
// functions on paths, and the few that ask the file system (on the file
// pool, as the os module's do).
#pragma once
#include <string>
#include <utility>

#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

namespace os_path {
// posixpath.join(a, b): b when it is absolute, else a and b with one '/'.
std::string join(const std::string& a, const std::string& b);
// posixpath.split(p): (head, tail) at the last '/', head without trailing
// slashes unless it is all slashes.
std::pair<std::string, std::string> split(const std::string& p);
}  // namespace os_path

extern const interp::native_module os_path_module_def;

}  // namespace weft::lib
