// math_module.hpp: `import math`, Python's math module on Weft numbers.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& math_module() noexcept;

}  // namespace weft::lib
