// worker_stats.hpp: the figures one worker thread keeps about itself, for the
// observer (`weft top`, the web observer): how long it was idle, how many
// items it ran, and a few event counts that the layers above name (actors/
// counts messages and reductions in them).
//
// Each figure is written only by its own worker thread and read by anyone.
// The writer needs no read-modify-write: a plain load and store of its own
// word (relaxed) cannot lose an update, because nobody else writes it, and
// costs what a non-atomic increment costs. Readers load relaxed: a figure
// is a monitoring count, nothing is decided or published through it, and a
// reader may see one a moment old. Summing the workers' figures gives the
// runtime's without any shared counter on the hot path.
//
// It must never be written from another thread than its worker's, and never
// make a worker wait.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace weft {

// The event slots of worker_stats::events, named by the layer that counts
// them (the scheduler only holds them).
inline constexpr std::size_t worker_event_slots = 4;

class worker_stats {
public:
    // ---- the worker's own thread ----
    void add_event(std::size_t slot, std::uint64_t n) noexcept { bump(events_[slot], n); }
    // The worker stops looking for work at `now`, idle since idle_begin().
    void idle_begin(std::int64_t now_ns) noexcept {
        // Relaxed: a reader pairs it with idle_ns_ as best it can; a torn
        // pair costs one sample a few microseconds of idle time, no more.
        idle_since_ns_.store(now_ns, std::memory_order_relaxed);
    }
    void idle_end(std::int64_t now_ns) noexcept {
        std::int64_t since = idle_since_ns_.load(std::memory_order_relaxed);
        idle_since_ns_.store(0, std::memory_order_relaxed);
        if (since != 0 && now_ns > since) bump(idle_ns_, std::uint64_t(now_ns - since));
    }

    // ---- any thread ----
    std::uint64_t event(std::size_t slot) const noexcept { return events_[slot].load(std::memory_order_relaxed); }
    // Idle time up to `now_ns`, counting an idle stretch still under way.
    std::uint64_t idle_ns(std::int64_t now_ns) const noexcept {
        std::uint64_t done = idle_ns_.load(std::memory_order_relaxed);
        std::int64_t since = idle_since_ns_.load(std::memory_order_relaxed);
        return done + (since != 0 && now_ns > since ? std::uint64_t(now_ns - since) : 0);
    }

    // The steady clock in nanoseconds, the unit of these figures.
    static std::int64_t now_ns() noexcept {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

private:
    static void bump(std::atomic<std::uint64_t>& a, std::uint64_t n) noexcept {
        a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    // Apart from the hot words of the worker that thieves read (its queues).
    alignas(64) std::array<std::atomic<std::uint64_t>, worker_event_slots> events_{};
    std::atomic<std::uint64_t> idle_ns_{0};
    std::atomic<std::int64_t> idle_since_ns_{0};  // 0: not idle now
};

}  // namespace weft
