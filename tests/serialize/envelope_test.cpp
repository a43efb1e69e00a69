// envelope_test.cpp: envelope buffers and the per-thread pools, including
// envelopes that are acquired on one thread and released on another.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "serialize/codec.hpp"
#include "serialize/envelope.hpp"
#include "serialize/shared_binary.hpp"
#include "support.hpp"

using namespace weft;

namespace {

TEST(Envelope, ReusedFromThePoolAndReset) {
    envelope* a = envelope::acquire();
    a->kind = 3;
    a->flags = 4;
    a->from = pid{1, 2, 3};
    a->aux = 5;
    a->tag = ref{6, 7, 8};
    a->next = a;
    encode(term::list({term(1), term(2)}), *a);
    envelope::release(a);
    envelope* b = envelope::acquire();
    EXPECT_EQ(a, b);  // the same envelope, back from this thread's free list
    EXPECT_EQ(b->kind, 0u);
    EXPECT_EQ(b->flags, 0u);
    EXPECT_EQ(b->from, pid{});
    EXPECT_EQ(b->aux, 0u);
    EXPECT_EQ(b->tag, ref{});
    EXPECT_EQ(b->next, nullptr);
    EXPECT_TRUE(b->words().empty());
    EXPECT_TRUE(b->binaries().empty());
    envelope::release(b);
    envelope::release(nullptr);
}

TEST(Envelope, SmallMessagesUseTheInlineBuffer) {
    std::thread([] {  // a fresh thread: an empty pool, so a brand-new envelope
        envelope* e = envelope::acquire();
        EXPECT_EQ(e->capacity_words(), envelope::inline_word_capacity);
        encode(term::tuple({term::str("ping"), term(pid{1, 2, 3}), term(42)}), *e);
        EXPECT_EQ(e->capacity_words(), envelope::inline_word_capacity);
        envelope::release(e);
    }).join();
}

TEST(Envelope, GrowsKeepingItsWords) {
    envelope* e = envelope::acquire(100);
    EXPECT_GE(e->capacity_words(), 100u);
    std::uint64_t* w = e->reserve_words(3);
    w[0] = 1, w[1] = 2, w[2] = 3;
    e->set_size_words(3);
    w = e->reserve_words(10'000);
    EXPECT_GE(e->capacity_words(), 10'000u);
    EXPECT_EQ(w[0], 1u);
    EXPECT_EQ(w[2], 3u);
    envelope::release(e);
    envelope* again = envelope::acquire();
    EXPECT_LT(again->capacity_words(), 10'000u);  // a huge buffer is not kept in the pool
    envelope::release(again);
}

TEST(Envelope, BinariesAreReferencedAndDropped) {
    shared_binary* b = shared_binary::make(std::string(100, 'x'));
    envelope* e = envelope::acquire();
    for (int i = 0; i < 10; ++i) EXPECT_EQ(e->add_binary(b), std::uint32_t(i));  // grows past the inline slots
    EXPECT_EQ(b->use_count(), 11u);
    EXPECT_EQ(e->binaries().size(), 10u);
    e->clear();
    EXPECT_EQ(b->use_count(), 1u);
    e->add_binary(b);
    envelope::release(e);
    EXPECT_EQ(b->use_count(), 1u);
    b->release();
}

// Producers encode on their threads; one consumer decodes and releases on its
// own, so envelopes keep migrating from the producers' pools to the consumer's.
TEST(Envelope, AcquireHereReleaseThere) {
    constexpr int producers = 3, per_producer = 20'000;
    std::mutex m;
    std::condition_variable cv;
    std::deque<envelope*> queue;
    shared_binary* big = shared_binary::make(std::string(200, 'b'));
    term payload = term::shared_str(big);

    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            for (int i = 0; i < per_producer; ++i) {
                envelope* e = envelope::acquire();
                e->aux = std::uint64_t(p) << 32 | std::uint32_t(i);
                encode(term::tuple({term(p), term(i), payload}), *e);
                std::lock_guard lock(m);
                queue.push_back(e);
                cv.notify_one();
            }
        });
    }
    std::vector<int> next(producers, 0);
    bool ordered = true, intact = true;
    std::thread consumer([&] {
        for (int got = 0; got < producers * per_producer; ++got) {
            envelope* e;
            {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return !queue.empty(); });
                e = queue.front();
                queue.pop_front();
            }
            term t = decode(*e);
            int p = static_cast<int>(t[0].as_int());
            ordered = ordered && t[1].as_int() == next[p]++;
            intact = intact && t[2].shared() == big && e->aux == (std::uint64_t(p) << 32 | std::uint32_t(t[1].as_int()));
            envelope::release(e);
        }
    });
    for (auto& t : threads) t.join();
    consumer.join();
    EXPECT_TRUE(ordered);
    EXPECT_TRUE(intact);
    EXPECT_EQ(big->use_count(), 2u);  // ours and `payload`'s: no envelope kept one
    big->release();
}

// An envelope released by a thread_local destructor after the thread's pool
// is gone must be freed, not pushed into a dead pool (ASan checks this).
struct releases_at_thread_exit {
    envelope* e = nullptr;
    ~releases_at_thread_exit() { envelope::release(e); }
};

TEST(Envelope, ReleaseAfterThePoolIsGone) {
    std::thread([] {
        thread_local releases_at_thread_exit holder;  // constructed before the pool: destroyed after it
        holder.e = envelope::acquire();
        encode(term::str(std::string(100, 'z')), *holder.e);
        envelope::release(envelope::acquire());  // the pool now holds one envelope
    }).join();
    SUCCEED();
}

// Released on another thread, an envelope goes back to the pool of the thread
// that made it, which hands it out again.
TEST(Envelope, ReleasedElsewhereGoesBackToItsHomePool) {
    std::thread([] {  // a fresh thread: its pool starts empty
        std::vector<envelope*> made;
        for (int i = 0; i < 10; ++i) made.push_back(envelope::acquire());
        std::thread([&] {
            for (envelope* e : made) envelope::release(e);
        }).join();
        std::vector<envelope*> again;
        for (int i = 0; i < 10; ++i) again.push_back(envelope::acquire());
        std::sort(made.begin(), made.end());
        std::sort(again.begin(), again.end());
        EXPECT_EQ(made, again);
        for (envelope* e : again) envelope::release(e);
    }).join();
}

// Envelopes may outlive the thread whose pool they belong to: released later,
// elsewhere, they are freed, and the last one frees the pool (ASan's leak
// check sees both).
TEST(Envelope, OutliveTheirHomeThread) {
    std::vector<envelope*> orphans;
    std::thread([&] {
        for (int i = 0; i < 100; ++i) {
            orphans.push_back(envelope::acquire());
            encode(term::tuple({term(i), term::str("orphan")}), *orphans.back());
        }
        envelope::release(envelope::acquire());  // one stays pooled at the thread's exit
    }).join();
    for (envelope* e : orphans) {
        EXPECT_EQ(decode(*e)[1], term::str("orphan"));
        envelope::release(e);
    }
}

TEST(Envelope, ManyReleasesOnOneThreadAreBounded) {
    std::vector<envelope*> all;
    for (int i = 0; i < 3000; ++i) all.push_back(envelope::acquire());
    for (envelope* e : all) envelope::release(e);  // the pool keeps 1024, frees the rest
    SUCCEED();
}

}  // namespace
