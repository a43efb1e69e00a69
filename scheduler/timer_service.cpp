// timer_service.cpp: see timer_service.hpp.
#include "scheduler/timer_service.hpp"

#include <algorithm>

namespace weft {

timer_service::timer_service(bool virtual_clock) : virtual_(virtual_clock) {
    if (!virtual_) thread_ = std::thread([this] { loop(); });
}

timer_service::~timer_service() {
    {
        std::lock_guard guard(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

timer_service::timer_id timer_service::schedule(clock::time_point deadline, std::function<void()> fire) {
    bool earliest;
    timer_id id;
    {
        std::lock_guard guard(mutex_);
        id = next_id_++;
        earliest = heap_.empty() || deadline < heap_.top().deadline;
        heap_.push({deadline, id});
        callbacks_.emplace(id, std::move(fire));
    }
    if (earliest && !virtual_) wake_.notify_one();
    return id;
}

bool timer_service::advance() {
    {
        std::lock_guard guard(mutex_);
        while (!heap_.empty() && !callbacks_.contains(heap_.top().id)) heap_.pop();  // cancelled ones
        if (heap_.empty()) return false;
        virtual_now_.store(std::max(heap_.top().deadline, now()).time_since_epoch().count(), std::memory_order_relaxed);
    }
    fire_due();
    return true;
}

void timer_service::pass(clock::duration step) {
    virtual_now_.store(virtual_now_.load(std::memory_order_relaxed) + step.count(), std::memory_order_relaxed);
    fire_due();
}

void timer_service::fire_due() {
    std::vector<std::function<void()>> due;
    {
        std::lock_guard guard(mutex_);
        clock::time_point at = now();
        if (heap_.empty() || heap_.top().deadline > at) return;
        // Equal deadlines fire in the order they were set: the heap orders
        // by deadline alone, so the due ones are sorted by id (schedule()'s order).
        std::vector<timer_id> ids;
        while (!heap_.empty() && heap_.top().deadline <= at) {
            ids.push_back(heap_.top().id);
            heap_.pop();
        }
        std::sort(ids.begin(), ids.end());
        for (timer_id id : ids) {
            auto it = callbacks_.find(id);
            if (it == callbacks_.end()) continue;  // cancelled
            due.push_back(std::move(it->second));
            callbacks_.erase(it);
        }
    }
    for (auto& fire : due) fire();
}

bool timer_service::cancel(timer_id id) {
    std::function<void()> dropped;  // destroyed outside the lock
    std::lock_guard guard(mutex_);
    auto it = callbacks_.find(id);
    if (it == callbacks_.end()) return false;
    dropped = std::move(it->second);
    callbacks_.erase(it);
    return true;
}

std::size_t timer_service::pending() const {
    std::lock_guard guard(mutex_);
    return callbacks_.size();
}

void timer_service::loop() {
    std::vector<std::function<void()>> due;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (heap_.empty()) {
            wake_.wait(lock);
            continue;
        }
        auto now = clock::now();
        // By value: the heap may reallocate while the lock is released in the wait.
        clock::time_point next = heap_.top().deadline;
        if (next > now) {
            wake_.wait_until(lock, next);
            continue;
        }
        while (!heap_.empty() && heap_.top().deadline <= now) {
            auto it = callbacks_.find(heap_.top().id);
            heap_.pop();
            if (it == callbacks_.end()) continue;  // cancelled
            due.push_back(std::move(it->second));
            callbacks_.erase(it);
        }
        // Fire outside the lock: callbacks may arm or cancel timers themselves.
        lock.unlock();
        for (auto& fire : due) fire();
        due.clear();
        lock.lock();
    }
}

}  // namespace weft
