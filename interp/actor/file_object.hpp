// file_object.hpp: the builtin open() and the file objects it returns
// (file_object.cpp), as a native module whose names every script sees.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

const native_module& file_builtins_module() noexcept;

}  // namespace weft::interp
