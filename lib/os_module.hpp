// os_module.hpp: `import os`, Python's os module (and os.path, os_path.hpp).
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& os_module() noexcept;

}  // namespace weft::lib
