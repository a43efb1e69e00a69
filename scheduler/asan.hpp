// asan.hpp: tells AddressSanitizer which stack the code is running on.
//
// Boost.Fiber switches stacks inside its compiled library, unannotated, so ASan
// keeps believing it runs on whatever stack it saw last; then an exception thrown
// on a fiber (a normal way for an actor to end) makes it misjudge the stack and
// report errors that are not there. At each point where our code resumes after a
// switch, we name the current stack. Outside ASan builds these compile to nothing.
#pragma once
#include <cstddef>

namespace weft::asan {

#if defined(WEFT_SANITIZE_ADDRESS)
void now_on_stack(const void* bottom, std::size_t size) noexcept;
#else
inline void now_on_stack(const void*, std::size_t) noexcept {}
#endif

}  // namespace weft::asan
