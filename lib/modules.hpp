// modules.hpp: the standard library's native modules, as the `weft` tool
// hands them to the loader (load_options::natives). Adding a module means
// writing it in lib/ and listing it in modules.cpp; nothing in interp/
// changes (README.md here says how).
#pragma once
#include <span>

#include "interp/objects/builtin_def.hpp"

namespace weft::lib {

std::span<const interp::native_module* const> standard_modules() noexcept;

}  // namespace weft::lib
