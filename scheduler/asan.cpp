// asan.cpp: see asan.hpp.
#include "scheduler/asan.hpp"

#if defined(WEFT_SANITIZE_ADDRESS)
#include <sanitizer/common_interface_defs.h>

namespace weft::asan {

void now_on_stack(const void* bottom, std::size_t size) noexcept {
    // A switch "to" the stack we are already on: ASan records its bounds.
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}

}  // namespace weft::asan
#endif
