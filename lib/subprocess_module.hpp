// subprocess_module.hpp: `import subprocess`, Python's subprocess.run.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& subprocess_module() noexcept;

}  // namespace weft::lib
