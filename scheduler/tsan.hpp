// tsan.hpp: tells ThreadSanitizer about hand-offs it cannot see.
//
// Boost.Fiber's compiled library (not built with TSan) releases our locks after
// a context switch and moves fibers between threads through its own queues, so
// TSan misses those happens-before edges and reports races that are not there.
// Where we hand a fiber or its data across threads through Boost, we state the
// edge: release() on the publishing side, acquire() on the receiving side, on
// the same address. Outside TSan builds these compile to nothing.
#pragma once

#if defined(WEFT_SANITIZE_THREAD)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace weft::tsan {

#if defined(WEFT_SANITIZE_THREAD)
inline void acquire(void* addr) { __tsan_acquire(addr); }
inline void release(void* addr) { __tsan_release(addr); }
#else
inline void acquire(void*) {}
inline void release(void*) {}
#endif

}  // namespace weft::tsan
