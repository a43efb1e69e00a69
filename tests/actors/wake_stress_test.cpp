// Stress of cross-thread wake-ups through the runtime: tokens (messages
// carrying their remaining hops) run round a ring of blocking and stackless
// actors in turn, while a thread outside the runtime sends more tokens and
// timers (send_after) deliver others. Every hop wakes the next actor from
// wherever the previous one ran; a lost wake-up hangs the test (its token
// never finishes). Sized to run in a few seconds, and well under a minute
// under ThreadSanitizer on 2 cores.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;

// 8 x 100,000 hops plus 2,050 short tokens: about a second in a regular build,
// a few seconds under ThreadSanitizer on 2 cores.
constexpr std::int64_t ring_hops_per_token = 100'000;
constexpr int ring_size = 32;  // even positions blocking, odd ones stackless
constexpr int ring_tokens = 8;
constexpr int outside_tokens = 2'000;
constexpr int timer_tokens = 50;
constexpr std::int64_t short_hops = 10;

TEST(WakeStress, TokensRoundBlockingAndStacklessActors) {
    runtime rt({.threads = 2});
    std::vector<pid> ring(ring_size);
    std::atomic<int> finished{0};
    std::atomic<std::int64_t> hops{0};
    // Passes a token on, or counts it finished; false for "stop".
    auto handle = [&](actor& self, int index, term_view v) {
        if (v.kind() == term_kind::str) return false;
        std::int64_t left = v.as_int();
        if (left > 0) {
            hops.fetch_add(1, std::memory_order_relaxed);
            self.send(ring[(index + 1) % ring_size], term(left - 1));
        } else {
            finished.fetch_add(1, std::memory_order_acq_rel);
        }
        return true;
    };
    for (int i = 0; i < ring_size; ++i) {
        if (i % 2 == 0)
            ring[i] = rt.spawn([&, i](actor& self) {
                while (handle(self, i, self.receive().view())) {
                }
            });
        else
            ring[i] = rt.spawn(stackless, [&, i](actor& self) {
                while (auto m = self.try_receive())
                    if (!handle(self, i, m->view())) return step_result::done;
                return step_result::wait;
            });
    }
    for (int t = 0; t < ring_tokens; ++t) rt.send(ring[(t * 5) % ring_size], term(ring_hops_per_token));
    for (int t = 0; t < timer_tokens; ++t)
        rt.send_after(std::chrono::milliseconds(1 + t % 5), ring[(t * 3) % ring_size], term(short_hops));
    std::thread outside([&] {
        for (int i = 0; i < outside_tokens; ++i) {
            rt.send(ring[(i * 7) % ring_size], term(short_hops));
            if (i % 64 == 0) std::this_thread::yield();  // let workers fall asleep now and then
        }
    });
    outside.join();
    constexpr int all_tokens = ring_tokens + outside_tokens + timer_tokens;
    // No time limit: a lost wake-up shows as a hang (ctest's timeout).
    while (finished.load(std::memory_order_acquire) < all_tokens) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(hops.load(), ring_tokens * ring_hops_per_token + (outside_tokens + timer_tokens) * short_hops);
    for (pid p : ring) rt.send(p, term::str("stop"));
    rt.run_until_idle();
}

}  // namespace
}  // namespace weft
