// re_module.hpp: `import re`, Python's regular expressions on PCRE2 (re_*.cpp).
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& re_module() noexcept;

}  // namespace weft::lib
