// random_module.hpp: `import random`, CPython's random functions with one
// generator per actor (random_module.cpp).
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& random_module() noexcept;

}  // namespace weft::lib
