// sys_module.hpp: `import sys`: argv, exit, stdout, stderr, platform.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& sys_module() noexcept;

}  // namespace weft::lib
