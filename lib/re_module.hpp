// re_module.hpp: `import re`, Python's regular expressions on PCRE2 (re_*.cpp;
// re_internal.hpp says which part does what). The module value is all it
// exports: nothing outside lib/re_*.cpp may reach the engine or its cache.
#pragma once
#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

const interp::native_module& re_module() noexcept;

}  // namespace weft::lib
