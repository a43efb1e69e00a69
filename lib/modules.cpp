// modules.cpp: the list of the standard library's native modules.
#include "lib/modules.hpp"

#include "lib/math_module.hpp"

namespace weft::lib {

std::span<const interp::native_module* const> standard_modules() noexcept {
    static const interp::native_module* const modules[] = {&math_module()};
    return modules;
}

}  // namespace weft::lib
