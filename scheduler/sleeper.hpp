// sleeper.hpp: one worker thread's bed: it sleeps here until another thread
// wakes it, or until a timeout.
//
// One 32-bit word, used as a Linux futex. The owner announces that it is about
// to sleep (napping: a short timed sleep after which it looks around again;
// sleeping: until woken), takes a last look for work, then waits while the
// word still says so. A waker claims the owner by exchanging the word back to
// awake (so one waker, not several, pays for the system call) and wakes the
// futex. The last look and the waker's check form a Dekker pair with the
// publication of work (worker.hpp states the protocol); every access here is
// seq_cst for that reason. It must never be waited on by any thread but its
// owner, and never holds a lock.
#pragma once
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace weft {

class sleeper {
public:
    enum state : std::uint32_t {
        awake = 0,
        napping = 1,   // a timed sleep: the owner still watches its peers' queues
        sleeping = 2,  // until woken: the owner watches nothing
    };

    // Owner: the first step of going to sleep, before the last look for work.
    // seq_cst: a waker that publishes work and then reads this word either sees
    // the announcement, or its work is visible to the last look.
    void announce(state how) noexcept { word_.store(how, std::memory_order_seq_cst); }

    // Owner: takes the announcement back (the last look found work, or the
    // wait is over). Returns whether the owner still held it; false when a
    // waker claimed it first, which is harmless: the owner is up either way.
    bool settle() noexcept { return word_.exchange(awake, std::memory_order_seq_cst) != awake; }

    // Owner: waits while the word still holds the announcement, for at most
    // `timeout` (zero: no limit). Returns at once if a waker already claimed it;
    // may return spuriously, so the caller looks for work again either way.
    void wait(state announced, std::chrono::nanoseconds timeout) noexcept {
        timespec ts{};
        timespec* limit = nullptr;
        if (timeout.count() > 0) {
            ts.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000'000);
            ts.tv_nsec = static_cast<long>(timeout.count() % 1'000'000'000);
            limit = &ts;
        }
        // FUTEX_WAIT compares the word with `announced` atomically with going
        // to sleep: a claim made before this call makes it return at once.
        syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), FUTEX_WAIT_PRIVATE, announced, limit,
                nullptr, 0);
    }

    // Any thread: wakes the owner if it announced a sleep. Returns what it had
    // announced (awake: nothing to do, someone else claimed it or it is up).
    state wake() noexcept {
        if (word_.load(std::memory_order_seq_cst) == awake) return awake;
        auto was = static_cast<state>(word_.exchange(awake, std::memory_order_seq_cst));
        if (was != awake)
            syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
        return was;
    }

    state peek() const noexcept { return static_cast<state>(word_.load(std::memory_order_seq_cst)); }

private:
    static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t), "the futex is the atomic's word");
    std::atomic<std::uint32_t> word_{awake};
};

}  // namespace weft
