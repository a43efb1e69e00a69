// modules.cpp: the list of the standard library's native modules.
#include "lib/modules.hpp"

#include "lib/json_module.hpp"
#include "lib/math_module.hpp"
#include "lib/os_module.hpp"
#include "lib/random_module.hpp"
#include "lib/re_module.hpp"
#include "lib/subprocess_module.hpp"
#include "lib/sys_module.hpp"
#include "lib/tcp_module.hpp"
#include "lib/time_module.hpp"
#include "lib/trace_module.hpp"

namespace weft::lib {

std::span<const interp::native_module* const> standard_modules() noexcept {
    static const interp::native_module* const modules[] = {&json_module(), &math_module(), &os_module(),
                                                           &random_module(), &re_module(), &subprocess_module(),
                                                           &sys_module(), &tcp_module(), &time_module(),
                                                           &trace_module()};
    return modules;
}

}  // namespace weft::lib
