// spinlock.hpp: a small test-and-test-and-set lock for very short critical sections.
//
// Used where a critical section is a handful of instructions (a queue push or pop)
// and a futex-based mutex would cost more than the work it protects. Never hold it
// across a call that can block or suspend a fiber.
#pragma once
#include <atomic>
#include <thread>

namespace weft {

class spinlock {
public:
    void lock() noexcept {
        for (unsigned spins = 0;; ++spins) {
            if (!locked_.exchange(true, std::memory_order_acquire)) return;
            while (locked_.load(std::memory_order_relaxed)) {
                if (++spins > 64) std::this_thread::yield();
                else __builtin_ia32_pause();
            }
        }
    }
    bool try_lock() noexcept {
        return !locked_.load(std::memory_order_relaxed) &&
               !locked_.exchange(true, std::memory_order_acquire);
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    // acquire on taking, release on giving back: what the holder wrote is seen
    // by the next holder. The spinning reads are relaxed: they only wait.
    std::atomic<bool> locked_{false};
};

}  // namespace weft
