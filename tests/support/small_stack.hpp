// small_stack.hpp: runs test code on a thread with a stack of a chosen size.
//
// Code under test must not recurse on the C++ stack for deep values (fibers
// have small stacks); running it on a small stack makes a regression crash the
// test instead of passing silently on the main thread's 8 MB.
#pragma once
#include <pthread.h>

#include <cstdlib>
#include <functional>

namespace weft::test {

// Runs fn on a fresh thread whose stack is `bytes` (eight times that under
// AddressSanitizer, whose frames are much larger).
inline void run_with_stack(std::size_t bytes, const std::function<void()>& fn) {
#if defined(__SANITIZE_ADDRESS__)
    bytes *= 8;
#endif
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, bytes);
    pthread_t th;
    auto body = [](void* p) -> void* {
        (*static_cast<const std::function<void()>*>(p))();
        return nullptr;
    };
    if (pthread_create(&th, &attr, body, const_cast<std::function<void()>*>(&fn)) != 0) std::abort();
    pthread_join(th, nullptr);
    pthread_attr_destroy(&attr);
}

}  // namespace weft::test
