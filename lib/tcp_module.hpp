// tcp_module.hpp: `import tcp`, Erlang's gen_tcp with Python's names.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& tcp_module() noexcept;

}  // namespace weft::lib
