// timer_service.cpp: see timer_service.hpp.
#include "scheduler/timer_service.hpp"

namespace weft {

timer_service::timer_service() : thread_([this] { loop(); }) {}

timer_service::~timer_service() {
    {
        std::lock_guard guard(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
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
    if (earliest) wake_.notify_one();
    return id;
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
