// task_queue.hpp: one worker's queue of runnable tasks.
//
// The owner pushes and pops at the back and front; other workers steal from the
// front when they run dry; foreign threads (timers, the embedding program) push.
// A growable ring under a spinlock: every operation is a few instructions, and the
// lock is per worker, so nothing here is a global point of contention.
#pragma once
#include <cstddef>
#include <memory>

#include "scheduler/spinlock.hpp"
#include "scheduler/task.hpp"

namespace weft {

class task_queue {
public:
    task_queue() : ring_(new task*[16]), mask_(15) {}

    void push(task* t) {
        std::lock_guard guard(lock_);
        if (tail_ - head_ > mask_) grow();
        ring_[tail_++ & mask_] = t;
        // seq_cst: publishes work; the other half of the handshake with a worker
        // going to sleep (the protocol in worker.hpp).
        size_.store(tail_ - head_, std::memory_order_seq_cst);
    }

    task* pop() {
        if (empty()) return nullptr;
        std::lock_guard guard(lock_);
        if (head_ == tail_) return nullptr;
        task* t = ring_[head_++ & mask_];
        // relaxed: a smaller size publishes nothing; the lock orders the ring itself.
        size_.store(tail_ - head_, std::memory_order_relaxed);
        return t;
    }

    // A racy hint, good enough to decide whether to look closer or wake a thief.
    // seq_cst: a sleeping worker's last look reads it (worker.hpp's protocol).
    std::size_t size() const { return size_.load(std::memory_order_seq_cst); }
    bool empty() const { return size() == 0; }

private:
    void grow() {
        std::size_t n = (mask_ + 1) * 2;
        std::unique_ptr<task*[]> bigger(new task*[n]);
        for (std::size_t i = head_; i != tail_; ++i) bigger[i & (n - 1)] = ring_[i & mask_];
        ring_ = std::move(bigger);
        mask_ = n - 1;
    }

    spinlock lock_;
    std::unique_ptr<task*[]> ring_;
    std::size_t mask_;
    std::size_t head_ = 0, tail_ = 0;
    std::atomic<std::size_t> size_{0};
};

}  // namespace weft
