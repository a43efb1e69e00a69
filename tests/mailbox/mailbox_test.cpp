// Tests of the mailbox: order, selective scan, blocking hand-off, closing, length.
#include "mailbox/mailbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace weft {
namespace {

struct node {
    node* next = nullptr;
    int producer = 0;
    int seq = 0;
    bool signal = false;
};

using box = mailbox<node>;

// Moves arrivals into the queue the way an actor does: signals handled first.
int drain_arrivals(box& mb, std::vector<node*>* signals = nullptr) {
    int n = 0;
    for (node* a = mb.take_arrivals(); a;) {
        node* next = a->next;
        if (a->signal) {
            if (signals) signals->push_back(a);
            mb.consumed();
        } else {
            mb.append(a);
        }
        a = next;
        ++n;
    }
    return n;
}

TEST(Mailbox, FifoForOneProducer) {
    box mb;
    std::vector<node> nodes(10);
    for (int i = 0; i < 10; ++i) {
        nodes[i].seq = i;
        EXPECT_EQ(mb.push(&nodes[i]), box::push_result::queued);
    }
    EXPECT_EQ(mb.size(), 10);
    drain_arrivals(mb);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(mb.pop()->seq, i);
    EXPECT_EQ(mb.pop(), nullptr);
    EXPECT_EQ(mb.size(), 0);
}

TEST(Mailbox, SelectiveScanKeepsSkippedInOrder) {
    box mb;
    std::vector<node> nodes(6);
    for (int i = 0; i < 6; ++i) {
        nodes[i].seq = i;
        mb.push(&nodes[i]);
    }
    drain_arrivals(mb);
    mb.begin_scan();
    node* taken = mb.scan([](node& n) { return n.seq == 3; });
    ASSERT_NE(taken, nullptr);
    EXPECT_EQ(taken->seq, 3);
    mb.begin_scan();
    EXPECT_EQ(mb.scan([](node& n) { return n.seq % 2 == 1; })->seq, 1);
    std::vector<int> rest;
    while (node* n = mb.pop()) rest.push_back(n->seq);
    EXPECT_EQ(rest, (std::vector<int>{0, 2, 4, 5}));
}

TEST(Mailbox, ScanWithoutMatchResumesAfterWhatItSaw) {
    box mb;
    std::vector<node> nodes(4);
    for (int i = 0; i < 3; ++i) {
        nodes[i].seq = i;
        mb.push(&nodes[i]);
    }
    drain_arrivals(mb);
    int looked = 0;
    auto want_three = [&](node& n) {
        ++looked;
        return n.seq == 3;
    };
    mb.begin_scan();
    EXPECT_EQ(mb.scan(want_three), nullptr);
    EXPECT_EQ(looked, 3);
    nodes[3].seq = 3;
    mb.push(&nodes[3]);
    drain_arrivals(mb);
    EXPECT_EQ(mb.scan(want_three), &nodes[3]);
    EXPECT_EQ(looked, 4) << "the resumed scan must look only at the new message";
    EXPECT_EQ(mb.size(), 3);
}

TEST(Mailbox, StepwiseScanPeeksSkipsAndTakes) {
    box mb;
    std::vector<node> nodes(5);
    for (int i = 0; i < 4; ++i) {
        nodes[i].seq = i;
        mb.push(&nodes[i]);
    }
    drain_arrivals(mb);
    mb.begin_scan();
    ASSERT_EQ(mb.peek(), &nodes[0]);
    mb.skip();
    ASSERT_EQ(mb.peek(), &nodes[1]);
    mb.skip();
    mb.skip();
    mb.skip();
    EXPECT_EQ(mb.peek(), nullptr) << "every queued message was passed";
    nodes[4].seq = 4;
    mb.push(&nodes[4]);
    drain_arrivals(mb);
    EXPECT_EQ(mb.peek(), &nodes[4]) << "a later arrival shows up where the scan stopped";
    mb.begin_scan();
    mb.skip();
    EXPECT_EQ(mb.take_peeked(), &nodes[1]);
    EXPECT_EQ(mb.peek(), &nodes[0]) << "taking ends the scan: the next one starts from the oldest";
    EXPECT_EQ(mb.size(), 4);
    std::vector<int> rest;
    while (node* n = mb.pop()) rest.push_back(n->seq);
    EXPECT_EQ(rest, (std::vector<int>{0, 2, 3, 4}));
}

TEST(Mailbox, BlockedOwnerIsWokenByExactlyOnePush) {
    box mb;
    EXPECT_TRUE(mb.try_block());
    node a, b;
    EXPECT_EQ(mb.push(&a), box::push_result::woke_owner);
    EXPECT_EQ(mb.push(&b), box::push_result::queued);
    EXPECT_EQ(drain_arrivals(mb), 2);
    EXPECT_TRUE(mb.try_block()) << "empty again: the owner may wait";
}

TEST(Mailbox, TryBlockFailsWhenSomethingArrived) {
    box mb;
    node a;
    mb.push(&a);
    EXPECT_FALSE(mb.try_block());
    drain_arrivals(mb);
    EXPECT_TRUE(mb.try_block());
}

TEST(Mailbox, ClosedMailboxRefusesAndReturnsPending) {
    box mb;
    node a, b, c;
    mb.push(&a);
    mb.push(&b);
    node* pending = mb.close();
    ASSERT_EQ(pending, &a);
    EXPECT_EQ(pending->next, &b);
    EXPECT_EQ(mb.push(&c), box::push_result::closed);
    EXPECT_TRUE(mb.closed());
}

TEST(Mailbox, SignalsAreSeenBeforeALongQueue) {
    box mb;
    std::vector<node> msgs(10000);
    for (auto& m : msgs) mb.push(&m);
    drain_arrivals(mb);
    node sig;
    sig.signal = true;
    mb.push(&sig);
    std::vector<node*> signals;
    EXPECT_EQ(drain_arrivals(mb, &signals), 1) << "only the new arrival is walked";
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0], &sig);
    EXPECT_EQ(mb.size(), 10000);
}

