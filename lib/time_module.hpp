// time_module.hpp: `import time`, Python's time module (LANGUAGE.md's list).
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& time_module() noexcept;

}  // namespace weft::lib
