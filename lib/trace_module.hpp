// trace_module.hpp: `import trace`, the runtime's message tracer from script.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& trace_module() noexcept;

}  // namespace weft::lib