// Many producers on many threads: every message arrives exactly once and the
// messages of each producer arrive in the order that producer sent them.
TEST(Mailbox, PerProducerOrderUnderConcurrency) {
    constexpr int producers = 4, per_producer = 50000;
    box mb;
    std::vector<std::unique_ptr<node[]>> pools;
    for (int p = 0; p < producers; ++p) pools.emplace_back(new node[per_producer]);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            while (!go.load()) std::this_thread::yield();
            for (int i = 0; i < per_producer; ++i) {
                node& n = pools[p][i];
                n.producer = p;
                n.seq = i;
                mb.push(&n);
            }
        });
    go = true;
    std::vector<int> next_seq(producers, 0);
    int received = 0;
    while (received < producers * per_producer) {
        for (node* a = mb.take_arrivals(); a; a = a->next) {
            EXPECT_EQ(a->seq, next_seq[a->producer]++);
            mb.consumed();
            ++received;
        }
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(mb.size(), 0);
}

// The blocking hand-off under contention: the owner blocks whenever it runs dry
// and only a woke_owner push may restart it; no wake-up is lost or doubled.
TEST(Mailbox, BlockingHandOffUnderContention) {
    constexpr int producers = 3, per_producer = 30000;
    box mb;
    std::vector<std::unique_ptr<node[]>> pools;
    for (int p = 0; p < producers; ++p) pools.emplace_back(new node[per_producer]);
    std::atomic<int> wakeups{0};
    std::atomic<bool> owner_running{true};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            for (int i = 0; i < per_producer; ++i) {
                if (mb.push(&pools[p][i]) == box::push_result::woke_owner) {
                    EXPECT_FALSE(owner_running.exchange(true)) << "woke an owner that was running";
                    wakeups++;
                }
            }
        });
    int received = 0;
    while (received < producers * per_producer) {
        if (!owner_running.load()) {
            std::this_thread::yield();
            continue;
        }
        int got = 0;
        for (node* a = mb.take_arrivals(); a; a = a->next) {
            mb.consumed();
            ++got;
        }
        received += got;
        if (got == 0) {
            owner_running = false;
            if (!mb.try_block()) owner_running = true;  // something arrived meanwhile
        }
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(received, producers * per_producer);
}

// The receive marker: a scan from the mark sees only what was queued after
// it; taking the marked message moves the mark back, never past a message.
TEST(Mailbox, ScanAtTheMarkSkipsOlderMessages) {
    box mb;
    std::vector<node> nodes(8);
    for (int i = 0; i < 8; ++i) nodes[i].seq = i;
    for (int i = 0; i < 5; ++i) mb.push(&nodes[i]);
    drain_arrivals(mb);
    mb.set_mark();
    mb.push(&nodes[5]);
    mb.push(&nodes[6]);
    drain_arrivals(mb);
    mb.begin_scan_at_mark();
    ASSERT_NE(mb.peek(), nullptr);
    EXPECT_EQ(mb.peek()->seq, 5);
    mb.skip();
    EXPECT_EQ(mb.take_peeked()->seq, 6);
    mb.begin_scan();  // a full scan still sees everything older, in order
    EXPECT_EQ(mb.peek()->seq, 0);
}

TEST(Mailbox, TakingTheMarkedMessageMovesTheMarkBack) {
    box mb;
    std::vector<node> nodes(5);
    for (int i = 0; i < 5; ++i) nodes[i].seq = i;
    for (int i = 0; i < 3; ++i) mb.push(&nodes[i]);
    drain_arrivals(mb);
    mb.set_mark();  // after message 2
    EXPECT_EQ(mb.scan([](const node& n) { return n.seq == 2; })->seq, 2);
    mb.push(&nodes[3]);
    drain_arrivals(mb);
    mb.begin_scan_at_mark();
    EXPECT_EQ(mb.peek()->seq, 3);
    // Taking everything before the mark leaves it at the head.
    EXPECT_EQ(mb.pop()->seq, 0);
    EXPECT_EQ(mb.pop()->seq, 1);
    mb.begin_scan_at_mark();
    EXPECT_EQ(mb.peek()->seq, 3);
}

TEST(Mailbox, AMarkOnAnEmptyQueueScansEverything) {
    box mb;
    std::vector<node> nodes(2);
    mb.set_mark();
    for (int i = 0; i < 2; ++i) {
        nodes[i].seq = i;
        mb.push(&nodes[i]);
    }
    drain_arrivals(mb);
    mb.begin_scan_at_mark();
    EXPECT_EQ(mb.peek()->seq, 0);
    mb.drain_queue();
    mb.begin_scan_at_mark();
    EXPECT_EQ(mb.peek(), nullptr);
}

}  // namespace
}  // namespace weft
