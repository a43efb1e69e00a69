// failure_log_limiter_test.cpp: lines per address per window, counting the rest,
// with the time passed in (no waiting, no clock).
#include "cluster/failure_log_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace weft::cluster {
namespace {

using namespace std::chrono_literals;
using clock_type = failure_log_limiter::clock;

const clock_type::time_point t0{};

failure_log_limiter three_a_minute() { return failure_log_limiter({3, 60s, 1024}); }

TEST(FailureLogLimiter, FirstLinesPassThenTheRestAreCounted) {
    failure_log_limiter lim = three_a_minute();
    for (int i = 0; i < 3; ++i) {
        auto v = lim.on_failure("10.0.0.1:5000", t0 + std::chrono::seconds(i));
        EXPECT_TRUE(v.log);
        EXPECT_EQ(v.suppressed, 0u);
    }
    for (int i = 0; i < 7; ++i) EXPECT_FALSE(lim.on_failure("10.0.0.1:5000", t0 + 10s).log);
    // A new window: the next line goes through and reports what was held back.
    auto v = lim.on_failure("10.0.0.1:5000", t0 + 60s);
    EXPECT_TRUE(v.log);
    EXPECT_EQ(v.suppressed, 7u);
    EXPECT_EQ(lim.on_failure("10.0.0.1:5000", t0 + 61s).suppressed, 0u);
}

TEST(FailureLogLimiter, AddressesAreCountedApart) {
    failure_log_limiter lim = three_a_minute();
    for (int i = 0; i < 5; ++i) lim.on_failure("a", t0);
    EXPECT_TRUE(lim.on_failure("b", t0).log);
    EXPECT_FALSE(lim.on_failure("a", t0).log);
    EXPECT_EQ(lim.tracked(), 2u);
}

TEST(FailureLogLimiter, ExpireReportsWhatWasHeldBack) {
    failure_log_limiter lim = three_a_minute();
    for (int i = 0; i < 5; ++i) lim.on_failure("a", t0);
    for (int i = 0; i < 2; ++i) lim.on_failure("b", t0);
    lim.on_failure("c", t0 + 30s);
    EXPECT_TRUE(lim.expire(t0 + 59s).empty());
    auto held = lim.expire(t0 + 60s);
    ASSERT_EQ(held.size(), 1u);  // b had nothing held back; c's window has not ended
    EXPECT_EQ(held[0].first, "a");
    EXPECT_EQ(held[0].second, 2u);
    EXPECT_EQ(lim.tracked(), 1u);
    EXPECT_TRUE(lim.on_failure("a", t0 + 61s).log);  // a starts afresh
}

TEST(FailureLogLimiter, MemoryIsBoundedUnderAFloodOfAddresses) {
    failure_log_limiter lim({1, 60s, 4});
    int logged = 0;
    for (int i = 0; i < 1000; ++i) logged += lim.on_failure("10.0.0." + std::to_string(i), t0).log;
    EXPECT_LE(lim.tracked(), 5u);  // four addresses and the shared one
    EXPECT_EQ(logged, 5);          // one line each for the four, one for all the others together
    auto held = lim.expire(t0 + 60s);
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].first, "");
    EXPECT_EQ(held[0].second, 995u);
}

TEST(FailureLogLimiter, EndedWindowsMakeRoom) {
    failure_log_limiter lim({1, 60s, 2});
    lim.on_failure("a", t0);
    lim.on_failure("b", t0);
    auto v = lim.on_failure("c", t0 + 60s);  // a and b's windows have ended
    EXPECT_TRUE(v.log);
    EXPECT_EQ(lim.tracked(), 1u);
    EXPECT_TRUE(lim.on_failure("d", t0 + 60s).log);
}

TEST(FailureLogLimiter, DefaultsAreAFewLinesAMinute) {
    failure_log_limiter lim;
    int logged = 0;
    for (int i = 0; i < 100; ++i) logged += lim.on_failure("x", t0 + std::chrono::milliseconds(i)).log;
    EXPECT_EQ(logged, 5);
}

}  // namespace
}  // namespace weft::cluster
