// json_module.hpp: `import json` (json_module.cpp): loads, dumps and
// JSONDecodeError, as CPython 3.11's json module.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& json_module() noexcept;

}  // namespace weft::lib
